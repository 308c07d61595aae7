/**
 * The `parseArguments` and `parseContent` options of `DeltaAccumulator`: each tool call's
 * arguments (and each choice's content) parsed as they stream, one parser per text, each
 * fragment fed once. `@sluice/json` is imported here only: the accumulator takes any
 * `PartialValueParserFactory` and does not bundle a parser.
 */
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import fc from 'fast-check'
import { IncrementalJSONParser, partialJSON } from '@sluice/json'
import { ChatChunkStream, StrictModeError, type ChatCompletionChunk } from '@sluice/openai'
import { bytes, fromChunks, readToEnd, splitAt } from '@sluice/test-support'
import openaiParallelToolCalls from './fixtures/openai-parallel-tool-calls.sse'
import geminiMissingToolCallIndex from './fixtures/gemini-missing-tool-call-index.sse'
import toolCallConnectionCut from './fixtures/tool-call-connection-cut.sse'
import {
  accumulate,
  DeltaAccumulator,
  DeltaAccumulatorStream,
  type AccumulatorQuirk,
  type ChatCompletion,
  type DeltaAccumulatorOptions,
} from '../src/index.ts'
import { completionPlan, completionPlanOf, jsonText, offsets, order, toChunks } from './arbitraries.ts'
import { chunk, toolDelta } from './fixtures.ts'

const parsing: DeltaAccumulatorOptions = { parseArguments: partialJSON, parseContent: partialJSON }

/** Every snapshot of `chunks`, and the quirks reported on the way (the examples start without a role: not that one). */
function run(chunks: readonly ChatCompletionChunk[], options: DeltaAccumulatorOptions = parsing) {
  const quirks: AccumulatorQuirk[] = []
  const accumulator = new DeltaAccumulator({
    ...options,
    onQuirk: (quirk) => quirk.code !== 'missing-role' && quirks.push(quirk),
  })
  const snapshots = chunks.map((item) => accumulator.add(item))
  accumulator.flush()
  return { snapshots, quirks, last: accumulator.snapshot! }
}

/** The chunk that starts tool call `call_1` (index 0) of choice 0, with its first arguments. */
const firstCall = (name: string, args: string) =>
  chunk(toolDelta({ index: 0, id: 'call_1', type: 'function', function: { name, arguments: args } }))

/** What a fresh parser gives for the whole `text` at once: the reference for each snapshot. */
function reference(text: string, ended: boolean): unknown {
  if (text === '') return undefined
  const parser = new IncrementalJSONParser({ snapshots: true, tolerant: true })
  parser.feed(text)
  if (ended) parser.end()
  return parser.snapshot()
}

/**
 * A fresh parser fed `fragments` one by one, ended: the reference for a text that is not
 * JSON, whose value before the error may depend on where the fragments were cut (a string
 * opened in the fragment that fails is not set).
 */
function referenceFed(fragments: readonly string[]): unknown {
  if (fragments.length === 0) return undefined
  const parser = new IncrementalJSONParser({ snapshots: true, tolerant: true })
  for (const fragment of fragments) parser.feed(fragment)
  parser.end()
  return parser.snapshot()
}

/** The non-empty fragments of each text of `chunks`: by choice index, its content (key -1) and its calls (by index). */
function fragmentsOf(chunks: readonly ChatCompletionChunk[]): Map<number, Map<number, string[]>> {
  const texts = new Map<number, Map<number, string[]>>()
  const add = (choice: number, text: number, fragment: string | null | undefined) => {
    if (!fragment) return
    const choiceTexts = texts.get(choice) ?? texts.set(choice, new Map()).get(choice)!
    ;(choiceTexts.get(text) ?? choiceTexts.set(text, []).get(text)!).push(fragment)
  }
  for (const { choices } of chunks) {
    for (const { index, delta } of choices) {
      add(index, -1, delta.content)
      for (const call of delta.tool_calls ?? []) add(index, call.index!, call.function?.arguments)
    }
  }
  return texts
}

/** `snapshot` as JSON, without the keys the options add. */
function withoutParsed(snapshot: ChatCompletion): unknown {
  return JSON.parse(
    JSON.stringify(snapshot, (key, value) => (key === 'parsed' || key === 'parsed_arguments' ? undefined : value)),
  )
}

// ---------------------------------------------------------------- tool arguments

