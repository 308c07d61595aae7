export { ChunkDecoder, ChunkDecoderStream } from './chunk-decoder.ts'
export type { AfterDone, ChunkDecoderOptions, ChunkInfo } from './chunk-decoder.ts'
export { ChatChunkParser, ChatChunkStream } from './chat-chunk-stream.ts'
export type { ChatChunkStreamOptions } from './chat-chunk-stream.ts'
export { chatProgress, chatRecordOf } from './chat-record.ts'
export type { ChatRecord } from './chat-record.ts'
export { outcomeOf, outcomeOfEnd } from './outcome.ts'
export type { ChatProgress, OpenToolCall, StreamOutcome, StreamStatus } from './outcome.ts'
export { parseAPIError } from './api-error.ts'
export type { APIErrorObject } from './api-error.ts'
export {
  ChunkParseError,
  ChunkStreamError,
  ProviderError,
  StrictModeError,
  TruncatedStreamError,
  UnexpectedChunkError,
  UnsupportedFormatError,
} from './errors.ts'
export type { ChunkErrorCode, EventPosition } from './errors.ts'
export type {
  ChatCompletionChoiceLogprobs,
  ChatCompletionChunk,
  ChatCompletionChunkChoice,
  ChatCompletionDelta,
  ChatCompletionTokenLogprob,
  ChatCompletionToolCallDelta,
  ChunkQuirk,
  ChunkQuirkCode,
  CompletionUsage,
  ContentPart,
  FinishReason,
  ForeignFormat,
} from './types.ts'
export { SluiceError, StreamRecord } from '@sluice/compose'
export type { Quirk, StreamCounts, StreamProgress } from '@sluice/compose'
