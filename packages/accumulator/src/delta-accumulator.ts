import { OrderedTransformStream } from '@sluice/compose'
import type {
  ChatCompletionChunk,
  ChatCompletionChunkChoice,
  ChatCompletionChoiceLogprobs,
  ChatCompletionTokenLogprob,
  ChatCompletionToolCallDelta,
  CompletionUsage,
  FinishReason,
  OpenToolCall,
  ProgressSource,
  Quirk,
  QuirkCode,
  StreamOutcome,
  StreamProgress,
} from '@sluice/openai'
import { NotAChunkError, ToolCallFragmentError } from './errors.ts'
import type { ChatCompletion, ChatCompletionChoice, ChatCompletionMessage, ChatCompletionToolCall } from './types.ts'
import { judge, judgeEnd, StrictModeError } from '@sluice/openai'

/** Repairs kept for the verdict: enough to see what happened, bounded on a hostile stream. */
const MAX_KEPT_QUIRKS = 256

/**
 * Options of {@link DeltaAccumulator} and {@link DeltaAccumulatorStream}.
 *
 * @example One verdict for the chain, and each repair logged
 * ```ts
 * import { DeltaAccumulatorStream, type DeltaAccumulatorOptions } from '@sluice/accumulator'
 * import { ChatChunkStream } from '@sluice/openai'
 *
 * const chunks = new ChatChunkStream()
 * const options: DeltaAccumulatorOptions = {
 *   upstream: chunks, // [DONE], bytes, lines and events go into this stage's outcome
 *   onQuirk: (quirk) => console.warn(quirk.code, quirk.message),
 * }
 * const snapshots = response.body!.pipeThrough(chunks).pipeThrough(new DeltaAccumulatorStream(options))
 * ```
 */
export interface DeltaAccumulatorOptions {
  /** Called for each repair (see `QuirkCode`): tool-call fragments correlated without an index, a repeated finish reason, … */
  onQuirk?: (quirk: Quirk) => void
  /**
   * Turn every repair into a `StrictModeError` instead.
   * @default false
   */
  strict?: boolean
  /**
   * The chunk stage before this one (`ChunkDecoderStream`, `ChatChunkStream`, or their
   * transformers): its facts (`[DONE]`, bytes, lines, events, the SSE stage's unfinished
   * event, its repairs) go into this stage's `outcome`.
   */
  upstream?: ProgressSource
}

/** One tool call being assembled. */
interface ToolCallState {
  id: string
  type: string
  name: string
  arguments: string
  /** The last snapshot of this call; `undefined` when a fragment arrived since. */
  snapshot: ChatCompletionToolCall | undefined
}

/** The `logprobs` arrays of a choice, appended in place; snapshots keep their length. */
interface LogprobsState {
  content: ChatCompletionTokenLogprob[] | null
  refusal: ChatCompletionTokenLogprob[] | null
  /** The view given to the last snapshot; `undefined` when entries arrived since. */
  snapshot: ChatCompletionChoiceLogprobs | undefined
}

/** One choice being assembled. */
interface ChoiceState {
  index: number
  role: string
  /** The role came from a delta (not the `'assistant'` stand-in). */
  roleSent: boolean
  content: string | null
  refusal: string | null
  reasoningContent: string | undefined
  reasoning: string | undefined
  functionCall: { name: string; arguments: string } | undefined
  finishReason: FinishReason | null
  logprobs: LogprobsState | null
  /** Tool calls in order of appearance, and the maps that correlate fragments with them. */
  calls: ToolCallState[]
  byIndex: Map<number, ToolCallState>
  byId: Map<string, ToolCallState>
  lastCall: ToolCallState | undefined
  /** Tool-call index gaps were reported for this choice already. */
  gapReported: boolean
  toolCallsSnapshot: readonly ChatCompletionToolCall[] | undefined
  /** The last snapshot of this choice; `undefined` when a delta arrived since. */
  snapshot: ChatCompletionChoice | undefined
}

