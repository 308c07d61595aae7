import {
  Latch,
  type RecordedStage,
  RecordedTransformStream,
  StreamRecord,
  type StreamTransformer,
  type TransformController,
} from '@sluice/compose'
import type { ServerSentEvent } from '@sluice/sse'
import { streamErrorFields } from './api-error.ts'
import { type ChatRecord, chatProgress, chatRecordOf } from './chat-record.ts'
import { joinContentParts } from './content-parts.ts'
import {
  ChunkParseError,
  type EventPosition,
  ProviderError,
  StrictModeError,
  TruncatedStreamError,
  UnexpectedChunkError,
  UnsupportedFormatError,
} from './errors.ts'
import { formatOfEventType, formatOfObject } from './foreign-format.ts'
import { type ChatProgress, outcomeOf, outcomeOfEnd, type StreamOutcome } from './outcome.ts'
import type { ChatCompletionChunk, ChunkQuirk, ChunkQuirkCode, ForeignFormat } from './types.ts'

const DONE = '[DONE]'

/**
 * Options of {@link ChunkDecoder} and {@link ChunkDecoderStream}.
 *
 * @example A cut-off stream that closes instead of failing
 * ```ts
 * import { SSEStream } from '@sluice/sse'
 * import { ChunkDecoderStream, type ChunkDecoderOptions } from '@sluice/openai'
 *
 * const events = new SSEStream()
 * const options: ChunkDecoderOptions = {
 *   truncated: 'close',
 *   onTruncated: (error) => console.warn(error.message),
 * }
 * const chunks = response.body!.pipeThrough(events).pipeThrough(new ChunkDecoderStream(options))
 * ```
 */
export interface ChunkDecoderOptions {
  /**
   * What follows `data: [DONE]`. In every mode the output closes at `[DONE]` (after what
   * came before it) and nothing after it is decoded or can fail the stream.
   * - `'auto'`: the input is cancelled when a pipe feeds the stream (`pipeThrough`: a fetch
   *   body is released at once) and drained when a writer does (Node's `stream.pipeline`,
   *   `Duplex.fromWeb`), so a pipeline resolves.
   * - `'cancel'`: the input is always cancelled (a `stream.pipeline` then rejects).
   * - `'drain'`: the input is read to its end and discarded. The plain `ChunkDecoder` in a
   *   `TransformStream` of your own keeps its output open until the input ends, discarding
   *   (and reporting, `event-after-done`) the events after `[DONE]`; `iterate()` drains too.
   * In a `TransformStream` of your own, `'auto'` and `'cancel'` call `controller.terminate()`.
   * @default 'auto'
   */
  afterDone?: AfterDone
  /**
   * What an event whose data is not JSON does. `'error'`: errors the stream with
   * {@link ChunkParseError}. `'skip'`: the event is skipped and the error passed to
   * `onInvalidJSON`.
   * @default 'error'
   */
  invalidJSON?: 'error' | 'skip'
  /** Called with each skipped event's error, with `invalidJSON: 'skip'`. */
  onInvalidJSON?: (error: ChunkParseError) => void
  /**
   * What a stream that was cut off does (one that ends with neither `[DONE]` nor a
   * `finish_reason` on every choice, or with no chunk at all). `'error'`: errors the
   * stream with {@link TruncatedStreamError}. `'close'`: closes it normally and passes
   * the error to `onTruncated`.
   * @default 'error'
   */
  truncated?: 'error' | 'close'
  /** Called with the cut-off stream's error, with `truncated: 'close'`. */
  onTruncated?: (error: TruncatedStreamError) => void
  /** Called for each quirk: each repair the decoder makes and each irregular event it skips. */
  onQuirk?: (quirk: ChunkQuirk) => void
  /**
   * Turn every quirk (see {@link ChunkQuirkCode}) into a {@link StrictModeError}.
   * @default false
   */
  strict?: boolean
  /**
   * Called with each chunk before it is emitted and where it came from, for apps that
   * trace raw frames.
   */
  onChunk?: (chunk: ChatCompletionChunk, info: ChunkInfo) => void
}

