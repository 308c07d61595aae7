import { SluiceError } from '@sluice/compose'

/**
 * Base class of every error `@sluice/sse` raises. Branch on the subclass with
 * `instanceof`, or on the stable `code` string.
 *
 * @example Tell the SSE errors from the others
 * ```ts
 * import { SSEError, SSEStream } from '@sluice/sse'
 *
 * try {
 *   for await (const event of response.body!.pipeThrough(new SSEStream())) console.log(event.data)
 * } catch (error) {
 *   // SSEStream also raises the line splitter's errors (LineSplitterError from @sluice/lines).
 *   if (!(error instanceof SSEError)) throw error
 *   console.error(error.code, error.message)
 * }
 * ```
 */
export abstract class SSEError extends SluiceError {}

/**
 * Thrown when the data of one event grows past `maxEventSize` characters. It is raised
 * on the `data:` line that passes the limit, before the rest of the event is buffered.
 *
 * @example Refuse events larger than 1 MiB
 * ```ts
 * import { EventTooLargeError, SSEStream } from '@sluice/sse'
 *
 * try {
 *   for await (const event of response.body!.pipeThrough(new SSEStream({ maxEventSize: 1 << 20 }))) console.log(event.data)
 * } catch (error) {
 *   if (!(error instanceof EventTooLargeError)) throw error
 *   console.error(`event at line ${error.line}: ${error.size} characters, limit ${error.limit}`)
 * }
 * ```
 */
export class EventTooLargeError extends SSEError {
  readonly code = 'SLUICE_EVENT_TOO_LARGE'
  /** The `maxEventSize` in force, in UTF-16 code units. */
  declare readonly limit: number
  /** The event's data length, in UTF-16 code units, with the line that passed the limit. */
  declare readonly size: number
  /** 1-based number of the line that passed the limit. */
  declare readonly line: number

  constructor(limit: number, size: number, line: number) {
    super(
      `event data at line ${line} is larger than maxEventSize (${limit} characters): ${size} characters without a dispatching blank line`,
    )
    this.limit = limit
    this.size = size
    this.line = line
    this.name = 'EventTooLargeError'
  }
}

/**
 * Thrown when {@link SSEDecoder} receives something other than a string as a line.
 *
 * @example Bytes where lines are expected
 * ```ts
 * import { InvalidLineError, SSEDecoderStream } from '@sluice/sse'
 *
 * // @ts-expect-error: bytes are not lines. Pipe them through LineSplitterStream first, or use SSEStream.
 * const events = response.body!.pipeThrough(new SSEDecoderStream())
 * try {
 *   for await (const event of events) console.log(event.data)
 * } catch (error) {
 *   if (!(error instanceof InvalidLineError)) throw error
 *   console.error(error.line, error.received) // 1 'object Uint8Array'
 * }
 * ```
 */
export class InvalidLineError extends SSEError {
  readonly code = 'SLUICE_INVALID_LINE'
  /** 1-based number of the offending line. */
  declare readonly line: number
  /** What was received instead, e.g. `object Uint8Array`. */
  declare readonly received: string

  constructor(line: number, received: string) {
    super(`line ${line} is a ${received}, not a string: pipe bytes through LineSplitterStream first, or use SSEStream`)
    this.line = line
    this.received = received
    this.name = 'InvalidLineError'
  }
}

/**
 * Thrown by {@link SSEEncoder} when a message field cannot be written safely: a `type`
 * or `id` with CR or LF (it would inject fields or frames), an `id` with NULL (the
 * receiver would ignore it), a `retry` that is not a non-negative integer, or a field
 * of the wrong type.
 *
 * @example A type that would inject a line
 * ```ts
 * import { InvalidMessageError, SSEEncoder } from '@sluice/sse'
 *
 * try {
 *   new SSEEncoder().encode({ type: 'delta\ndata: injected', data: '1' })
 * } catch (error) {
 *   if (!(error instanceof InvalidMessageError)) throw error
 *   console.error(error.field, error.index) // 'type' 0
 * }
 * ```
 */
export class InvalidMessageError extends SSEError {
  readonly code = 'SLUICE_INVALID_MESSAGE'
  /** The offending field. */
  declare readonly field: 'data' | 'type' | 'id' | 'retry' | 'comment' | 'message'
  /** 0-based index of the message in the encoder's input. */
  declare readonly index: number

