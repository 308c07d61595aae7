/**
 * The error object OpenAI-compatible servers send, in an error body
 * (`{ "error": { "message", "type", "code", "param" } }`) or in an `event: error`.
 *
 * @example Read the provider's error of a failed request
 * ```ts
 * import { createChatCompletionStream, HTTPError, type APIErrorObject } from '@sluice/chat'
 *
 * try {
 *   await createChatCompletionStream({ model: 'openai/gpt-4o', messages: [] }, { baseURL: 'https://api.edenai.run/v3', apiKey: 'key' })
 * } catch (error) {
 *   const apiError: APIErrorObject | undefined = error instanceof HTTPError ? error.apiError : undefined
 *   if (apiError?.code === 'context_length_exceeded') console.error('The conversation is too long:', apiError.message)
 * }
 * ```
 */
export interface APIErrorObject {
  /** What went wrong, in the provider's words. */
  message: string
  /** The provider's error type, e.g. `invalid_request_error`. */
  type?: string | undefined
  /** The provider's error code: a string, or a number such as `429`. */
  code?: string | number | undefined
  /** The request parameter the error is about. */
  param?: string | undefined
}

/**
 * The error object in an error body, in the shapes OpenAI-compatible servers use
 * (`{ error: { message, … } }`, `{ error: 'text' }`, `{ message, type, code }`,
 * `{ detail: 'text' }`); `undefined` when the body holds none or is not JSON.
 *
 * @example
 * ```ts
 * import { parseAPIError } from '@sluice/openai'
 *
 * parseAPIError('{"error":{"message":"Rate limit reached","code":429}}') // { message: 'Rate limit reached', code: 429 }
 * ```
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
  if (typeof error === 'object' && error !== null) return errorFields(error)
  if (typeof message === 'string') return errorFields(value)
  if (typeof detail === 'string') return { message: detail }
  return undefined
}

/**
 * The error a stream sent in an event (`event: error` data, or a chunk with a top-level
 * `error`): its fields, with the raw `data` as the message when it names none.
 */
export function streamErrorFields(data: string, parsed?: unknown): APIErrorObject {
  let value = parsed
  if (value === undefined) {
    try {
      value = JSON.parse(data)
    } catch {
      return { message: data || '(no message)' }
    }
  }
  const body = value as { error?: unknown } | null
  const error = typeof body === 'object' && body !== null && body.error !== undefined ? body.error : value
  if (typeof error === 'string') return { message: error }
  if (typeof error !== 'object' || error === null) return { message: data }
  return errorFields(error, data)!
}

/** The fields of an error object; `undefined` when it has no string message and no `fallback` is given. */
function errorFields(error: object, fallback?: string): APIErrorObject | undefined {
  const { message, type, code, param } = error as Record<string, unknown>
  if (typeof message !== 'string' && fallback === undefined) return undefined
  const fields: APIErrorObject = { message: typeof message === 'string' ? message : fallback! }
  if (typeof type === 'string') fields.type = type
  if (typeof code === 'string' || typeof code === 'number') fields.code = code
  if (typeof param === 'string') fields.param = param
  return fields
}
