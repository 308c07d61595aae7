import type { ChatCompletion } from '@sluice/accumulator'
import { type APIErrorObject, parseAPIError } from '@sluice/openai'
import { SluiceError } from '@sluice/compose'

/** Quotes the start of a text for an error message. */
const quote = (text: string, length = 200) => JSON.stringify(text.length > length ? `${text.slice(0, length)}…` : text)

/**
 * Reason phrases of the statuses chat APIs answer with. HTTP/2 and HTTP/3 responses carry
 * no reason phrase (`statusText` is `''`), so messages take it from here.
 */
const REASON_PHRASES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  402: 'Payment Required',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  408: 'Request Timeout',
  409: 'Conflict',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  501: 'Not Implemented',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
}

/**
 * Base class of every error `@sluice/chat` raises. Branch on the subclass with
 * `instanceof`, or on the stable `code` string. The stream's own errors (a provider error
 * mid-stream, a cut-off stream, …) are those of `@sluice/openai` and the stages before it.
 *
 * @example Branch on the kind of failure
 * ```ts
 * import { chatStream, ChatError } from '@sluice/chat'
 *
 * try {
 *   await chatStream(response).completion()
 * } catch (error) {
 *   if (error instanceof ChatError) console.error(error.code, error.message)
 * }
 * ```
 */
export abstract class ChatError extends SluiceError {}

/**
 * Thrown for a response whose status is not 2xx. The body is read (up to 64 KiB) and kept;
 * an OpenAI-style error in it is parsed into {@link HTTPError.apiError} and its message
 * goes into this one's:
 * `HTTP 429 Too Many Requests from https://api.openai.com/v1/chat/completions: Rate limit reached for gpt-4o (type requests, code rate_limit_exceeded)`.
 *
 * @example Retry what can be retried, up to three times
 * ```ts
 * import { createChatCompletionStream, HTTPError } from '@sluice/chat'
 *
 * for (let attempt = 1; ; attempt++) {
 *   try {
 *     const stream = await createChatCompletionStream({ model: 'gpt-4o-mini', messages }, { baseURL, apiKey })
 *     for await (const chunk of stream) render(chunk)
 *     break
 *   } catch (error) {
 *     if (!(error instanceof HTTPError) || !error.retryable || attempt === 3) throw error
 *     const seconds = Number(error.headers.get('retry-after')) || 2 ** attempt
 *     await new Promise((resolve) => setTimeout(resolve, seconds * 1000))
 *   }
 * }
 * ```
 */
export class HTTPError extends ChatError {
  readonly code = 'SLUICE_HTTP_ERROR'
  readonly status: number
  /** The response's reason phrase, as received (`''` over HTTP/2). */
  readonly statusText: string
  /** The URL of the request (`''` when unknown: a `Response` built in memory). */
  readonly url: string
  readonly headers: Headers
  /** The response body as text (its first 64 KiB). */
  readonly body: string
  /** The provider's error, parsed from the body when it holds one. */
  readonly apiError: APIErrorObject | undefined
  /** Whether retrying the same request may succeed: 408, 409, 429 and 5xx, as the official SDKs retry. */
  readonly retryable: boolean

  constructor(response: { status: number; statusText: string; headers: Headers }, url: string, body: string) {
    const { status, statusText } = response
    const apiError = parseAPIError(body)
    const phrase = statusText || REASON_PHRASES[status] || ''
    const details =
      apiError &&
      [apiError.type && `type ${apiError.type}`, apiError.code !== undefined && `code ${apiError.code}`]
        .filter(Boolean)
        .join(', ')
    const what = apiError
      ? `${apiError.message}${details ? ` (${details})` : ''}`
      : body.trim() === ''
        ? 'empty body'
        : `body ${quote(body)}`
    super(`HTTP ${status}${phrase ? ` ${phrase}` : ''}${url ? ` from ${url}` : ''}: ${what}`)
    this.name = 'HTTPError'
    this.status = status
    this.statusText = statusText
    this.url = url
    this.headers = response.headers
    this.body = body
    this.apiError = apiError
    this.retryable = status === 408 || status === 409 || status === 429 || status >= 500
  }
}

/**
 * Thrown for a 2xx response whose `content-type` is not `text/event-stream` (parameters
 * and case aside): a JSON answer to a request without `stream: true`, a proxy's HTML page,
 * a JSON error with status 200. The start of the body is kept. Pass `allowAnyContentType`
 * to read such a body as an event stream anyway.
 *
 * @example Say what came back
 * ```ts
 * import { chatStream, UnexpectedContentTypeError } from '@sluice/chat'
 *
 * const stream = chatStream(response)
 * stream.completion().catch((error) => {
 *   if (error instanceof UnexpectedContentTypeError) console.error(error.contentType, error.bodyStart)
 * })
 * ```
 */
