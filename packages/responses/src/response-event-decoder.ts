import { RecordedTransformStream, type StreamProgress, type TransformController } from '@sluice/compose'
import { checkAfterEnd, FormatEventDecoder, type FormatOutcome } from '@sluice/formats'
import { type AfterDone, ProviderError } from '@sluice/openai'
import type { ServerSentEvent } from '@sluice/sse'
import { ResponseEventParseError, TruncatedResponseError, UnexpectedResponseEventError } from './errors.ts'
import { type OpenItem, type ResponseOutcome, type ResponseProgress, responseMissingParts } from './outcome.ts'
import type {
  ResponseEvent,
  ResponseQuirk,
  ResponseQuirkCode,
  TerminalEventType,
  UnknownResponseEvent,
} from './types.ts'

/** An event as parsed, before its type is checked. */
type AnyEvent = (ResponseEvent | UnknownResponseEvent) & Record<string, unknown>

const TERMINAL_EVENTS = new Set<string>(['response.completed', 'response.incomplete', 'response.failed'])

/** Event types that need `output_index` of an added, not done, item (the hosted tools' too). */
function isItemEvent(type: string): boolean {
  return type.startsWith('response.') && !type.startsWith('response.output_item.') && !isLifecycle(type)
}

/** The events that carry the whole response. */
function isLifecycle(type: string): boolean {
  return (
    type === 'response.created' ||
    type === 'response.queued' ||
    type === 'response.in_progress' ||
    TERMINAL_EVENTS.has(type)
  )
}

/** Event types whose `content_index` names a content part added by `response.content_part.added`. */
const PART_EVENTS = new Set<string>([
  'response.content_part.done',
  'response.output_text.delta',
  'response.output_text.done',
  'response.output_text.annotation.added',
  'response.refusal.delta',
  'response.refusal.done',
  'response.reasoning_text.delta',
  'response.reasoning_text.done',
])

/**
 * Options of {@link ResponseEventDecoder} and its streams.
 *
 * @example A cut-off stream that closes instead of failing
 * ```ts
 * import { ResponseEventDecoderStream, type ResponseEventDecoderOptions } from '@sluice/responses'
 * import { SSEStream } from '@sluice/sse'
 *
 * const options: ResponseEventDecoderOptions = { truncated: 'close', onTruncated: (error) => console.warn(error.message) }
 * const events = response.body!.pipeThrough(new SSEStream()).pipeThrough(new ResponseEventDecoderStream(options))
 * ```
 */
export interface ResponseEventDecoderOptions {
  /**
   * What follows the terminal event (see `@sluice/openai`'s `AfterDone`): the output closes
   * at the terminal event in every mode.
   * @default 'auto'
   */
  afterTerminal?: AfterDone
  /**
   * What a stream cut off before its terminal event does: `'error'` errors with
   * {@link TruncatedResponseError}, `'close'` closes and passes it to `onTruncated`.
   * @default 'error'
   */
  truncated?: 'error' | 'close'
  /** Called with the cut-off stream's error, with `truncated: 'close'`. */
  onTruncated?: (error: TruncatedResponseError) => void
  /** Called for each quirk (see {@link ResponseQuirkCode}). */
  onQuirk?: (quirk: ResponseQuirk) => void
  /**
   * Turn every quirk into a `StrictModeError`.
   * @default false
   */
  strict?: boolean
}

/** What the decoder knows of one output item. */
interface ItemState {
  type: string
  id: string | undefined
  done: boolean
  /** Characters its deltas carried. */
  characters: number
  /** The function call arguments received, for a function call. */
  json: string | undefined
  /** The content indexes added. */
  readonly parts: Set<number>
}

