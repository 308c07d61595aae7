/**
 * Random well-formed completions, and the chunks a provider would stream for them:
 * text, tool calls, parallel calls, n > 1 interleaved, a usage chunk.
 */
import fc from 'fast-check'
import type { ChatCompletionChunk, ChatCompletionChunkChoice, ChatCompletionDelta } from '@sluice/openai'

export interface ToolCallPlan {
  id: string
  name: string
  arguments: string
}

export interface ChoicePlan {
  text: string | null
  calls: ToolCallPlan[]
  finish: 'stop' | 'length' | 'tool_calls' | 'content_filter'
}

export interface CompletionPlan {
  choices: ChoicePlan[]
  usage: boolean
}

const text = fc.string({
  unit: fc.oneof(
    fc.constantFrom('é', '🦕', ' ', '"', '\n'),
    fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 }),
  ),
  minLength: 1,
  maxLength: 24,
})

const toolArguments = fc
  .dictionary(fc.constantFrom('city', 'q', 'n', 'to'), fc.oneof(fc.string({ maxLength: 8 }), fc.integer()))
  .map((value) => JSON.stringify(value))

/**
 * Completions whose texts and tool-call arguments come from the given arbitraries (JSON
 * texts, for the parsing options); {@link completionPlan} is the default.
 */
export function completionPlanOf(texts: {
  text: fc.Arbitrary<string>
  arguments: fc.Arbitrary<string>
}): fc.Arbitrary<CompletionPlan> {
  const toolCall = fc.record({
    id: fc.stringMatching(/^call_[A-Za-z0-9]{4,8}$/),
    name: fc.constantFrom('get_weather', 'search', 'send_email'),
    arguments: texts.arguments,
  })
  const choicePlan: fc.Arbitrary<ChoicePlan> = fc.oneof(
    fc.record({
      text: texts.text,
      calls: fc.constant<ToolCallPlan[]>([]),
      finish: fc.constantFrom('stop' as const, 'length' as const, 'content_filter' as const),
    }),
    fc.record({
      text: fc.constant(null),
      calls: fc.uniqueArray(toolCall, { minLength: 1, maxLength: 3, selector: (call) => call.id }),
      finish: fc.constant('tool_calls' as const),
    }),
  )
  return fc.record({
    choices: fc.array(choicePlan, { minLength: 1, maxLength: 3 }),
    usage: fc.boolean(),
  })
}

export const completionPlan: fc.Arbitrary<CompletionPlan> = completionPlanOf({ text, arguments: toolArguments })

/**
 * JSON texts of every kind (a number or a literal at the root too), compact or indented,
 * with strings of any code points: what the parsing options read.
 */
export const jsonText: fc.Arbitrary<string> = fc
  .tuple(fc.jsonValue({ stringUnit: 'binary', maxDepth: 4 }), fc.constantFrom(undefined, 2, '\t'))
  .map(([value, indent]) => JSON.stringify(value, null, indent))

/** Cuts `value` at the given offsets (modulo its length). */
function cut(value: string, offsets: readonly number[]): string[] {
  const points = [...new Set(offsets.map((offset) => offset % (value.length + 1)))].sort((a, b) => a - b)
  const parts: string[] = []
  let start = 0
  for (const point of points) {
    parts.push(value.slice(start, point))
    start = point
  }
  parts.push(value.slice(start))
  return parts.filter((part) => part !== '')
}

/** The deltas of one choice, in order, the text and arguments cut at `offsets`. */
function choiceDeltas(
  plan: ChoicePlan,
  offsets: readonly number[],
): [ChatCompletionDelta, ChoicePlan['finish'] | null][] {
  const deltas: [ChatCompletionDelta, ChoicePlan['finish'] | null][] = [
    [{ role: 'assistant', content: plan.text === null ? null : '' }, null],
  ]
  if (plan.text !== null) for (const part of cut(plan.text, offsets)) deltas.push([{ content: part }, null])
  plan.calls.forEach((call, index) => {
    deltas.push([
      { tool_calls: [{ index, id: call.id, type: 'function', function: { name: call.name, arguments: '' } }] },
      null,
    ])
    for (const part of cut(call.arguments, offsets))
      deltas.push([{ tool_calls: [{ index, function: { arguments: part } }] }, null])
  })
  deltas.push([{}, plan.finish])
  return deltas
}

/**
 * The chunks for `plan`: each choice's deltas cut at `offsets`, the choices interleaved in
 * the order `order` picks (one choice per chunk, as providers do), then the usage chunk.
 */
export function toChunks(
  plan: CompletionPlan,
  offsets: readonly number[],
  order: readonly number[],
): ChatCompletionChunk[] {
  const queues = plan.choices.map((choice) => choiceDeltas(choice, offsets))
  const chunks: ChatCompletionChunk[] = []
  let step = 0
  for (;;) {
    const open = queues.map((queue, index) => [queue, index] as const).filter(([queue]) => queue.length > 0)
    if (open.length === 0) break
    const [queue, index] = open[(order[step++ % Math.max(order.length, 1)] ?? 0) % open.length]!
    const [delta, finish] = queue.shift()!
    const choice: ChatCompletionChunkChoice = { index, delta, logprobs: null, finish_reason: finish }
    chunks.push({
      id: 'chatcmpl-p',
      object: 'chat.completion.chunk',
      created: 1764072000,
      model: 'gpt-4o-mini',
      system_fingerprint: 'fp_1',
      choices: [choice],
    })
  }
  if (plan.usage) {
    chunks.push({
      id: 'chatcmpl-p',
      object: 'chat.completion.chunk',
      created: 1764072000,
      model: 'gpt-4o-mini',
      system_fingerprint: 'fp_1',
      choices: [],
      usage: { prompt_tokens: 10, completion_tokens: 20, total_tokens: 30 },
    })
  }
  return chunks
}

export const offsets = fc.array(fc.nat({ max: 64 }), { maxLength: 12 })
export const order = fc.array(fc.nat({ max: 5 }), { maxLength: 20 })
