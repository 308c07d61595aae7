export { startMockServer } from './mock-server.ts'
export type { MockServer } from './mock-server.ts'
export type { MockServerOptions } from './mock-server-options.ts'
export { defaultAnswer } from './default-answer.ts'
export type { ChatCompletionRequest, ChatRequestMessage } from './chat-completion-request.ts'
export {
  formatRecordingEntry,
  parseRecording,
  readRecording,
  RecordingEncoder,
  RecordingEncoderStream,
  writeRecording,
} from './recording.ts'
export type { Recording, RecordingEncoderOptions, RecordingEntry } from './recording.ts'
export { replayRecording } from './replay.ts'
export type { ReplayOptions } from './replay.ts'
// The errors, again: one import gives a test all it needs.
export { MockOptionsError, RecordingFormatError, TestingError } from '@sluice/testing'
