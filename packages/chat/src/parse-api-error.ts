/**
 * The `error` object of an OpenAI-style error body, `{ "error": { "message", "type",
 * "code", "param" } }`, as far as the provider sent it. Other shapes compatible servers
 * use are read into it too: `{ "error": "…" }` (Ollama), `{ "object": "error", "message":
 * "…" }` (vLLM), `{ "detail": "…" }` (FastAPI servers).
 *
 * @example Tell a conversation that is too long from other HTTP errors
 * ```ts
 * import { createChatCompletionStream, HTTPError, type APIErrorObject } from '@sluice/chat'
 *
 * try {
 *   const stream = await createChatCompletionStream({ model: 'gpt-4o-mini', messages }, { baseURL, apiKey })
 *   for await (const text of stream.textStream()) render(text)
 * } catch (error) {
 *   const apiError: APIErrorObject | undefined = error instanceof HTTPError ? error.apiError : undefined
 *   if (apiError?.code === 'context_length_exceeded') console.error('The conversation is too long:', apiError.message)
 *   else throw error
 * }
 * ```
 */
export interface APIErrorObject {
  message: string
  type?: string | undefined
  code?: string | number | undefined
  param?: string | undefined
}

/**
 * The provider's error in an error body: OpenAI-style, or in the shapes other compatible
 * servers use (see {@link APIErrorObject}); `undefined` when the body holds none. The body
 * `{"error":{"message":"Rate limit reached","type":"requests","code":"rate_limit_exceeded"}}`
 * gives `{ message: 'Rate limit reached', type: 'requests', code: 'rate_limit_exceeded' }`.
 */
export function parseAPIError(body: string): APIErrorObject | undefined {
  let value: unknown
  try {
    value = JSON.parse(body)
  } catch {
    return undefined
  }
  if (typeof value !== 'object' || value === null) return undefined
  const { error, message, detail } = value as Record<string, unknown>
  if (typeof error === 'string') return { message: error }
  if (typeof error === 'object' && error !== null) return fields(error as Record<string, unknown>)
  if (typeof message === 'string') return fields(value as Record<string, unknown>)
  if (typeof detail === 'string') return { message: detail }
  return undefined
}

function fields(error: Record<string, unknown>): APIErrorObject | undefined {
  const { message, type, code, param } = error
  if (typeof message !== 'string') return undefined
  const parsed: APIErrorObject = { message }
  if (typeof type === 'string') parsed.type = type
  if (typeof code === 'string' || typeof code === 'number') parsed.code = code
  if (typeof param === 'string') parsed.param = param
  return parsed
}
