export { SSEDecoder, SSEDecoderStream } from './sse-decoder.ts'
export type { SSEDecoderOptions } from './sse-decoder.ts'
export { SSEParser, SSEStream } from './sse-stream.ts'
export type { SSEStreamOptions } from './sse-stream.ts'
export { SSEEncoder, SSEEncoderStream } from './sse-encoder.ts'
export type { SSEEncoderOptions } from './sse-encoder.ts'
export { EventTooLargeError, InvalidLineError, InvalidMessageError, NotEventStreamError, SSEError } from './errors.ts'
export type { NotEventStreamCause } from './errors.ts'
export type {
  ByteCounter,
  DiscardedEvent,
  EventInfo,
  ServerSentEvent,
  SSEMessage,
  SSEProgress,
  SSEQuirk,
  SSEStage,
  UnfinishedEvent,
} from './types.ts'
