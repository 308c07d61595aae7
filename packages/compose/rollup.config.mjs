import { packageConfig } from '../../scripts/rollup-package.mjs'

// `@sluice/compose` works in every runtime; `@sluice/compose/node` holds what is for Node's `stream.pipeline`.
export default packageConfig({ entries: { index: 'src/index.ts', node: 'src/node.ts' } })
