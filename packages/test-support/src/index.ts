// The helpers for tests in every runtime. Separate entries, so that a test bundles them only
// when it uses them: `@sluice/test-support/node` (Node only), `…/ponyfill-streams`
// (web-streams-polyfill) and `…/captured-streams` (.sse files, through esbuild's text loader).
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
  type StreamsImplementation,
} from './stream-helpers.ts'
export { chunk, MODEL, sse, textChunks, toolCallChunks, usageChunk } from './chat-completion-chunks.ts'
export { mulberry32 } from './mulberry32.ts'
export { currentEngine, ENGINES, FEATURES, supportTable, type Engine, type FeatureId } from './engines.ts'
