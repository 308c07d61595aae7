import { OrderedTransformStream } from '@sluice/compose'
import type { ServerSentEvent, SSEStage } from '@sluice/sse'
import {
  ChunkParseError,
  ProviderError,
  StrictModeError,
  TruncatedStreamError,
  UnexpectedChunkError,
  UnsupportedFormatError,
  type EventPosition,
} from './errors.ts'
import {
  judge,
  judgeEnd,
  OutcomeLatch,
  type ProgressSource,
  type StreamOutcome,
  type StreamProgress,
} from './outcome.ts'
import type {
  ChatCompletionChunk,
  ChatCompletionDelta,
  ContentPart,
  FinishReason,
  ForeignFormat,
  Quirk,
  QuirkCode,
} from './types.ts'

const DONE = '[DONE]'
/** Repairs kept for the verdict: enough to see what happened, bounded on a hostile stream. */
const MAX_KEPT_QUIRKS = 256

/** Event types of Anthropic's Messages stream. */
const ANTHROPIC_EVENTS = new Set([
  'message_start',
  'message_delta',
  'message_stop',
  'content_block_start',
  'content_block_delta',
  'content_block_stop',
])

/**
 * Options of {@link ChunkDecoder} and {@link ChunkDecoderStream}.
 *
 * @example A linked SSE stage, and a cut-off stream that closes instead of failing
 * ```ts
 * import { SSEStream } from '@sluice/sse'
 * import { ChunkDecoderStream, type ChunkDecoderOptions } from '@sluice/openai'
 *
 * const events = new SSEStream()
 * const options: ChunkDecoderOptions = {
 *   upstream: events, // line numbers in errors; bytes, lines and events in the verdict
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
  /** Called for each repair the decoder makes and each irregular event it skips. */
  onQuirk?: (quirk: Quirk) => void
  /**
   * Turn every repair (see {@link QuirkCode}) into a {@link StrictModeError}.
   * @default false
   */
  strict?: boolean
  /**
   * Called with each chunk before it is emitted and where it came from, for apps that
   * trace raw frames.
   */
  onChunk?: (chunk: ChatCompletionChunk, info: ChunkInfo) => void
  /**
   * The SSE stage before this one (`SSEDecoderStream`, `SSEStream`, or their transformers):
   * its line numbers go into error messages, and its counters, last event id and unfinished
   * trailing event into the verdict (`outcome`). `ChatChunkParser` and `ChatChunkStream`
   * link their own.
   */
  upstream?: SSEStage
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

