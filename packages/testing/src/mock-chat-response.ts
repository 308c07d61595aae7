import { mockChatStream } from './mock-chat-stream.ts'
import type { MockChatOptions } from './types.ts'

/**
 * A mock `fetch` response from an OpenAI-compatible `POST /chat/completions` with
 * `stream: true`: status 200, `content-type: text/event-stream; charset=utf-8`, and the
 * body of {@link mockChatStream} — realistic chunks, then the usage chunk, then
 * `data: [DONE]`, or the `faults` asked for. Runs in every runtime; nothing touches the
 * network.
 *
 * @throws {MockOptionsError} when an option is invalid
 * @example Stub fetch in a test
 * ```ts
 * import * as assert from 'uvu/assert'
 * import { mockChatResponse } from '@sluice/testing'
 *
 * declare const myApp: { ask(question: string): Promise<string> } // the app under test
 *
 * globalThis.fetch = async () => mockChatResponse({ text: 'Paris is the capital of France.' })
 * const answer = await myApp.ask('What is the capital of France?')
 * assert.is(answer, 'Paris is the capital of France.')
 * ```
 * @example A provider that fails mid-answer
 * ```ts
 * import { mockChatResponse } from '@sluice/testing'
 *
 * const failing = mockChatResponse({ faults: [{ kind: 'provider-error', afterChunks: 3, code: 'overloaded' }] })
 * ```
 */
export function mockChatResponse(options: MockChatOptions = {}): Response {
  return new Response(mockChatStream(options), {
    status: 200,
    headers: { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' },
  })
}