/**
 * Turns the server-sent events of an OpenAI Responses stream into typed
 * {@link ResponseEvent}s, checking the order the API guarantees: `response.created` →
 * `response.in_progress` → (`response.output_item.added` → (`response.content_part.added` →
 * deltas → `….done` → `response.content_part.done`)* → `response.output_item.done`)* →
 * exactly one of `response.completed`, `response.incomplete`, `response.failed`. There is no
 * `[DONE]`.
 *
 * - `error` events (flat, `{"type":"error","code":…,"message":…}`, or nested in `error`)
 *   error with `@sluice/openai`'s `ProviderError` (with `retryable`), after every event
 *   before them; `response.failed` is handed over, then errors the same way with the
 *   response's `error`.
 * - Events are routed by `output_index` (and `content_index`; an `item_id` that changes is a
 *   quirk): one for an item never added or already done, a second `response.created` of
 *   another response (two in one body), an `event:` name other than the data's `type`, errors with
 *   {@link UnexpectedResponseEventError}; data that is not a JSON object with a `type` with
 *   {@link ResponseEventParseError} (which names a Chat Completions chunk as such).
 * - `sequence_number` must rise by one: a gap is a quirk (events were lost), as is a stream
 *   that starts after `response.created` (a resumed replay: items not seen added are taken).
 * - Event types this version does not know (`keepalive`, `response.rate_limits.updated`, …)
 *   pass through; after the terminal event, everything is discarded (a quirk).
 * - A stream that ends without a terminal event errors with {@link TruncatedResponseError}
 *   (or closes, see `truncated`); {@link ResponseEventDecoder.outcome} gives the verdict.
 *
 * @example Events from a response body
 * ```ts
 * import { SSEStream } from '@sluice/sse'
 * import { ResponseEventDecoderStream } from '@sluice/responses'
 *
 * const events = response.body!.pipeThrough(new SSEStream()).pipeThrough(new ResponseEventDecoderStream())
 * for await (const event of events) console.log(event.type)
 * ```
 */
export class ResponseEventDecoder extends FormatEventDecoder<ResponseEvent, ResponseProgress, TruncatedResponseError> {
  readonly #drain: boolean
  #responseId: string | null = null
  #resumed = false
  #sawCreated = false
  #terminal: TerminalEventType | null = null
  #incompleteReason: string | null = null
  #lastSequence: number | null = null
  readonly #items = new Map<number, ItemState>()

  constructor(options: ResponseEventDecoderOptions = {}) {
    super('ResponseEventDecoder', options)
    this.#drain = checkAfterTerminal(options.afterTerminal, 'ResponseEventDecoder') === 'drain'
  }

  /** The outcome of the stream, settled once when it ends. Never rejects. */
  override get outcome(): Promise<ResponseOutcome> {
    return super.outcome
  }

  protected formatProgress(progress: StreamProgress): ResponseProgress {
    const openItems: OpenItem[] = []
    for (const [outputIndex, item] of this.#items) {
      if (item.done) continue
      const open: OpenItem = { outputIndex, type: item.type, characters: item.characters }
      if (item.json !== undefined) open.completeJSON = isWholeJSON(item.json)
      openItems.push(open)
    }
    return {
      ...progress,
      responseId: this.#responseId,
      terminal: this.#terminal,
      incompleteReason: this.#incompleteReason,
      lastSequenceNumber: this.#lastSequence,
      resumed: this.#resumed,
      openItems,
    }
  }

  protected missingParts(progress: ResponseProgress): string[] {
    return responseMissingParts(progress)
  }

  protected truncatedError(outcome: FormatOutcome<ResponseProgress>): TruncatedResponseError {
    return new TruncatedResponseError(outcome)
  }