/**
 * What follows `data: [DONE]`: see {@link ChunkDecoderOptions.afterDone}.
 *
 * @example Drain the input in every runtime
 * ```ts
 * import { ChatChunkStream, type AfterDone } from '@sluice/openai'
 *
 * const afterDone: AfterDone = 'drain'
 * const chunks = response.body!.pipeThrough(new ChatChunkStream({ afterDone }))
 * ```
 */
export type AfterDone = 'auto' | 'cancel' | 'drain'

/** Whether event data is the `[DONE]` sentinel (surrounding whitespace allowed). */
function isDone(data: string): boolean {
  return data === DONE || (data.length < 16 && data.trim() === DONE)
}

/** Checks an `afterDone` option, for the decoder and the streams. */
export function checkAfterDone(afterDone: unknown, where: string): AfterDone {
  if (afterDone !== 'auto' && afterDone !== 'cancel' && afterDone !== 'drain') {
    throw new TypeError(`${where}: afterDone must be 'auto', 'cancel' or 'drain', got ${String(afterDone)}`)
  }
  return afterDone
}

/**
 * Where a chunk came from, given to `onChunk`.
 *
 * @example Trace where each chunk came from
 * ```ts
 * import { ChatChunkStream } from '@sluice/openai'
 *
 * const chunks = new ChatChunkStream({
 *   onChunk: (chunk, { index, eventIndex, lineNumber }) => console.debug(`chunk ${index} (${chunk.id}) from event ${eventIndex}, line ${lineNumber}`),
 * })
 * ```
 */
export interface ChunkInfo {
  /** 0-based index of the chunk among those emitted. */
  index: number
  /** 0-based index of the server-sent event that carried it. */
  eventIndex: number
  /** 1-based input line number that ended that event, when an SSE stage shares the record. */
  lineNumber: number | undefined
  /** Byte offset just past that line, when the line splitter counts offsets (see the SSE stage's `EventInfo`). */
  byteOffset: number | undefined
}

/**
 * Turns server-sent events into typed `chat.completion.chunk` objects, for any
 * OpenAI-compatible provider (OpenAI, Azure OpenAI, Eden AI, OpenRouter, Groq, Together,
 * vLLM, Ollama, DeepSeek, Mistral, Gemini's compatible API, …).
 *
 * - `data: [DONE]` ends the output (see `afterDone`).
 * - `event: error`, or a chunk with a top-level `error`, errors with {@link ProviderError}.
 * - Data that is not JSON errors with {@link ChunkParseError} (or is skipped, see `invalidJSON`).
 * - Several chunks in one event (`data:` lines without blank lines between them, as GLM and
 *   Kimi send) are split, and reported through `onQuirk`.
 * - A stream cut off before `[DONE]` and before every choice has a `finish_reason` errors
 *   with {@link TruncatedStreamError}; one with a `finish_reason` on every choice but no
 *   `[DONE]` is complete (many gateways never send `[DONE]`).
 * - Another wire format (Anthropic Messages, OpenAI Responses, legacy completions) errors
 *   at its first event with {@link UnsupportedFormatError}. Other event types (`ping`, …)
 *   are ignored; the usage chunk (`choices: []`) passes through.
 * - {@link ChunkDecoder.outcome} gives the outcome of the stream when it ends (see
 *   {@link StreamOutcome}), with what the stages before it wrote to the shared record.
 *
 * @example Chunks from a response body
 * ```ts
 * import { SSEStream } from '@sluice/sse'
 * import { ChunkDecoderStream } from '@sluice/openai'
 *
 * const chunks = response.body!.pipeThrough(new SSEStream()).pipeThrough(new ChunkDecoderStream())
 * for await (const chunk of chunks) process.stdout.write(chunk.choices[0]?.delta.content ?? '')
 * ```
 */
