import {
  Latch,
  type PartialValueParser,
  type PartialValueParserFactory,
  type RecordedStage,
  RecordedTransformStream,
  StreamRecord,
  type StreamTransformer,
  type TransformController,
} from '@sluice/compose'
import {
  type ChatCompletionChunk,
  type ChatCompletionChunkChoice,
  type ChatProgress,
  type ChatRecord,
  type CompletionUsage,
  chatProgress,
  chatRecordOf,
  type FinishReason,
  type OpenToolCall,
  outcomeOf,
  outcomeOfEnd,
  StrictModeError,
  type StreamOutcome,
} from '@sluice/openai'
import {
  appendLogprobs,
  byIndex,
  type ChoiceState,
  choiceSnapshot,
  isJSON,
  newChoice,
  setCallSnapshot,
  type TextParsers,
} from './choice-state.ts'
import { NotAChunkError } from './errors.ts'
import { SnapshotArray, withArray } from './snapshot-array.ts'
import { applyToolCallFragment, type ReportQuirk } from './tool-call-correlation.ts'
import type { AccumulatorQuirk, AccumulatorQuirkCode, ChatCompletion, ChatCompletionChoice } from './types.ts'

/**
 * Options of {@link DeltaAccumulator} and {@link DeltaAccumulatorStream}.
 *
 * @example Each quirk logged
 * ```ts
 * import { DeltaAccumulatorStream, type DeltaAccumulatorOptions } from '@sluice/accumulator'
 * import { ChatChunkStream } from '@sluice/openai'
 *
 * const chunks = new ChatChunkStream()
 * const options: DeltaAccumulatorOptions = {
 *   onQuirk: (quirk) => console.warn(quirk.code, quirk.message),
 * }
 * const snapshots = response.body!.pipeThrough(chunks).pipeThrough(new DeltaAccumulatorStream(options))
 * ```
 */
export interface DeltaAccumulatorOptions {
  /** Called for each quirk (see `AccumulatorQuirkCode`): tool-call fragments correlated without an index, a repeated finish reason, … */
  onQuirk?: (quirk: AccumulatorQuirk) => void
  /**
   * Turn every quirk into a `StrictModeError` instead.
   * @default false
   */
  strict?: boolean
  /**
   * Parse each tool call's arguments as they stream: a function that makes a parser per
   * call (`partialJSON` of `@sluice/json`), at its first arguments fragment. Each fragment
   * is fed once, and every snapshot's tool call carries the parser's snapshot as
   * `function.parsed_arguments` (a call that got no fragment stays the same object). When
   * the choice's `finish_reason` arrives (or the stream ends) the parser is ended; if the
   * text was not JSON, quirk `arguments-not-json`. Without it, nothing is parsed and the
   * snapshots have no `parsed_arguments` (the parser's code is not in your bundle either).
   * @default undefined
   */
  parseArguments?: PartialValueParserFactory | undefined
  /**
   * Parse each choice's content as it streams, for structured output (`response_format`,
   * which the stream does not show): as `parseArguments`, into `message.parsed`; quirk
   * `content-not-json`.
   * @default undefined
   */
  parseContent?: PartialValueParserFactory | undefined
}

/**
 * Assembles `chat.completion.chunk`s into the completion. After each chunk it gives a
 * snapshot: a `chat.completion` holding everything received so far, frozen, sharing every
 * unchanged part with the previous snapshot (compare by reference to see what changed).
 * Cost per chunk is proportional to the chunk, not to the snapshot (amortized: past 128
 * choices, or 128 tool calls in a message, that array is a getter built on first read).
 *
 * Per choice `index` (choices may interleave when `n > 1`): `role` from the first delta
 * that has one; `content`, `refusal`, `reasoning_content` and `reasoning` joined in order;
 * tool calls correlated by `id`, `index` and `function.name` (see the README for the
 * rules that cover Gemini's missing indexes, reused indexes and indexes from 1);
 * `finish_reason` from the last chunk that sets it; `logprobs` arrays appended. Top level:
 * `id`, `model`, `created`, `system_fingerprint`, `service_tier` and `usage` from the last
 * chunk that has them.
 *
 * @example Snapshots as they grow, without a stream
 * ```ts
 * import { iterate } from '@sluice/compose'
 * import { DeltaAccumulator } from '@sluice/accumulator'
 * import { ChatChunkParser } from '@sluice/openai'
 *
 * const accumulator = new DeltaAccumulator()
 * for await (const chunk of iterate(response.body!, new ChatChunkParser())) {
 *   const snapshot = accumulator.add(chunk)
 *   render(snapshot.choices[0]?.message.content ?? '')
 * }
 * ```
 */
