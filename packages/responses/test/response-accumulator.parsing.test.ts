/**
 * ResponseAccumulator's parseArguments and parseContent: a call's `parsed_arguments` and an
 * `output_text` part's `parsed` after each event are what a fresh parser gives for the text so
 * far, the whole value once the text is done, each text read once — also when its whole value
 * comes only in `.done` (LM Studio) or differs from the deltas; JSON that does not parse is a
 * quirk and keeps its text; without the options, snapshots are as they were.
 */
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import fc from 'fast-check'
import { partialJSON } from '@sluice/json'
import { bytes, fromChunks, readToEnd, splitText, stateAfterEach } from '@sluice/test-support'
import { freshValue, recordingParsers } from '@sluice/test-support/partial-values'
import {
  ResponseAccumulator,
  type ResponseAccumulatorOptions,
  type ResponseEvent,
  ResponseEventStream,
  type ResponseSnapshot,
} from '../src/index.ts'
import { CAPTURES } from './captures.ts'
import { type Ending, eventsOf, type ItemShape } from './generated-streams.ts'

/** The response after each event, and the accumulator. */
function run(events: readonly ResponseEvent[], options?: ResponseAccumulatorOptions) {
  const accumulator = new ResponseAccumulator(options)
  return { responses: stateAfterEach(accumulator, events, () => accumulator.response), accumulator }
}

const BOTH: ResponseAccumulatorOptions = { parseArguments: partialJSON, parseContent: partialJSON }
const ARGUMENT_ITEMS = new Set(['function_call', 'mcp_call'])
const TERMINAL = new Set(['response.completed', 'response.incomplete', 'response.failed'])

/**
 * Checks the response after each event: each call's `parsed_arguments` and each
 * `output_text` part's `parsed` are what a fresh parser shows for the item's text in the same
 * snapshot — the value it keeps at the end once the text is done (its `….done`, its part's
 * or item's `.done`, the terminal event) — and are there once the text is not empty.
 */
function checkValues(events: readonly ResponseEvent[], responses: readonly (ResponseSnapshot | undefined)[]) {
  const done = new Set<string>()
  let ended = false
  for (const [at, event] of events.entries()) {
    const { output_index: item, content_index: part } = event as { output_index?: number; content_index?: number }
    if (/^response\.(function_call_arguments|mcp_call_arguments|output_item)\.done$/.test(event.type))
      done.add(`${item}`)
    if (/^response\.(output_text|content_part)\.done$/.test(event.type)) done.add(`${item}.${part}`)
    if (TERMINAL.has(event.type)) ended = true
    for (const [index, each] of (responses[at]?.output ?? []).entries()) {
      const isDone = (key: string) => ended || done.has(`${index}`) || done.has(key)
      if (ARGUMENT_ITEMS.has(each.type) && typeof each.arguments === 'string') {
        assert.is('parsed_arguments' in each, each.arguments !== '', `parsed_arguments of ${index} after event ${at}`)
        assert.equal(
          each.parsed_arguments,
          freshValue(each.arguments, isDone(`${index}`)),
          `${index} after event ${at}`,
        )
      }
      for (const [partIndex, content] of ((each.content ?? []) as Record<string, unknown>[]).entries()) {
        if (content.type !== 'output_text' || typeof content.text !== 'string') continue
        const key = `${index}.${partIndex}`
        assert.is('parsed' in content, content.text !== '', `parsed of ${key} after event ${at}`)
        assert.equal(content.parsed, freshValue(content.text, isDone(key)), `${key} after event ${at}`)
      }
    }
  }
}

/** The JSON texts of a response's calls and `output_text` parts, in order. */
function textsOf(response: ResponseSnapshot | undefined): string[] {
  const texts: string[] = []
  for (const item of response?.output ?? []) {
    if (ARGUMENT_ITEMS.has(item.type)) texts.push(String(item.arguments))
    for (const part of (item.content ?? []) as Record<string, unknown>[])
      if (part.type === 'output_text') texts.push(String(part.text))
  }
  return texts
}