  /** Decodes one event and enqueues it; ends the output at the terminal event. */
  protected decode(event: ServerSentEvent, eventIndex: number, controller: TransformController<ResponseEvent>): void {
    if (this.#terminal !== null) {
      this.quirk(
        'event-after-terminal',
        `an event after ${this.#terminal} was discarded (type ${JSON.stringify(event.type)})`,
        eventIndex,
      )
      return
    }
    const data = event.data
    if (data.length < 16 && data.trim() === '[DONE]') {
      this.quirk('done-marker', 'a [DONE] event (the Responses API sends none) was skipped', eventIndex)
      return
    }
    const value = this.#parse(data, eventIndex)
    const type = value.type
    if (event.type === 'message') {
      if (type !== 'message')
        this.quirk('missing-event-type', `an event without event: was taken as its data's type, ${type}`, eventIndex)
    } else if (event.type !== type) {
      throw new UnexpectedResponseEventError(
        event.type,
        `its data's type is ${JSON.stringify(type)}`,
        this.position(eventIndex),
      )
    }
    this.#sequence(value, eventIndex)
    if (!this.#check(value, eventIndex)) return
    controller.enqueue(value as ResponseEvent) // an unknown type passes through as received
    if (this.#terminal === null) return
    if (this.#terminal === 'response.failed') throw this.#failure(value, eventIndex)
    this.settle(this.completeOutcome())
    if (!this.#drain) controller.terminate()
  }

  /** Data as a JSON object with a string `type`. */
  #parse(data: string, eventIndex: number): AnyEvent {
    let value: unknown
    try {
      value = JSON.parse(data)
    } catch (cause) {
      throw new ResponseEventParseError(data, 'data is not JSON', this.position(eventIndex), { cause })
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value))
      throw new ResponseEventParseError(data, 'data is not a JSON object', this.position(eventIndex))
    const { type, object } = value as { type?: unknown; object?: unknown }
    if (typeof type === 'string') return value as AnyEvent
    const why =
      object === 'chat.completion.chunk' || Array.isArray((value as { choices?: unknown }).choices)
        ? 'this is a Chat Completions stream (chat.completion.chunk), not a Responses stream: read it with ChatChunkStream from @sluice/openai, or chatStream() from @sluice/chat, which reads both'
        : 'data is not a JSON object with a string type'
    throw new ResponseEventParseError(data, why, this.position(eventIndex))
  }

  /** Checks `sequence_number` rises by one (a quirk where it does not). */
  #sequence(value: AnyEvent, eventIndex: number): void {
    const sequence = value.sequence_number
    if (typeof sequence !== 'number') return
    const last = this.#lastSequence
    this.#lastSequence = sequence
    if (last === null || sequence === last + 1) return
    if (sequence > last + 1) {
      const missing = sequence - last - 1
      this.quirk(
        'sequence-gap',
        `sequence_number ${sequence} follows ${last}: ${missing} event${missing === 1 ? ' is' : 's are'} missing`,
        eventIndex,
      )
    } else {
      this.quirk('sequence-not-rising', `sequence_number ${sequence} follows ${last}: kept`, eventIndex)
    }
  }

  /** Checks one event against the stream's order and updates the state: whether to emit it. */
  #check(value: AnyEvent, eventIndex: number): boolean {
    const type = value.type
    const at = () => this.position(eventIndex)
    if (type === 'error') throw new ProviderError(errorFields(value), JSON.stringify(value), at())
    if (isLifecycle(type)) return this.#lifecycle(value, eventIndex)
    if (!type.startsWith('response.')) return true // keepalive, and types this version does not know
    if (this.#responseId === null && !this.#resumed) this.#resume(type, eventIndex)
    if (type === 'response.output_item.added') {
      const outputIndex = this.#index(value, 'output_index', eventIndex)
      const item = value.item as { type?: unknown; id?: unknown } | undefined
      if (typeof item !== 'object' || item === null || typeof item.type !== 'string')
        throw new UnexpectedResponseEventError(type, 'it has no item with a string type', at())
      if (this.#items.has(outputIndex))
        throw new UnexpectedResponseEventError(type, `output item ${outputIndex} was added before`, at())
      this.#items.set(outputIndex, {
        type: item.type,
        id: typeof item.id === 'string' ? item.id : undefined,
        done: false,
        characters: 0,
        json: item.type === 'function_call' ? '' : undefined,
        parts: new Set(),
      })
      return true
    }
    if (type === 'response.output_item.done') {
      const item = this.#item(value, eventIndex)
      item.done = true
      return true
    }
    if (!isItemEvent(type) || value.output_index === undefined) return true
    const item = this.#item(value, eventIndex)
    if (type === 'response.content_part.added') {
      item.parts.add(this.#index(value, 'content_index', eventIndex))
      return true
    }
    if (PART_EVENTS.has(type)) {
      const contentIndex = this.#index(value, 'content_index', eventIndex)
      if (!item.parts.has(contentIndex)) {
        item.parts.add(contentIndex)
        if (!this.#resumed)
          this.quirk(
            'missing-content-part',
            `content part ${contentIndex} of output item ${value.output_index} was never added: added there`,
            eventIndex,
          )
      }
    }
    if (typeof value.delta === 'string') {
      item.characters += value.delta.length
      if (type === 'response.function_call_arguments.delta' && item.json !== undefined) item.json += value.delta
    } else if (type === 'response.function_call_arguments.done' && typeof value.arguments === 'string') {
      if (item.json === '') item.characters += value.arguments.length
      if (item.json !== undefined) item.json = value.arguments
    }
    return true
  }

  /** The events that carry the response: the start, `response.in_progress`, the terminal events. */
  #lifecycle(value: AnyEvent, eventIndex: number): boolean {
    const type = value.type
    const response = value.response as { id?: unknown; incomplete_details?: { reason?: unknown } | null } | undefined
    if (typeof response !== 'object' || response === null || typeof response.id !== 'string')
      throw new UnexpectedResponseEventError(type, 'it has no response with a string id', this.position(eventIndex))
    const id = response.id
    if (this.#responseId === null) {
      if (type !== 'response.created' && !this.#resumed) this.#resume(type, eventIndex)
      this.#responseId = id
    } else if (type === 'response.created' && (this.#sawCreated || this.#resumed)) {
      if (id !== this.#responseId) {
        throw new UnexpectedResponseEventError(
          type,
          `another response (${id}) started in the stream of ${this.#responseId}: two responses in one body`,
          this.position(eventIndex),
        )
      }
      this.quirk('duplicate-response-created', `a second response.created of ${id} was dropped`, eventIndex)
      return false
    } else if (id !== this.#responseId) {
      this.quirk(
        'response-id-changed',
        `${type} names response ${JSON.stringify(id)}, not ${JSON.stringify(this.#responseId)} (a gateway rotating ids): kept`,
        eventIndex,
      )
    }
    if (type === 'response.created') this.#sawCreated = true
    if (TERMINAL_EVENTS.has(type)) {
      this.#terminal = type as TerminalEventType
      const reason = response.incomplete_details?.reason
      if (type === 'response.incomplete') this.#incompleteReason = typeof reason === 'string' ? reason : 'unknown'
    }
    return true
  }

  /** The stream started after `response.created`: a resumed replay. */
  #resume(type: string, eventIndex: number): void {
    this.#resumed = true
    this.quirk(
      'resumed-stream',
      `the stream starts with ${type}, not response.created: read as a resumed replay (items not seen added are taken as they come)`,
      eventIndex,
    )
  }

  /** The item an event names by `output_index`: added (or taken, in a resumed replay) and not done. */
  #item(value: AnyEvent, eventIndex: number): ItemState {
    const outputIndex = this.#index(value, 'output_index', eventIndex)
    let item = this.#items.get(outputIndex)
    if (!item) {
      if (!this.#resumed) {
        throw new UnexpectedResponseEventError(
          value.type,
          `output item ${outputIndex} was never added`,
          this.position(eventIndex),
        )
      }
      const given = value.item as { type?: unknown } | undefined
      const itemType = typeof given?.type === 'string' ? given.type : 'unknown'
      item = { type: itemType, id: undefined, done: false, characters: 0, json: undefined, parts: new Set() }
      this.#items.set(outputIndex, item)
    }
    if (item.done) {
      throw new UnexpectedResponseEventError(
        value.type,
        `output item ${outputIndex} was done before`,
        this.position(eventIndex),
      )
    }
    const itemId = value.item_id ?? (value.item as { id?: unknown } | undefined)?.id
    if (typeof itemId === 'string' && itemId !== item.id) {
      if (item.id !== undefined)
        this.quirk(
          'item-id-changed',
          `${value.type} names item ${JSON.stringify(itemId)} at output_index ${outputIndex}, added as ${JSON.stringify(item.id)} (routed by output_index)`,
          eventIndex,
        )
      item.id = itemId
    }
    return item
  }

  /** A field that must be an integer >= 0. */
  #index(value: AnyEvent, field: string, eventIndex: number): number {
    const index = value[field]
    if (typeof index === 'number' && Number.isInteger(index) && index >= 0) return index
    throw new UnexpectedResponseEventError(
      value.type,
      `it needs ${field} (an integer >= 0), got ${JSON.stringify(index)}`,
      this.position(eventIndex),
    )
  }

