export { chatStream, ChatReader } from './chat-reader.ts'
export type { ChatReaderOptions, TextStreamOptions } from './chat-reader.ts'
export type { ChatSource } from './byte-source.ts'
export type { IterableReadableStream } from './iterable-stream.ts'
export { createChatCompletionStream } from './create-chat-completion-stream.ts'
export type { CreateChatCompletionStreamOptions, FetchFunction } from './create-chat-completion-stream.ts'
export {
  ChatError,
  ChunkSerializationError,
  HTTPError,
  StreamCancelledError,
  StreamConsumedError,
  StreamIdleError,
  UnexpectedContentTypeError,
} from './errors.ts'
export type { ChatErrorCode } from './errors.ts'
export type { QuirkCode, SluiceErrorCode } from './codes.ts'
export { SluiceError } from '@sluice/compose'
export type { APIErrorObject } from '@sluice/openai'
export type { APIErrorBody } from './sse-frames.ts'
export type {
  ChatCompletionAssistantMessageParam,
  ChatCompletionContentPart,
  ChatCompletionContentPartFile,
  ChatCompletionContentPartImage,
  ChatCompletionContentPartInputAudio,
  ChatCompletionContentPartRefusal,
  ChatCompletionContentPartText,
  ChatCompletionCustomTool,
  ChatCompletionFunctionMessageParam,
  ChatCompletionFunctionTool,
  ChatCompletionMessageCustomToolCallParam,
  ChatCompletionMessageParam,
  ChatCompletionMessageToolCallParam,
  ChatCompletionRequest,
  ChatCompletionResponseFormat,
  ChatCompletionStreamOptions,
  ChatCompletionSystemMessageParam,
  ChatCompletionTool,
  ChatCompletionToolChoice,
  ChatCompletionToolMessageParam,
  ChatCompletionUserMessageParam,
  Extras,
} from './types.ts'
// What a ChatReader gives and raises, from the packages it is built on: import them from here.
export {
  AccumulationError,
  EmptyStreamError,
  parseToolArguments,
  ToolArgumentsError,
  ToolArgumentsValidationError,
} from '@sluice/accumulator'
export type {
  ChatCompletion,
  ChatCompletionChoice,
  ChatCompletionMessage,
  ChatCompletionToolCall,
  StandardSchemaV1,
} from '@sluice/accumulator'
export type { PartialValueParser, PartialValueParserFactory } from '@sluice/compose'
export { ChunkStreamError, ProviderError, TruncatedStreamError } from '@sluice/openai'
export type { ChatCompletionChunk, ChatProgress, Quirk, StreamOutcome, StreamStatus } from '@sluice/openai'
export type { ServerSentEvent } from '@sluice/sse'
export { FormatSwitch, formatParser, sniffFormat } from './format-parser.ts'
export type { FormatParser, WireFormat } from './format-parser.ts'
