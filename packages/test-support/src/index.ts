// The helpers for tests in every runtime. Separate entries, so that a test bundles them only
// when it uses them: `@sluice/test-support/node` (Node only), `…/ponyfill-streams`
// (web-streams-polyfill), `…/captured-streams` (.sse files, through esbuild's text loader)
// and `…/partial-values` (@sluice/json, for the tests of the accumulators' parse options).
export {
  bytes,
  collect,
  concat,
  everySplit,
  fromChunks,
  nativeStreams,
  oneByteChunks,
  readToEnd,
  rejection,
  runTransformer,
  settledSoon,
  settlesWithin,
  splitAt,
  splitText,
  stateAfterEach,
  type StreamsImplementation,
} from './stream-helpers.ts'
export { chunk, MODEL, sse, textChunks, toolCallChunks, usageChunk } from './chat-completion-chunks.ts'
export { mulberry32 } from './mulberry32.ts'
export { currentEngine, ENGINES, FEATURES, supportTable, type Engine, type FeatureId } from './engines.ts'