test('DeltaAccumulator with parseArguments carries each tool call parsed so far as function.parsed_arguments', () => {
  const { snapshots, quirks } = run([
    firstCall('get_weather', ''),
    chunk(toolDelta({ index: 0, function: { arguments: '{"city": "Pa' } })),
    chunk(toolDelta({ index: 0, function: { arguments: 'ris", "days": 1' } })),
    chunk(toolDelta({ index: 0, function: { arguments: '2}' } })),
    chunk({}, { finish: 'tool_calls' }),
  ])
  const parsed = snapshots.map((snapshot) => snapshot.choices[0]!.message.tool_calls![0]!.function.parsed_arguments)
  assert.equal(parsed, [
    undefined,
    { city: 'Pa' },
    { city: 'Paris' },
    { city: 'Paris', days: 12 },
    { city: 'Paris', days: 12 },
  ])
  assert.ok(Object.isFrozen(parsed[1]))
  assert.ok('parsed_arguments' in snapshots[0]!.choices[0]!.message.tool_calls![0]!.function, 'present, undefined')
  assert.is(snapshots[3]!.choices[0]!.message.tool_calls![0]!.function.arguments, '{"city": "Paris", "days": 12}')
  assert.equal(quirks, [])
})

test('DeltaAccumulator with parseArguments gives a new object only to the tool call that changed', () => {
  const { snapshots } = run([
    chunk(
      toolDelta(
        { index: 0, id: 'call_1', type: 'function', function: { name: 'a', arguments: '{"x": [1' } },
        { index: 1, id: 'call_2', type: 'function', function: { name: 'b', arguments: '{"y": {"z": 1}, "w": "' } },
      ),
    ),
    chunk(toolDelta({ index: 1, function: { arguments: 'more' } })),
    chunk(toolDelta({ index: 0, function: { arguments: ']}' } })),
  ])
  const calls = snapshots.map((snapshot) => snapshot.choices[0]!.message.tool_calls!)
  assert.is(calls[1]![0], calls[0]![0], 'call 0 got nothing: the same object')
  assert.is.not(calls[1]![1], calls[0]![1])
  const [before, after] = [calls[0]![1]!.function.parsed_arguments, calls[1]![1]!.function.parsed_arguments] as {
    y: unknown
    w: string
  }[]
  assert.is(after!.y, before!.y, 'the unchanged part of the value is shared too')
  assert.is(after!.w, 'more')
  assert.is(calls[2]![1], calls[1]![1])
  assert.equal(calls[2]![0]!.function.parsed_arguments, { x: [1] })
})

test('DeltaAccumulator reports arguments-not-json when the choice ends, keeping the text and the value read before', () => {
  const { last, quirks } = run([
    firstCall('get_weather', '{"city": "Paris"'),
    chunk(toolDelta({ index: 0, function: { arguments: ' "days": 3}' } })),
    chunk({}, { finish: 'tool_calls' }),
  ])
  const call = last.choices[0]!.message.tool_calls![0]!
  assert.is(call.function.arguments, '{"city": "Paris" "days": 3}')
  assert.equal(call.function.parsed_arguments, { city: 'Paris' })
  assert.equal(
    quirks.map(({ code, chunkIndex }) => [code, chunkIndex]),
    [['arguments-not-json', 2]],
  )
  assert.match(quirks[0]!.message, /call_1/)
  assert.match(quirks[0]!.message, /get_weather/)
  assert.match(quirks[0]!.message, /index 0/)
  assert.match(quirks[0]!.message, /JSON text at 17/)
})

test('DeltaAccumulator reports arguments that end before their value does (cut short by max_tokens)', () => {
  const { last, quirks } = run([firstCall('f', '{"a": [1, 2'), chunk({}, { finish: 'length' })])
  assert.equal(
    last.choices[0]!.message.tool_calls![0]!.function.parsed_arguments,
    { a: [1, 2] },
    '2 is whole at the end',
  )
  assert.equal(
    quirks.map((quirk) => quirk.code),
    ['arguments-not-json'],
  )
  assert.match(quirks[0]!.message, /ends inside/)
})

test('DeltaAccumulator with strict fails on arguments that are not JSON', () => {
  const accumulator = new DeltaAccumulator({ parseArguments: partialJSON, strict: true })
  accumulator.add(chunk({ role: 'assistant' }))
  accumulator.add(firstCall('f', '{x'))
  const error = (() => {
    try {
      accumulator.add(chunk({}, { finish: 'tool_calls' }))
    } catch (error) {
      return error
    }
  })()
  assert.instance(error, StrictModeError)
  assert.is((error as StrictModeError).quirk.code, 'arguments-not-json')
})

