/**
 * One dispatched server-sent event. The field names are those of the browser's
 * `MessageEvent` that `EventSource` dispatches, so code moves between the two unchanged.
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
 * One message for {@link SSEEncoder}: each field present becomes a line of the frame.
 * A message without `data` dispatches no event on the receiving side, but its `id` and
 * `retry` still take effect.
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
