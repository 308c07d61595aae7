import { RecordedTransformStream, type StreamProgress, type TransformController } from '@sluice/compose'
import { checkAfterEnd, FormatEventDecoder, type FormatOutcome } from '@sluice/formats'
import { type AfterDone, ProviderError } from '@sluice/openai'
import type { ServerSentEvent } from '@sluice/sse'
import { MessageEventParseError, TruncatedMessageError, UnexpectedEventError } from './errors.ts'
import { type MessageOutcome, type MessageProgress, messageMissingParts, type OpenBlock } from './outcome.ts'
import type {
  BlockDelta,
  MessageEvent,
  MessageQuirk,
  MessageQuirkCode,
  StopReason,
  UnknownMessageEvent,
} from './types.ts'

/** An event as parsed, before its type is checked: one this version knows, or another. */
type AnyEvent = MessageEvent | UnknownMessageEvent

const STOP_REASONS = new Set([
  'end_turn',
  'max_tokens',
  'stop_sequence',
  'tool_use',
  'pause_turn',
  'refusal',
  'model_context_window_exceeded',
])

/**
 * Options of {@link MessageEventDecoder} and its streams.
 *
 * @example A cut-off stream that closes instead of failing
 * ```ts
 * import { MessageEventDecoderStream, type MessageEventDecoderOptions } from '@sluice/anthropic'
 * import { SSEStream } from '@sluice/sse'
 *
 * const options: MessageEventDecoderOptions = { truncated: 'close', onTruncated: (error) => console.warn(error.message) }
 * const events = response.body!.pipeThrough(new SSEStream()).pipeThrough(new MessageEventDecoderStream(options))
 * ```
 */
export interface MessageEventDecoderOptions {
  /**
   * What follows `message_stop` (see `@sluice/openai`'s `AfterDone`): the output closes at
   * `message_stop` in every mode.
   * @default 'auto'
   */
  afterStop?: AfterDone
  /**
   * What a stream cut off before `message_stop` does: `'error'` errors with
   * {@link TruncatedMessageError}, `'close'` closes and passes it to `onTruncated`.
   * @default 'error'
   */
  truncated?: 'error' | 'close'
  /** Called with the cut-off stream's error, with `truncated: 'close'`. */
  onTruncated?: (error: TruncatedMessageError) => void
  /** Called for each quirk (see {@link MessageQuirkCode}). */
  onQuirk?: (quirk: MessageQuirk) => void
  /**
   * Turn every quirk into a `StrictModeError`.
   * @default false
   */
  strict?: boolean
}

/** What the decoder knows of one content block. */
interface BlockState {
  type: string
  /** `content_block_stop` closed it. */
  stopped: boolean
  /** Characters of text, thinking or `partial_json` its deltas carried. */
  characters: number
  /** The `partial_json` received, when any came. */
  json: string | undefined
  /** `message_delta` came while it was open (reported once). */
  closedAtDelta: boolean
}

/**
 * Turns the server-sent events of an Anthropic Messages stream into typed
 * {@link MessageEvent}s, checking the order the API guarantees:
 * `message_start` → (`content_block_start` → `content_block_delta`* → `content_block_stop`)×N
 * → `message_delta`+ → `message_stop`, with `ping` and `error` anywhere.
 *
 * - `event: error` errors with `@sluice/openai`'s `ProviderError` (with `retryable`), after
 *   every event before it.
 * - A delta or stop for a block never started, content before `message_start`, an `event:`
 *   name other than the data's `type`, or a second `message_start` with another id (two
 *   generations spliced into one body) errors with {@link UnexpectedEventError}; data that
 *   is not a JSON object with a `type` with {@link MessageEventParseError}.
 * - A second `message_start` with the same id is dropped, a block left open at
 *   `message_delta` is closed there, an unterminated `message_stop` at the end is taken:
 *   each reported as a quirk.
 * - Event, block and delta types this version does not know pass through.
 * - A stream that ends without `message_stop` errors with {@link TruncatedMessageError}
 *   (or closes, see `truncated`); {@link MessageEventDecoder.outcome} gives the verdict.
 *
 * @example Events from a response body
 * ```ts
 * import { SSEStream } from '@sluice/sse'
 * import { MessageEventDecoderStream } from '@sluice/anthropic'
 *
 * const events = response.body!.pipeThrough(new SSEStream()).pipeThrough(new MessageEventDecoderStream())
 * for await (const event of events) console.log(event.type)
 * ```
 */
export class MessageEventDecoder extends FormatEventDecoder<MessageEvent, MessageProgress, TruncatedMessageError> {
  readonly #drain: boolean
  #messageId: string | null = null
  #stopReason: StopReason | null = null
  #sawStop = false
  readonly #blocks = new Map<number, BlockState>()

  constructor(options: MessageEventDecoderOptions = {}) {
    super('MessageEventDecoder', options)
    this.#drain = checkAfterEnd(options.afterStop, 'afterStop', 'MessageEventDecoder') === 'drain'
  }

