import {
  type RecordedStage,
  RecordedTransformStream,
  StreamRecord,
  type StreamProgress,
  type StreamTransformer,
  type TransformController,
  type UnfinishedEvent,
} from '@sluice/compose'
import { EventTooLargeError, InvalidLineError, NotEventStreamError } from './errors.ts'
import type { EventInfo, ServerSentEvent, SSEQuirk } from './types.ts'

/** COLON (U+003A). */
const COLON = ':'
const COLON_CODE = 0x3a
/** SPACE (U+0020). */
const SPACE = 0x20
/** U+0000 NULL. */
const NULL = '\0'
const DIGIT_ZERO = 0x30
const DIGIT_NINE = 0x39
const DEFAULT_MAX_EVENT_SIZE = 16 * 1024 * 1024
/** The four field names the interpretation rules act on. */
const FIELDS = ['data', 'event', 'id', 'retry']

/**
 * Options of {@link SSEDecoder} and {@link SSEDecoderStream}.
 *
 * @example See keep-alives, accept Azure's last event
 * ```ts
 * import { LineSplitterStream } from '@sluice/lines'
 * import { SSEDecoderStream, type SSEDecoderOptions } from '@sluice/sse'
 *
 * const lines = new LineSplitterStream()
 * const options: SSEDecoderOptions = {
 *   onComment: (text) => console.debug('keep-alive:', text),
 *   trailingEvent: 'dispatch-json',
 * }
 * const events = response.body!.pipeThrough(lines).pipeThrough(new SSEDecoderStream(options))
 * ```
 */
export interface SSEDecoderOptions {
  /**
   * Called with the text of each comment line (after the colon, one leading space
   * removed), e.g. `'OPENROUTER PROCESSING'` for `: OPENROUTER PROCESSING`. Keep-alive
   * comments are how a quiet stream shows it is alive.
   */
  onComment?: (text: string) => void
  /** Called with the reconnection time of each valid `retry:` field, in milliseconds. */
  onRetry?: (milliseconds: number) => void
  /**
   * Called once at the end of the input when a block was not closed by a blank line and
   * so was discarded (see {@link SSEDecoder.record}'s `unfinishedEvent`).
   */
  onUnfinishedEvent?: (event: UnfinishedEvent) => void
  /**
   * Largest event data accepted, in UTF-16 code units (the `data:` lines joined with LF).
   * A larger event errors the stream with {@link EventTooLargeError} as soon as a `data:`
   * line passes the limit. `Infinity` turns the limit off.
   * @default 16777216 (16 MiB)
   */
  maxEventSize?: number
  /**
   * Called with each dispatched event and where it was dispatched, for apps that trace
   * raw frames.
   */
  onEvent?: (event: ServerSentEvent, info: EventInfo) => void
  /**
   * What a last block not closed by a blank line does at the end of the input.
   * `'discard'` is the WHATWG rule. `'dispatch-json'` is for Azure-style streams whose last
   * event has no closing blank line: the block is dispatched when its data is one whole
   * JSON document (or `[DONE]`), and the repair is reported (`onQuirk`, `quirks`).
   * Ignored with `strict`.
   * @default 'discard'
   */
  trailingEvent?: 'discard' | 'dispatch-json'
  /** Called for each repair (see `trailingEvent`). */
  onQuirk?: (quirk: SSEQuirk) => void
  /**
   * Make no repair: `trailingEvent: 'dispatch-json'` is ignored, so an unterminated last
   * event is discarded and the chunk decoder's outcome reports the stream truncated.
   * @default false
   */
  strict?: boolean
  /**
   * Error with {@link NotEventStreamError} when the first non-blank line is neither a
   * comment nor one of the four fields (`data`, `event`, `id`, `retry`): the body is
   * something else — a JSON error body, an HTML error page, a whole completion sent without
   * `stream: true` — and would otherwise be ignored line by line as unknown fields, to end
   * as a stream without a single event. The chat decoders (`ChatChunkStream`,
   * `ChatChunkParser`, `chatStream`) turn it on.
   * @default false
   */
  requireEventStream?: boolean
}