const call = (deltas: string[], onlyDone = false): ItemShape => ({ kind: 'function_call', name: 'f', deltas, onlyDone })
const message = (deltas: string[]): ItemShape => ({ kind: 'message', parts: [{ type: 'output_text', deltas }] })
const shape = (items: ItemShape[], ending: Ending = 'completed') => ({ items, ending, cutAt: 0.5, sequence: true })

test('ResponseAccumulator with parseArguments gives each call parsed_arguments as it streams, openai-node’s name', () => {
  const events = eventsOf(shape([call(['{"city": "Pa', 'ris", "days": [1', ', 2]}'])])) as ResponseEvent[]
  const { responses } = run(events, { parseArguments: partialJSON })
  const values = responses.map((response) => response?.output[0]?.parsed_arguments)
  assert.equal(values.slice(3, 6), [{ city: 'Pa' }, { city: 'Paris', days: [] }, { city: 'Paris', days: [1, 2] }])
  assert.equal(responses.at(-1)!.output[0]!.parsed_arguments, { city: 'Paris', days: [1, 2] })
  assert.is(responses.at(-1)!.output[0]!.arguments, '{"city": "Paris", "days": [1, 2]}')
  assert.ok(Object.isFrozen(values[4]) && Object.isFrozen((values[4] as { days: unknown }).days))
  assert.is.not(values[4], values[5])
})

test('ResponseAccumulator with parseContent gives output_text parts parsed; refusals are left alone', () => {
  const events = eventsOf(
    shape([
      {
        kind: 'message',
        parts: [
          { type: 'refusal', deltas: ['{"no": 1}'] },
          { type: 'output_text', deltas: ['[1, ', '2]'] },
        ],
      },
    ]),
  ) as ResponseEvent[]
  const { responses, accumulator } = run(events, { parseContent: partialJSON })
  const [refusal, text] = responses.at(-1)!.output[0]!.content as Record<string, unknown>[]
  assert.not.ok('parsed' in refusal!)
  assert.equal(text!.parsed, [1, 2])
  assert.equal(accumulator.progress.quirks, [])
})

test('ResponseAccumulator reads arguments sent only in .done once (LM Studio), and the rest of a .done that extends the deltas', () => {
  const only = recordingParsers()
  const events = eventsOf(shape([call(['{"a": 1}'], true)])) as ResponseEvent[]
  const { responses } = run(events, { parseArguments: only.make })
  const doneAt = events.findIndex((event) => event.type === 'response.function_call_arguments.done')
  assert.not.ok('parsed_arguments' in responses[doneAt - 1]!.output[0]!)
  assert.equal(responses[doneAt]!.output[0]!.parsed_arguments, { a: 1 })
  assert.is(only.read(), 8)
  const extended = recordingParsers()
  const delta = { type: 'response.function_call_arguments.delta', output_index: 0, item_id: 'fc_0', delta: '{"a": ' }
  const parsed = run([...events.slice(0, doneAt), delta as ResponseEvent, ...events.slice(doneAt)], {
    parseArguments: extended.make,
  }).responses
  assert.equal(parsed[doneAt]!.output[0]!.parsed_arguments, {})
  assert.equal(parsed[doneAt + 1]!.output[0]!.parsed_arguments, { a: 1 })
  assert.is(extended.read(), 8, 'the .done added "1}" to what the deltas gave')
})

test('ResponseAccumulator reads a .done that differs from the deltas anew', () => {
  const counted = recordingParsers()
  const events = eventsOf(shape([call(['{"a": 1}'])])) as ResponseEvent[]
  const changed = events.map((event) =>
    event.type === 'response.function_call_arguments.done'
      ? ({ ...event, arguments: '{"b": 2}' } as ResponseEvent)
      : event,
  )
  const { responses, accumulator } = run(changed.slice(0, -2), { parseArguments: counted.make })
  assert.equal(responses.at(-1)!.output[0], {
    id: 'fc_0',
    type: 'function_call',
    status: 'in_progress',
    call_id: 'call_0',
    name: 'f',
    arguments: '{"b": 2}',
    parsed_arguments: { b: 2 },
  })
  assert.is(counted.read(), 16)
  assert.equal(accumulator.progress.quirks, [])
})

