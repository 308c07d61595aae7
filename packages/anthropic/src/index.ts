export { accumulateMessage, MessageAccumulator, MessageAccumulatorStream } from './message-accumulator.ts'
export type { Message, MessageAccumulatorOptions } from './message-accumulator.ts'
export { MessageEventDecoder, MessageEventDecoderStream } from './message-event-decoder.ts'
export type { MessageEventDecoderOptions } from './message-event-decoder.ts'
export { MessageEventParser, MessageEventStream } from './message-event-stream.ts'
export type { MessageEventStreamOptions } from './message-event-stream.ts'
export { messageMissingParts, messageOutcomeOf, messageOutcomeOfEnd } from './outcome.ts'
export type { MessageOutcome, MessageProgress, MessageStatus, OpenBlock } from './outcome.ts'
export { MessageEventParseError, MessageStreamError, TruncatedMessageError, UnexpectedEventError } from './errors.ts'
export type {
  BlockDelta,
  ContentBlock,
  MessageEvent,
  MessageQuirk,
  MessageQuirkCode,
  MessageStartMessage,
  MessageUsage,
  StopReason,
  UnknownMessageEvent,
} from './types.ts'
export { ProviderError } from '@sluice/openai'
export {
  chatUsageOf,
  finishReasonOf,
  MessagesToChatChunks,
  MessagesToChatChunksStream,
} from './messages-to-chat-chunks.ts'
export {
  ChatChunksToMessages,
  ChatChunksToMessagesStream,
  MessageEventEncoderStream,
  messageUsageOf,
  sseMessageOf,
  stopReasonOf,
} from './chat-chunks-to-messages.ts'
