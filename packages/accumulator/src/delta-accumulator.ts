import {
  Latch,
  type RecordedStage,
  RecordedTransformStream,
  StreamRecord,
  type StreamTransformer,
  type TransformController,
} from '@sluice/compose'
import {
  type ChatCompletionChoiceLogprobs,
  type ChatCompletionChunk,
  type ChatCompletionChunkChoice,
  type ChatCompletionTokenLogprob,
  type ChatCompletionToolCallDelta,
  type ChatProgress,
  type ChatRecord,
  type CompletionUsage,
  chatRecordOf,
  type FinishReason,
  type OpenToolCall,
  outcomeOf,
  outcomeOfEnd,
  StrictModeError,
  type StreamOutcome,
} from '@sluice/openai'
import { NotAChunkError, ToolCallFragmentError } from './errors.ts'
import type {
  AccumulatorQuirk,
  AccumulatorQuirkCode,
  ChatCompletion,
  ChatCompletionChoice,
  ChatCompletionMessage,
  ChatCompletionToolCall,
} from './types.ts'

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
}

/** One tool call being assembled. */
interface ToolCallState {
  id: string
  type: string
  name: string
  arguments: string
  /** Its place in the choice's `tool_calls`. */
  position: number
}

/** The `logprobs` arrays of a choice, appended in place; snapshots keep their length. */
interface LogprobsState {
  content: ChatCompletionTokenLogprob[] | null
  refusal: ChatCompletionTokenLogprob[] | null
  /** The view given to the last snapshot; `undefined` when entries arrived since. */
  snapshot?: ChatCompletionChoiceLogprobs | undefined
}

/** One choice being assembled. */
interface ChoiceState {
  index: number
  /** Its place in the order in which choices came. */
  position: number
  role: string
  /** The role came from a delta (not the `'assistant'` stand-in). */
  roleSent?: boolean
  content: string | null
  refusal: string | null
  reasoningContent?: string
  reasoning?: string
  functionCall?: { name: string; arguments: string }
  finishReason: FinishReason | null
  logprobs: LogprobsState | null
  /** Tool calls in order of appearance, their snapshots, and the maps that correlate fragments with them. */
  calls: ToolCallState[]
  toolCalls: SnapshotArray<ChatCompletionToolCall>
  byIndex: Map<number, ToolCallState>
  byId: Map<string, ToolCallState>
  lastCall?: ToolCallState
  /** Tool-call index gaps were reported for this choice already. */
  gapReported?: boolean
}

/**
 * Entries up to which the arrays of a snapshot (`choices`, a message's `tool_calls`) are
 * copied whole into every snapshot that changes them, as plain properties: up to 128
 * (OpenAI's largest `n`) the copy costs less than a getter, which V8 makes about as dear
 * as copying a few hundred entries.
 */
const PLAIN_ARRAY_LENGTH = 128

/**
 * An array of the snapshots whose entries change a few at a time (`choices`, a message's
 * `tool_calls`), frozen, one version per snapshot. Up to {@link PLAIN_ARRAY_LENGTH} entries
 * each version is a copy. Past that, copying the whole array into every snapshot would make
 * each chunk cost the length of the array (20,000 choices took 7 s): a version is then the
 * last checkpoint plus the changes since it, copied on first read, and a new checkpoint is
 * taken once the changes are as many as its entries. Each change is copied O(1) times
 * amortized, and a version never read is never copied.
 */
class SnapshotArray<T> {
  /** The entries at the last checkpoint, by position (the order in which they came). */
  #checkpoint: readonly T[] = NO_ENTRIES
  /** The changes since: entry `#positions[i]` became `#values[i]`. A version reads a prefix of them. */
  #positions: number[] = []
  #values: T[] = []
  #current: readonly T[] | (() => readonly T[]) | undefined
  /** The order of the copies, when it can differ from the order in which entries came (choices by index). */
  readonly #order: ((a: T, b: T) => number) | undefined

  constructor(order?: (a: T, b: T) => number) {
    this.#order = order
  }

  /** Entry `position` is `value` now; a new entry comes at the next position. */
  set(position: number, value: T): void {
    this.#positions.push(position)
    this.#values.push(value)
    this.#current = undefined
  }

