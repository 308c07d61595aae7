import type { ChatCompletionToolCallDelta } from '@sluice/openai'
import { type ChoiceState, setCallSnapshot, type ToolCallState } from './choice-state.ts'
import { ToolCallFragmentError } from './errors.ts'
import type { AccumulatorQuirkCode } from './types.ts'

/** How the correlation reports a quirk (the accumulator's `#quirk`: strict mode throws there). */
export type ReportQuirk = (code: AccumulatorQuirkCode, message: string, chunkIndex: number) => void

/**
 * Correlates one tool-call fragment with a call by `id`, then `index`, then
 * `function.name`, then as the continuation of the last call; a fragment that fits no
 * rule is an error.
 */
export function applyToolCallFragment(
  state: ChoiceState,
  fragment: ChatCompletionToolCallDelta,
  chunkIndex: number,
  quirk: ReportQuirk,
): void {
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
        quirk(
          'reused-tool-call-index',
          `tool-call index ${index} came again with a new id ${JSON.stringify(id)}: a new call`,
          chunkIndex,
        )
      }
    }
    if (!call) {
      if (!hasIndex)
        quirk(
          'missing-tool-call-index',
          `a tool-call fragment without index brought a new id ${JSON.stringify(id)}: a new call`,
          chunkIndex,
        )
      call = newCall(state, id, hasIndex ? index : undefined, chunkIndex, quirk)
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
      quirk(
        'missing-tool-call-id',
        `tool call ${JSON.stringify(name)} (index ${index}) came without an id: its id is ''`,
        chunkIndex,
      )
      call = newCall(state, '', index, chunkIndex, quirk)
    }
  } else {
    // Neither id nor index (Gemini): the last call continues, unless a different name starts another.
    const last = state.lastCall
    if (name && (!last || (last.name !== '' && last.name !== name))) {
      quirk(
        'missing-tool-call-index',
        `a tool-call fragment without index or id named ${JSON.stringify(name)}: a new call`,
        chunkIndex,
      )
      quirk('missing-tool-call-id', `tool call ${JSON.stringify(name)} came without an id: its id is ''`, chunkIndex)
      call = newCall(state, '', undefined, chunkIndex, quirk)
    } else if (last) {
      quirk('missing-tool-call-index', 'a tool-call fragment without index or id continued the last call', chunkIndex)
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
  const text =
    typeof args === 'string'
      ? args
      : args != null
        ? argumentsAsText(args, fragment, chunkIndex, state.index, quirk)
        : ''
  call.arguments += text
  const parse = state.parsers.parseArguments
  // Each fragment fed once, so the value so far costs the fragment, not the arguments again;
  // until the choice ends (its parsers ended then: text after it only joins `arguments`).
  if (parse && text !== '' && state.finishReason === null) (call.parser ??= parse()).feed(text)
  setCallSnapshot(state, call)
  state.lastCall = call
}

function newCall(
  state: ChoiceState,
  id: string,
  index: number | undefined,
  chunkIndex: number,
  quirk: ReportQuirk,
): ToolCallState {
  const position = state.calls.length
  // A gap: a new index that is not the next one (indexes from 1, or holes). A reused
  // index (reported as such) is not one. Reported first: in strict mode no call is made.
  if (index !== undefined && !state.byIndex.has(index) && index !== state.byIndex.size && !state.gapReported) {
    state.gapReported = true
    quirk(
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

/** Arguments sent as JSON rather than as a string: kept as the string they stand for, never dropped. */
function argumentsAsText(
  args: unknown,
  fragment: unknown,
  chunkIndex: number,
  choiceIndex: number,
  quirk: ReportQuirk,
): string {
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
  quirk(
    'tool-arguments-not-string',
    `tool-call arguments came as ${Array.isArray(args) ? 'an array' : `a ${typeof args}`}, not a string: written as JSON`,
    chunkIndex,
  )
  return text
}
