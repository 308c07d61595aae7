export { mockChatResponse } from './mock-chat-response.ts'
export { mockChatStream } from './mock-chat-stream.ts'
export { mockChatBody, mockChatChunks, mockChatEvents } from './mock-chat-events.ts'
export { mockChatCompletion } from './mock-chat-completion.ts'
export { mockErrorBody, mockErrorResponse } from './mock-error-response.ts'
export type { MockErrorFields, OpenAIErrorBody } from './mock-error-response.ts'
export { MockOptionsError, RecordingFormatError, TestingError } from './errors.ts'
export type { TestingErrorCode } from './errors.ts'
export { SluiceError } from '@sluice/compose'
export type {
  CutFault,
  DripFault,
  Fault,
  GarbageFault,
  KeepAliveFault,
  MissingSeparatorsFault,
  MockChatEvent,
  MockChatEventKind,
  MockChatOptions,
  MockToolCall,
  NoDoneFault,
  ProviderErrorFault,
} from './types.ts'
// `mockChatCompletion` gives what the accumulator assembles from the same stream: its types.
export type { ChatCompletion, ChatCompletionChoice, ChatCompletionMessage } from '@sluice/accumulator'