/**
 * Turns lines into server-sent events by the WHATWG "interpreting an event stream" rules,
 * exactly: a blank line dispatches, `:` lines are comments, one space after the colon is
 * removed, `data` lines are joined with LF, an event without data is not dispatched,
 * `event` names the next event only, `id` persists across events (one with NULL is
 * ignored), `retry` is reported when it is all ASCII digits, unknown fields are ignored,
 * and a final block without a blank line is discarded (and recorded in
 * {@link SSEDecoder.record}'s `unfinishedEvent`).
 *
 * The input is lines without terminators, as `LineSplitterStream` from `@sluice/lines`
 * produces them; {@link SSEStream} does both steps in one.
 *
 * @see https://html.spec.whatwg.org/multipage/server-sent-events.html#event-stream-interpretation
 * @example Decode a chat completion stream
 * ```ts
 * import { LineSplitterStream } from '@sluice/lines'
 * import { SSEDecoderStream } from '@sluice/sse'
 *
 * const events = response.body!
 *   .pipeThrough(new LineSplitterStream())
 *   .pipeThrough(new SSEDecoderStream({ onComment: (text) => console.debug('keep-alive', text) }))
 * for await (const event of events) {
 *   if (event.data === '[DONE]') break
 *   console.log(event.type, JSON.parse(event.data))
 * }
 * ```
 */
export class SSEDecoder implements StreamTransformer<string, ServerSentEvent>, RecordedStage {
  readonly #onEvent: ((event: ServerSentEvent, info: EventInfo) => void) | undefined
  readonly #onQuirk: ((quirk: SSEQuirk) => void) | undefined
  readonly #dispatchTrailingJSON: boolean
  #record!: StreamRecord
  /** This stage's position among those sharing the record. */
  #stage = 0
  #eventCount = 0
  readonly #onComment: ((text: string) => void) | undefined
  readonly #onRetry: ((milliseconds: number) => void) | undefined
  readonly #onUnfinishedEvent: ((event: UnfinishedEvent) => void) | undefined
  readonly #maxEventSize: number
  /**
   * "When a stream is parsed, a data buffer, an event type buffer, and a last event ID
   * buffer must be associated with it. They must be initialized to the empty string."
   * The data buffer is kept without its final LF (the spec appends one after each line
   * and removes the last at dispatch); `#hasData` tells an empty buffer from one line of
   * empty data.
   */
  #data = ''
  #hasData = false
  #type = ''
  #lastEventIdBuffer = ''
  /** Lines received so far: the current line's 1-based number. */
  #lineNumber = 0
  /** Non-blank lines since the last blank line. */
  #pendingLines = 0
  /** With `requireEventStream`: the first non-blank line is still to be checked. */
  #checkFirstLine: boolean

  constructor(options: SSEDecoderOptions = {}) {
    const maxEventSize = options.maxEventSize ?? DEFAULT_MAX_EVENT_SIZE
    if (typeof maxEventSize !== 'number' || !(maxEventSize >= 0)) {
      throw new RangeError(`SSEDecoder: maxEventSize must be a number >= 0 or Infinity, got ${String(maxEventSize)}`)
    }
    this.#maxEventSize = maxEventSize
    this.#onComment = options.onComment
    this.#onRetry = options.onRetry
    this.#onUnfinishedEvent = options.onUnfinishedEvent
    const { trailingEvent = 'discard' } = options
    if (trailingEvent !== 'discard' && trailingEvent !== 'dispatch-json') {
      throw new TypeError(
        `SSEDecoder: trailingEvent must be 'discard' or 'dispatch-json', got ${String(trailingEvent)}`,
      )
    }
    this.#dispatchTrailingJSON = trailingEvent === 'dispatch-json' && !options.strict
    this.#onEvent = options.onEvent
    this.#onQuirk = options.onQuirk
    this.#checkFirstLine = options.requireEventStream ?? false
    this.useRecord(new StreamRecord())
  }

  /**
   * The record of the stream this decoder writes to: `lines` read, `events` dispatched,
   * `lastEventId` ("the last event ID string of the event source", as of the most recent
   * blank line: send it as `Last-Event-ID` to resume a stream), its quirks, and at the end
   * of the input `unfinishedEvent` and `discardedEvent` (a block no blank line closed).
   */
  get record(): StreamRecord {
    return this.#record
  }

  /** Writes to `record` from now on (see `RecordedStage`): the line splitter's, when linked. */
  useRecord(record: StreamRecord): void {
    this.#stage = record.join(this)
    record.lines = this.#lineNumber
    record.events = this.#eventCount
    this.#record = record
  }

  /** What the record holds so far (see `StreamProgress`). */
  get progress(): StreamProgress {
    return this.#record.progressUpTo(this.#stage)
  }

