/**
 * Builds the bundle of `pnpm bench --runtime <name>` with esbuild, as scripts/test/bundle.mjs
 * builds the test bundles: one ES module, `platform: 'browser'`, no Node built-ins. Unlike the
 * test bundles, the workspace packages resolve to their built `dist` (no `sluice-source`
 * condition): the benchmark measures what users install, so run `pnpm build` first (`pnpm
 * bench` does).
 *
 * The entry is a few lines written next to the bundle, importing chain-bundle.ts or
 * chain-worker.ts: the bundle of every runtime holds the same benchmark code, and only the
 * way it is started differs (a script that prints its result, a module whose `run()` a page
 * calls, a Worker).
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import * as esbuild from 'esbuild'
import type { ChainRunOptions } from './chain-bundle.ts'

/** The line a script bundle prints its result on, as JSON, in Node, Deno and Bun. */
export const RESULT_MARKER = 'SLUICE_BENCH '

/** How the bundle is started. */
export type BundleKind = 'script' | 'module' | 'worker'

const here = fileURLToPath(new URL('.', import.meta.url))

/** The entry of each kind: `script` runs at once and prints its result, `module` exports `run()`, `worker` a Worker. */
function entry(kind: BundleKind, options: ChainRunOptions): string {
  const from = (file: string) => JSON.stringify(join(here, file))
  const json = JSON.stringify(options)
  switch (kind) {
    case 'script':
      return [
        `import { runChain } from ${from('chain-bundle.ts')}`,
        `const result = await runChain(${json})`,
        `console.log(${JSON.stringify(RESULT_MARKER)} + JSON.stringify(result))`,
      ].join('\n')
    case 'module':
      return [`import { runChain } from ${from('chain-bundle.ts')}`, `export const run = () => runChain(${json})`].join(
        '\n',
      )
    case 'worker':
      return [`import { chainWorker } from ${from('chain-worker.ts')}`, `export default chainWorker(${json})`].join(
        '\n',
      )
  }
}

/** Writes `<dir>/<name>` (an ES module) and returns its path. */
export async function buildBundle(dir: string, name: string, kind: BundleKind, options: ChainRunOptions) {
  mkdirSync(join(dir, 'entries'), { recursive: true })
  const entryFile = join(dir, 'entries', name.replace(/\.mjs$/, '.ts'))
  writeFileSync(entryFile, `${entry(kind, options)}\n`)
  const outfile = join(dir, name)
  await esbuild.build({
    entryPoints: [entryFile],
    outfile,
    bundle: true,
    format: 'esm',
    target: 'es2022',
    platform: 'browser',
    // The packages' `import` entries: their built dist.
    conditions: ['worker', 'browser'],
    logLevel: 'warning',
  })
  return outfile
}
