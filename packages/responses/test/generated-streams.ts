/**
 * Responses streams of every shape, written event by event as the API documents them:
 * message items (text and refusal parts), reasoning items (summary parts, reasoning text),
 * function calls (arguments in deltas, or only in `.done` as LM Studio sends them), a hosted
 * tool's call, and every ending (completed, incomplete, failed, an error event, a cut).
 */
import fc from 'fast-check'

export type ItemShape =
  | { kind: 'message'; parts: { type: 'output_text' | 'refusal'; deltas: string[] }[] }
  | { kind: 'reasoning'; summary: string[][]; text: string[] | null }
  | { kind: 'function_call'; name: string; deltas: string[]; onlyDone: boolean }
  | { kind: 'web_search_call' }

export type Ending = 'completed' | 'incomplete' | 'failed' | 'error-flat' | 'error-nested' | 'cut'

export interface StreamShape {
  items: ItemShape[]
  ending: Ending
  /** For `cut`: the fraction of the events kept. */
  cutAt: number
  /** Whether events carry `sequence_number`. */
  sequence: boolean
}

type Event = Record<string, unknown> & { type: string }

const RESPONSE = {
  id: 'resp_gen',
  object: 'response',
  created_at: 1764000000,
  model: 'gpt-test',
  error: null,
  incomplete_details: null,
  usage: null,
}

const USAGE = {
  input_tokens: 11,
  input_tokens_details: { cached_tokens: 3 },
  output_tokens: 7,
  output_tokens_details: { reasoning_tokens: 2 },
  total_tokens: 18,
}

/** The events of `shape`, in order, with the terminal event (none for a cut, an error event for the errors). */
export function eventsOf(shape: StreamShape): Event[] {
  const events: Event[] = [
    { type: 'response.created', response: { ...RESPONSE, status: 'in_progress', output: [] } },
    { type: 'response.in_progress', response: { ...RESPONSE, status: 'in_progress', output: [] } },
  ]
  const output: Record<string, unknown>[] = []
  for (const [outputIndex, item] of shape.items.entries()) output.push(itemEvents(item, outputIndex, events))
  switch (shape.ending) {
    case 'completed':
      events.push({ type: 'response.completed', response: { ...RESPONSE, status: 'completed', output, usage: USAGE } })
      break
    case 'incomplete':
      events.push({
        type: 'response.incomplete',
        response: {
          ...RESPONSE,
          status: 'incomplete',
          output,
          usage: USAGE,
          incomplete_details: { reason: 'max_output_tokens' },
        },
      })
      break
    case 'failed':
      events.push({
        type: 'response.failed',
        response: {
          ...RESPONSE,
          status: 'failed',
          output,
          error: { code: 'server_error', message: 'the model failed' },
        },
      })
      break
    case 'error-flat':
      events.push({ type: 'error', code: 'server_error', message: 'the server failed', param: null })
      break
    case 'error-nested':
      events.push({
        type: 'error',
        error: { type: 'server_error', code: 'server_error', message: 'the server failed' },
      })
      break
    case 'cut':
      events.length = Math.min(events.length, 1 + Math.floor(shape.cutAt * events.length))
  }
  return shape.sequence ? events.map((event, index) => ({ ...event, sequence_number: index })) : events
}

