// Shared rollup configuration: every package's rollup.config.mjs is one call to this.
// Output: dist/index.js (ESM), dist/index.cjs (CJS), dist/index.d.ts and dist/index.d.cts
// (types for each, so `@arethetypeswrong/cli` sees no format masquerading).
import { isAbsolute } from 'node:path'
import esbuild from 'rollup-plugin-esbuild'
import { dts } from 'rollup-plugin-dts'

/** Bare imports (other packages) stay imports; only the package's own files are bundled. */
const external = (id) => !id.startsWith('.') && !isAbsolute(id) && !id.startsWith('\0')

/** TypeScript to ES2022 (a plugin instance per configuration). */
const transpile = () => esbuild({ target: 'es2022', tsconfig: '../../tsconfig.base.json' })

/**
 * @param {{ entries?: Record<string, string>, banner?: string }} [options] `entries`: output
 *   name -> source file (`{ index: 'src/index.ts' }` by default; `server` gives
 *   dist/server.js, .cjs, .d.ts, .d.cts). `banner`: a first line for the JS files (a shebang).
 * @returns {import('rollup').RollupOptions[]}
 */
export function packageConfig({ entries = { index: 'src/index.ts' }, banner } = {}) {
  // ES modules keep one file per source file (the entries under their own names), so that
  // with `"sideEffects": false` a bundler drops every file an app does not import from:
  // within one file, a class that extends a global (`TransformStream`) is kept by esbuild
  // whether used or not. An executable (with a banner) stays one file.
  const modules = banner
    ? Object.entries(entries).map(([name, input]) => ({ input, output: { file: `dist/${name}.js`, banner } }))
    : [
        {
          input: entries,
          output: { dir: 'dist', preserveModules: true, preserveModulesRoot: 'src', entryFileNames: '[name].js' },
        },
      ]
  return [
    ...modules.map(({ input, output }) => ({
      input,
      external,
      plugins: [transpile()],
      output: { format: 'es', sourcemap: true, ...output },
    })),
    ...Object.entries(entries).flatMap(([name, input]) => commonJSAndTypes(name, input, banner)),
  ]
}

/** The CommonJS file and the two type declaration files of one entry. */
function commonJSAndTypes(name, input, banner) {
  return [
    {
      input,
      external,
      plugins: [transpile()],
      output: [
        { file: `dist/${name}.cjs`, format: 'cjs', sourcemap: true, exports: 'named', ...(banner && { banner }) },
      ],
    },
    {
      input,
      external,
      plugins: [dts({ tsconfig: '../../tsconfig.base.json' })],
      output: [
        { file: `dist/${name}.d.ts`, format: 'es' },
        { file: `dist/${name}.d.cts`, format: 'es' },
      ],
    },
  ]
}
