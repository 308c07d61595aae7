import type { ChatCompletionChoiceLogprobs, ChatCompletionTokenLogprob, FinishReason } from '@sluice/openai'
import type { PartialValueParser, PartialValueParserFactory } from '@sluice/compose'
import { SnapshotArray, withArray } from './snapshot-array.ts'
import type { ChatCompletionChoice, ChatCompletionMessage, ChatCompletionToolCall } from './types.ts'

/** One tool call being assembled. */
export interface ToolCallState {
  id: string
  type: string
  name: string
  arguments: string
  /** Its place in the choice's `tool_calls`. */
  position: number
  /** With `parseArguments`: made at the first arguments fragment, fed until the choice ends. */
  parser?: PartialValueParser
}

/** The accumulator's `parseArguments` and `parseContent`: a snapshot carries a parsed value only with them. */
export interface TextParsers {
  parseArguments?: PartialValueParserFactory | undefined
  parseContent?: PartialValueParserFactory | undefined
}

/** The `logprobs` arrays of a choice, appended in place; snapshots keep their length. */
export interface LogprobsState {
  content: ChatCompletionTokenLogprob[] | null
  refusal: ChatCompletionTokenLogprob[] | null
  /** The view given to the last snapshot; `undefined` when entries arrived since. */
  snapshot?: ChatCompletionChoiceLogprobs | undefined
}

/** One choice being assembled. */
export interface ChoiceState {
  index: number
  /** Its place in the order in which choices came. */
  position: number
  role: string
  /** The role came from a delta (not the `'assistant'` stand-in). */
  roleSent?: boolean
  content: string | null
  refusal: string | null
  /** The accumulator's `parseArguments` and `parseContent`. */
  parsers: TextParsers
  /** With `parseContent`: made at the first content delta, fed until the choice ends. */
  contentParser?: PartialValueParser
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

export function byIndex(a: { index: number }, b: { index: number }): number {
  return a.index - b.index
}

/** `target.push(...entries)` without passing them as arguments, which overflows the stack on a long array. */
function append<T>(target: T[], entries: readonly T[]): void {
  for (const entry of entries) target.push(entry)
}

export function isJSON(text: string): boolean {
  try {
    JSON.parse(text)
    return true
  } catch {
    return false
  }
}

export function newChoice(index: number, position: number, parsers: TextParsers): ChoiceState {
  return {
    index,
    position,
    role: 'assistant',
    content: null,
    refusal: null,
    parsers,
    finishReason: null,
    logprobs: null,
    calls: [],
    toolCalls: new SnapshotArray(),
    byIndex: new Map(),
    byId: new Map(),
  }
}

/** The frozen snapshot of a choice as it is now; its `tool_calls` array is copied on first read (see SnapshotArray). */
export function choiceSnapshot(state: ChoiceState): ChatCompletionChoice {
  const message: { -readonly [K in keyof ChatCompletionMessage]: ChatCompletionMessage[K] } = {
    role: state.role,
    content: state.content,
    refusal: state.refusal,
  }
  if (state.calls.length > 0) withArray(message, 'tool_calls', state.toolCalls.current(state.calls.length))
  if (state.functionCall) message.function_call = Object.freeze({ ...state.functionCall })
  if (state.reasoningContent !== undefined) message.reasoning_content = state.reasoningContent
  if (state.reasoning !== undefined) message.reasoning = state.reasoning
  if (state.parsers.parseContent) message.parsed = state.contentParser?.snapshot()
  return Object.freeze({
    index: state.index,
    message: Object.freeze(message),
    finish_reason: state.finishReason,
    logprobs: state.logprobs && logprobsSnapshot(state.logprobs),
  })
}

/** Puts the frozen snapshot of a tool call as it is now in its choice's `tool_calls`. */
export function setCallSnapshot(state: ChoiceState, call: ToolCallState): void {
  const fn: { -readonly [K in keyof ChatCompletionToolCall['function']]: ChatCompletionToolCall['function'][K] } = {
    name: call.name,
    arguments: call.arguments,
  }
  if (state.parsers.parseArguments) fn.parsed_arguments = call.parser?.snapshot()
  state.toolCalls.set(call.position, Object.freeze({ id: call.id, type: call.type, function: Object.freeze(fn) }))
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

/** Appends a chunk's `logprobs` to the choice's arrays, in place (snapshots keep their length). */
export function appendLogprobs(state: ChoiceState, logprobs: ChatCompletionChoiceLogprobs): void {
  const target = (state.logprobs ??= { content: null, refusal: null })
  if (Array.isArray(logprobs.content)) append((target.content ??= []), logprobs.content)
  if (Array.isArray(logprobs.refusal)) append((target.refusal ??= []), logprobs.refusal)
  target.snapshot = undefined
}
