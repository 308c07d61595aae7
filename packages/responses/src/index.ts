export { accumulateResponse, ResponseAccumulator, ResponseAccumulatorStream } from './response-accumulator.ts'
export type { ResponseAccumulatorOptions, ResponseSnapshot } from './response-accumulator.ts'
export { ResponseEventDecoder, ResponseEventDecoderStream } from './response-event-decoder.ts'
export type { ResponseEventDecoderOptions } from './response-event-decoder.ts'
export { ResponseEventParser, ResponseEventStream } from './response-event-stream.ts'
export type { ResponseEventStreamOptions } from './response-event-stream.ts'
export { responseMissingParts, responseOutcomeOf, responseOutcomeOfEnd } from './outcome.ts'
export type { OpenItem, ResponseOutcome, ResponseProgress, ResponseStreamStatus } from './outcome.ts'
export {
  ResponseEventParseError,
  ResponseStreamError,
  TruncatedResponseError,
  UnexpectedResponseEventError,
} from './errors.ts'
export type {
  ContentPart,
  ItemEventFields,
  ModelResponse,
  OutputItem,
  PartEventFields,
  ResponseEvent,
  ResponseQuirk,
  ResponseQuirkCode,
  ResponseStatus,
  ResponseUsage,
  TerminalEventType,
  UnknownResponseEvent,
} from './types.ts'
export { ProviderError } from '@sluice/openai'
export {
  chatUsageOfResponse,
  finishReasonOfResponse,
  ResponsesToChatChunks,
  ResponsesToChatChunksStream,
} from './responses-to-chat-chunks.ts'
export {
  ChatChunksToResponses,
  ChatChunksToResponsesStream,
  incompleteReasonOf,
  ResponseEventEncoderStream,
  responseUsageOf,
  sseResponseEventOf,
} from './chat-chunks-to-responses.ts'