  /** The array as it is now, of `length` entries: the array, or past {@link PLAIN_ARRAY_LENGTH} a function that copies it on first call. */
  current(length: number): readonly T[] | (() => readonly T[]) {
    if (this.#current) return this.#current
    const changes = this.#positions.length
    if (length <= PLAIN_ARRAY_LENGTH || changes >= this.#checkpoint.length) {
      this.#checkpoint = apply(this.#checkpoint, this.#positions, this.#values, changes)
      this.#positions = []
      this.#values = []
      if (length <= PLAIN_ARRAY_LENGTH) return (this.#current = this.#ordered(this.#checkpoint))
    }
    const checkpoint = this.#checkpoint
    const positions = this.#positions
    const values = this.#values
    const read = positions.length
    let array: readonly T[] | undefined
    return (this.#current = () => (array ??= this.#ordered(apply(checkpoint, positions, values, read))))
  }

  #ordered(array: readonly T[]): readonly T[] {
    return this.#order ? Object.freeze([...array].sort(this.#order)) : array
  }
}

const NO_ENTRIES: readonly never[] = Object.freeze([])

/** `entries` after the first `length` changes, frozen. */
function apply<T>(
  entries: readonly T[],
  positions: readonly number[],
  values: readonly T[],
  length: number,
): readonly T[] {
  if (length === 0) return entries
  // Spread, not slice(): V8 slices a frozen array on a slow path, 4× dearer.
  const array = [...entries]
  for (let index = 0; index < length; index++) array[positions[index]!] = values[index]!
  return Object.freeze(array)
}

/** Adds `key` to `object`: the array, or a getter of the array a {@link SnapshotArray} copies on first read. */
function withArray<O extends object>(
  object: O,
  key: string,
  array: readonly unknown[] | (() => readonly unknown[]),
): O {
  if (typeof array === 'function') return Object.defineProperty(object, key, { get: array, enumerable: true })
  ;(object as Record<string, unknown>)[key] = array // not defineProperty, 5× dearer in V8
  return object
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
    this.#stage = record.join()
    this.#countsChunks = record.chunks === null || record === this.#record
    if (this.#countsChunks) record.chunks = this.#chunkIndex + 1
    const chat = chatRecordOf(record)
    this.#chat = chat.written ? chat : undefined
    this.#record = record
  }

  /** What this stage and the stages before it saw so far (the outcome's facts). */
  get progress(): ChatProgress {
    if (this.#chat) {
      return {
        ...this.#record.progressUpTo(this.#stage),
        sawDone: this.#chat.sawDone,
        finishReasons: { ...this.#chat.finishReasons },
      }
    }
    const finishReasons: Record<number, FinishReason | null> = {}
    for (const choice of this.#choiceStates.values()) finishReasons[choice.index] = choice.finishReason
    return { ...this.#record.progressUpTo(this.#stage), sawDone: false, finishReasons }
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

  /** The end of the input: settles `outcome` (complete or truncated). */
  flush(): void {
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
      if (!state) this.#choiceStates.set(choice.index, (state = newChoice(choice.index, this.#choiceStates.size)))
      try {
        this.#applyChoice(state, choice, chunkIndex, created)
      } finally {
        // Also when a repair threw in strict mode: every choice has its entry.
        this.#choices.set(state.position, choiceSnapshot(state))
      }
    }
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
    return (this.#snapshot = Object.freeze(
      withArray(snapshot as ChatCompletion, 'choices', this.#choices.current(this.#choiceStates.size)),
    ))
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
    if (typeof delta.content === 'string' && delta.content !== '') state.content = (state.content ?? '') + delta.content
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
      for (const fragment of delta.tool_calls) this.#toolCallFragment(state, fragment, chunkIndex)
    }
    if (choice.finish_reason != null) {
      // The same reason again is no repair: OpenRouter repeats it on its usage chunk.
      if (state.finishReason !== null && state.finishReason !== choice.finish_reason) {
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
    // Typed as a string, and dispatched on by name: anything else is refused, not passed on.
    if (name != null && typeof name !== 'string') {
      throw new ToolCallFragmentError(
        `function.name is a ${Array.isArray(name) ? 'array' : typeof name}, not a string`,
        fragment,
        chunkIndex,
        state.index,
      )
    }
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
          this.#quirk(
            'reused-tool-call-index',
            `tool-call index ${index} came again with a new id ${JSON.stringify(id)}: a new call`,
            chunkIndex,
          )
        }
      }
      if (!call) {
        if (!hasIndex)
          this.#quirk(
            'missing-tool-call-index',
            `a tool-call fragment without index brought a new id ${JSON.stringify(id)}: a new call`,
            chunkIndex,
          )
        call = this.#newCall(state, id, hasIndex ? index : undefined, chunkIndex)
      }
    } else if (hasIndex) {
      call = state.byIndex.get(index)
      if (!call) {
        if (!name) {
          throw new ToolCallFragmentError(
            `a fragment for a new tool-call index ${index} has neither an id nor a function name`,
            fragment,
            chunkIndex,
            state.index,
          )
        }
        this.#quirk(
          'missing-tool-call-id',
          `tool call ${JSON.stringify(name)} (index ${index}) came without an id: its id is ''`,
          chunkIndex,
        )
        call = this.#newCall(state, '', index, chunkIndex)
      }
    } else {
      // Neither id nor index (Gemini): the last call continues, unless a different name starts another.
      const last = state.lastCall
      if (name && (!last || (last.name !== '' && last.name !== name))) {
        this.#quirk(
          'missing-tool-call-index',
          `a tool-call fragment without index or id named ${JSON.stringify(name)}: a new call`,
          chunkIndex,
        )
        this.#quirk(
          'missing-tool-call-id',
          `tool call ${JSON.stringify(name)} came without an id: its id is ''`,
          chunkIndex,
        )
        call = this.#newCall(state, '', undefined, chunkIndex)
      } else if (last) {
        this.#quirk(
          'missing-tool-call-index',
          'a tool-call fragment without index or id continued the last call',
          chunkIndex,
        )
        call = last
      } else {
        throw new ToolCallFragmentError(
          'a tool-call fragment has no index, no id and no function name, and there is no call to continue',
          fragment,
          chunkIndex,
          state.index,
        )
      }
    }
    // An empty type (some proxies send `"type": ""`) keeps 'function', as an empty name keeps the name.
    if (typeof fragment.type === 'string' && fragment.type !== '') call.type = fragment.type
    if (name) call.name = name
    const args = fragment.function?.arguments as unknown
    if (typeof args === 'string') call.arguments += args
    else if (args != null) call.arguments += this.#argumentsAsText(args, fragment, chunkIndex, state.index)
    state.toolCalls.set(
      call.position,
      Object.freeze({
        id: call.id,
        type: call.type,
        function: Object.freeze({ name: call.name, arguments: call.arguments }),
      }),
    )
    state.lastCall = call
  }

  #newCall(state: ChoiceState, id: string, index: number | undefined, chunkIndex: number): ToolCallState {
    const position = state.calls.length
    // A gap: a new index that is not the next one (indexes from 1, or holes). A reused
    // index (reported as such) is not one. Reported first: in strict mode no call is made.
    if (index !== undefined && !state.byIndex.has(index) && index !== state.byIndex.size && !state.gapReported) {
      state.gapReported = true
      this.#quirk(
        'tool-call-index-gap',
        `tool-call index ${index} is call ${position} of choice ${state.index}: calls keep their order of appearance, without holes`,
        chunkIndex,
      )
    }
    const call: ToolCallState = { id, type: 'function', name: '', arguments: '', position }
    state.calls.push(call)
    if (id !== '') state.byId.set(id, call)
    if (index !== undefined) state.byIndex.set(index, call)
    return call
  }

  #appendLogprobs(state: ChoiceState, logprobs: ChatCompletionChoiceLogprobs): void {
    const target = (state.logprobs ??= { content: null, refusal: null })
    if (Array.isArray(logprobs.content)) append((target.content ??= []), logprobs.content)
    if (Array.isArray(logprobs.refusal)) append((target.refusal ??= []), logprobs.refusal)
    target.snapshot = undefined
  }

  /** Arguments sent as JSON rather than as a string: kept as the string they stand for, never dropped. */
  #argumentsAsText(args: unknown, fragment: unknown, chunkIndex: number, choiceIndex: number): string {
    let text: string | undefined
    try {
      text = JSON.stringify(args)
    } catch {}
    if (text === undefined)
      throw new ToolCallFragmentError(
        'function.arguments is neither a string nor JSON',
        fragment,
        chunkIndex,
        choiceIndex,
      )
    this.#quirk(
      'tool-arguments-not-string',
      `tool-call arguments came as ${Array.isArray(args) ? 'an array' : `a ${typeof args}`}, not a string: written as JSON`,
      chunkIndex,
    )
    return text
  }

  #quirk(code: AccumulatorQuirkCode, message: string, chunkIndex: number): void {
    const quirk: AccumulatorQuirk = { code, message, chunkIndex }
    if (this.#strict) throw new StrictModeError(quirk)
    this.#record.addQuirk(quirk, this.#stage)
    this.#onQuirk?.(quirk)
  }
}