test('DeltaAccumulator completes a number at the root when the choice ends', () => {
  const { snapshots } = run([firstCall('f', '12'), chunk({}, { finish: 'tool_calls' })])
  assert.is(snapshots[0]!.choices[0]!.message.tool_calls![0]!.function.parsed_arguments, undefined)
  assert.is(snapshots[1]!.choices[0]!.message.tool_calls![0]!.function.parsed_arguments, 12)
})

test('DeltaAccumulator ends the texts of a choice without finish_reason at the end of the input', () => {
  const { snapshots, last, quirks } = run([firstCall('f', '7')])
  assert.is(snapshots[0]!.choices[0]!.message.tool_calls![0]!.function.parsed_arguments, undefined)
  assert.is(last.choices[0]!.message.tool_calls![0]!.function.parsed_arguments, 7, 'snapshot after flush()')
  assert.equal(quirks, [])
})

test('DeltaAccumulator ends a choice once: a repeated finish_reason does not end its parsers again', () => {
  let ends = 0
  const parseArguments = () => {
    const parser = partialJSON()
    const end = parser.end.bind(parser)
    parser.end = () => {
      ends++
      return end()
    }
    return parser
  }
  const { quirks } = run(
    [firstCall('f', '{"a":1}'), chunk({}, { finish: 'tool_calls' }), chunk({}, { finish: 'tool_calls' })],
    { parseArguments },
  )
  assert.is(ends, 1)
  assert.equal(quirks, [])
})

test('DeltaAccumulator does not feed text that comes after the choice ended', () => {
  const { last } = run([
    firstCall('f', '{"a":1}'),
    chunk({}, { finish: 'tool_calls' }),
    chunk(toolDelta({ index: 0, function: { arguments: ' x' } })),
  ])
  const call = last.choices[0]!.message.tool_calls![0]!
  assert.is(call.function.arguments, '{"a":1} x')
  assert.equal(call.function.parsed_arguments, { a: 1 })
})

test('DeltaAccumulator makes no parser for a call without arguments text', () => {
  let made = 0
  const { last, quirks } = run([firstCall('now', ''), chunk({}, { finish: 'tool_calls' })], {
    parseArguments: () => {
      made++
      return partialJSON()
    },
  })
  assert.is(made, 0)
  assert.is(last.choices[0]!.message.tool_calls![0]!.function.parsed_arguments, undefined)
  assert.equal(quirks, [])
})

test('DeltaAccumulator parses arguments sent as a JSON object (some Ollama versions) as their text', () => {
  const { last, quirks } = run([
    // The type says a string; some Ollama versions send an object.
    firstCall('f', { city: 'Paris' } as unknown as string),
    chunk({}, { finish: 'tool_calls' }),
  ])
  assert.equal(last.choices[0]!.message.tool_calls![0]!.function.parsed_arguments, { city: 'Paris' })
  assert.equal(
    quirks.map((quirk) => quirk.code),
    ['tool-arguments-not-string'],
  )
})

// ---------------------------------------------------------------- content

test('DeltaAccumulator with parseContent carries the content parsed so far as message.parsed', () => {
  const { snapshots, quirks } = run([
    chunk({ role: 'assistant', content: '' }),
    chunk({ content: '{"name": "Par' }),
    chunk({ content: 'is", "tags": ["cap' }),
    chunk({ content: 'ital"]}' }),
    chunk({}, { finish: 'stop' }),
  ])
  assert.equal(
    snapshots.map((snapshot) => snapshot.choices[0]!.message.parsed),
    [
      undefined,
      { name: 'Par' },
      { name: 'Paris', tags: ['cap'] },
      { name: 'Paris', tags: ['capital'] },
      { name: 'Paris', tags: ['capital'] },
    ],
  )
  assert.is(snapshots[4]!.choices[0]!.message.parsed, snapshots[3]!.choices[0]!.message.parsed, 'unchanged: shared')
  assert.equal(quirks, [])
})

test('DeltaAccumulator reports content-not-json and keeps the content', () => {
  const { last, quirks } = run([chunk({ content: '{"name": "Paris"} and more' }), chunk({}, { finish: 'stop' })])
  assert.is(last.choices[0]!.message.content, '{"name": "Paris"} and more')
  assert.equal(last.choices[0]!.message.parsed, { name: 'Paris' })
  assert.equal(
    quirks.map(({ code, message }) => [code, message]),
    [['content-not-json', 'choice 0: JSON text at 18: "a" after the value']],
  )
})

