import { test } from 'uvu'
import * as assert from 'uvu/assert'
import fc from 'fast-check'
import { StrictModeError, type ChatCompletionChunk } from '@sluice/openai'
import { DeltaAccumulator, type ChatCompletion } from '../src/index.ts'
import { chunk, copy, multiChunk, toolDelta } from './fixtures.ts'

// Cost and correctness with many choices, many tool calls and long logprobs arrays. Past
// 128 entries a snapshot's `choices` / `tool_calls` is a getter whose array is built on
// first read: these tests read old snapshots late, in any order.

/**
 * The work that grows with the size of the snapshots: entries copied into frozen arrays
 * (every array a snapshot holds is frozen, whichever way it is built), counted by wrapping
 * `Object.freeze` while `run` runs. Deterministic, unlike a clock.
 */
function frozenEntries(run: () => void): number {
  const freeze = Object.freeze
  let entries = 0
  Object.freeze = ((value: unknown) => {
    if (Array.isArray(value)) entries += value.length
    return freeze(value)
  }) as typeof Object.freeze
  try {
    run()
  } finally {
    Object.freeze = freeze
  }
  return entries
}

/** `n` choices, each started by a chunk of its own, then each finished by a chunk of its own; `order` gives the indexes. */
function manyChoices(n: number, order: (i: number) => number = (i) => i): ChatCompletion {
  const accumulator = new DeltaAccumulator()
  for (let i = 0; i < n; i++)
    accumulator.add(chunk({ role: 'assistant', content: `c${order(i)}` }, { index: order(i) }))
  for (let i = 0; i < n; i++) accumulator.add(chunk({ content: '!' }, { index: order(i), finish: 'stop' }))
  return accumulator.snapshot!
}

/** One choice with `n` tool calls, each streamed as two fragments in chunks of their own. */
function manyToolCalls(n: number): ChatCompletion {
  const accumulator = new DeltaAccumulator()
  accumulator.add(chunk({ role: 'assistant' }))
  for (let i = 0; i < n; i++) {
    accumulator.add(
      chunk(toolDelta({ index: i, id: `call_${i}`, type: 'function', function: { name: 'f', arguments: '{"i":' } })),
    )
    accumulator.add(chunk(toolDelta({ index: i, function: { arguments: `${i}}` } })))
  }
  return accumulator.snapshot!
}

/** Ten times the input should cost about ten times the work: quadratic work would be 100 times. */
function assertLinear(name: string, work: (n: number) => number): void {
  const small = work(2000)
  const large = work(20_000)
  assert.ok(
    large / small < 13,
    `${name}: ${small} entries copied for 2,000, ${large} for 20,000 (×${(large / small).toFixed(1)})`,
  )
}

test('DeltaAccumulator copies work linear in the number of choices, in order or not', () => {
  for (const [name, order] of [
    ['in index order', (i: number) => i],
    ['in reverse index order', (i: number) => 1e6 - i],
    ['interleaved', (i: number) => (i % 2 === 0 ? i : 1e6 - i)],
  ] as const) {
    assertLinear(`choices ${name}`, (n) =>
      frozenEntries(() => {
        const { choices } = manyChoices(n, order)
        assert.is(choices.length, n)
        assert.ok(choices.every((choice, position) => position === 0 || choices[position - 1]!.index < choice.index))
      }),
    )
  }
})

test('DeltaAccumulator copies work linear in the number of tool calls of a message', () => {
  assertLinear('tool calls', (n) =>
    frozenEntries(() => {
      const calls = manyToolCalls(n).choices[0]!.message.tool_calls!
      assert.is(calls.length, n)
      assert.is(calls[n - 1]!.function.arguments, `{"i":${n - 1}}`)
    }),
  )
})

test('DeltaAccumulator assembles 20,000 choices and 20,000 tool calls', () => {
  const { choices } = manyChoices(20_000)
  assert.equal(
    choices.slice(19_998).map((choice) => [choice.index, choice.message.content, choice.finish_reason]),
    [
      [19_998, 'c19998!', 'stop'],
      [19_999, 'c19999!', 'stop'],
    ],
  )
  const calls = manyToolCalls(20_000).choices[0]!.message.tool_calls!
  assert.equal(copy(calls[12_345]), {
    id: 'call_12345',
    type: 'function',
    function: { name: 'f', arguments: '{"i":12345}' },
  })
})

test('DeltaAccumulator appends 200,000 logprobs entries of one chunk without overflowing the stack', () => {
  const token = (text: string) => ({ token: text, bytes: null, logprob: -0.5, top_logprobs: [] })
  const many = Array.from({ length: 200_000 }, (_, i) => token(String(i)))
  const accumulator = new DeltaAccumulator()
  const first = accumulator.add(
    chunk({ role: 'assistant', content: 'a' }, { extra: { logprobs: { content: many, refusal: many } } }),
  )
  const second = accumulator.add(chunk({ content: 'b' }, { extra: { logprobs: { content: many, refusal: null } } }))
  assert.is(first.choices[0]!.logprobs!.content!.length, 200_000)
  assert.is(second.choices[0]!.logprobs!.content!.length, 400_000)
  assert.is(second.choices[0]!.logprobs!.refusal!.length, 200_000)
  assert.is(second.choices[0]!.logprobs!.content![399_999]!.token, '199999')
})