export class ChunkDecoder implements StreamTransformer<ServerSentEvent, ChatCompletionChunk>, RecordedStage {
  readonly #drain: boolean
  readonly #skipInvalidJSON: boolean
  readonly #onInvalidJSON: ((error: ChunkParseError) => void) | undefined
  readonly #closeTruncated: boolean
  readonly #onTruncated: ((error: TruncatedStreamError) => void) | undefined
  readonly #onQuirk: ((quirk: ChunkQuirk) => void) | undefined
  readonly #strict: boolean
  readonly #onChunk: ((chunk: ChatCompletionChunk, info: ChunkInfo) => void) | undefined
  #record!: StreamRecord
  /** This stage's position among those sharing the record. */
  #stage = 0
  #chat!: ChatRecord
  /** No SSE stage shares the record: this stage counts the events (and keeps the last event ID). */
  #countsEvents = true
  /** The SSE stage is across a pipe: event positions come from the record's queue (see `takeEventEnd`). */
  #piped = false
  /** Events received so far: the current event's 0-based index is `#events - 1`. */
  #events = 0
  #chunks = 0
  readonly #outcome = new Latch<StreamOutcome>()

  constructor(options: ChunkDecoderOptions = {}) {
    const { afterDone = 'auto', invalidJSON = 'error', truncated = 'error' } = options
    checkAfterDone(afterDone, 'ChunkDecoder')
    if (invalidJSON !== 'error' && invalidJSON !== 'skip') {
      throw new TypeError(`ChunkDecoder: invalidJSON must be 'error' or 'skip', got ${String(invalidJSON)}`)
    }
    if (truncated !== 'error' && truncated !== 'close') {
      throw new TypeError(`ChunkDecoder: truncated must be 'error' or 'close', got ${String(truncated)}`)
    }
    this.#drain = afterDone === 'drain'
    this.#skipInvalidJSON = invalidJSON === 'skip'
    this.#onInvalidJSON = options.onInvalidJSON
    this.#closeTruncated = truncated === 'close'
    this.#onTruncated = options.onTruncated
    this.#onQuirk = options.onQuirk
    this.#strict = options.strict ?? false
    this.#onChunk = options.onChunk
    this.useRecord(new StreamRecord())
  }

  /**
   * The outcome of the stream, settled once when it ends: at `[DONE]`, at the end of the
   * input, on an error, or when the stream is cancelled. Never rejects.
   */
  get outcome(): Promise<StreamOutcome> {
    return this.#outcome.promise
  }

  /**
   * The record of the stream this decoder writes to: `chunks` decoded, its quirks, and
   * (when no SSE stage shares it) `events` and `lastEventId`; its chat part
   * ({@link chatRecordOf}) holds `[DONE]` and each choice's finish reason.
   */
  get record(): StreamRecord {
    return this.#record
  }