export class DeltaAccumulator implements StreamTransformer<ChatCompletionChunk, ChatCompletion>, RecordedStage {
  readonly #onQuirk: ((quirk: AccumulatorQuirk) => void) | undefined
  readonly #strict: boolean
  readonly #parsers: TextParsers
  #record!: StreamRecord
  /** This stage's position among those sharing the record. */
  #stage = 0
  /** No chunk decoder shares the record: this stage counts the chunks. */
  #countsChunks = true
  /** The chat part of the record, when a chunk decoder writes it (`[DONE]`, finish reasons). */
  #chat: ChatRecord | undefined
  readonly #outcome = new Latch<StreamOutcome>()
  #chunkIndex = -1
  #id = ''
  #created = 0
  #model = ''
  #systemFingerprint: string | null | undefined
  #serviceTier: string | null | undefined
  #usage: CompletionUsage | null | undefined
  #choiceStates = new Map<number, ChoiceState>()
  #choices = new SnapshotArray<ChatCompletionChoice>(byIndex)
  #snapshot: ChatCompletion | null = null

  constructor(options: DeltaAccumulatorOptions = {}) {
    this.#onQuirk = options.onQuirk
    this.#strict = options.strict ?? false
    this.#parsers = { parseArguments: options.parseArguments, parseContent: options.parseContent }
    this.useRecord(new StreamRecord())
  }

  /**
   * The outcome of the stream, settled when it ends (at the end of the input, at an error,
   * or when the stream is cancelled or its input fails: `DeltaAccumulatorStream` calls the
   * `cancel` hook in every engine, a native `TransformStream` of your own does not in
   * Chromium, Firefox and WebKit). It adds the tool
   * calls left with incomplete JSON arguments (`openToolCalls`) to what the stages sharing
   * its record saw; with no chunk decoder among them, `[DONE]` is unknown, so the stream is
   * complete when every choice has a `finish_reason`. Never rejects.
   */
  get outcome(): Promise<StreamOutcome> {
    return this.#outcome.promise
  }

  /** The record of the stream this stage writes to: its quirks, and `chunks` when no chunk decoder shares it. */
  get record(): StreamRecord {
    return this.#record
  }