  /** Interprets one line: a blank line dispatches the pending event, any other line is a field or a comment. */
  transform(line: string, controller: TransformController<ServerSentEvent>): void {
    const lineNumber = ++this.#lineNumber
    this.#record.lines = lineNumber
    if (typeof line !== 'string') throw new InvalidLineError(lineNumber, describe(line))
    // "If the line is empty (a blank line): Dispatch the event, as defined below."
    if (line.length === 0) return this.#dispatch(controller)
    if (this.#checkFirstLine) this.#checkFirst(line, lineNumber)
    this.#pendingLines++
    // Fast path for the line nearly every event has, `data:` then the value: the same
    // steps as below (the first colon is at 4, one leading space removed), without
    // slicing out the field name.
    if (line.charCodeAt(4) === COLON_CODE && line.startsWith('data')) {
      return this.#appendData(line.slice(line.charCodeAt(5) === SPACE ? 6 : 5))
    }
    const colon = line.indexOf(COLON)
    // "If the line starts with a U+003A COLON character (:): Ignore the line."
    if (colon === 0) {
      this.#onComment?.(line.slice(line.charCodeAt(1) === SPACE ? 2 : 1))
      return
    }
    // "Otherwise, the string is not empty but does not contain a U+003A COLON character
    // (:): Process the field using the steps described below, using the whole line as the
    // field name, and the empty string as the field value."
    if (colon === -1) return this.#processField(line, '')
    // "If the line contains a U+003A COLON character (:): Collect the characters on the
    // line before the first U+003A COLON character (:), and let field be that string.
    // Collect the characters on the line after the first U+003A COLON character (:), and
    // let value be that string. If value starts with a U+0020 SPACE character, remove it
    // from value."
    const valueStart = line.charCodeAt(colon + 1) === SPACE ? colon + 2 : colon + 1
    this.#processField(line.slice(0, colon), line.slice(valueStart))
  }

  /**
   * The end of the input: a block no blank line closed is discarded and recorded in
   * {@link SSEDecoder.record}'s `unfinishedEvent`, or, with `trailingEvent: 'dispatch-json'` and whole
   * JSON data, dispatched and reported as a quirk.
   */
  flush(controller: TransformController<ServerSentEvent>): void {
    // "Once the end of the file is reached, any pending data must be discarded. (If the
    // file ends in the middle of an event, before the final empty line, the incomplete
    // event is not dispatched.)"
    if (this.#pendingLines > 0 && this.#dispatchTrailingJSON && this.#hasData && isWholeJSON(this.#data)) {
      const eventIndex = this.#eventCount
      this.#quirk({
        code: 'unterminated-event',
        message: `the last event (${this.#pendingLines} line${this.#pendingLines === 1 ? '' : 's'}, ${this.#data.length} chars) had no closing blank line: dispatched, its data being whole JSON`,
        eventIndex,
        line: this.#lineNumber,
      })
      this.#dispatch(controller)
    } else if (this.#pendingLines > 0) {
      const unfinished: UnfinishedEvent = {
        lines: this.#pendingLines,
        dataLength: this.#hasData ? this.#data.length : 0,
        lastLine: this.#lineNumber,
      }
      this.#record.unfinishedEvent = unfinished
      this.#record.discardedEvent = { type: this.#type, data: this.#hasData ? this.#data : '' }
      this.#onUnfinishedEvent?.(unfinished)
    }
    this.#data = ''
    this.#hasData = false
    this.#type = ''
    this.#pendingLines = 0
  }

  /** `requireEventStream`: the first non-blank line must be a comment or one of the four fields. */
  #checkFirst(line: string, lineNumber: number): void {
    this.#checkFirstLine = false
    if (line.charCodeAt(0) === COLON_CODE) return
    const colon = line.indexOf(COLON)
    const field = colon === -1 ? line : line.slice(0, colon)
    if (FIELDS.includes(field)) return
    // The start of a field name, cut off by the end of the input ("dat"): a cut stream, not another format.
    if (colon === -1 && FIELDS.some((name) => name.startsWith(line))) return
    throw new NotEventStreamError(line, lineNumber)
  }

  /** "Field names must be compared literally, with no case folding performed." */
  #processField(field: string, value: string): void {
    switch (field) {
      case 'data':
        return this.#appendData(value)
      case 'event':
        // "Set the event type buffer to field value."
        this.#type = value
        return
      case 'id':
        // "If the field value does not contain U+0000 NULL, then set the last event ID
        // buffer to the field value. Otherwise, ignore the field."
        if (!value.includes(NULL)) this.#lastEventIdBuffer = value
        return
      case 'retry':
        // "If the field value consists of only ASCII digits, then interpret the field value
        // as an integer in base ten, and set the event stream's reconnection time to that
        // integer. Otherwise, ignore the field." An empty value is ignored, as browsers do.
        if (this.#onRetry && isASCIIDigits(value)) this.#onRetry(Number.parseInt(value, 10))
        return
      default:
      // "Otherwise: The field is ignored."
    }
  }

  /**
   * "Append the field value to the data buffer, then append a single U+000A LINE FEED
   * (LF) character to the data buffer." (The LF goes in before the next value instead.)
   */
  #appendData(value: string): void {
    const size = this.#hasData ? this.#data.length + 1 + value.length : value.length
    if (size > this.#maxEventSize) throw new EventTooLargeError(this.#maxEventSize, size, this.#lineNumber)
    this.#data = this.#hasData ? `${this.#data}\n${value}` : value
    this.#hasData = true
  }

  #dispatch(controller: TransformController<ServerSentEvent>): void {
    this.#pendingLines = 0
    // 1. "Set the last event ID string of the event source to the value of the last event
    // ID buffer. The buffer does not get reset, so the last event ID string of the event
    // source remains set to this value until the next time it is set by the server."
    this.#record.lastEventId = this.#lastEventIdBuffer
    // 2. "If the data buffer is an empty string, set the data buffer and the event type
    // buffer to the empty string and return."
    if (!this.#hasData) {
      this.#type = ''
      return
    }
    // 3. "If the data buffer's last character is a U+000A LINE FEED (LF) character, then
    // remove the last character from the data buffer." (It was never added.)
    // 5–6. Type "message", unless "the event type buffer has a value other than the empty
    // string"; lastEventId is "the last event ID string of the event source".
    const event: ServerSentEvent = {
      type: this.#type || 'message',
      data: this.#data,
      lastEventId: this.#lastEventIdBuffer,
    }
    // 7. "Set the data buffer and the event type buffer to the empty string."
    this.#data = ''
    this.#hasData = false
    this.#type = ''
    const index = this.#eventCount++
    const record = this.#record
    record.events = this.#eventCount
    // For a stage piped after this one, which decodes the event later: where it ended.
    record.eventEnded(this.#lineNumber, record.byteOffset)
    this.#onEvent?.(event, { index, lineNumber: this.#lineNumber, byteOffset: record.byteOffset })
    controller.enqueue(event)
  }

  #quirk(quirk: SSEQuirk): void {
    this.#record.addQuirk(quirk, this.#stage)
    this.#onQuirk?.(quirk)
  }
}

