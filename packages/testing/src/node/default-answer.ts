import type { MockChatOptions } from '@sluice/testing'
import { type ChatCompletionRequest, contentText, requestMessages } from './chat-completion-request.ts'

/** How much of the last user message the default answer quotes. */
const ECHO_LENGTH = 200

/**
 * The mock server's default reply: it quotes the last user message, so a test can tell
 * requests apart. Lay your own options over it to keep that.
 *
 * @example Every answer ends with a provider error
 * ```ts
 * import { defaultAnswer, startMockServer } from '@sluice/testing/server'
 *
 * const server = await startMockServer({
 *   answer: (request) => ({ ...defaultAnswer(request), faults: [{ kind: 'provider-error', afterChunks: 4 }] }),
 * })
 * ```
 */
export function defaultAnswer(request: ChatCompletionRequest): MockChatOptions {
  const last = requestMessages(request)
    .filter((message) => message?.role === 'user')
    .at(-1)
  const said = last ? contentText(last.content).trim() : ''
  if (said === '') return { text: 'Hello! How can I help you today?' }
  const quote = said.length > ECHO_LENGTH ? `${said.slice(0, ECHO_LENGTH)}…` : said
  return { text: `You said: "${quote}". This is a mock answer from @sluice/testing.` }
}