/** The text of a thinking part: a string, or its text parts joined. */
function thinkingText(thinking: ContentPart['thinking']): string {
  if (typeof thinking === 'string') return thinking
  if (!Array.isArray(thinking)) return ''
  let text = ''
  for (const part of thinking) if (typeof part?.text === 'string') text += part.text
  return text
}

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
  /** 1-based input line number that ended that event, when the `upstream` SSE stage is linked. */
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
 * - {@link ChunkDecoder.outcome} gives the verdict on the stream when it ends (see
 *   {@link StreamOutcome}); link the SSE stage as `upstream` to include what it saw.
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
export class ChunkDecoder implements Transformer<ServerSentEvent, ChatCompletionChunk>, ProgressSource {
  readonly #drain: boolean
  readonly #skipInvalidJSON: boolean
  readonly #onInvalidJSON: ((error: ChunkParseError) => void) | undefined
  readonly #closeTruncated: boolean
  readonly #onTruncated: ((error: TruncatedStreamError) => void) | undefined
  readonly #onQuirk: ((quirk: Quirk) => void) | undefined
  readonly #strict: boolean
  readonly #onChunk: ((chunk: ChatCompletionChunk, info: ChunkInfo) => void) | undefined
  readonly #upstream: SSEStage | undefined
  /** Events received so far: the current event's 0-based index is `#events - 1`. */
  #events = 0
  #chunks = 0
  #done = false
  /** `[DONE]` was read from the unfinished event the SSE stage discarded at the end. */
  #doneUnterminated = false
  #lastEventId = ''
  /** The last `finish_reason` of each choice seen (`null`: none yet). */
  readonly #finishReasons: Record<number, FinishReason | null> = {}
  readonly #quirks: Quirk[] = []
  readonly #outcome = new OutcomeLatch()

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
    this.#upstream = options.upstream
  }

  /**
   * The verdict on the stream, settled when it ends: at `[DONE]`, at the end of the input,
   * at an error, or when the stream is cancelled or its input fails (`ChunkDecoderStream`
   * calls the `cancel` hook in every engine; a native `TransformStream` of your own does not
   * in Chromium, Firefox and WebKit). It never rejects: an error is the outcome's `error`.
   */
  get outcome(): Promise<StreamOutcome> {
    return this.#outcome.promise
  }

  /** What this stage and its `upstream` have seen so far (the verdict's facts). */
  get progress(): StreamProgress {
    const sse = this.#upstream?.progress
    return {
      sawDone: this.#done,
      finishReasons: { ...this.#finishReasons },
      unfinishedEvent: this.#doneUnterminated ? null : (sse?.unfinishedEvent ?? null),
      // Both stages number their repairs by input line: merged in input order.
      quirks: sse ? [...sse.quirks, ...this.#quirks].sort((a, b) => (a.line ?? 0) - (b.line ?? 0)) : [...this.#quirks],
      lastEventId: sse ? sse.lastEventId : this.#lastEventId,
      counts: {
        bytes: sse?.bytesRead ?? 0,
        lines: sse?.lineNumber ?? 0,
        events: sse ? sse.eventCount : this.#events,
        chunks: this.#chunks,
      },
    }
  }

  /** Whether `data: [DONE]` has arrived. */
  get done(): boolean {
    return this.#done
  }

  /** Decodes one event: enqueues its chunk (or chunks), ends the output at `[DONE]`, errors on a provider error or bad data. */
  transform(event: ServerSentEvent, controller: TransformStreamDefaultController<ChatCompletionChunk>): void {
    try {
      this.#event(event, controller)
    } catch (error) {
      this.#outcome.settle(judgeEnd(this.progress, error))
      throw error
    }
  }

  /** The end of the input: settles `outcome`, and errors with {@link TruncatedStreamError} if the stream was cut off (unless `truncated: 'close'`). */
  flush(): void {
    try {
      this.#end()
    } catch (error) {
      this.#outcome.settle(judgeEnd(this.progress, error))
      throw error
    }
  }

  /** The stream was cancelled, or its input failed (the newer Streams spec's transformer hook). */
  cancel(reason?: unknown): void {
    this.#outcome.settle(judgeEnd(this.progress, reason))
  }

  #event(event: ServerSentEvent, controller: TransformStreamDefaultController<ChatCompletionChunk>): void {
    const eventIndex = this.#events++
    this.#lastEventId = event.lastEventId
    if (this.#done) {
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
    if (type === 'error') throw this.#providerError(data, this.#position(eventIndex))
    if (ANTHROPIC_EVENTS.has(type)) this.#foreign('anthropic-messages', `event: ${type}`, eventIndex)
    if (type.startsWith('response.')) this.#foreign('openai-responses', `event: ${type}`, eventIndex)
    // Any other event type (ping, …) is not part of the chunk stream.
  }

  #end(): void {
    // `data: [DONE]` as the last line, with one LF or none: the SSE rules discard an event
    // no blank line closed, but `[DONE]` is unambiguous (the official SDK accepts it too).
    const discarded = this.#upstream?.progress.discardedEvent
    if (!this.#done && discarded && (discarded.type === '' || discarded.type === 'message') && isDone(discarded.data)) {
      this.#done = true
      this.#doneUnterminated = true
      this.#quirk(
        'unterminated-done',
        'data: [DONE] ended the input without its closing blank line: taken as [DONE]',
        this.#events,
      )
    }
    const outcome = judge(this.progress)
    if (outcome.status === 'complete') return this.#outcome.settle(outcome)
    const error = new TruncatedStreamError(outcome)
    if (!this.#closeTruncated) throw error
    this.#outcome.settle({ ...outcome, error })
    this.#onTruncated?.(error)
  }

  #message(data: string, eventIndex: number, controller: TransformStreamDefaultController<ChatCompletionChunk>): void {
    if (isDone(data)) {
      this.#done = true
      if (!this.#drain) {
        this.#outcome.settle(judge(this.progress))
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
    controller: TransformStreamDefaultController<ChatCompletionChunk>,
  ): void {
    if (data.trim() === '') {
      this.#quirk('empty-data', 'an event with empty data was skipped', eventIndex)
      return
    }
    if (data.includes('\n')) {
      const lines = data.split('\n')
      // The blank line may be missing before `data: [DONE]` too: then it is the last line.
      const endsWithDone = lines[lines.length - 1]!.trim() === DONE
      if (endsWithDone) lines.pop()
      const values: unknown[] = []
      for (const line of lines) {
        try {
          values.push(JSON.parse(line))
        } catch {
          break
        }
      }
      if (values.length === lines.length) {
        const held = `${lines.length} chunk${lines.length === 1 ? '' : 's'}${endsWithDone ? ' and [DONE]' : ''}`
        this.#quirk(
          'missing-separator',
          `one event held ${held} (data: lines without a blank line between them): decoded each`,
          eventIndex,
        )
        for (const [index, value] of values.entries()) this.#chunk(value, lines[index]!, eventIndex, controller)
        if (endsWithDone) this.#message(DONE, eventIndex, controller)
        return
      }
    }
    const error = new ChunkParseError(data, this.#position(eventIndex), { cause })
    if (!this.#skipInvalidJSON) throw error
    this.#onInvalidJSON?.(error)
  }

  #chunk(
    value: unknown,
    data: string,
    eventIndex: number,
    controller: TransformStreamDefaultController<ChatCompletionChunk>,
  ): void {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw new UnexpectedChunkError(data, 'data is JSON but not an object', this.#position(eventIndex))
    }
    const chunk = value as Partial<ChatCompletionChunk> & { error?: unknown; type?: unknown }
    if (chunk.error !== undefined && chunk.error !== null)
      throw this.#providerError(data, this.#position(eventIndex), value)
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
          this.#contentParts(choice.delta, choice.index, eventIndex)
        }
        const reason = choice.finish_reason
        if (reason != null) this.#finishReasons[choice.index] = reason
        else if (this.#finishReasons[choice.index] === undefined) this.#finishReasons[choice.index] = null
      }
    }
    const index = this.#chunks++
    if (this.#onChunk) {
      const sse = this.#upstream?.progress
      this.#onChunk(chunk as ChatCompletionChunk, {
        index,
        eventIndex,
        lineNumber: sse?.lineNumber,
        byteOffset: sse?.byteOffset,
      })
    }
    controller.enqueue(chunk as ChatCompletionChunk)
  }

  /**
   * `delta.content` as an array of parts (Mistral's reasoning models): the text parts joined
   * into `content` (a string, as typed), the thinking parts appended to `reasoning_content`,
   * the array kept as `content_parts` (unknown part types too: never dropped), reported.
   */
  #contentParts(delta: ChatCompletionDelta, choice: number, eventIndex: number): void {
    const parts = delta.content as unknown as unknown[]
    let text: string | null = null
    let thinking = ''
    const kinds: string[] = []
    for (const part of parts) {
      const { type } = (part ?? {}) as { type?: unknown }
      kinds.push(typeof type === 'string' ? type : typeof part)
      if (type === 'text' && typeof (part as ContentPart).text === 'string')
        text = (text ?? '') + (part as ContentPart).text
      else if (type === 'thinking') thinking += thinkingText((part as ContentPart).thinking)
    }
    delta.content_parts = parts as ContentPart[]
    delta.content = text
    if (thinking !== '')
      delta.reasoning_content = (typeof delta.reasoning_content === 'string' ? delta.reasoning_content : '') + thinking
    const unknown = kinds.filter((kind) => kind !== 'text' && kind !== 'thinking')
    const kept =
      unknown.length > 0 ? `; parts of type ${[...new Set(unknown)].join(', ')} are kept in content_parts only` : ''
    this.#quirk(
      'content-parts',
      `choice ${choice}'s content was an array of ${parts.length} part${parts.length === 1 ? '' : 's'} (${[...new Set(kinds)].join(', ')}): text joined into content, thinking into reasoning_content${kept}`,
      eventIndex,
    )
  }

  /** A JSON object without `choices`: another format, a usage-only chunk, or an error. */
  #unknownShape(chunk: { type?: unknown; object?: unknown; usage?: unknown }, data: string, eventIndex: number): void {
    if (typeof chunk.type === 'string') {
      if (ANTHROPIC_EVENTS.has(chunk.type)) this.#foreign('anthropic-messages', `"type":"${chunk.type}"`, eventIndex)
      if (chunk.type.startsWith('response.')) this.#foreign('openai-responses', `"type":"${chunk.type}"`, eventIndex)
    }
    if (chunk.object === 'text_completion')
      this.#foreign('legacy-completions', '"object":"text_completion"', eventIndex)
    if (chunk.usage === undefined) {
      throw new UnexpectedChunkError(data, 'data is JSON but has no choices', this.#position(eventIndex))
    }
    this.#quirk('missing-choices', 'a usage chunk had no choices: given choices: []', eventIndex)
  }

  #foreign(format: ForeignFormat, evidence: string, eventIndex: number): never {
    throw new UnsupportedFormatError(format, evidence, this.#position(eventIndex))
  }

  /** `event: error` data, or a chunk with a top-level `error`: OpenAI-style `{ error: { message, type, code, param } }`, a bare object, a string. */
  #providerError(data: string, position: EventPosition, parsed?: object): ProviderError {
    let value: unknown = parsed
    if (value === undefined) {
      try {
        value = JSON.parse(data)
      } catch {
        return new ProviderError({ message: data || '(no message)' }, data, position)
      }
    }
    const body = value as { error?: unknown }
    const error = typeof body === 'object' && body !== null && body.error !== undefined ? body.error : value
    if (typeof error === 'string') return new ProviderError({ message: error }, data, position)
    if (typeof error !== 'object' || error === null) return new ProviderError({ message: data }, data, position)
    const { message, type, code, param } = error as Record<string, unknown>
    return new ProviderError(
      {
        message: typeof message === 'string' ? message : data,
        type: typeof type === 'string' ? type : undefined,
        code: typeof code === 'string' || typeof code === 'number' ? code : undefined,
        param: typeof param === 'string' ? param : undefined,
      },
      data,
      position,
    )
  }

  #quirk(code: QuirkCode, message: string, eventIndex: number): void {
    // Nobody would see it (the kept ones are full, no hook): a keep-alive repaired a million times costs nothing more.
    if (!this.#strict && !this.#onQuirk && this.#quirks.length >= MAX_KEPT_QUIRKS) return
    const quirk: Quirk = { code, message, eventIndex }
    const line = this.#upstream?.progress.lineNumber
    if (line !== undefined) quirk.line = line
    if (this.#strict) throw new StrictModeError(quirk)
    if (this.#quirks.length < MAX_KEPT_QUIRKS) this.#quirks.push(quirk)
    this.#onQuirk?.(quirk)
  }

  #position(eventIndex: number): EventPosition {
    return { eventIndex, line: this.#upstream?.progress.lineNumber }
  }
}

/**
 * {@link ChunkDecoder} as a `TransformStream`: server-sent events in,
 * `ChatCompletionChunk`s out. An `OrderedTransformStream` (`@sluice/compose`): the chunks
 * decoded before an error are read before it, and at `[DONE]` the output closes and the
 * input is cancelled or drained as `afterDone` says.
 *
 * @example Separate stages, linked for one verdict
 * ```ts
 * import { SSEStream } from '@sluice/sse'
 * import { ChunkDecoderStream } from '@sluice/openai'
 *
 * const events = new SSEStream()
 * const chunks = new ChunkDecoderStream({ upstream: events })
 * for await (const chunk of response.body!.pipeThrough(events).pipeThrough(chunks)) {
 *   process.stdout.write(chunk.choices[0]?.delta.content ?? '')
 * }
 * console.log((await chunks.outcome).status) // 'complete' when the stream ended well
 * ```
 */
export class ChunkDecoderStream
  extends OrderedTransformStream<ServerSentEvent, ChatCompletionChunk>
  implements ProgressSource
{
  readonly #decoder: ChunkDecoder

  constructor(
    options: ChunkDecoderOptions = {},
    writableStrategy?: QueuingStrategy<ServerSentEvent>,
    readableStrategy?: QueuingStrategy<ChatCompletionChunk>,
  ) {
    const afterDone = checkAfterDone(options.afterDone ?? 'auto', 'ChunkDecoderStream')
    // The decoder always ends the output at [DONE]; the stream drains or cancels its input.
    const decoder = new ChunkDecoder({ ...options, afterDone: 'cancel' })
    super(decoder, writableStrategy, readableStrategy, { afterTerminate: afterDone })
    this.#decoder = decoder
  }

  /** See {@link ChunkDecoder.outcome}. */
  get outcome(): Promise<StreamOutcome> {
    return this.#decoder.outcome
  }

  /** See {@link ChunkDecoder.progress}: pass this stream as `upstream` to `DeltaAccumulatorStream`. */
  get progress(): StreamProgress {
    return this.#decoder.progress
  }
}
