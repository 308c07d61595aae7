import { packageConfig } from '../../scripts/rollup-package.mjs'

// `@sluice/testing` works in every runtime; `@sluice/testing/server` is for Node.
export default packageConfig({ entries: { index: 'src/index.ts', server: 'src/node/index.ts' } })