/**
 * {@link SSEDecoder} as a `TransformStream`: lines in, events out. Piped after a
 * `LineSplitterStream`, it writes to the splitter's record (see {@link SSEDecoder.record}).
 *
 * @example Events from a response body
 * ```ts
 * import { LineSplitterStream } from '@sluice/lines'
 * import { SSEDecoderStream } from '@sluice/sse'
 *
 * const events = response.body!
 *   .pipeThrough(new LineSplitterStream())
 *   .pipeThrough(new SSEDecoderStream())
 * ```
 */
export class SSEDecoderStream extends RecordedTransformStream<string, ServerSentEvent, StreamProgress, SSEDecoder> {
  constructor(
    options?: SSEDecoderOptions,
    writableStrategy?: QueuingStrategy<string>,
    readableStrategy?: QueuingStrategy<ServerSentEvent>,
  ) {
    super(new SSEDecoder(options), writableStrategy, readableStrategy)
  }
}

/** Whether `data` is one whole JSON document, or `[DONE]`. */
function isWholeJSON(data: string): boolean {
  if (data.trim() === '[DONE]') return true
  try {
    JSON.parse(data)
    return true
  } catch {
    return false
  }
}

/** "ASCII digits": U+0030 (0) to U+0039 (9); at least one. */
function isASCIIDigits(value: string): boolean {
  if (value.length === 0) return false
  for (let index = 0; index < value.length; index++) {
    const code = value.charCodeAt(index)
    if (code < DIGIT_ZERO || code > DIGIT_NINE) return false
  }
  return true
}

function describe(value: unknown): string {
  if (value === null) return 'null'
  if (typeof value !== 'object') return typeof value
  return `object ${value.constructor?.name ?? 'without prototype'}`
}
