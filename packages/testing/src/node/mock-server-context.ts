import type { Fault, MockChatOptions } from '@sluice/testing'
import type { ChatCompletionRequest } from './chat-completion-request.ts'
import { defaultAnswer } from './default-answer.ts'
import { DEFAULT_MODEL, type MockServerOptions } from './mock-server-options.ts'
import { readRecording, type Recording } from './recording.ts'

/** What the request handler of a running mock server works with: its options resolved, and its bookkeeping. */
export interface MockServerContext {
  model: string
  answer: (request: ChatCompletionRequest) => MockChatOptions | Promise<MockChatOptions>
  faults: Fault[]
  speed: number
  /** The `replay` file, read once at start. */
  recording: Recording | undefined
  log: ((line: string) => void) | undefined
  /** The bodies received, in order: `MockServer.requests`. */
  requests: ChatCompletionRequest[]
  /** One per streaming response: aborted when the client leaves or the server closes. */
  active: Set<AbortController>
}

/** The context of a server with checked `options`: the defaults filled in, the `replay` file read. */
export async function createMockServerContext(options: MockServerOptions): Promise<MockServerContext> {
  const { model = DEFAULT_MODEL, answer = defaultAnswer, faults = [] } = options
  return {
    model,
    answer,
    faults,
    speed: options.speed ?? 1,
    recording: options.replay === undefined ? undefined : await readRecording(options.replay),
    log: logger(options.log),
    requests: [],
    active: new Set(),
  }
}

/** Where the request lines go: `true` is stderr, with a prefix that says who is talking. */
function logger(log: MockServerOptions['log']): ((line: string) => void) | undefined {
  return log === true ? (line: string) => console.error(`sluice mock server: ${line}`) : log || undefined
}