/**
 * Assembles `chat.completion.chunk`s into the completion. After each chunk it gives a
 * snapshot: a `chat.completion` holding everything received so far, frozen, sharing every
 * unchanged part with the previous snapshot (compare by reference to see what changed).
 * Cost per chunk is proportional to the chunk, not to the snapshot.
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
export class DeltaAccumulator implements Transformer<ChatCompletionChunk, ChatCompletion>, ProgressSource {
  readonly #onQuirk: ((quirk: Quirk) => void) | undefined
  readonly #strict: boolean
  readonly #upstream: ProgressSource | undefined
  readonly #quirks: Quirk[] = []
  readonly #outcome: Promise<StreamOutcome>
  #settle: ((outcome: StreamOutcome) => void) | undefined
  #chunkIndex = -1
  #id = ''
  #created = 0
  #model = ''
  #systemFingerprint: string | null | undefined
  #serviceTier: string | null | undefined
  #usage: CompletionUsage | null | undefined
  /** Choices in index order. */
  #choices: ChoiceState[] = []
  #choicesSnapshot: readonly ChatCompletionChoice[] = Object.freeze([])
  #snapshot: ChatCompletion | null = null

  constructor(options: DeltaAccumulatorOptions = {}) {
    this.#onQuirk = options.onQuirk
    this.#strict = options.strict ?? false
    this.#upstream = options.upstream
    this.#outcome = new Promise((resolve) => {
      this.#settle = resolve
    })
  }

  /**
   * The verdict on the stream, settled when it ends (at the end of the input, at an error,
   * or when the stream is cancelled or its input fails: `DeltaAccumulatorStream` calls the
   * `cancel` hook in every engine, a native `TransformStream` of your own does not in
   * Chromium, Firefox and WebKit). It adds the tool
   * calls left with incomplete JSON arguments (`openToolCalls`) to what `upstream` saw;
   * without `upstream`, `[DONE]` is unknown, so the stream is complete when every choice
   * has a `finish_reason`. Never rejects.
   */
  get outcome(): Promise<StreamOutcome> {
    return this.#outcome
  }

  /** What this stage and its `upstream` have seen so far (the verdict's facts). */
  get progress(): StreamProgress {
    const upstream = this.#upstream?.progress
    if (upstream) return { ...upstream, quirks: [...upstream.quirks, ...this.#quirks] }
    const finishReasons: Record<number, FinishReason | null> = {}
    for (const choice of this.#choices) finishReasons[choice.index] = choice.finishReason
    return {
      sawDone: false,
      finishReasons,
      unfinishedEvent: null,
      quirks: [...this.#quirks],
      lastEventId: '',
      counts: { bytes: 0, lines: 0, events: 0, chunks: this.#chunkIndex + 1 },
    }
  }

  /** Tool calls whose non-empty arguments are not complete JSON. */
  get openToolCalls(): OpenToolCall[] {
    const open: OpenToolCall[] = []
    for (const choice of this.#choices) {
      choice.calls.forEach((call, index) => {
        if (call.arguments !== '' && !isJSON(call.arguments)) {
          open.push({ choice: choice.index, index, id: call.id, name: call.name, argumentsLength: call.arguments.length })
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
  transform(chunk: ChatCompletionChunk, controller: TransformStreamDefaultController<ChatCompletion>): void {
    let snapshot: ChatCompletion
    try {
      snapshot = this.add(chunk)
    } catch (error) {
      this.cancel(error)
      throw error
    }
    controller.enqueue(snapshot)
  }

  /** The end of the input: settles `outcome` (complete or truncated). */
  flush(): void {
    this.#end(judge(this.progress, this.openToolCalls))
  }

  /** The stream was cancelled, its input failed, or `add` threw: settles `outcome`. */
  cancel(reason?: unknown): void {
    this.#end(judgeEnd(this.progress, reason, this.openToolCalls))
  }

  #end(outcome: StreamOutcome): void {
    this.#settle?.(outcome)
    this.#settle = undefined
  }

  /** Adds one chunk and returns the new snapshot. */
  add(chunk: ChatCompletionChunk): ChatCompletion {
    const chunkIndex = ++this.#chunkIndex
    if (typeof chunk !== 'object' || chunk === null) throw new NotAChunkError(chunkIndex, `got ${chunk === null ? 'null' : typeof chunk}`)
    if (!Array.isArray(chunk.choices)) throw new NotAChunkError(chunkIndex, 'it has no choices array')
    if (typeof chunk.id === 'string') this.#id = chunk.id
    if (typeof chunk.created === 'number') this.#created = chunk.created
    if (typeof chunk.model === 'string') this.#model = chunk.model
    if (chunk.system_fingerprint !== undefined) this.#systemFingerprint = chunk.system_fingerprint
    if (chunk.service_tier !== undefined) this.#serviceTier = chunk.service_tier
    // OpenAI sends `usage: null` on every chunk and the numbers on the last: a later null keeps them.
    if (chunk.usage != null || (chunk.usage === null && this.#usage === undefined)) this.#usage = chunk.usage
    let choicesChanged = false
    for (const choice of chunk.choices) {
      if (typeof choice !== 'object' || choice === null || typeof choice.index !== 'number') {
        throw new NotAChunkError(chunkIndex, 'a choice has no numeric index')
      }
      const [state, created] = this.#choice(choice.index)
      this.#applyChoice(state, choice, chunkIndex, created)
      state.snapshot = undefined
      choicesChanged = true
    }
    if (choicesChanged) this.#choicesSnapshot = Object.freeze(this.#choices.map(choiceSnapshot))
    this.#snapshot = Object.freeze({
      id: this.#id,
      object: 'chat.completion',
      created: this.#created,
      model: this.#model,
      ...(this.#systemFingerprint !== undefined && { system_fingerprint: this.#systemFingerprint }),
      ...(this.#serviceTier !== undefined && { service_tier: this.#serviceTier }),
      ...(this.#usage !== undefined && { usage: this.#usage }),
      choices: this.#choicesSnapshot,
    })
    return this.#snapshot
  }

  /** The state of choice `index`, created (in index order) if new. */
  #choice(index: number): [ChoiceState, boolean] {
    const choices = this.#choices
    // Choices almost always arrive as 0..n-1: look from the end.
    let position = choices.length
    while (position > 0 && choices[position - 1]!.index > index) position--
    const found = choices[position - 1]
    if (found?.index === index) return [found, false]
    const state: ChoiceState = {
      index,
      role: 'assistant',
      roleSent: false,
      content: null,
      refusal: null,
      reasoningContent: undefined,
      reasoning: undefined,
      functionCall: undefined,
      finishReason: null,
      logprobs: null,
      calls: [],
      byIndex: new Map(),
      byId: new Map(),
      lastCall: undefined,
      gapReported: false,
      toolCallsSnapshot: undefined,
      snapshot: undefined,
    }
    choices.splice(position, 0, state)
    return [state, true]
  }

  #applyChoice(state: ChoiceState, choice: ChatCompletionChunkChoice, chunkIndex: number, created: boolean): void {
    const delta = choice.delta ?? {}
    if (typeof delta.role === 'string') {
      // "role from the first delta that has it"
      if (!state.roleSent) state.role = delta.role
      state.roleSent = true
    } else if (created) {
      this.#quirk('missing-role', `choice ${state.index} started without a role: 'assistant' until one arrives`, chunkIndex)
    }
    if (typeof delta.content === 'string' && delta.content !== '') state.content = (state.content ?? '') + delta.content
    if (typeof delta.refusal === 'string' && delta.refusal !== '') state.refusal = (state.refusal ?? '') + delta.refusal
    if (typeof delta.reasoning_content === 'string') state.reasoningContent = (state.reasoningContent ?? '') + delta.reasoning_content
    if (typeof delta.reasoning === 'string') state.reasoning = (state.reasoning ?? '') + delta.reasoning
    if (delta.function_call) {
      const call = (state.functionCall ??= { name: '', arguments: '' })
      if (delta.function_call.name) call.name = delta.function_call.name
      if (typeof delta.function_call.arguments === 'string') call.arguments += delta.function_call.arguments
    }
    if (Array.isArray(delta.tool_calls)) {
      for (const fragment of delta.tool_calls) this.#toolCallFragment(state, fragment, chunkIndex)
    }
    if (choice.finish_reason != null) {
      if (state.finishReason !== null) {
        this.#quirk(
          'finish-reason-repeated',
          `choice ${state.index} got finish_reason ${JSON.stringify(choice.finish_reason)} after ${JSON.stringify(state.finishReason)}: the last is kept`,
          chunkIndex,
        )
      }
      state.finishReason = choice.finish_reason
    }
    if (choice.logprobs) this.#appendLogprobs(state, choice.logprobs)
  }

  /**
   * Correlates one tool-call fragment with a call by `id`, then `index`, then
   * `function.name`, then as the continuation of the last call; a fragment that fits no
   * rule is an error.
   */
  #toolCallFragment(state: ChoiceState, fragment: ChatCompletionToolCallDelta, chunkIndex: number): void {
    if (typeof fragment !== 'object' || fragment === null) {
      throw new ToolCallFragmentError('a tool-call fragment is not an object', fragment, chunkIndex, state.index)
    }
    const { index, id } = fragment
    const hasIndex = typeof index === 'number'
    const name = fragment.function?.name
    let call: ToolCallState | undefined
    if (typeof id === 'string' && id !== '') {
      call = state.byId.get(id)
      if (!call && hasIndex) {
        const atIndex = state.byIndex.get(index)
        if (atIndex?.id === '') {
          // The call's first fragments came without an id; this one names it.
          call = atIndex
          call.id = id
          state.byId.set(id, call)
        } else if (atIndex) {
          this.#quirk('reused-tool-call-index', `tool-call index ${index} came again with a new id ${JSON.stringify(id)}: a new call`, chunkIndex)
        }
      }
      if (!call) {
        if (!hasIndex) this.#quirk('missing-tool-call-index', `a tool-call fragment without index brought a new id ${JSON.stringify(id)}: a new call`, chunkIndex)
        call = this.#newCall(state, id, hasIndex ? index : undefined, chunkIndex)
      }
    } else if (hasIndex) {
      call = state.byIndex.get(index)
      if (!call) {
        if (!name) {
          throw new ToolCallFragmentError(`a fragment for a new tool-call index ${index} has neither an id nor a function name`, fragment, chunkIndex, state.index)
        }
        this.#quirk('missing-tool-call-id', `tool call ${JSON.stringify(name)} (index ${index}) came without an id: its id is ''`, chunkIndex)
        call = this.#newCall(state, '', index, chunkIndex)
      }
    } else {
      // Neither id nor index (Gemini): the last call continues, unless a different name starts another.
      const last = state.lastCall
      if (name && (!last || (last.name !== '' && last.name !== name))) {
        this.#quirk('missing-tool-call-index', `a tool-call fragment without index or id named ${JSON.stringify(name)}: a new call`, chunkIndex)
        this.#quirk('missing-tool-call-id', `tool call ${JSON.stringify(name)} came without an id: its id is ''`, chunkIndex)
        call = this.#newCall(state, '', undefined, chunkIndex)
      } else if (last) {
        this.#quirk('missing-tool-call-index', 'a tool-call fragment without index or id continued the last call', chunkIndex)
        call = last
      } else {
        throw new ToolCallFragmentError('a tool-call fragment has no index, no id and no function name, and there is no call to continue', fragment, chunkIndex, state.index)
      }
    }
    // An empty type (some proxies send `"type": ""`) keeps 'function', as an empty name keeps the name.
    if (typeof fragment.type === 'string' && fragment.type !== '') call.type = fragment.type
    if (name) call.name = name
    const args = fragment.function?.arguments
    if (typeof args === 'string') call.arguments += args
    call.snapshot = undefined
    state.toolCallsSnapshot = undefined
    state.lastCall = call
  }

  #newCall(state: ChoiceState, id: string, index: number | undefined, chunkIndex: number): ToolCallState {
    const call: ToolCallState = { id, type: 'function', name: '', arguments: '', snapshot: undefined }
    const position = state.calls.push(call) - 1
    if (id !== '') state.byId.set(id, call)
    if (index !== undefined) {
      // A gap: a new index that is not the next one (indexes from 1, or holes). A reused
      // index (reported as such) is not one.
      const distinct = state.byIndex.size
      if (!state.byIndex.has(index) && index !== distinct && !state.gapReported) {
        state.gapReported = true
        this.#quirk('tool-call-index-gap', `tool-call index ${index} is call ${position} of choice ${state.index}: calls keep their order of appearance, without holes`, chunkIndex)
      }
      state.byIndex.set(index, call)
    }
    return call
  }

  #appendLogprobs(state: ChoiceState, logprobs: ChatCompletionChoiceLogprobs): void {
    const target = (state.logprobs ??= { content: null, refusal: null, snapshot: undefined })
    if (Array.isArray(logprobs.content)) (target.content ??= []).push(...logprobs.content)
    if (Array.isArray(logprobs.refusal)) (target.refusal ??= []).push(...logprobs.refusal)
    target.snapshot = undefined
  }

  #quirk(code: QuirkCode, message: string, chunkIndex: number): void {
    const quirk: Quirk = { code, message, chunkIndex }
    if (this.#strict) throw new StrictModeError(quirk)
    if (this.#quirks.length < MAX_KEPT_QUIRKS) this.#quirks.push(quirk)
    this.#onQuirk?.(quirk)
  }
}

function isJSON(text: string): boolean {
  try {
    JSON.parse(text)
    return true
  } catch {
    return false
  }
}

/** The frozen snapshot of a choice: the previous one if nothing changed, else a new one sharing what it can. */
function choiceSnapshot(state: ChoiceState): ChatCompletionChoice {
  if (state.snapshot) return state.snapshot
  const message: ChatCompletionMessage = Object.freeze({
    role: state.role,
    content: state.content,
    refusal: state.refusal,
    ...(state.calls.length > 0 && { tool_calls: toolCallsSnapshot(state) }),
    ...(state.functionCall && { function_call: Object.freeze({ ...state.functionCall }) }),
    ...(state.reasoningContent !== undefined && { reasoning_content: state.reasoningContent }),
    ...(state.reasoning !== undefined && { reasoning: state.reasoning }),
  })
  state.snapshot = Object.freeze({
    index: state.index,
    message,
    finish_reason: state.finishReason,
    logprobs: state.logprobs && logprobsSnapshot(state.logprobs),
  })
  return state.snapshot
}

function toolCallsSnapshot(state: ChoiceState): readonly ChatCompletionToolCall[] {
  state.toolCallsSnapshot ??= Object.freeze(
    state.calls.map((call) => {
      call.snapshot ??= Object.freeze({
        id: call.id,
        type: call.type,
        function: Object.freeze({ name: call.name, arguments: call.arguments }),
      })
      return call.snapshot
    }),
  )
  return state.toolCallsSnapshot
}

/**
 * A view of the logprobs arrays as they are now. Copying them into every snapshot would
 * make the cost per chunk grow with the answer (quadratic in all); instead each view
 * remembers the lengths and copies on first read, once.
 */
function logprobsSnapshot(state: LogprobsState): ChatCompletionChoiceLogprobs {
  if (state.snapshot) return state.snapshot
  const contentLength = state.content?.length
  const refusalLength = state.refusal?.length
  let content: readonly ChatCompletionTokenLogprob[] | undefined
  let refusal: readonly ChatCompletionTokenLogprob[] | undefined
  state.snapshot = Object.freeze({
    get content() {
      if (contentLength === undefined) return null
      return (content ??= Object.freeze(state.content!.slice(0, contentLength))) as ChatCompletionTokenLogprob[]
    },
    get refusal() {
      if (refusalLength === undefined) return null
      return (refusal ??= Object.freeze(state.refusal!.slice(0, refusalLength))) as ChatCompletionTokenLogprob[]
    },
  })
  return state.snapshot
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
export class DeltaAccumulatorStream extends OrderedTransformStream<ChatCompletionChunk, ChatCompletion> implements ProgressSource {
  readonly #accumulator: DeltaAccumulator

  constructor(
    options?: DeltaAccumulatorOptions,
    writableStrategy?: QueuingStrategy<ChatCompletionChunk>,
    readableStrategy?: QueuingStrategy<ChatCompletion>,
  ) {
    const accumulator = new DeltaAccumulator(options)
    super(accumulator, writableStrategy, readableStrategy)
    this.#accumulator = accumulator
  }

  /** The latest snapshot; `null` before the first chunk. */
  get snapshot(): ChatCompletion | null {
    return this.#accumulator.snapshot
  }

  /** See {@link DeltaAccumulator.outcome}. */
  get outcome(): Promise<StreamOutcome> {
    return this.#accumulator.outcome
  }

  /** See {@link DeltaAccumulator.progress}. */
  get progress(): StreamProgress {
    return this.#accumulator.progress
  }
}