  /** Writes to `record` from now on (see `RecordedStage`): the SSE stage's, when linked. */
  useRecord(record: StreamRecord, piped?: boolean): void {
    this.#stage = record.join(this)
    this.#countsEvents = record.events === null || record === this.#record
    if (this.#countsEvents) record.events = this.#events
    if (piped !== undefined) this.#piped = piped
    // Across a pipe, the SSE decoder runs ahead: it queues where each event ended for this stage.
    record.queueEventEnds(this.#piped && !this.#countsEvents)
    record.chunks = this.#chunks
    const chat = chatRecordOf(record)
    if (this.#chat) Object.assign(chat, this.#chat)
    chat.written = true
    this.#chat = chat
    this.#record = record
  }

  /** What this stage and the stages before it saw so far (the outcome's facts). */
  get progress(): ChatProgress {
    return chatProgress(this.#record, this.#stage, this.#chat)
  }

  /** Whether `data: [DONE]` has arrived. */
  get done(): boolean {
    return this.#chat.sawDone
  }

  /** Decodes one event: enqueues its chunk (or chunks), ends the output at `[DONE]`, errors on a provider error or bad data. */
  transform(event: ServerSentEvent, controller: TransformController<ChatCompletionChunk>): void {
    try {
      this.#event(event, controller)
    } catch (error) {
      this.#outcome.settle(outcomeOfEnd(this.progress, error))
      this.#stopReading()
      throw error
    }
  }

  /** The end of the input: settles `outcome`, and errors with {@link TruncatedStreamError} if the stream was cut off (unless `truncated: 'close'`). */
  flush(): void {
    try {
      this.#end()
    } catch (error) {
      this.#outcome.settle(outcomeOfEnd(this.progress, error))
      throw error
    }
  }

  /** The stream was cancelled, or its input failed (the newer Streams spec's transformer hook). */
  cancel(reason?: unknown): void {
    this.#outcome.settle(outcomeOfEnd(this.progress, reason))
    this.#stopReading()
  }

  /** No more events come to this stage: the SSE decoder stops queueing their positions (a drained tail stays bounded). */
  #stopReading(): void {
    if (this.#piped) this.#record.queueEventEnds(false)
  }

  #event(event: ServerSentEvent, controller: TransformController<ChatCompletionChunk>): void {
    const eventIndex = this.#events++
    if (this.#piped) this.#record.takeEventEnd()
    if (this.#countsEvents) {
      this.#record.events = this.#events
      this.#record.lastEventId = event.lastEventId
    }
    if (this.#chat.sawDone) {
      // Nothing after [DONE] is emitted: only with afterDone: 'drain' in a stream of your own do events still come.
      this.#quirk(
        'event-after-done',
        `an event after [DONE] was discarded (type ${JSON.stringify(event.type)})`,
        eventIndex,
      )
      return
    }
    const { type, data } = event
    if (type === 'message') return this.#message(data, eventIndex, controller)
    if (type === 'error') throw this.#providerError(data, eventIndex)
    const format = formatOfEventType(type)
    if (format) this.#foreign(format, `event: ${type}`, eventIndex)
    // Any other event type (ping, …) is not part of the chunk stream.
  }

  #end(): void {
    // `data: [DONE]` as the last line, with one LF or none: the SSE rules discard an event
    // no blank line closed, but `[DONE]` is unambiguous (the official SDK accepts it too).
    const discarded = this.#record.discardedEvent
    const message = discarded !== null && (discarded.type === '' || discarded.type === 'message')
    if (!this.#chat.sawDone && message && isDone(discarded.data)) {
      this.#chat.sawDone = true
      this.#record.unfinishedEvent = null // taken as [DONE]: nothing was lost
      this.#quirk(
        'unterminated-done',
        'data: [DONE] ended the input without its closing blank line: taken as [DONE]',
        this.#events,
        this.#record.lines ?? undefined, // the last line of the input, not the last event's
      )
    }
    const outcome = outcomeOf(this.progress)
    if (outcome.status === 'complete') return this.#outcome.settle(outcome)
    const error = new TruncatedStreamError(outcome)
    if (!this.#closeTruncated) throw error
    this.#outcome.settle({ ...outcome, error })
    this.#onTruncated?.(error)
  }

  #message(data: string, eventIndex: number, controller: TransformController<ChatCompletionChunk>): void {
    if (isDone(data)) {
      this.#chat.sawDone = true
      if (!this.#drain) {
        this.#outcome.settle(outcomeOf(this.progress))
        this.#stopReading()
        controller.terminate()
      }
      return
    }
    // A keep-alive some gateways send as an empty `data:` event: skipped without a throw.
    if (data.length === 0) return this.#quirk('empty-data', 'an event with empty data was skipped', eventIndex)
    let value: unknown
    try {
      value = JSON.parse(data)
    } catch (cause) {
      this.#unparsable(data, eventIndex, cause, controller)
      return
    }
    this.#chunk(value, data, eventIndex, controller)
  }

  /** Data that does not parse as one JSON document: several chunks without separators, or an error. */
  #unparsable(
    data: string,
    eventIndex: number,
    cause: unknown,
    controller: TransformController<ChatCompletionChunk>,
  ): void {
    if (data.trim() === '') {
      this.#quirk('empty-data', 'an event with empty data was skipped', eventIndex)
      return
    }
    if (data.includes('\n') && this.#splitChunks(data, eventIndex, controller)) return
    const error = new ChunkParseError(data, this.#position(eventIndex), { cause })
    if (!this.#skipInvalidJSON) throw error
    this.#onInvalidJSON?.(error)
  }

  /**
   * Several chunks in one event (`data:` lines without a blank line between them, as GLM and
   * Kimi send): each decoded, when every line is JSON. Returns whether it was so.
   */
  #splitChunks(data: string, eventIndex: number, controller: TransformController<ChatCompletionChunk>): boolean {
    const lines = data.split('\n')
    // The blank line may be missing before `data: [DONE]` too: then it is the last line.
    const endsWithDone = lines[lines.length - 1]!.trim() === DONE
    if (endsWithDone) lines.pop()
    const values: unknown[] = []
    for (const line of lines) {
      try {
        values.push(JSON.parse(line))
      } catch {
        return false
      }
    }
    const held = `${lines.length} chunk${lines.length === 1 ? '' : 's'}${endsWithDone ? ' and [DONE]' : ''}`
    const message = `one event held ${held} (data: lines without a blank line between them): decoded each`
    this.#quirk('missing-separator', message, eventIndex)
    for (const [index, value] of values.entries()) this.#chunk(value, lines[index]!, eventIndex, controller)
    if (endsWithDone) this.#message(DONE, eventIndex, controller)
    return true
  }

  #chunk(value: unknown, data: string, eventIndex: number, controller: TransformController<ChatCompletionChunk>): void {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw new UnexpectedChunkError(data, 'data is JSON but not an object', this.#position(eventIndex))
    }
    const chunk = value as Partial<ChatCompletionChunk> & { error?: unknown; type?: unknown }
    if (chunk.error !== undefined && chunk.error !== null) throw this.#providerError(data, eventIndex, value)
    const choices = chunk.choices
    if (!Array.isArray(choices)) {
      this.#unknownShape(chunk, data, eventIndex)
      ;(chunk as ChatCompletionChunk).choices = []
    } else {
      for (const [position, choice] of choices.entries()) {
        if (typeof choice !== 'object' || choice === null) {
          throw new UnexpectedChunkError(data, `choices[${position}] is not an object`, this.#position(eventIndex))
        }
        if (typeof choice.index !== 'number') {
          this.#quirk('missing-index', `choices[${position}] had no index: given its position, ${position}`, eventIndex)
          choice.index = position
        }
        if (choice.delta === undefined || choice.delta === null) {
          if (typeof (choice as { text?: unknown }).text === 'string')
            this.#foreign('legacy-completions', 'choices[].text', eventIndex)
          // Azure's content-filter annotation chunks carry no delta by design: not a repair.
          if ((choice as { content_filter_results?: unknown }).content_filter_results === undefined) {
            this.#quirk('missing-delta', `choice ${choice.index} had no delta: given an empty one`, eventIndex)
          }
          choice.delta = {}
        } else if (Array.isArray(choice.delta.content)) {
          this.#quirk('content-parts', joinContentParts(choice.delta, choice.index), eventIndex)
        }
        const reason = choice.finish_reason
        if (reason != null) this.#chat.finishReasons[choice.index] = reason
        else if (this.#chat.finishReasons[choice.index] === undefined) this.#chat.finishReasons[choice.index] = null
      }
    }
    const index = this.#chunks++
    this.#record.chunks = this.#chunks
    if (this.#onChunk) {
      const record = this.#record
      const byteOffset = this.#piped ? record.eventByteOffset : record.byteOffset
      this.#onChunk(chunk as ChatCompletionChunk, { index, eventIndex, lineNumber: this.#line(), byteOffset })
    }
    controller.enqueue(chunk as ChatCompletionChunk)
  }

  /** A JSON object without `choices`: another format, a usage-only chunk, or an error. */
  #unknownShape(chunk: { type?: unknown; object?: unknown; usage?: unknown }, data: string, eventIndex: number): void {
    const foreign = formatOfObject(chunk)
    if (foreign) this.#foreign(foreign.format, foreign.evidence, eventIndex)
    if (chunk.usage === undefined) {
      throw new UnexpectedChunkError(data, 'data is JSON but has no choices', this.#position(eventIndex))
    }
    this.#quirk('missing-choices', 'a usage chunk had no choices: given choices: []', eventIndex)
  }

  #foreign(format: ForeignFormat, evidence: string, eventIndex: number): never {
    throw new UnsupportedFormatError(format, evidence, this.#position(eventIndex))
  }

  /** `event: error` data, or a chunk with a top-level `error` (see `streamErrorFields`). */
  #providerError(data: string, eventIndex: number, parsed?: object): ProviderError {
    return new ProviderError(streamErrorFields(data, parsed), data, this.#position(eventIndex))
  }

  #quirk(code: ChunkQuirkCode, message: string, eventIndex: number, line = this.#line()): void {
    // Nobody would see it (the kept ones are full, no hook): a keep-alive repaired a million times costs nothing more.
    if (!this.#strict && !this.#onQuirk && !this.#record.keepsQuirks) return
    const quirk: ChunkQuirk = { code, message, eventIndex }
    if (line !== undefined) quirk.line = line
    if (this.#strict) throw new StrictModeError(quirk)
    this.#record.addQuirk(quirk, this.#stage)
    this.#onQuirk?.(quirk)
  }

  #position(eventIndex: number): EventPosition {
    return { eventIndex, line: this.#line() }
  }

  /** The line that ended the event being decoded, where an SSE stage shares the record. */
  #line(): number | undefined {
    return this.#piped ? this.#record.eventLine : (this.#record.lines ?? undefined)
  }
}

/**
 * {@link ChunkDecoder} as a `TransformStream`: server-sent events in,
 * `ChatCompletionChunk`s out. An `OrderedTransformStream` (`@sluice/compose`): the chunks
 * decoded before an error are read before it, and at `[DONE]` the output closes and the
 * input is cancelled or drained as `afterDone` says.
 *
 * @example Separate stages: pipeThrough links them, for one outcome
 * ```ts
 * import { SSEStream } from '@sluice/sse'
 * import { ChunkDecoderStream } from '@sluice/openai'
 *
 * const events = new SSEStream()
 * const chunks = new ChunkDecoderStream() // writes to the record of events (bytes, lines, quirks)
 * for await (const chunk of response.body!.pipeThrough(events).pipeThrough(chunks)) {
 *   process.stdout.write(chunk.choices[0]?.delta.content ?? '')
 * }
 * console.log((await chunks.outcome).status) // 'complete' when the stream ended well
 * ```
 */
export class ChunkDecoderStream extends RecordedTransformStream<
  ServerSentEvent,
  ChatCompletionChunk,
  ChatProgress,
  ChunkDecoder
> {
  constructor(
    options: ChunkDecoderOptions = {},
    writableStrategy?: QueuingStrategy<ServerSentEvent>,
    readableStrategy?: QueuingStrategy<ChatCompletionChunk>,
  ) {
    const afterDone = checkAfterDone(options.afterDone ?? 'auto', 'ChunkDecoderStream')
    // The decoder always ends the output at [DONE]; the stream drains or cancels its input.
    const decoder = new ChunkDecoder({ ...options, afterDone: 'cancel' })
    super(decoder, writableStrategy, readableStrategy, { afterTerminate: afterDone })
  }

  /** See {@link ChunkDecoder.outcome}. */
  get outcome(): Promise<StreamOutcome> {
    return this.stage.outcome
  }
}