function itemEvents(item: ItemShape, outputIndex: number, events: Event[]): Record<string, unknown> {
  const at = { output_index: outputIndex }
  switch (item.kind) {
    case 'message': {
      const id = `msg_${outputIndex}`
      const fields = { ...at, item_id: id }
      events.push({
        type: 'response.output_item.added',
        ...at,
        item: { id, type: 'message', status: 'in_progress', role: 'assistant', content: [] },
      })
      const content: Record<string, unknown>[] = []
      for (const [contentIndex, part] of item.parts.entries()) {
        const field = part.type === 'refusal' ? 'refusal' : 'text'
        const empty =
          part.type === 'refusal'
            ? { type: 'refusal', refusal: '' }
            : { type: 'output_text', text: '', annotations: [] }
        events.push({ type: 'response.content_part.added', ...fields, content_index: contentIndex, part: empty })
        for (const delta of part.deltas) {
          events.push(
            part.type === 'refusal'
              ? { type: 'response.refusal.delta', ...fields, content_index: contentIndex, delta }
              : { type: 'response.output_text.delta', ...fields, content_index: contentIndex, delta, logprobs: [] },
          )
        }
        const whole = part.deltas.join('')
        events.push(
          part.type === 'refusal'
            ? { type: 'response.refusal.done', ...fields, content_index: contentIndex, refusal: whole }
            : { type: 'response.output_text.done', ...fields, content_index: contentIndex, text: whole, logprobs: [] },
        )
        const done = { ...empty, [field]: whole }
        events.push({ type: 'response.content_part.done', ...fields, content_index: contentIndex, part: done })
        content.push(done)
      }
      const done = { id, type: 'message', status: 'completed', role: 'assistant', content }
      events.push({ type: 'response.output_item.done', ...at, item: done })
      return done
    }
    case 'reasoning': {
      const id = `rs_${outputIndex}`
      const fields = { ...at, item_id: id }
      events.push({ type: 'response.output_item.added', ...at, item: { id, type: 'reasoning', summary: [] } })
      const summary: Record<string, unknown>[] = []
      for (const [summaryIndex, deltas] of item.summary.entries()) {
        const part = { type: 'summary_text', text: '' }
        events.push({ type: 'response.reasoning_summary_part.added', ...fields, summary_index: summaryIndex, part })
        for (const delta of deltas)
          events.push({ type: 'response.reasoning_summary_text.delta', ...fields, summary_index: summaryIndex, delta })
        const text = deltas.join('')
        events.push({ type: 'response.reasoning_summary_text.done', ...fields, summary_index: summaryIndex, text })
        events.push({
          type: 'response.reasoning_summary_part.done',
          ...fields,
          summary_index: summaryIndex,
          part: { type: 'summary_text', text },
        })
        summary.push({ type: 'summary_text', text })
      }
      const done: Record<string, unknown> = { id, type: 'reasoning', summary }
      if (item.text) {
        const part = { type: 'reasoning_text', text: '' }
        events.push({ type: 'response.content_part.added', ...fields, content_index: 0, part })
        for (const delta of item.text)
          events.push({ type: 'response.reasoning_text.delta', ...fields, content_index: 0, delta })
        const text = item.text.join('')
        events.push({ type: 'response.reasoning_text.done', ...fields, content_index: 0, text })
        events.push({
          type: 'response.content_part.done',
          ...fields,
          content_index: 0,
          part: { type: 'reasoning_text', text },
        })
        done.content = [{ type: 'reasoning_text', text }]
      }
      events.push({ type: 'response.output_item.done', ...at, item: done })
      return done
    }
    case 'function_call': {
      const id = `fc_${outputIndex}`
      const fields = { ...at, item_id: id }
      const added = {
        id,
        type: 'function_call',
        status: 'in_progress',
        call_id: `call_${outputIndex}`,
        name: item.name,
      }
      events.push({ type: 'response.output_item.added', ...at, item: { ...added, arguments: '' } })
      if (!item.onlyDone)
        for (const delta of item.deltas)
          events.push({ type: 'response.function_call_arguments.delta', ...fields, delta })
      const args = item.deltas.join('')
      events.push({ type: 'response.function_call_arguments.done', ...fields, name: item.name, arguments: args })
      const done = { ...added, status: 'completed', arguments: args }
      events.push({ type: 'response.output_item.done', ...at, item: done })
      return done
    }
    case 'web_search_call': {
      const id = `ws_${outputIndex}`
      const fields = { ...at, item_id: id }
      events.push({
        type: 'response.output_item.added',
        ...at,
        item: { id, type: 'web_search_call', status: 'in_progress' },
      })
      events.push({ type: 'response.web_search_call.in_progress', ...fields })
      events.push({ type: 'response.web_search_call.searching', ...fields })
      events.push({ type: 'response.web_search_call.completed', ...fields })
      const done = { id, type: 'web_search_call', status: 'completed', action: { type: 'search', query: 'sluice' } }
      events.push({ type: 'response.output_item.done', ...at, item: done })
      return done
    }
  }
}

/** The events as the API writes them: `event:` and `data:` lines, a blank line after each. */
export function sseOf(events: readonly Event[]): string {
  return events.map((event) => `event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`).join('')
}

/** The deltas of a text: pieces that join to it (the empty text has none). */
const deltas = fc.array(fc.string({ minLength: 1, maxLength: 6, unit: 'grapheme' }), { maxLength: 4 })

/** JSON arguments cut into deltas. */
const argumentDeltas = fc.record({ city: fc.string({ maxLength: 8 }), days: fc.nat(30) }).chain((value) => {
  const text = JSON.stringify(value)
  return fc.uniqueArray(fc.integer({ min: 1, max: Math.max(1, text.length - 1) }), { maxLength: 4 }).map((cuts) => {
    const points = [0, ...cuts.sort((a, b) => a - b), text.length]
    return points
      .slice(1)
      .map((end, index) => text.slice(points[index], end))
      .filter((piece) => piece !== '')
  })
})

export const itemShape: fc.Arbitrary<ItemShape> = fc.oneof(
  fc.record({
    kind: fc.constant('message' as const),
    parts: fc.array(fc.record({ type: fc.constantFrom('output_text' as const, 'refusal' as const), deltas }), {
      minLength: 1,
      maxLength: 2,
    }),
  }),
  fc.record({
    kind: fc.constant('reasoning' as const),
    summary: fc.array(deltas, { maxLength: 2 }),
    text: fc.option(deltas, { nil: null }),
  }),
  fc.record({
    kind: fc.constant('function_call' as const),
    name: fc.constantFrom('get_weather', 'search'),
    deltas: argumentDeltas,
    onlyDone: fc.boolean(),
  }),
  fc.constant({ kind: 'web_search_call' as const }),
)

export const streamShape: fc.Arbitrary<StreamShape> = fc.record({
  items: fc.array(itemShape, { maxLength: 4 }),
  ending: fc.constantFrom<Ending>(
    'completed',
    'completed',
    'incomplete',
    'failed',
    'error-flat',
    'error-nested',
    'cut',
  ),
  cutAt: fc.double({ min: 0, max: 0.99, noNaN: true }),
  sequence: fc.boolean(),
})