test('DeltaAccumulator with parseContent leaves a message with tool calls only alone', () => {
  const { last, quirks } = run(
    [chunk({ role: 'assistant', content: null }), firstCall('f', '{}'), chunk({}, { finish: 'tool_calls' })],
    { parseContent: partialJSON },
  )
  assert.is(last.choices[0]!.message.parsed, undefined)
  assert.ok('parsed' in last.choices[0]!.message)
  assert.not.ok('parsed_arguments' in last.choices[0]!.message.tool_calls![0]!.function, 'only parseContent given')
  assert.equal(quirks, [])
})

test('accumulate() ends the texts of a stream without finish_reason', async () => {
  const quirks: string[] = []
  const completion = await accumulate([chunk({ role: 'assistant', content: '{"a": tru' })], {
    parseContent: partialJSON,
    onQuirk: (quirk) => quirks.push(quirk.code),
  })
  assert.equal(completion.choices[0]!.message.parsed, {})
  assert.equal(quirks, ['content-not-json'])
})

// ---------------------------------------------------------------- captured streams

test('DeltaAccumulatorStream parses the arguments of two parallel calls of a captured OpenAI stream', async () => {
  const quirks: AccumulatorQuirk[] = []
  const data = bytes(openaiParallelToolCalls)
  const { items, error } = await readToEnd(
    fromChunks(splitAt(data, [9, Math.floor(data.length / 2)]))
      .pipeThrough(new ChatChunkStream())
      .pipeThrough(new DeltaAccumulatorStream({ parseArguments: partialJSON, onQuirk: (quirk) => quirks.push(quirk) })),
  )
  assert.is(error, undefined)
  const seen = items.map((snapshot) =>
    (snapshot.choices[0]?.message.tool_calls ?? []).map((call) => call.function.parsed_arguments),
  )
  assert.equal(seen, [
    [],
    [undefined],
    [{}],
    [{ city: 'Par' }],
    [{ city: 'Paris' }],
    [{ city: 'Paris' }, undefined],
    [{ city: 'Paris' }, {}],
    [{ city: 'Paris' }, { city: 'Tok' }],
    [{ city: 'Paris' }, { city: 'Tokyo' }],
    [{ city: 'Paris' }, { city: 'Tokyo' }],
    [{ city: 'Paris' }, { city: 'Tokyo' }],
  ])
  const first = items.map((snapshot) => snapshot.choices[0]?.message.tool_calls?.[0])
  assert.is(first[8], first[4], 'call 0 is the same object while call 1 streams')
  assert.equal(quirks, [])
})

test('DeltaAccumulatorStream parses the calls of a captured Gemini stream (no indexes, whole arguments)', async () => {
  const { items } = await readToEnd(
    fromChunks([bytes(geminiMissingToolCallIndex)])
      .pipeThrough(new ChatChunkStream())
      .pipeThrough(new DeltaAccumulatorStream({ parseArguments: partialJSON })),
  )
  const calls = items.at(-1)!.choices[0]!.message.tool_calls!
  assert.equal(
    calls.map((call) => call.function.parsed_arguments),
    [{ city: 'Paris' }, { city: 'Tokyo' }],
  )
})

test('a captured stream cut mid-arguments and accepted (truncated: close): the open call is reported at the end', async () => {
  const quirks: AccumulatorQuirk[] = []
  const accumulator = new DeltaAccumulatorStream({
    parseArguments: partialJSON,
    onQuirk: (quirk) => quirks.push(quirk),
  })
  const { items, error } = await readToEnd(
    fromChunks([bytes(toolCallConnectionCut)])
      .pipeThrough(new ChatChunkStream({ truncated: 'close' }))
      .pipeThrough(accumulator),
  )
  assert.is(error, undefined)
  const calls = items.at(-1)!.choices[0]!.message.tool_calls!
  assert.equal(calls[1]!.function.parsed_arguments, { timezone: 'Eu' })
  assert.equal(
    quirks.map(({ code }) => code),
    ['arguments-not-json'],
  )
  assert.match(quirks[0]!.message, /get_time/)
  const outcome = await accumulator.outcome
  assert.is(outcome.status, 'truncated')
  assert.equal(
    outcome.quirks.map(({ code }) => code),
    ['arguments-not-json'],
  )
})

// ---------------------------------------------------------------- properties

const jsonPlans = completionPlanOf({ text: jsonText, arguments: jsonText })