export class UnexpectedContentTypeError extends ChatError {
  readonly code = 'SLUICE_UNEXPECTED_CONTENT_TYPE'
  /** The `content-type` header, or `null` when there was none. */
  readonly contentType: string | null
  readonly status: number
  /** The URL of the request (`''` when unknown). */
  readonly url: string
  /** The first characters of the body (up to 1 KiB of it). */
  readonly bodyStart: string

  constructor(contentType: string | null, status: number, url: string, bodyStart: string) {
    const got = contentType === null ? 'no content-type' : `content-type ${contentType}`
    // A chat.completion object: the request went out without stream: true.
    const hint = /"object"\s*:\s*"chat\.completion"/.test(bodyStart)
      ? ' (a whole chat.completion: was the request sent with stream: true?)'
      : ''
    const body = bodyStart.trim() === '' ? 'an empty body' : `a body that starts ${quote(bodyStart, 120)}`
    super(
      `expected content-type text/event-stream${url ? ` from ${url}` : ''}, got ${got} (status ${status}) with ${body}${hint}; pass allowAnyContentType: true to read it as an event stream anyway`,
    )
    this.name = 'UnexpectedContentTypeError'
    this.contentType = contentType
    this.status = status
    this.url = url
    this.bodyStart = bodyStart
  }
}

/**
 * Thrown when no bytes arrived for `idleTimeoutMs` while the stream waited for them (a
 * keep-alive comment is bytes, so it counts), or, with `createChatCompletionStream`, when
 * the response headers took longer than that. The same limit holds while the body of a
 * response is read to report it (a non-2xx error body, or one of an unexpected content
 * type): {@link StreamIdleError.status} then gives its status. The upstream is cancelled
 * (the request aborted, the connection closed). Retrying may succeed.
 *
 * @example Give up on a silent provider
 * ```ts
 * import { chatStream, StreamIdleError } from '@sluice/chat'
 *
 * const stream = chatStream(response, { idleTimeoutMs: 30_000 })
 * stream.completion().catch((error) => {
 *   if (error instanceof StreamIdleError) console.warn(`silent for ${error.idleTimeoutMs} ms`)
 * })
 * ```
 */
export class StreamIdleError extends ChatError {
  readonly code = 'SLUICE_STREAM_IDLE'
  readonly retryable = true
  /** The `idleTimeoutMs` in force. */
  readonly idleTimeoutMs: number
  /** What was awaited: the response (its headers), or bytes of its body. */
  readonly waitingFor: 'response' | 'body'
  /** Milliseconds since the last bytes arrived, or `undefined` when none had. */
  readonly sinceLastByteMs: number | undefined
  /** Bytes received before the stream went silent. */
  readonly bytesRead: number
  /**
   * The status of the response whose body went silent while it was read to report it (an
   * HTTP error, an unexpected content type); `undefined` when the silence was in the stream
   * or before the headers.
   */
  readonly status: number | undefined

  constructor(
    idleTimeoutMs: number,
    waitingFor: 'response' | 'body',
    sinceLastByteMs: number | undefined,
    bytesRead: number,
    status?: number,
  ) {
    const last =
      waitingFor === 'response'
        ? 'no response headers'
        : sinceLastByteMs === undefined
          ? 'no byte of the body had arrived yet'
          : `the last of ${bytesRead} bytes arrived ${sinceLastByteMs} ms ago`
    const during = status === undefined ? '' : ` while the body of the HTTP ${status} response was read to report it`
    const keepAlive = status === undefined ? '; no keep-alive comment either' : ''
    super(
      `the stream was idle longer than idleTimeoutMs (${idleTimeoutMs} ms)${during}: ${last}${keepAlive}. The upstream was cancelled`,
    )
    this.name = 'StreamIdleError'
    this.idleTimeoutMs = idleTimeoutMs
    this.waitingFor = waitingFor
    this.sinceLastByteMs = sinceLastByteMs
    this.bytesRead = bytesRead
    this.status = status
  }
}

/**
 * Thrown when a second way of reading starts on a `ChatReader`: it reads its source once.
 * Read it one way (`for await`, `textStream()`, `events()`, `snapshots()` or
 * `toSSEResponse()`) and await `completion()` or `outcome` beside it; to feed two
 * consumers, `tee()` the `ReadableStream` one of them returns.
 *
 * @example One reading, the completion beside it
 * ```ts
 * import { chatStream } from '@sluice/chat'
 *
 * const stream = chatStream(response)
 * const completion = stream.completion()
 * for await (const text of stream.textStream()) render(text)
 * console.log((await completion).usage)
 * ```
 */
export class StreamConsumedError extends ChatError {
  readonly code = 'SLUICE_STREAM_CONSUMED'
  /** The reading that started first, e.g. `'textStream()'`. */
  readonly firstReader: string
  /** The reading that was refused. */
  readonly secondReader: string