test('ResponseAccumulator keeps arguments that are not JSON, with the value read before the error, and a quirk', () => {
  const events = eventsOf(shape([call(['{"a": [1', '] x']), message(['Hello'])], 'incomplete')) as ResponseEvent[]
  const { responses, accumulator } = run(events, BOTH)
  const [item, text] = responses.at(-1)!.output
  assert.is(item!.arguments, '{"a": [1] x')
  assert.equal(item!.parsed_arguments, { a: [1] })
  assert.equal((text!.content as Record<string, unknown>[])[0], {
    type: 'output_text',
    text: 'Hello',
    annotations: [],
    parsed: undefined,
  })
  assert.equal(accumulator.progress.quirks, [
    { code: 'arguments-not-json', message: "output 0: JSON text at 10: \"x\" where ',' or '}' was expected" },
    { code: 'content-not-json', message: 'output_text 1.0: JSON text at 0: "H" where a value was expected' },
  ])
})

const jsonPieces = fc
  .tuple(fc.json(), fc.array(fc.nat(), { maxLength: 5 }))
  .map(([text, cuts]) => splitText(text, cuts))
const item: fc.Arbitrary<ItemShape> = fc.oneof(
  fc.record({
    kind: fc.constant('function_call' as const),
    name: fc.constant('f'),
    deltas: jsonPieces,
    onlyDone: fc.boolean(),
  }),
  fc.record({
    kind: fc.constant('message' as const),
    parts: fc.array(
      fc.record({ type: fc.constantFrom('output_text' as const, 'refusal' as const), deltas: jsonPieces }),
      {
        minLength: 1,
        maxLength: 2,
      },
    ),
  }),
  fc.constant<ItemShape>({ kind: 'reasoning', summary: [['think']], text: null }),
)
const streams = fc.record({
  items: fc.array(item, { minLength: 1, maxLength: 3 }),
  ending: fc.constantFrom<Ending>('completed', 'incomplete', 'failed', 'cut'),
  cutAt: fc.double({ min: 0, max: 0.99, noNaN: true }),
  sequence: fc.boolean(),
})

test('ResponseAccumulator values after each event are a fresh parser’s on the text so far; done, JSON.parse', () => {
  fc.assert(
    fc.property(streams, (generated) => {
      const events = eventsOf(generated) as ResponseEvent[]
      const { responses, accumulator } = run(events, BOTH)
      checkValues(events, responses)
      if (generated.ending !== 'cut') {
        const final = responses.at(-1)!
        const values = final.output.flatMap((each) => [
          ...(ARGUMENT_ITEMS.has(each.type) ? [each.parsed_arguments] : []),
          ...((each.content ?? []) as Record<string, unknown>[])
            .filter((part) => part.type === 'output_text')
            .map((part) => part.parsed),
        ])
        assert.equal(
          values,
          textsOf(final).map((text) => JSON.parse(text)),
        )
      }
      assert.equal(accumulator.progress.quirks, [])
    }),
    { numRuns: 150 },
  )
})

test('ResponseAccumulator without options gives the snapshots of the options, less what they add', () => {
  fc.assert(
    fc.property(streams, (generated) => {
      const events = eventsOf(generated) as ResponseEvent[]
      const plain = run(events).responses
      const parsed = run(events, BOTH).responses
      const strip = (response: ResponseSnapshot | undefined) =>
        JSON.parse(JSON.stringify(response ?? null), (key, value) =>
          key === 'parsed_arguments' || key === 'parsed' ? undefined : value,
        )
      const noParsedKeys = (key: string, value: unknown) => {
        assert.ok(key !== 'parsed_arguments' && key !== 'parsed', `a ${key} key without the options`)
        return value
      }
      for (const [at, response] of plain.entries())
        assert.equal(JSON.parse(JSON.stringify(response ?? null), noParsedKeys), strip(parsed[at]))
    }),
    { numRuns: 100 },
  )
})

