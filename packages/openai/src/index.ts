export { ChunkDecoder, ChunkDecoderStream } from './chunk-decoder.ts'
export type { AfterDone, ChunkDecoderOptions, ChunkInfo } from './chunk-decoder.ts'
export { judge, judgeEnd } from './outcome.ts'
export type {
  OpenToolCall,
  ProgressSource,
  StreamCounts,
  StreamOutcome,
  StreamProgress,
  StreamStatus,
} from './outcome.ts'
export { ChatChunkParser, ChatChunkStream } from './chat-chunk-stream.ts'
export type { ChatChunkStreamOptions } from './chat-chunk-stream.ts'
export {
  ChunkParseError,
  ChunkStreamError,
  ProviderError,
  StrictModeError,
  TruncatedStreamError,
  UnexpectedChunkError,
  UnsupportedFormatError,
} from './errors.ts'
export type { EventPosition } from './errors.ts'
export type {
  ChatCompletionChoiceLogprobs,
  ChatCompletionChunk,
  ChatCompletionChunkChoice,
  ChatCompletionDelta,
  ChatCompletionTokenLogprob,
  ChatCompletionToolCallDelta,
  CompletionUsage,
  ContentPart,
  FinishReason,
  ForeignFormat,
  Quirk,
  QuirkCode,
} from './types.ts'
