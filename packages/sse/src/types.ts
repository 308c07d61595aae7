import type { Quirk } from '@sluice/compose'

/**
 * One dispatched server-sent event. The field names are those of the browser's
 * `MessageEvent` that `EventSource` dispatches, so code moves between the two unchanged.
 *
 * @example Read events as EventSource would dispatch them
 * ```ts
 * import { SSEStream, type ServerSentEvent } from '@sluice/sse'
 *
 * const isDone = (event: ServerSentEvent) => event.type === 'message' && event.data === '[DONE]'
 * for await (const event of response.body!.pipeThrough(new SSEStream())) {
 *   if (isDone(event)) break
 *   console.log(event.type, event.lastEventId, event.data)
 * }
 * ```
 */
export interface ServerSentEvent {
  /** The `event:` field of the block, or `'message'` when it had none (or an empty one). */
  type: string
  /** The `data:` lines of the block joined with LF. */
  data: string
  /**
   * The last event ID at dispatch: the value of the most recent `id:` field of the
   * stream (in this block or any earlier one), `''` until one is sent or after `id:`
   * with an empty value.
   */
  lastEventId: string
}

/**
 * One message for {@link SSEEncoder}: each field present becomes a line of the frame.
 * A message without `data` dispatches no event on the receiving side, but its `id` and
 * `retry` still take effect.
 *
 * @example A message and its frame
 * ```ts
 * import { SSEEncoder, type SSEMessage } from '@sluice/sse'
 *
 * const message: SSEMessage = { type: 'delta', id: '42', data: JSON.stringify({ text: 'Hi' }) }
 * new SSEEncoder().encode(message) // 'event: delta\nid: 42\ndata: {"text":"Hi"}\n\n'
 * ```
 */
export interface SSEMessage {
  /** The event data; CR, LF and CRLF in it each start a new `data:` line. */
  data?: string
  /** The event type (`event:` field). Must not contain CR or LF. */
  type?: string
  /** The event ID (`id:` field). Must not contain CR, LF or NULL. */
  id?: string
  /** Reconnection time in milliseconds (`retry:` field): a non-negative integer. */
  retry?: number
  /** A comment (`:` line), e.g. a keep-alive. CR, LF and CRLF in it start new comment lines. */
  comment?: string
}

/**
 * Where an event was dispatched, given to `onEvent`.
 *
 * @example Trace where each event ends
 * ```ts
 * import { SSEStream } from '@sluice/sse'
 *
 * const events = new SSEStream({
 *   onEvent: (event, { index, lineNumber, byteOffset }) => console.debug(`event ${index} ends at line ${lineNumber}, byte ${byteOffset}`),
 * })
 * ```
 */
export interface EventInfo {
  /** 0-based index of the event among those dispatched. */
  index: number
  /** 1-based number of the blank line that dispatched it (or of the last line, for a trailing event). */
  lineNumber: number
  /**
   * Byte offset just past that line, when the line splitter counts them (`SSEStream` and
   * `ChatChunkStream` do when a tracing hook is set; a `LineSplitterStream` with
   * `trackByteOffsets` piped into this stage).
   */
  byteOffset: number | undefined
}

/**
 * A repair the SSE decoder made: a trailing event without its blank line dispatched (`trailingEvent: 'dispatch-json'`).
 *
 * @example See each repair
 * ```ts
 * import { SSEStream } from '@sluice/sse'
 *
 * const events = new SSEStream({ trailingEvent: 'dispatch-json', onQuirk: (quirk) => console.warn(quirk.code, quirk.message) })
 * ```
 */
export interface SSEQuirk extends Quirk {
  /** Which quirk: the only one the SSE stage meets. */
  code: SSEQuirkCode
  /** 0-based index of the event it concerns. */
  eventIndex: number
  /** 1-based input line number where it happened. */
  line: number
}

/**
 * The codes of the quirks the SSE stage meets (see {@link SSEQuirk}).
 *
 * @example
 * ```ts
 * import { SSEStream, type SSEQuirkCode } from '@sluice/sse'
 *
 * const seen: SSEQuirkCode[] = []
 * const events = new SSEStream({ trailingEvent: 'dispatch-json', onQuirk: (quirk) => seen.push(quirk.code) })
 * ```
 */
export type SSEQuirkCode = 'unterminated-event'
