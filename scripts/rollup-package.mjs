// Shared rollup configuration: every package's rollup.config.mjs is one call to this.
// Output: dist/index.js (ESM), dist/index.cjs (CJS), dist/index.d.ts and dist/index.d.cts
// (types for each, so `@arethetypeswrong/cli` sees no format masquerading).
import { isAbsolute } from 'node:path'
import esbuild from 'rollup-plugin-esbuild'
import { dts } from 'rollup-plugin-dts'

/** Bare imports (other packages) stay imports; only the package's own files are bundled. */
const external = (id) => !id.startsWith('.') && !isAbsolute(id) && !id.startsWith('\0')

/**
 * @param {{ input?: string }} [options]
 * @returns {import('rollup').RollupOptions[]}
 */
export function packageConfig({ input = 'src/index.ts' } = {}) {
  return [
    {
      input,
      external,
      plugins: [esbuild({ target: 'es2022', tsconfig: '../../tsconfig.base.json' })],
      output: [
        { file: 'dist/index.js', format: 'es', sourcemap: true },
        { file: 'dist/index.cjs', format: 'cjs', sourcemap: true, exports: 'named' },
      ],
    },
    {
      input,
      external,
      plugins: [dts({ tsconfig: '../../tsconfig.base.json' })],
      output: [
        { file: 'dist/index.d.ts', format: 'es' },
        { file: 'dist/index.d.cts', format: 'es' },
      ],
    },
  ]
}