  constructor(field: InvalidMessageError['field'], index: number, reason: string) {
    super(`message ${index}: ${field === 'message' ? '' : `${field} `}${reason}`)
    this.field = field
    this.index = index
    this.name = 'InvalidMessageError'
  }
}

/**
 * What a body that is not an event stream most likely is, from its first line.
 *
 * @example Tell the user what went wrong
 * ```ts
 * import type { NotEventStreamCause } from '@sluice/sse'
 *
 * const hint: Record<NotEventStreamCause, string> = {
 *   'json-error': 'the server answered with an error',
 *   'json-completion': 'send the request with stream: true',
 *   json: 'the server answered with JSON',
 *   'json-array': 'the server streamed one JSON array: ask for server-sent events (Gemini: alt=sse)',
 *   html: 'a proxy or gateway answered with a page',
 *   text: 'the server answered with text',
 * }
 * ```
 */
export type NotEventStreamCause = 'json-error' | 'json-completion' | 'json' | 'json-array' | 'html' | 'text'

/**
 * Thrown, with `requireEventStream` (the chat decoders turn it on), when the first
 * non-blank line of the body is neither a comment nor an SSE field: the body is not an
 * event stream. The start of the line is quoted, and `likelyCause` names what it most
 * likely is: an error body in JSON (an HTTP error), a whole completion (the request lacked
 * `stream: true`), other JSON, an HTML page (a proxy's or gateway's error page), or text.
 *
 * @example Name the cause
 * ```ts
 * import { NotEventStreamError, SSEStream } from '@sluice/sse'
 *
 * try {
 *   for await (const event of response.body!.pipeThrough(new SSEStream({ requireEventStream: true }))) console.log(event.data)
 * } catch (error) {
 *   if (!(error instanceof NotEventStreamError)) throw error
 *   console.error(error.likelyCause, error.text) // 'json-error' '{"error":{"message":"Invalid API key"…'
 * }
 * ```
 */
export class NotEventStreamError extends SSEError {
  readonly code = 'SLUICE_NOT_EVENT_STREAM'
  /** Always `false`: the same request gets the same answer. */
  readonly retryable = false
  /** 1-based number of the line. */
  declare readonly line: number
  /** The start of the line (at most 200 characters). */
  declare readonly text: string
  /** What the body most likely is. */
  declare readonly likelyCause: NotEventStreamCause

  constructor(line: string, lineNumber: number) {
    const text = line.length > 200 ? `${line.slice(0, 200)}…` : line
    const likelyCause = causeOf(line)
    super(
      `the body is not an event stream: line ${lineNumber} is neither an SSE field nor a comment: ${JSON.stringify(text)} (${CAUSES[likelyCause]})`,
    )
    this.line = lineNumber
    this.text = text
    this.likelyCause = likelyCause
    this.name = 'NotEventStreamError'
  }
}

const CAUSES: Record<NotEventStreamCause, string> = {
  'json-error': 'an error body in JSON: the server answered with an error, perhaps with an HTTP error status',
  'json-completion': 'a whole chat completion: was the request sent without stream: true?',
  json: 'JSON',
  'json-array':
    "a JSON array: a stream sent without server-sent events (Gemini's streamGenerateContent without alt=sse sends one)",
  html: "an HTML page: a proxy's, a gateway's or the server's error page?",
  text: 'plain text',
}

function causeOf(line: string): NotEventStreamCause {
  const start = line.trimStart()
  if (start.startsWith('<')) return 'html'
  if (start.startsWith('{') || start.startsWith('[')) {
    if (/"error"\s*:/.test(start)) return 'json-error'
    if (start.startsWith('[')) return 'json-array'
    if (start.includes('"chat.completion"') || (start.includes('"choices"') && start.includes('"message"')))
      return 'json-completion'
    return 'json'
  }
  return 'text'
}

/**
 * The codes of `@sluice/sse`'s errors (each a `SluiceError`).
 *
 * @example
 * ```ts
 * import { EventTooLargeError, type SSEErrorCode } from '@sluice/sse'
 *
 * const code: SSEErrorCode = 'SLUICE_EVENT_TOO_LARGE'
 * console.log(code, EventTooLargeError.name)
 * ```
 */
export type SSEErrorCode =
  | EventTooLargeError['code']
  | InvalidLineError['code']
  | InvalidMessageError['code']
  | NotEventStreamError['code']
