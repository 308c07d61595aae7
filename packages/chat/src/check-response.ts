import { HTTPError, UnexpectedContentTypeError } from './errors.ts'

/** How much of an error body {@link HTTPError} keeps: error bodies are small; a server that streams one forever is cut here. */
const MAX_ERROR_BODY_BYTES = 64 * 1024
/** How much of an unexpected body {@link UnexpectedContentTypeError} keeps: enough to tell JSON, HTML and an error apart. */
const MAX_BODY_START_BYTES = 1024

/** Options of {@link checkResponse}. */
export interface CheckResponseOptions {
  /** The request URL, for messages; the response's `url` when not given. */
  url?: string | undefined
  /**
   * Accept any `content-type` on a 2xx response.
   * @default false
   */
  allowAnyContentType?: boolean | undefined
}

/** The parts of a `Response` that are read: a `Response` from any fetch implementation has them. */
export type ResponseLike = Pick<Response, 'status' | 'statusText' | 'headers' | 'url' | 'body' | 'bodyUsed'>

/**
 * Whether `value` looks like a `Response` (checked by shape: responses from another realm or
 * fetch implementation are not `instanceof` the global `Response`).
 */
export function isResponse(value: unknown): value is ResponseLike {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Response).status === 'number' &&
    typeof (value as Response).headers?.get === 'function' &&
    'body' in value
  )
}

/**
 * Whether a `content-type` is `text/event-stream`: "the essence" of the MIME type (type and
 * subtype, without parameters), compared ASCII case-insensitively.
 *
 * @see https://mimesniff.spec.whatwg.org/#mime-type-essence
 */
export function isEventStream(contentType: string | null): boolean {
  if (contentType === null) return false
  const semicolon = contentType.indexOf(';')
  const essence = (semicolon === -1 ? contentType : contentType.slice(0, semicolon)).trim().toLowerCase()
  return essence === 'text/event-stream'
}

/**
 * Resolves when `response` can be read as an event stream: a 2xx status and a
 * `text/event-stream` content type (unless `allowAnyContentType`). Rejects with
 * {@link HTTPError} (the error body read and parsed) or {@link UnexpectedContentTypeError}
 * (the start of the body kept, the rest cancelled). The body of a valid response is not
 * touched: `await checkResponse(response, { url })` before handing a response to another
 * reader.
 */
export async function checkResponse(response: ResponseLike, options: CheckResponseOptions = {}): Promise<void> {
  const url = options.url ?? response.url ?? ''
  if (response.status < 200 || response.status > 299) {
    throw new HTTPError(response, url, await readStart(response, MAX_ERROR_BODY_BYTES))
  }
  if (options.allowAnyContentType) return
  const contentType = response.headers.get('content-type')
  if (!isEventStream(contentType)) {
    throw new UnexpectedContentTypeError(contentType, response.status, url, await readStart(response, MAX_BODY_START_BYTES))
  }
}

/**
 * The first `maxBytes` of the body as text (malformed UTF-8 as U+FFFD); the rest is
 * cancelled. A body that fails while being read gives what arrived before.
 */
async function readStart(response: ResponseLike, maxBytes: number): Promise<string> {
  if (response.body === null || response.bodyUsed) return ''
  const reader = response.body.getReader()
  const decoder = new TextDecoder()
  let text = ''
  let bytes = 0
  try {
    while (bytes < maxBytes) {
      const { done, value } = await reader.read()
      if (done) return text + decoder.decode()
      const part = value.byteLength > maxBytes - bytes ? value.subarray(0, maxBytes - bytes) : value
      bytes += part.byteLength
      text += decoder.decode(part, { stream: true })
    }
    await reader.cancel().catch(() => {})
    return text + decoder.decode()
  } catch {
    return text + decoder.decode()
  } finally {
    reader.releaseLock()
  }
}
