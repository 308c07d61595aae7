/**
 * A message of a chat completion request, as sent (only what the mock reads is typed).
 *
 * @example
 * ```ts
 * import type { ChatRequestMessage } from '@sluice/testing/server'
 *
 * const message: ChatRequestMessage = { role: 'user', content: [{ type: 'text', text: 'Hi' }] }
 * ```
 */
export interface ChatRequestMessage {
  role?: string
  content?: string | { type?: string; text?: string }[] | null
  [field: string]: unknown
}

/**
 * The JSON body of a `POST /chat/completions` request, as the mock server received it
 * (only what it reads is typed; every other field is kept).
 *
 * @example Check what the app sent
 * ```ts
 * import * as assert from 'uvu/assert'
 * import { startMockServer, type ChatCompletionRequest } from '@sluice/testing/server'
 *
 * declare const myApp: { ask(question: string, baseURL: string): Promise<string> } // the app under test
 *
 * const server = await startMockServer({ speed: Infinity })
 * try {
 *   await myApp.ask('Capital of France?', server.url)
 *   const sent: ChatCompletionRequest | undefined = server.requests[0]
 *   assert.is(sent?.stream, true)
 * } finally {
 *   await server.close()
 * }
 * ```
 */
export interface ChatCompletionRequest {
  model?: string
  messages?: ChatRequestMessage[]
  stream?: boolean | null
  stream_options?: { include_usage?: boolean } | null
  [field: string]: unknown
}

/**
 * The messages of a request; those of a Responses request's `input` (a string is one user
 * message, an array its items) or of a Gemini request's `contents` (each with its `parts`);
 * none when neither is there (the body is as sent).
 */
export function requestMessages(request: ChatCompletionRequest): ChatRequestMessage[] {
  if (Array.isArray(request.messages)) return request.messages
  const { input, contents } = request
  if (Array.isArray(contents))
    return contents.map((content: { role?: string; parts?: unknown }) => ({
      role: content?.role ?? 'user',
      content: Array.isArray(content?.parts) ? (content.parts as { text?: string }[]) : [],
    }))
  if (typeof input === 'string') return [{ role: 'user', content: input }]
  return Array.isArray(input) ? (input as ChatRequestMessage[]) : []
}

/** The text of a message's content: a string, or the text parts of an array. */
export function contentText(content: ChatRequestMessage['content']): string {
  if (typeof content === 'string') return content
  if (!Array.isArray(content)) return ''
  return content.map((part) => (typeof part?.text === 'string' ? part.text : '')).join('')
}