function byIndex(a: { index: number }, b: { index: number }): number {
  return a.index - b.index
}

/** `target.push(...entries)` without passing them as arguments, which overflows the stack on a long array. */
function append<T>(target: T[], entries: readonly T[]): void {
  for (const entry of entries) target.push(entry)
}

function isJSON(text: string): boolean {
  try {
    JSON.parse(text)
    return true
  } catch {
    return false
  }
}

function newChoice(index: number, position: number): ChoiceState {
  return {
    index,
    position,
    role: 'assistant',
    content: null,
    refusal: null,
    finishReason: null,
    logprobs: null,
    calls: [],
    toolCalls: new SnapshotArray(),
    byIndex: new Map(),
    byId: new Map(),
  }
}

/** The frozen snapshot of a choice as it is now; its `tool_calls` array is copied on first read (see SnapshotArray). */
function choiceSnapshot(state: ChoiceState): ChatCompletionChoice {
  const message: { -readonly [K in keyof ChatCompletionMessage]: ChatCompletionMessage[K] } = {
    role: state.role,
    content: state.content,
    refusal: state.refusal,
  }
  if (state.calls.length > 0) withArray(message, 'tool_calls', state.toolCalls.current(state.calls.length))
  if (state.functionCall) message.function_call = Object.freeze({ ...state.functionCall })
  if (state.reasoningContent !== undefined) message.reasoning_content = state.reasoningContent
  if (state.reasoning !== undefined) message.reasoning = state.reasoning
  return Object.freeze({
    index: state.index,
    message: Object.freeze(message),
    finish_reason: state.finishReason,
    logprobs: state.logprobs && logprobsSnapshot(state.logprobs),
  })
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