/** The events of a captured stream (up to its error, if it has one). */
async function eventsIn(name: string): Promise<ResponseEvent[]> {
  return (await readToEnd(fromChunks([bytes(CAPTURES[name]!)]).pipeThrough(new ResponseEventStream()))).items
}

for (const name of Object.keys(CAPTURES)) {
  test(`${name}: values follow their texts, each text read once; the final values are JSON.parse's`, async () => {
    const events = await eventsIn(name)
    const [args, content] = [recordingParsers(), recordingParsers()]
    const { responses } = run(events, { parseArguments: args.make, parseContent: content.make })
    checkValues(events, responses)
    const final = responses.at(-1)
    let [argumentCharacters, textCharacters] = [0, 0]
    for (const each of final?.output ?? []) {
      if (ARGUMENT_ITEMS.has(each.type)) argumentCharacters += String(each.arguments).length
      for (const part of (each.content ?? []) as Record<string, unknown>[])
        if (part.type === 'output_text') textCharacters += String(part.text).length
    }
    assert.is(args.read(), argumentCharacters)
    assert.is(content.read(), textCharacters)
  })
}

test('function-call-gpt-4o.sse and mcp-call-o4-mini.sse: parsed_arguments grows with the deltas to JSON.parse of the arguments', async () => {
  for (const name of ['function-call-gpt-4o.sse', 'mcp-call-o4-mini.sse']) {
    const { responses, accumulator } = run(await eventsIn(name), { parseArguments: partialJSON })
    const final = responses.at(-1)!
    const calls = final.output.filter((each) => ARGUMENT_ITEMS.has(each.type))
    assert.ok(calls.length > 0, name)
    for (const each of calls) assert.equal(each.parsed_arguments, JSON.parse(String(each.arguments)), name)
    const values = new Set(
      responses.map((response) => response?.output.find((each) => ARGUMENT_ITEMS.has(each.type))?.parsed_arguments),
    )
    assert.ok(values.size > 2 || name.startsWith('mcp'), `${name}: ${values.size} values`)
    assert.equal(accumulator.progress.quirks, [])
  }
})

test('function-call-args-only-in-done-lmstudio-glm-4.7-flash-reconstructed.sse: the .done sets parsed_arguments', async () => {
  const events = await eventsIn('function-call-args-only-in-done-lmstudio-glm-4.7-flash-reconstructed.sse')
  const { responses } = run(events, { parseArguments: partialJSON })
  const doneAt = events.findIndex((event) => event.type === 'response.function_call_arguments.done')
  const at = responses[doneAt]!.output.findIndex((each) => each.type === 'function_call')
  const { arguments: text } = events[doneAt] as unknown as { arguments: string }
  assert.not.ok('parsed_arguments' in responses[doneAt - 1]!.output[at]!)
  assert.equal(responses[doneAt]!.output[at]!.parsed_arguments, JSON.parse(text))
  assert.equal(responses.at(-1)!.output[at]!.parsed_arguments, JSON.parse(text))
})

test('text-gpt-4o.sse: with parseContent, prose is a content-not-json quirk and its text is kept', async () => {
  const events = await eventsIn('text-gpt-4o.sse')
  const plain = run(events).responses.at(-1)!
  const { responses, accumulator } = run(events, { parseContent: partialJSON })
  const part = (response: ResponseSnapshot) => (response.output[0]!.content as Record<string, unknown>[])[0]!
  assert.equal(part(responses.at(-1)!), { ...part(plain), parsed: undefined })
  assert.equal(
    accumulator.progress.quirks.map((quirk) => quirk.code),
    ['content-not-json'],
  )
})

test.run()