  /** The outcome of the stream, settled once when it ends. Never rejects. */
  override get outcome(): Promise<MessageOutcome> {
    return super.outcome
  }

  protected formatProgress(progress: StreamProgress): MessageProgress {
    const openBlocks: OpenBlock[] = []
    for (const [index, block] of this.#blocks) {
      if (block.stopped) continue
      const open: OpenBlock = { index, type: block.type, characters: block.characters }
      if (block.json !== undefined) open.completeJSON = isWholeJSON(block.json)
      openBlocks.push(open)
    }
    return {
      ...progress,
      sawMessageStop: this.#sawStop,
      stopReason: this.#stopReason,
      messageId: this.#messageId,
      openBlocks,
    }
  }

  protected missingParts(progress: MessageProgress): string[] {
    return messageMissingParts(progress)
  }

  protected truncatedError(outcome: FormatOutcome<MessageProgress>): TruncatedMessageError {
    return new TruncatedMessageError(outcome)
  }

  /** Decodes one event and enqueues it; ends the output at `message_stop`. */
  protected decode(event: ServerSentEvent, eventIndex: number, controller: TransformController<MessageEvent>): void {
    if (this.#sawStop) {
      this.quirk(
        'event-after-stop',
        `an event after message_stop was discarded (type ${JSON.stringify(event.type)})`,
        eventIndex,
      )
      return
    }
    const value = this.#parse(event.data, eventIndex)
    const type = value.type
    if (event.type === 'message') {
      if (type !== 'message')
        this.quirk('missing-event-type', `an event without event: was taken as its data's type, ${type}`, eventIndex)
    } else if (event.type !== type) {
      throw new UnexpectedEventError(
        event.type,
        `its data's type is ${JSON.stringify(type)}`,
        this.position(eventIndex),
      )
    }
    const decoded = this.#check(value, eventIndex)
    if (decoded === undefined) return
    controller.enqueue(decoded as MessageEvent) // an unknown type passes through as received
    if (type === 'message_stop') {
      this.settle(this.completeOutcome())
      if (!this.#drain) controller.terminate()
    }
  }

  /** Data as a JSON object with a string `type`. */
  #parse(data: string, eventIndex: number): AnyEvent {
    let value: unknown
    try {
      value = JSON.parse(data)
    } catch (cause) {
      throw new MessageEventParseError(data, 'data is not JSON', this.position(eventIndex), { cause })
    }
    if (
      typeof value !== 'object' ||
      value === null ||
      Array.isArray(value) ||
      typeof (value as { type?: unknown }).type !== 'string'
    ) {
      throw new MessageEventParseError(data, 'data is not a JSON object with a string type', this.position(eventIndex))
    }
    return value as AnyEvent
  }

