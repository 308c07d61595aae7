import { HTTPError, StreamIdleError, UnexpectedContentTypeError } from './errors.ts'

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
  /**
   * Bounds the reading of a body to report (an error body, an unexpected one): aborting it
   * cancels the body and rejects with `signal.reason`.
   */
  signal?: AbortSignal | undefined
  /**
   * Bounds the reading of a body to report as the stream's reads are bounded: when a read
   * waits this long for bytes, the body is cancelled and the check rejects with
   * `StreamIdleError` (its `status` set). `undefined`: no limit.
   */
  idleTimeoutMs?: number | undefined
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
 * reader. Reading a body to report it is bounded by `signal` and `idleTimeoutMs`: when
 * either fires, the body is cancelled (the connection closed) and the check rejects with
 * the signal's reason or a {@link StreamIdleError}.
 */
export async function checkResponse(response: ResponseLike, options: CheckResponseOptions = {}): Promise<void> {
  const url = options.url ?? response.url ?? ''
  if (response.status < 200 || response.status > 299) {
    throw new HTTPError(response, url, await readStart(response, MAX_ERROR_BODY_BYTES, options))
  }
  if (options.allowAnyContentType) return
  const contentType = response.headers.get('content-type')
  if (!isEventStream(contentType)) {
    throw new UnexpectedContentTypeError(
      contentType,
      response.status,
      url,
      await readStart(response, MAX_BODY_START_BYTES, options),
    )
  }
}

/**
 * The first `maxBytes` of the body as text (malformed UTF-8 as U+FFFD); the rest is
 * cancelled. A body that fails while being read gives what arrived before.
 *
 * Every read is bounded: an abort of `signal`, or `idleTimeoutMs` without bytes (the
 * stream's idle semantics: the timer restarts with each read), cancels the body and
 * rejects with the reason. The read in flight is raced rather than awaited, since a body
 * from another fetch implementation may not settle it on cancel. This runs only for a
 * response that fails its check, so the stream's reads pay nothing for it.
 */
async function readStart(
  response: ResponseLike,
  maxBytes: number,
  bounds: Pick<CheckResponseOptions, 'signal' | 'idleTimeoutMs'>,
): Promise<string> {
  if (response.body === null || response.bodyUsed) return ''
  const { signal, idleTimeoutMs } = bounds
  const reader = response.body.getReader()
  const decoder = new TextDecoder()
  let text = ''
  let bytes = 0
  let lastByteAt: number | undefined
  /** Why the reading was cut short (an abort, the idle timer); set once, from a listener or a timer. */
  let stop: { reason: unknown } | undefined
  const throwIfStopped = () => {
    if (stop) throw stop.reason
  }
  let rejectInterrupted!: (reason: unknown) => void
  const interrupted = new Promise<never>((_resolve, reject) => {
    rejectInterrupted = reject
  })
  interrupted.catch(() => {})
  const interrupt = (reason: unknown) => {
    if (stop) return
    stop = { reason }
    rejectInterrupted(reason)
    // Cancelling the body is what closes the connection; it is not awaited, as nothing is.
    reader.cancel(reason).catch(() => {})
  }
  const onAbort = () => interrupt(signal?.reason)
  let timer: ReturnType<typeof setTimeout> | undefined
  const bounded = signal !== undefined || idleTimeoutMs !== undefined
  signal?.addEventListener('abort', onAbort, { once: true })
  try {
    if (signal?.aborted) onAbort()
    while (bytes < maxBytes) {
      throwIfStopped()
      if (idleTimeoutMs !== undefined) {
        timer = setTimeout(() => {
          const since = lastByteAt === undefined ? undefined : Date.now() - lastByteAt
          interrupt(new StreamIdleError(idleTimeoutMs, 'body', since, bytes, response.status))
        }, idleTimeoutMs)
      }
      const { done, value } = await (bounded ? Promise.race([reader.read(), interrupted]) : reader.read())
      clearTimeout(timer)
      throwIfStopped()
      if (done) return text + decoder.decode()
      const part = value.byteLength > maxBytes - bytes ? value.subarray(0, maxBytes - bytes) : value
      bytes += part.byteLength
      if (idleTimeoutMs !== undefined) lastByteAt = Date.now()
      text += decoder.decode(part, { stream: true })
    }
    reader.cancel().catch(() => {})
    return text + decoder.decode()
  } catch {
    // A body that errored because the request was aborted (a fetch given the same signal) is the abort.
    if (stop) throw stop.reason
    return text + decoder.decode()
  } finally {
    clearTimeout(timer)
    signal?.removeEventListener('abort', onAbort)
    // Interrupted, the read in flight may still hold the lock (a body that ignores cancel): the lock goes with the body.
    if (!stop) reader.releaseLock()
  }
}