  /** Writes to `record` from now on (see `RecordedStage`): the chunk decoder's, when linked. */
  useRecord(record: StreamRecord): void {
    this.#stage = record.join(this)
    this.#countsChunks = record.chunks === null || record === this.#record
    if (this.#countsChunks) record.chunks = this.#chunkIndex + 1
    const chat = chatRecordOf(record)
    this.#chat = chat.written ? chat : undefined
    this.#record = record
  }

  /** What this stage and the stages before it saw so far (the outcome's facts). */
  get progress(): ChatProgress {
    if (this.#chat) return chatProgress(this.#record, this.#stage, this.#chat)
    // No chunk decoder writes the chat part: the finish reasons are this stage's, [DONE] unknown.
    const finishReasons: Record<number, FinishReason | null> = {}
    for (const choice of this.#choiceStates.values()) finishReasons[choice.index] = choice.finishReason
    return chatProgress(this.#record, this.#stage, { sawDone: false, finishReasons })
  }

  /** Tool calls whose non-empty arguments are not complete JSON. */
  get openToolCalls(): OpenToolCall[] {
    const open: OpenToolCall[] = []
    for (const choice of [...this.#choiceStates.values()].sort(byIndex)) {
      choice.calls.forEach((call, index) => {
        if (call.arguments !== '' && !isJSON(call.arguments)) {
          open.push({
            choice: choice.index,
            index,
            id: call.id,
            name: call.name,
            argumentsLength: call.arguments.length,
          })
        }
      })
    }
    return open
  }

  /** The latest snapshot; `null` before the first chunk. */
  get snapshot(): ChatCompletion | null {
    return this.#snapshot
  }

  /** Adds `chunk` (see {@link DeltaAccumulator.add}) and enqueues the new snapshot. */
  transform(chunk: ChatCompletionChunk, controller: TransformController<ChatCompletion>): void {
    let snapshot: ChatCompletion
    try {
      snapshot = this.add(chunk)
    } catch (error) {
      this.cancel(error)
      throw error
    }
    controller.enqueue(snapshot)
  }

  /**
   * The end of the input: ends the parsed texts of the choices that had no `finish_reason`
   * (`snapshot` then holds their last values), and settles `outcome` (complete or truncated).
   */
  flush(): void {
    try {
      let changed = false
      for (const state of this.#choiceStates.values()) {
        if (state.finishReason === null && this.#endTexts(state, this.#chunkIndex)) {
          changed = true
          this.#choices.set(state.position, choiceSnapshot(state))
        }
      }
      if (changed) this.#snapshot = this.#build()
    } catch (error) {
      // A quirk in strict mode.
      this.cancel(error)
      throw error
    }
    this.#outcome.settle(outcomeOf(this.progress, this.openToolCalls))
  }

  /** The stream was cancelled, its input failed, or `add` threw: settles `outcome`. */
  cancel(reason?: unknown): void {
    this.#outcome.settle(outcomeOfEnd(this.progress, reason, this.openToolCalls))
  }

  /** Adds one chunk and returns the new snapshot. */
  add(chunk: ChatCompletionChunk): ChatCompletion {
    const chunkIndex = ++this.#chunkIndex
    if (this.#countsChunks) this.#record.chunks = chunkIndex + 1
    if (typeof chunk !== 'object' || chunk === null)
      throw new NotAChunkError(chunkIndex, `got ${chunk === null ? 'null' : typeof chunk}`)
    if (!Array.isArray(chunk.choices)) throw new NotAChunkError(chunkIndex, 'it has no choices array')
    if (typeof chunk.id === 'string') this.#id = chunk.id
    if (typeof chunk.created === 'number') this.#created = chunk.created
    if (typeof chunk.model === 'string') this.#model = chunk.model
    if (chunk.system_fingerprint !== undefined) this.#systemFingerprint = chunk.system_fingerprint
    if (chunk.service_tier !== undefined) this.#serviceTier = chunk.service_tier
    // OpenAI sends `usage: null` on every chunk and the numbers on the last: a later null keeps them.
    if (chunk.usage != null || (chunk.usage === null && this.#usage === undefined)) this.#usage = chunk.usage
    for (const choice of chunk.choices) {
      if (typeof choice !== 'object' || choice === null || typeof choice.index !== 'number') {
        throw new NotAChunkError(chunkIndex, 'a choice has no numeric index')
      }
      let state = this.#choiceStates.get(choice.index)
      const created = !state
      if (!state)
        this.#choiceStates.set(choice.index, (state = newChoice(choice.index, this.#choiceStates.size, this.#parsers)))
      try {
        this.#applyChoice(state, choice, chunkIndex, created)
      } finally {
        // Also when a repair threw in strict mode: every choice has its entry.
        this.#choices.set(state.position, choiceSnapshot(state))
      }
    }
    return (this.#snapshot = this.#build())
  }

  /** The snapshot of the state as it is. */
  #build(): ChatCompletion {
    // `choices` is added after (see SnapshotArray).
    const snapshot = {
      id: this.#id,
      object: 'chat.completion',
      created: this.#created,
      model: this.#model,
      ...(this.#systemFingerprint !== undefined && { system_fingerprint: this.#systemFingerprint }),
      ...(this.#serviceTier !== undefined && { service_tier: this.#serviceTier }),
      ...(this.#usage !== undefined && { usage: this.#usage }),
    }
    return Object.freeze(
      withArray(snapshot as ChatCompletion, 'choices', this.#choices.current(this.#choiceStates.size)),
    )
  }

  #applyChoice(state: ChoiceState, choice: ChatCompletionChunkChoice, chunkIndex: number, created: boolean): void {
    const delta = choice.delta ?? {}
    if (typeof delta.role === 'string') {
      // "role from the first delta that has it"
      if (!state.roleSent) state.role = delta.role
      state.roleSent = true
    } else if (created) {
      this.#quirk(
        'missing-role',
        `choice ${state.index} started without a role: 'assistant' until one arrives`,
        chunkIndex,
      )
    }
    if (typeof delta.content === 'string' && delta.content !== '') {
      state.content = (state.content ?? '') + delta.content
      const parse = this.#parsers.parseContent
      // Fed once, until the choice ends (see parseArguments in tool-call-correlation.ts).
      if (parse && state.finishReason === null) (state.contentParser ??= parse()).feed(delta.content)
    }
    if (typeof delta.refusal === 'string' && delta.refusal !== '') state.refusal = (state.refusal ?? '') + delta.refusal
    if (typeof delta.reasoning_content === 'string')
      state.reasoningContent = (state.reasoningContent ?? '') + delta.reasoning_content
    if (typeof delta.reasoning === 'string') state.reasoning = (state.reasoning ?? '') + delta.reasoning
    if (delta.function_call) {
      const call = (state.functionCall ??= { name: '', arguments: '' })
      if (delta.function_call.name) call.name = delta.function_call.name
      if (typeof delta.function_call.arguments === 'string') call.arguments += delta.function_call.arguments
    }
    if (Array.isArray(delta.tool_calls)) {
      for (const fragment of delta.tool_calls) applyToolCallFragment(state, fragment, chunkIndex, this.#reportQuirk)
    }
    if (choice.finish_reason != null) {
      const hadReason = state.finishReason !== null
      // The same reason again is no repair: OpenRouter repeats it on its usage chunk.
      if (hadReason && state.finishReason !== choice.finish_reason) {
        this.#quirk(
          'finish-reason-repeated',
          `choice ${state.index} got finish_reason ${JSON.stringify(choice.finish_reason)} after ${JSON.stringify(state.finishReason)}: the last is kept`,
          chunkIndex,
        )
      }
      state.finishReason = choice.finish_reason
      // The choice's texts end at its first finish reason.
      if (!hadReason) this.#endTexts(state, chunkIndex)
    }
    if (choice.logprobs) appendLogprobs(state, choice.logprobs)
  }

  /**
   * The choice ended (its first `finish_reason` came, or the stream ended without one): ends
   * the parsers of its texts and reports those that were not JSON. Whether a value changed
   * (a number or a literal at the root completes only at the end); a changed call is set again.
   */
  #endTexts(state: ChoiceState, chunkIndex: number): boolean {
    let changed = false
    for (const call of state.calls) {
      if (call.parser && ended(call.parser)) {
        changed = true
        setCallSnapshot(state, call)
      }
      const error = call.parser?.error
      if (error)
        this.#quirk(
          'arguments-not-json',
          `tool call ${JSON.stringify(call.id)} (${call.name}, index ${call.position}) of choice ${state.index}: ${error.message}`,
          chunkIndex,
        )
    }
    const parser = state.contentParser
    if (parser) {
      if (ended(parser)) changed = true
      if (parser.error) this.#quirk('content-not-json', `choice ${state.index}: ${parser.error.message}`, chunkIndex)
    }
    return changed
  }

  readonly #reportQuirk: ReportQuirk = (code, message, chunkIndex) => this.#quirk(code, message, chunkIndex)

  #quirk(code: AccumulatorQuirkCode, message: string, chunkIndex: number): void {
    const quirk: AccumulatorQuirk = { code, message, chunkIndex }
    if (this.#strict) throw new StrictModeError(quirk)
    this.#record.addQuirk(quirk, this.#stage)
    this.#onQuirk?.(quirk)
  }
}

/** Ends a parser: whether its value changed (a number or a literal at the root is complete only then). */
function ended(parser: PartialValueParser): boolean {
  const before = parser.snapshot()
  parser.end()
  return parser.snapshot() !== before
}

/**
 * {@link DeltaAccumulator} as a `TransformStream`: chunks in, one snapshot per chunk out.
 * An `OrderedTransformStream` (`@sluice/compose`): the snapshots made before an error are
 * read before it.
 *
 * @example Render a streamed answer as it grows
 * ```ts
 * import { DeltaAccumulatorStream } from '@sluice/accumulator'
 * import { ChatChunkStream } from '@sluice/openai'
 *
 * const snapshots = response.body!
 *   .pipeThrough(new ChatChunkStream())
 *   .pipeThrough(new DeltaAccumulatorStream())
 * for await (const snapshot of snapshots) render(snapshot.choices[0]?.message)
 * ```
 */
export class DeltaAccumulatorStream extends RecordedTransformStream<
  ChatCompletionChunk,
  ChatCompletion,
  ChatProgress,
  DeltaAccumulator
> {
  constructor(
    options?: DeltaAccumulatorOptions,
    writableStrategy?: QueuingStrategy<ChatCompletionChunk>,
    readableStrategy?: QueuingStrategy<ChatCompletion>,
  ) {
    super(new DeltaAccumulator(options), writableStrategy, readableStrategy)
  }

  /** See {@link DeltaAccumulator.outcome}. */
  get outcome(): Promise<StreamOutcome> {
    return this.stage.outcome
  }

  /** See {@link DeltaAccumulator.snapshot}. */
  get snapshot(): ChatCompletion | null {
    return this.stage.snapshot
  }
}