  /** The error `response.failed` ends the stream with: the response's `error`. */
  #failure(value: AnyEvent, eventIndex: number): ProviderError {
    const error = (value.response as { error?: { code?: unknown; message?: unknown; type?: unknown } | null }).error
    const fields: { message: string; type?: string; code?: string } = {
      message: typeof error?.message === 'string' ? error.message : 'the response failed (response.failed)',
    }
    if (typeof error?.type === 'string') fields.type = error.type
    if (typeof error?.code === 'string') fields.code = error.code
    return new ProviderError(fields, JSON.stringify(error ?? null), this.position(eventIndex))
  }

  /** The terminal event as the last line without its blank line: the SSE rules discard it, but it is unambiguous. */
  protected override takeDiscarded(controller: TransformController<ResponseEvent>): void {
    const record = this.events.record
    const discarded = record.discardedEvent
    if (this.#terminal !== null || discarded === null) return
    if (discarded.type !== '' && discarded.type !== 'message' && !TERMINAL_EVENTS.has(discarded.type)) return
    let value: AnyEvent
    try {
      value = JSON.parse(discarded.data)
    } catch {
      return
    }
    if (typeof value?.type !== 'string' || !TERMINAL_EVENTS.has(value.type)) return
    record.unfinishedEvent = null // taken: nothing was lost
    const eventIndex = this.events.events
    this.quirk(
      'unterminated-terminal-event',
      `${value.type} ended the input without its closing blank line: taken`,
      eventIndex,
    )
    if (!this.#check(value, eventIndex)) return
    controller.enqueue(value as ResponseEvent)
    if (this.#terminal === 'response.failed') throw this.#failure(value, eventIndex)
  }

  protected override quirk(code: ResponseQuirkCode, message: string, eventIndex: number): void {
    super.quirk(code, message, eventIndex)
  }
}

/** Checks an `afterTerminal` option, for the decoder and the streams. */
export function checkAfterTerminal(afterTerminal: unknown, where: string): AfterDone {
  return checkAfterEnd(afterTerminal, 'afterTerminal', where)
}

/** The fields of an `error` event, flat (`{"type":"error","code":…,"message":…}`) or nested in `error`. */
function errorFields(value: Record<string, unknown>): {
  message: string
  type?: string
  code?: string | number
  param?: string
} {
  const nested = value.error
  const source = (typeof nested === 'object' && nested !== null ? nested : value) as Record<string, unknown>
  const fields: { message: string; type?: string; code?: string | number; param?: string } = {
    message: typeof source.message === 'string' ? source.message : JSON.stringify(value),
  }
  if (typeof source.type === 'string' && source !== value) fields.type = source.type
  if (typeof source.code === 'string' || typeof source.code === 'number') fields.code = source.code
  if (typeof source.param === 'string') fields.param = source.param
  return fields
}

/** Whether `text` is one whole JSON value (`''` is not: no arguments arrived). */
function isWholeJSON(text: string): boolean {
  try {
    JSON.parse(text)
    return true
  } catch {
    return false
  }
}

/**
 * {@link ResponseEventDecoder} as a `TransformStream`: server-sent events in, typed
 * {@link ResponseEvent}s out. The output closes at the terminal event.
 *
 * @example
 * ```ts
 * import { SSEStream } from '@sluice/sse'
 * import { ResponseEventDecoderStream } from '@sluice/responses'
 *
 * const decoder = new ResponseEventDecoderStream()
 * await response.body!.pipeThrough(new SSEStream()).pipeThrough(decoder).pipeTo(new WritableStream())
 * console.log((await decoder.outcome).status)
 * ```
 */
export class ResponseEventDecoderStream extends RecordedTransformStream<
  ServerSentEvent,
  ResponseEvent,
  ResponseProgress,
  ResponseEventDecoder
> {
  constructor(
    options: ResponseEventDecoderOptions = {},
    writableStrategy?: QueuingStrategy<ServerSentEvent>,
    readableStrategy?: QueuingStrategy<ResponseEvent>,
  ) {
    const afterTerminal = checkAfterTerminal(options.afterTerminal, 'ResponseEventDecoderStream')
    // The decoder always ends the output at the terminal event; the stream drains or cancels its input.
    const decoder = new ResponseEventDecoder({ ...options, afterTerminal: 'cancel' })
    super(decoder, writableStrategy, readableStrategy, { afterTerminate: afterTerminal })
  }

  /** See {@link ResponseEventDecoder.outcome}. */
  get outcome(): Promise<ResponseOutcome> {
    return this.stage.outcome
  }
}
