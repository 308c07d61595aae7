// Bundles each test file, with uvu and fast-check, into one ES module per runtime family
// with esbuild (~0.15 s a file; rollup is ~20x slower for this). A bundle exports `run()`.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import * as esbuild from 'esbuild'

const here = fileURLToPath(new URL('.', import.meta.url))

/** A flat, unique file name for a test path: packages/lines/test/a.test.ts -> packages__lines__test__a.test.mjs */
export const bundleName = (name) => name.replace(/[\\/]/g, '__').replace(/\.ts$/, '.mjs')

/**
 * @param {import('./discover.mjs').TestFile[]} files
 * @param {string} outDir
 * @param {'node' | 'web'} target `web` bundles run in workerd, the browsers, Deno and Bun: no Node built-ins.
 * @returns {Promise<Map<string, { bundle?: string, error?: string }>>} per test name
 */
export async function bundleTests(files, outDir, target) {
  rmSync(outDir, { recursive: true, force: true })
  mkdirSync(join(outDir, 'entries'), { recursive: true })
  const results = new Map()
  await Promise.all(
    files.map(async (file) => {
      const entry = join(outDir, 'entries', bundleName(file.name))
      // Import order matters: uvu-defer must run before uvu loads.
      writeFileSync(
        entry,
        [
          `import ${JSON.stringify(join(here, 'uvu-defer.mjs'))}`,
          `import ${JSON.stringify(file.path)}`,
          `export { run } from ${JSON.stringify(join(here, 'uvu-run.mjs'))}`,
          '',
        ].join('\n'),
      )
      const bundle = join(outDir, bundleName(file.name))
      try {
        await esbuild.build({
          entryPoints: [entry],
          outfile: bundle,
          bundle: true,
          format: 'esm',
          target: 'es2022',
          platform: target === 'node' ? 'node' : 'browser',
          // `sluice-source`: workspace packages resolve to their TypeScript sources.
          conditions: target === 'node' ? ['sluice-source', 'node'] : ['sluice-source', 'worker', 'browser'],
          sourcemap: 'inline',
          // Mappings only: the sources' text (fixtures, SDKs) would double every bundle, and workerd
          // loads all of them into one worker before it listens.
          sourcesContent: false,
          // Captured streams in test/fixtures/*.sse are imported as text (see fixtures.d.ts).
          // Other captured bodies (Gemini's JSON-array streams, *.json.txt) are text too.
          loader: { '.sse': 'text', '.txt': 'text' },
          // Node tests may build code themselves (the CLI tests bundle the command): esbuild stays a package.
          // @google/genai's Node build requires Node built-ins at run time: Node imports it itself.
          external: target === 'node' ? ['esbuild', '@google/genai'] : [],
          // Packages declare `sideEffects: false`: without this, esbuild would drop the test file's import.
          ignoreAnnotations: true,
          logLevel: 'silent',
          // uvu's Node detection must see the real `process`; nothing to define.
        })
        results.set(file.name, { bundle })
      } catch (error) {
        const messages = error.errors?.map((e) => `${e.location?.file ?? ''}:${e.location?.line ?? ''} ${e.text}`)
        results.set(file.name, { error: `bundling failed: ${messages?.join('\n') ?? error.message}` })
      }
    }),
  )
  return results
}