  /** Checks one event against the stream's order and updates the state: the event to emit, or `undefined` to drop it. */
  #check(value: AnyEvent, eventIndex: number): AnyEvent | undefined {
    const at = () => this.position(eventIndex)
    switch (value.type) {
      case 'error':
        throw new ProviderError(errorFields(value), JSON.stringify(value), at())
      case 'ping':
        return value
      case 'message_start': {
        const message = (value as { message?: { id?: unknown } }).message
        if (typeof message !== 'object' || message === null || typeof message.id !== 'string') {
          throw new UnexpectedEventError('message_start', 'it has no message with a string id', at())
        }
        if (this.#messageId === null) {
          this.#messageId = message.id
          return value
        }
        if (message.id === this.#messageId) {
          this.quirk('duplicate-message-start', `a second message_start of ${message.id} was dropped`, eventIndex)
          return undefined
        }
        throw new UnexpectedEventError(
          'message_start',
          `a second message (${message.id}) started in the stream of ${this.#messageId}: two generations in one body`,
          at(),
        )
      }
    }
    if (this.#messageId === null) {
      throw new UnexpectedEventError(value.type, 'it came before message_start', at())
    }
    switch (value.type) {
      case 'content_block_start': {
        const { index, content_block: block } = value as { index?: unknown; content_block?: { type?: unknown } }
        const where = blockIndex(index)
        if (where === undefined || typeof block !== 'object' || block === null || typeof block.type !== 'string') {
          throw new UnexpectedEventError(
            value.type,
            'it needs an index (an integer >= 0) and a content_block with a type',
            at(),
          )
        }
        if (this.#blocks.has(where))
          throw new UnexpectedEventError(value.type, `block ${where} was started before`, at())
        this.#blocks.set(where, {
          type: block.type,
          stopped: false,
          characters: 0,
          json: undefined,
          closedAtDelta: false,
        })
        return value
      }
      case 'content_block_delta': {
        const { index, delta } = value as { index?: unknown; delta?: BlockDelta }
        const block = this.#openBlock(value.type, index, eventIndex)
        if (typeof delta !== 'object' || delta === null || typeof delta.type !== 'string') {
          throw new UnexpectedEventError(value.type, 'it has no delta with a type', at())
        }
        const text = delta.text ?? delta.thinking ?? delta.partial_json
        if (typeof text === 'string') block.characters += text.length
        if (typeof delta.partial_json === 'string') block.json = (block.json ?? '') + delta.partial_json
        return value
      }
      case 'content_block_stop': {
        this.#openBlock(value.type, (value as { index?: unknown }).index, eventIndex).stopped = true
        return value
      }
      case 'message_delta': {
        for (const [index, block] of this.#blocks) {
          if (!block.stopped && !block.closedAtDelta) {
            block.closedAtDelta = true
            this.quirk(
              'unclosed-block',
              `block ${index} (${block.type}) had no content_block_stop before message_delta: closed there`,
              eventIndex,
            )
          }
        }
        const reason = (value as { delta?: { stop_reason?: unknown } }).delta?.stop_reason
        if (typeof reason === 'string') {
          if (!STOP_REASONS.has(reason))
            this.quirk(
              'unknown-stop-reason',
              `stop_reason ${JSON.stringify(reason)} is not one this version knows: kept`,
              eventIndex,
            )
          this.#stopReason = reason
        }
        return value
      }
      default:
        // message_stop, and event types this version does not know (the API adds them).
        if (value.type === 'message_stop') this.#sawStop = true
        return value
    }
  }

  /** The block an event names, which must have started and not stopped. */
  #openBlock(type: string, index: unknown, eventIndex: number): BlockState {
    const where = blockIndex(index)
    if (where === undefined)
      throw new UnexpectedEventError(type, 'it needs an index (an integer >= 0)', this.position(eventIndex))
    const block = this.#blocks.get(where)
    if (!block) throw new UnexpectedEventError(type, `block ${where} was never started`, this.position(eventIndex))
    if (block.stopped)
      throw new UnexpectedEventError(type, `block ${where} was stopped before`, this.position(eventIndex))
    return block
  }

  /** `message_stop` as the last line without its blank line: the SSE rules discard it, but it is unambiguous. */
  protected override takeDiscarded(controller: TransformController<MessageEvent>): void {
    const discarded = this.events.record.discardedEvent
    if (this.#sawStop || discarded === null || this.#messageId === null) return
    if (discarded.type !== '' && discarded.type !== 'message' && discarded.type !== 'message_stop') return
    let value: unknown
    try {
      value = JSON.parse(discarded.data)
    } catch {
      return
    }
    if ((value as { type?: unknown } | null)?.type !== 'message_stop') return
    this.#sawStop = true
    this.events.record.unfinishedEvent = null // taken: nothing was lost
    this.quirk(
      'unterminated-message-stop',
      'message_stop ended the input without its closing blank line: taken',
      this.events.events,
    )
    controller.enqueue(value as MessageEvent)
  }

  protected override quirk(code: MessageQuirkCode, message: string, eventIndex: number): void {
    super.quirk(code, message, eventIndex)
  }
}

/** An event's `index`: an integer >= 0, or `undefined`. */
function blockIndex(index: unknown): number | undefined {
  return typeof index === 'number' && Number.isInteger(index) && index >= 0 ? index : undefined
}

/** The fields of an `error` event: `{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}`. */
function errorFields(value: object): { message: string; type?: string } {
  const error = (value as { error?: { type?: unknown; message?: unknown } }).error
  const fields: { message: string; type?: string } = {
    message: typeof error?.message === 'string' ? error.message : JSON.stringify(value),
  }
  if (typeof error?.type === 'string') fields.type = error.type
  return fields
}

/** Whether `text` is one whole JSON value (`''` counts: an empty input is `{}`). */
function isWholeJSON(text: string): boolean {
  if (text.trim() === '') return true
  try {
    JSON.parse(text)
    return true
  } catch {
    return false
  }
}

/**
 * {@link MessageEventDecoder} as a `TransformStream`: server-sent events in, typed
 * {@link MessageEvent}s out. The output closes at `message_stop`.
 *
 * @example
 * ```ts
 * import { SSEStream } from '@sluice/sse'
 * import { MessageEventDecoderStream } from '@sluice/anthropic'
 *
 * const decoder = new MessageEventDecoderStream()
 * await response.body!.pipeThrough(new SSEStream()).pipeThrough(decoder).pipeTo(new WritableStream())
 * console.log((await decoder.outcome).status)
 * ```
 */
export class MessageEventDecoderStream extends RecordedTransformStream<
  ServerSentEvent,
  MessageEvent,
  MessageProgress,
  MessageEventDecoder
> {
  constructor(
    options: MessageEventDecoderOptions = {},
    writableStrategy?: QueuingStrategy<ServerSentEvent>,
    readableStrategy?: QueuingStrategy<MessageEvent>,
  ) {
    const afterStop = checkAfterEnd(options.afterStop, 'afterStop', 'MessageEventDecoderStream')
    // The decoder always ends the output at message_stop; the stream drains or cancels its input.
    const decoder = new MessageEventDecoder({ ...options, afterStop: 'cancel' })
    super(decoder, writableStrategy, readableStrategy, { afterTerminate: afterStop })
  }

  /** See {@link MessageEventDecoder.outcome}. */
  get outcome(): Promise<MessageOutcome> {
    return this.stage.outcome
  }
}