test('DeltaAccumulator: every parsed_arguments and parsed is what a fresh parser gives for the text so far, and the last is JSON.parse of it', () => {
  fc.assert(
    fc.property(jsonPlans, offsets, order, (plan, cuts, picks) => {
      const { snapshots, quirks, last } = run(toChunks(plan, cuts, picks))
      for (const snapshot of snapshots) {
        for (const choice of snapshot.choices) {
          const ended = choice.finish_reason !== null
          for (const call of choice.message.tool_calls ?? [])
            assert.equal(call.function.parsed_arguments, reference(call.function.arguments, ended))
          assert.equal(choice.message.parsed, reference(choice.message.content ?? '', ended))
        }
      }
      for (const choice of last.choices) {
        for (const call of choice.message.tool_calls ?? [])
          assert.equal(call.function.parsed_arguments, JSON.parse(call.function.arguments))
        if (choice.message.content !== null) assert.equal(choice.message.parsed, JSON.parse(choice.message.content))
      }
      assert.equal(quirks, [])
    }),
  )
})

test('DeltaAccumulator: a tool call that got no fragment keeps its object, parsed value included', () => {
  fc.assert(
    fc.property(jsonPlans, offsets, order, (plan, cuts, picks) => {
      const { snapshots } = run(toChunks(plan, cuts, picks))
      for (let index = 1; index < snapshots.length; index++) {
        for (const choice of snapshots[index]!.choices) {
          // By index: a choice that comes later may take a place before this one.
          const before = snapshots[index - 1]!.choices.find((other) => other.index === choice.index)
          choice.message.tool_calls?.forEach((call, at) => {
            const earlier = before?.message.tool_calls?.[at]
            // A number or a literal at the root changes its value at the end, not its text.
            if (
              earlier?.function.arguments === call.function.arguments &&
              earlier.function.parsed_arguments === call.function.parsed_arguments
            )
              assert.is(call, earlier)
          })
        }
      }
    }),
  )
})

test('DeltaAccumulator: arguments that stop being JSON are reported once, with the text kept', () => {
  const broken = fc
    .tuple(jsonText, fc.nat(), fc.constantFrom('}', ']', ',', 'x', '"\n'))
    .map(([text, at, junk]) => {
      const cut = at % (text.length + 1)
      return text.slice(0, cut) + junk + text.slice(cut)
    })
    .filter((text) => {
      try {
        JSON.parse(text)
        return false
      } catch {
        return true
      }
    })
  fc.assert(
    fc.property(completionPlanOf({ text: broken, arguments: broken }), offsets, order, (plan, cuts, picks) => {
      const chunks = toChunks(plan, cuts, picks)
      const { quirks, last } = run(chunks)
      const fragments = fragmentsOf(chunks)
      let texts = 0
      for (const choice of last.choices) {
        const fed = fragments.get(choice.index)
        ;(choice.message.tool_calls ?? []).forEach((call, index) => {
          texts++
          assert.equal(call.function.parsed_arguments, referenceFed(fed?.get(index) ?? []))
        })
        if (choice.message.content !== null) {
          texts++
          assert.equal(choice.message.parsed, referenceFed(fed?.get(-1) ?? []))
        }
      }
      const planned = plan.choices.map((choice) => [choice.text ?? '', ...choice.calls.map((call) => call.arguments)])
      assert.equal(
        last.choices.map((choice) => [
          choice.message.content ?? '',
          ...(choice.message.tool_calls ?? []).map((call) => call.function.arguments),
        ]),
        planned,
        'the texts as sent',
      )
      assert.is(quirks.length, texts)
      assert.ok(quirks.every(({ code }) => code === 'arguments-not-json' || code === 'content-not-json'))
    }),
  )
})

test('DeltaAccumulator without the options gives the snapshots it gave before, with no parsed keys', () => {
  fc.assert(
    fc.property(completionPlan, offsets, order, (plan, cuts, picks) => {
      const chunks = toChunks(plan, cuts, picks)
      const plain = run(chunks, {}).snapshots
      const parsed = run(chunks).snapshots
      plain.forEach((snapshot, index) => {
        for (const choice of snapshot.choices) {
          assert.not.ok('parsed' in choice.message)
          for (const call of choice.message.tool_calls ?? []) assert.not.ok('parsed_arguments' in call.function)
        }
        assert.equal(withoutParsed(snapshot), withoutParsed(parsed[index]!))
      })
    }),
  )
})

test.run()