test('DeltaAccumulator snapshots past 128 choices are frozen, keep what they held, and share unchanged choices', () => {
  const accumulator = new DeltaAccumulator()
  const snapshots: ChatCompletion[] = []
  for (let i = 0; i < 300; i++)
    snapshots.push(accumulator.add(chunk({ role: 'assistant', content: `${i}` }, { index: i })))
  const before = snapshots[299]!
  const after = accumulator.add(chunk({ content: '+' }, { index: 7 }))
  const usage = accumulator.add({
    ...multiChunk([]),
    usage: { prompt_tokens: 1, completion_tokens: 2, total_tokens: 3 },
  })
  // Read the oldest last: each still shows the choices it had.
  for (let i = 299; i >= 0; i--) {
    const { choices } = snapshots[i]!
    assert.is(choices.length, i + 1)
    assert.is(choices[i]!.message.content, `${i}`)
    assert.ok(Object.isFrozen(snapshots[i]) && Object.isFrozen(choices) && Object.isFrozen(choices[i]))
  }
  assert.is(after.choices[7]!.message.content, '7+')
  assert.is(before.choices[7]!.message.content, '7')
  assert.is(after.choices[8], before.choices[8]) // choice 8 got nothing: same object
  assert.is.not(after.choices[7], before.choices[7])
  assert.is(usage.choices, after.choices) // no choice changed: the same array
  assert.is(after.choices, after.choices) // built once
  // An own enumerable property like any other: JSON, spread and keys see it.
  assert.is(JSON.parse(JSON.stringify(after)).choices.length, 300)
  assert.is({ ...after }.choices, after.choices)
  assert.equal(Object.keys(after), ['id', 'object', 'created', 'model', 'choices'])
})

test('DeltaAccumulator snapshots past 128 tool calls keep what they held, and share unchanged calls', () => {
  const accumulator = new DeltaAccumulator()
  const snapshots: ChatCompletion[] = []
  for (let i = 0; i < 200; i++)
    snapshots.push(
      accumulator.add(
        chunk(toolDelta({ index: i, id: `call_${i}`, type: 'function', function: { name: 'f', arguments: '' } })),
      ),
    )
  const grown = accumulator.add(chunk(toolDelta({ index: 150, function: { arguments: '{}' } })))
  const text = accumulator.add(chunk({ content: 'x' }))
  for (let i = 199; i >= 0; i--) {
    const calls = snapshots[i]!.choices[0]!.message.tool_calls!
    assert.is(calls.length, i + 1)
    assert.is(calls[i]!.id, `call_${i}`)
    assert.is(calls[150]?.function.arguments, i >= 150 ? '' : undefined)
    assert.ok(Object.isFrozen(calls))
  }
  const calls = grown.choices[0]!.message.tool_calls!
  assert.is(calls[150]!.function.arguments, '{}')
  assert.is(calls[149], snapshots[199]!.choices[0]!.message.tool_calls![149])
  assert.is(text.choices[0]!.message.tool_calls, calls) // no call changed: the same array
  assert.equal(Object.keys(text.choices[0]!.message), ['role', 'content', 'refusal', 'tool_calls'])
})

test('DeltaAccumulator with strict: true keeps the entry of a choice whose first chunk threw', () => {
  const accumulator = new DeltaAccumulator({ strict: true })
  assert.throws(
    () => accumulator.add(chunk({ content: 'no role' })),
    (error: unknown) => error instanceof StrictModeError,
  )
  const snapshot = accumulator.add(chunk({ role: 'assistant', content: 'b' }, { index: 1 }))
  assert.equal(
    snapshot.choices.map((choice) => [choice.index, choice.message.content]),
    [
      [0, null], // the repair threw before the content was read
      [1, 'b'],
    ],
  )
})

test('DeltaAccumulator snapshots, read late and in any order, equal the snapshots copied as they came', () => {
  // Choices and calls around the 128 where arrays turn into getters, indexes in any order.
  const step = fc.oneof(
    fc.record({ index: fc.integer({ min: 0, max: 300 }), content: fc.constantFrom('a', 'é', '🦕') }),
    fc.record({ index: fc.integer({ min: 0, max: 3 }), call: fc.integer({ min: 0, max: 200 }) }),
  )
  fc.assert(
    fc.property(fc.array(step, { minLength: 1, maxLength: 300 }), fc.array(fc.nat()), (steps, readOrder) => {
      const accumulator = new DeltaAccumulator()
      const snapshots: ChatCompletion[] = []
      const expected: unknown[] = []
      const reference = new DeltaAccumulator()
      for (const item of steps) {
        const input: ChatCompletionChunk =
          'content' in item
            ? chunk({ role: 'assistant', content: item.content }, { index: item.index })
            : chunk(
                toolDelta({
                  index: item.call,
                  id: `call_${item.call}`,
                  type: 'function',
                  function: { name: 'f', arguments: 'x' },
                }),
                { index: item.index },
              )
        snapshots.push(accumulator.add(input))
        expected.push(copy(reference.add(input))) // read at once
      }
      const order = snapshots.map((_, i) => i).sort((a, b) => (readOrder[a] ?? a) - (readOrder[b] ?? b))
      for (const i of order) assert.equal(copy(snapshots[i]), expected[i], `snapshot ${i}`)
    }),
    { numRuns: 25 },
  )
})

test.run()
