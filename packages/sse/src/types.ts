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
 * What an {@link SSEDecoder} discarded at the end of the input: the lines of a block that
 * no blank line closed. The WHATWG rules discard such an event; this record is how a
 * truncated stream shows.
 *
 * @example Log a stream cut off in the middle of an event
 * ```ts
 * import { SSEStream } from '@sluice/sse'
 *
 * const events = new SSEStream({
 *   onUnfinishedEvent: ({ lines, dataLength, lastLine }) =>
 *     console.warn(`cut off at line ${lastLine}: a block of ${lines} lines (${dataLength} characters of data) was discarded`),
 * })
 * ```
 */
export interface UnfinishedEvent {
  /** Non-blank lines (fields and comments) received since the last blank line. */
  lines: number
  /** Characters in the discarded event's data (its `data:` lines joined with LF). */
  dataLength: number
  /** 1-based number of the last line of the input. */
  lastLine: number
}

/**
 * The fields of the event discarded at the end of the input, for a later stage that may still
 * recognise it: `data: [DONE]` as the last line, without its blank line, is one.
 *
 * @example
 * ```ts
 * import { SSEDecoder, type DiscardedEvent } from '@sluice/sse'
 *
 * const decoder = new SSEDecoder()
 * const discarded: DiscardedEvent | null = decoder.discardedEvent // set by flush()
 * ```
 */
export interface DiscardedEvent {
  /** The event type buffer: `''` when no `event:` field came. */
  type: string
  /** The data buffer: its `data:` lines joined with LF. */
  data: string
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
   * `ChatChunkStream` do when a tracing hook is set; a piped `LineSplitterStream` with
   * `trackByteOffsets`, linked as `upstream`).
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
export interface SSEQuirk {
  /** Which repair: the only one the SSE stage makes. */
  code: 'unterminated-event'
  /** What was repaired, in words. */
  message: string
  /** 0-based index of the event it concerns. */
  eventIndex: number
  /** 1-based input line number where it happened. */
  line: number
}

/**
 * A stage before the SSE decoder that counts the bytes it read: `LineSplitter` or `LineSplitterStream`.
 *
 * @example Link the line splitter so that the SSE stage counts bytes
 * ```ts
 * import { LineSplitterStream } from '@sluice/lines'
 * import { SSEDecoderStream } from '@sluice/sse'
 *
 * const lines = new LineSplitterStream() // a ByteCounter
 * const events = new SSEDecoderStream({ upstream: lines })
 * const stream = response.body!.pipeThrough(lines).pipeThrough(events)
 * // events.progress.bytesRead is now lines.bytesRead
 * ```
 */
export interface ByteCounter {
  /** Bytes received so far. */
  readonly bytesRead: number
  /** Byte offset past the last line emitted, where the splitter tracks it (`trackByteOffsets`). */
  readonly byteOffset?: number | undefined
}

/**
 * What the SSE stage knows about a stream, read by the chunk decoder when it gives its
 * verdict: the `progress` of `SSEDecoder`, `SSEDecoderStream`, `SSEParser` and `SSEStream`.
 * Pass any of them as the chunk decoder's `upstream`.
 *
 * @example What the SSE stage saw
 * ```ts
 * import { SSEStream } from '@sluice/sse'
 *
 * const events = new SSEStream()
 * for await (const event of response.body!.pipeThrough(events)) console.log(event.data)
 * const { bytesRead, lineNumber, eventCount, unfinishedEvent } = events.progress
 * console.log(`${bytesRead} bytes, ${lineNumber} lines, ${eventCount} events`, unfinishedEvent ?? 'nothing discarded')
 * ```
 */
export interface SSEProgress {
  /** Bytes read by the line splitter linked to this stage (0 when none is). */
  readonly bytesRead: number
  /** Lines received so far. */
  readonly lineNumber: number
  /** Byte offset just past the last line received, when the linked line splitter tracks offsets. */
  readonly byteOffset: number | undefined
  /** Events dispatched so far. */
  readonly eventCount: number
  /** The last event ID string (see {@link SSEDecoder.lastEventId}). */
  readonly lastEventId: string
  /** What was discarded at the end of the input (see {@link SSEDecoder.unfinishedEvent}). */
  readonly unfinishedEvent: UnfinishedEvent | null
  /** The type buffer and data of that discarded event (see {@link SSEDecoder.discardedEvent}). */
  readonly discardedEvent: DiscardedEvent | null
  /** Repairs made so far (at most 256 are kept). */
  readonly quirks: readonly SSEQuirk[]
}

/**
 * A stage whose {@link SSEProgress} a later stage can read: any of the SSE decoding classes.
 *
 * @example Link the SSE stage to the chunk decoder
 * ```ts
 * import { ChunkDecoderStream } from '@sluice/openai'
 * import { SSEStream } from '@sluice/sse'
 *
 * const events = new SSEStream() // an SSEStage
 * const chunks = new ChunkDecoderStream({ upstream: events }) // reads events.progress for its verdict
 * const stream = response.body!.pipeThrough(events).pipeThrough(chunks)
 * ```
 */
export interface SSEStage {
  /** The stage's counters and end state, read when a later stage gives its verdict. */
  readonly progress: SSEProgress
}