  constructor(firstReader: string, secondReader: string) {
    const why =
      firstReader === 'completion()'
        ? 'completion() started reading it itself, since no other reading had started in the task it was called in (start reading in the same task, or call completion() after)'
        : 'a ChatReader reads its source once'
    super(
      `${secondReader} cannot read this ChatReader: ${firstReader} is already reading it, and ${why}. Read it one way (for await, textStream(), events(), snapshots() or toSSEResponse()) and await completion() or outcome beside it`,
    )
    this.name = 'StreamConsumedError'
    this.firstReader = firstReader
    this.secondReader = secondReader
  }
}

/**
 * What `completion()` rejects with when the stream was cancelled without an error as the
 * reason: `cancel()`, a `break` out of the loop, a cancelled `ReadableStream`, an abort
 * whose reason is not an object. The last snapshot is kept in `partial`.
 *
 * @example Keep what arrived before the reader left
 * ```ts
 * import { chatStream, StreamCancelledError } from '@sluice/chat'
 *
 * const stream = chatStream(response)
 * stream.completion().catch((error) => {
 *   if (error instanceof StreamCancelledError) render(error.partial)
 * })
 * document.querySelector('#stop')!.addEventListener('click', () => stream.cancel())
 * ```
 */
export class StreamCancelledError extends ChatError {
  readonly code = 'SLUICE_STREAM_CANCELLED'
  /** The cancel reason (`undefined` for `cancel()` without one and for `break`). */
  readonly reason: unknown
  /** The last snapshot before the cancellation, or `null` when no chunk had arrived. */
  readonly partial: ChatCompletion | null

  constructor(reason: unknown, partial: ChatCompletion | null) {
    super(
      `the stream was cancelled before it ended${reason === undefined ? '' : ` (reason: ${String(reason)})`}, after ${partial ? 'some chunks' : 'no chunk'}: there is no whole completion`,
      reason === undefined ? undefined : { cause: reason },
    )
    this.name = 'StreamCancelledError'
    this.reason = reason
    this.partial = partial
  }
}

/**
 * What `toSSEResponse()` ends its frames with, as the code of the `event: error` it sends,
 * when a chunk cannot be written as JSON: nested deeper than the engine's `JSON.stringify`
 * goes before its stack overflows (about 4,000 levels in Node 20, 40,000 in Bun), or, for
 * a chunk built in code, holding what JSON cannot (a cycle, a `BigInt`). That chunk is not
 * sent; the engine's error is the `cause`.
 *
 * @example A client of the proxy sees why its stream stopped
 * ```ts
 * import type { APIErrorBody } from '@sluice/chat'
 * import { SSEStream } from '@sluice/sse'
 *
 * const proxied = await fetch('/api/chat', { method: 'POST', body: JSON.stringify({ messages }) })
 * for await (const event of proxied.body!.pipeThrough(new SSEStream())) {
 *   if (event.type !== 'error') continue
 *   const { error }: APIErrorBody = JSON.parse(event.data)
 *   if (error.code === 'SLUICE_CHUNK_SERIALIZATION') console.error(error.message) // chunk 3 cannot be sent as JSON: …
 * }
 * ```
 */
export class ChunkSerializationError extends ChatError {
  readonly code = 'SLUICE_CHUNK_SERIALIZATION'
  /** 0-based index of the chunk among the chunks re-framed. */
  readonly chunkIndex: number

  constructor(chunkIndex: number, options: { cause: unknown }) {
    const { cause } = options
    // V8 and JavaScriptCore overflow with a RangeError, SpiderMonkey with an InternalError.
    const tooDeep = cause instanceof RangeError || (cause as Error | null)?.name === 'InternalError'
    const why = tooDeep ? 'it is nested too deeply for JSON.stringify' : 'JSON.stringify failed on it'
    super(
      `chunk ${chunkIndex} cannot be sent as JSON: ${why} (${String(cause)}). It was not sent, and the stream ends here`,
      options,
    )
    this.name = 'ChunkSerializationError'
    this.chunkIndex = chunkIndex
  }
}

/**
 * The codes of `@sluice/chat`'s errors (each a `SluiceError`).
 *
 * @example
 * ```ts
 * import { StreamIdleError, type ChatErrorCode } from '@sluice/chat'
 *
 * const code: ChatErrorCode = 'SLUICE_STREAM_IDLE'
 * console.log(code, StreamIdleError.name)
 * ```
 */
export type ChatErrorCode =
  | HTTPError['code']
  | UnexpectedContentTypeError['code']
  | StreamIdleError['code']
  | StreamConsumedError['code']
  | StreamCancelledError['code']
  | ChunkSerializationError['code']
