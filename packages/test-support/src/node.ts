// The entry for `*.node.test.ts` files (`@sluice/test-support/node`): Node's `node:stream`.
export { asPipelineStage, collectInto, fromWebObjectMode } from './node-stream-helpers.ts'
export { repositoryFile } from './repository-file.ts'
