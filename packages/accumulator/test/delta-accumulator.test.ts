import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { StrictModeError, type ChatCompletionChunk, type Quirk } from '@sluice/openai'
import { collect, fromChunks, rejection } from '@sluice/test-support'
import {
  DeltaAccumulator,
  DeltaAccumulatorStream,
  NotAChunkError,
  ToolCallFragmentError,
  type ChatCompletion,
} from '../src/index.ts'
import { chunk, copy, multiChunk, toolDelta } from './fixtures.ts'

/** The final snapshot of `chunks`, and the quirks reported on the way. */
function run(chunks: ChatCompletionChunk[]) {
  const quirks: Quirk[] = []
  const accumulator = new DeltaAccumulator({ onQuirk: (quirk) => quirks.push(quirk) })
  let last: ChatCompletion | null = null
  for (const item of chunks) last = accumulator.add(item)
  return { completion: last!, quirks: quirks.map((quirk) => quirk.code) }
}

const message = (chunks: ChatCompletionChunk[], choice = 0) => run(chunks).completion.choices[choice]!.message

// ---------------------------------------------------------------- text

test('DeltaAccumulator assembles a text answer into a chat.completion', () => {
  const { completion, quirks } = run([
    chunk({ role: 'assistant', content: '' }),
    chunk({ content: 'Crème' }),
    chunk({ content: ' brûlée' }),
    chunk({}, { finish: 'stop' }),
  ])
  assert.equal(copy(completion), {
    id: 'chatcmpl-1',
    object: 'chat.completion',
    created: 1764072000,
    model: 'anthropic/claude-sonnet-4-5',
    choices: [
      {
        index: 0,
        message: { role: 'assistant', content: 'Crème brûlée', refusal: null },
        finish_reason: 'stop',
        logprobs: null,
      },
    ],
  })
  assert.equal(quirks, [])
})

test('DeltaAccumulator takes the role from the first delta that has one', () => {
  assert.is(message([chunk({ role: 'assistant' }), chunk({ role: 'tool', content: 'x' })]).role, 'assistant')
})

test("DeltaAccumulator uses 'assistant' for a choice that starts without a role, and reports it", () => {
  const { completion, quirks } = run([chunk({ content: 'x' }), chunk({ role: 'developer' })])
  assert.is(completion.choices[0]!.message.role, 'developer')
  assert.equal(quirks, ['missing-role'])
})

test('DeltaAccumulator keeps content null until non-empty content arrives', () => {
  assert.is(message([chunk({ role: 'assistant', content: '' }), chunk({ content: null })]).content, null)
})

test('DeltaAccumulator joins refusal and both kinds of reasoning text in order', () => {
  const result = message([
    chunk({ role: 'assistant', reasoning_content: 'Let me ' }),
    chunk({ reasoning_content: 'think.', reasoning: 'R1' }),
    chunk({ reasoning: 'R2', refusal: "I can't" }),
    chunk({ refusal: ' help.' }),
  ])
  assert.is(result.reasoning_content, 'Let me think.')
  assert.is(result.reasoning, 'R1R2')
  assert.is(result.refusal, "I can't help.")
})

// ---------------------------------------------------------------- tool calls

test('DeltaAccumulator assembles OpenAI-style tool calls: id and name first, arguments in fragments', () => {
  const { completion, quirks } = run([
    chunk({ role: 'assistant', content: null }),
    chunk(toolDelta({ index: 0, id: 'call_a', type: 'function', function: { name: 'get_weather', arguments: '' } })),
    chunk(toolDelta({ index: 0, function: { arguments: '{"city":' } })),
    chunk(toolDelta({ index: 0, function: { arguments: '"Paris"}' } })),
    chunk({}, { finish: 'tool_calls' }),
  ])
  assert.equal(copy(completion.choices[0]!.message.tool_calls), [
    { id: 'call_a', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } },
  ])
  assert.equal(quirks, [])
})

test('DeltaAccumulator keeps parallel tool calls apart, including fragments that interleave', () => {
  const calls = message([
    chunk(toolDelta({ index: 0, id: 'a', type: 'function', function: { name: 'f', arguments: '{"x":' } })),
    chunk(toolDelta({ index: 1, id: 'b', type: 'function', function: { name: 'g', arguments: '{"y":' } })),
    chunk(toolDelta({ index: 0, function: { arguments: '1}' } }, { index: 1, function: { arguments: '2}' } })),
  ]).tool_calls!
  assert.equal(
    calls.map((call) => [call.id, call.function.name, call.function.arguments]),
    [
      ['a', 'f', '{"x":1}'],
      ['b', 'g', '{"y":2}'],
    ],
  )
})

test('DeltaAccumulator correlates fragments without index by id (Gemini) and reports it', () => {
  const { completion, quirks } = run([
    chunk(toolDelta({ id: 'function-call-1', type: 'function', function: { name: 'f', arguments: '{"a":1}' } })),
    chunk(toolDelta({ id: 'function-call-2', type: 'function', function: { name: 'g', arguments: '{"b":2}' } })),
  ])
  assert.equal(
    completion.choices[0]!.message.tool_calls!.map((call) => [call.id, call.function.arguments]),
    [
      ['function-call-1', '{"a":1}'],
      ['function-call-2', '{"b":2}'],
    ],
  )
  assert.equal(quirks, ['missing-role', 'missing-tool-call-index', 'missing-tool-call-index'])
})

test('DeltaAccumulator continues the last open call with a fragment that has neither index nor id', () => {
  const { completion, quirks } = run([
    chunk(toolDelta({ id: 'c1', type: 'function', function: { name: 'f', arguments: '{"a":' } })),
    chunk(toolDelta({ function: { arguments: '1}' } })),
  ])
  assert.equal(
    completion.choices[0]!.message.tool_calls!.map((call) => call.function.arguments),
    ['{"a":1}'],
  )
  assert.ok(quirks.includes('missing-tool-call-index'))
})

test('DeltaAccumulator starts a new call when a fragment without index or id names another function', () => {
  const calls = message([
    chunk(toolDelta({ function: { name: 'f', arguments: '{}' } })),
    chunk(toolDelta({ function: { name: 'g', arguments: '{}' } })),
  ]).tool_calls!
  assert.equal(
    calls.map((call) => [call.id, call.function.name]),
    [
      ['', 'f'],
      ['', 'g'],
    ],
  )
})

test('DeltaAccumulator starts a new call when an index is reused with a different id, and reports it', () => {
  const { completion, quirks } = run([
    chunk(toolDelta({ index: 0, id: 'a', function: { name: 'f', arguments: '{}' } })),
    chunk(toolDelta({ index: 0, id: 'b', function: { name: 'g', arguments: '{' } })),
    chunk(toolDelta({ index: 0, function: { arguments: '}' } })),
  ])
  assert.equal(
    completion.choices[0]!.message.tool_calls!.map((call) => [call.id, call.function.arguments]),
    [
      ['a', '{}'],
      ['b', '{}'],
    ],
  )
  assert.ok(quirks.includes('reused-tool-call-index'))
})

test('DeltaAccumulator keeps calls whose indexes start at 1 or have gaps in order, without holes', () => {
  const { completion, quirks } = run([
    chunk(toolDelta({ index: 1, id: 'a', function: { name: 'f', arguments: '{}' } })),
    chunk(toolDelta({ index: 3, id: 'b', function: { name: 'g', arguments: '{}' } })),
  ])
  const calls = completion.choices[0]!.message.tool_calls!
  assert.is(calls.length, 2)
  assert.equal(
    calls.map((call) => call.id),
    ['a', 'b'],
  )
  assert.equal(
    quirks.filter((code) => code === 'tool-call-index-gap'),
    ['tool-call-index-gap'],
  )
})

test('DeltaAccumulator gives an id to a call whose first fragments had none, when a later one brings it', () => {
  const calls = message([
    chunk(toolDelta({ index: 0, function: { name: 'f', arguments: '{' } })),
    chunk(toolDelta({ index: 0, id: 'late', function: { arguments: '}' } })),
  ]).tool_calls!
  assert.equal(
    calls.map((call) => [call.id, call.function.arguments]),
    [['late', '{}']],
  )
})

test('DeltaAccumulator takes id, type and name from the fragment that carries them', () => {
  const calls = message([
    chunk(toolDelta({ index: 0, id: 'a', function: { name: 'f' } })),
    chunk(toolDelta({ index: 0, type: 'function', function: { arguments: '{}' } })),
  ]).tool_calls!
  assert.equal(copy(calls), [{ id: 'a', type: 'function', function: { name: 'f', arguments: '{}' } }])
})

test('DeltaAccumulator keeps tool-call arguments sent as an object (some Ollama versions) as their JSON, and reports it', () => {
  const accumulator = new DeltaAccumulator()
  const quirks: string[] = []
  const withQuirks = new DeltaAccumulator({ onQuirk: (quirk) => quirks.push(quirk.code) })
  for (const target of [accumulator, withQuirks]) {
    target.add(
      chunk(
        toolDelta({
          index: 0,
          id: 'a',
          type: 'function',
          function: { name: 'f', arguments: { city: 'Paris' } as unknown as string },
        }),
      ),
    )
  }
  assert.is(accumulator.snapshot!.choices[0]!.message.tool_calls![0]!.function.arguments, '{"city":"Paris"}')
  assert.equal(
    quirks.filter((code) => code !== 'missing-role'),
    ['tool-arguments-not-string'],
  )
})

test('DeltaAccumulator refuses a tool name that is not a string (it is typed, and dispatched on, as one)', () => {
  for (const name of [42, { toString: 'constructor' }, ['f'], true]) {
    const add = () =>
      new DeltaAccumulator().add(chunk(toolDelta({ index: 0, id: 'a', function: { name: name as unknown as string } })))
    assert.throws(
      add,
      (error: unknown) =>
        error instanceof ToolCallFragmentError &&
        /function\.name is a (number|object|array|boolean), not a string/.test(error.message),
    )
  }
  // A fragment nested deeper than JSON.stringify goes still gives the sluice error, its message naming that.
  let deep: unknown = {}
  for (let level = 0; level < 100_000; level++) deep = { deep }
  const add = () =>
    new DeltaAccumulator().add(
      chunk(toolDelta({ index: 0, id: 'a', function: { name: 7 as unknown as string }, deep } as never)),
    )
  assert.throws(add, (error: unknown) => error instanceof ToolCallFragmentError)
})

test('DeltaAccumulator errors with ToolCallFragmentError on a fragment that fits no rule', () => {
  const orphan = () => new DeltaAccumulator().add(chunk(toolDelta({ function: { arguments: '{}' } })))
  assert.throws(
    orphan,
    (error: unknown) =>
      error instanceof ToolCallFragmentError && /no index, no id and no function name/.test(error.message),
  )
  const nameless = () => new DeltaAccumulator().add(chunk(toolDelta({ index: 2, function: { arguments: '{}' } })))
  assert.throws(nameless, (error: unknown) => {
    const fragment = error as ToolCallFragmentError
    return (
      fragment.code === 'SLUICE_TOOL_CALL_FRAGMENT' &&
      fragment.chunkIndex === 0 &&
      /new tool-call index 2 has neither an id nor a function name/.test(fragment.message)
    )
  })
})

test('DeltaAccumulator assembles the legacy function_call', () => {
  const result = message([
    chunk({ role: 'assistant', function_call: { name: 'f', arguments: '' } }),
    chunk({ function_call: { arguments: '{"a"' } }),
    chunk({ function_call: { arguments: ':1}' } }, { finish: 'function_call' }),
  ])
  assert.equal(copy(result.function_call), { name: 'f', arguments: '{"a":1}' })
})

// ---------------------------------------------------------------- finish, top level, usage, logprobs

test('DeltaAccumulator keeps the last finish_reason sent and reports a repeat', () => {
  const { completion, quirks } = run([
    chunk({ role: 'assistant' }, { finish: 'length' }),
    chunk({}, { finish: 'stop' }),
  ])
  assert.is(completion.choices[0]!.finish_reason, 'stop')
  assert.equal(quirks, ['finish-reason-repeated'])
  // The same reason again (OpenRouter repeats it on its usage chunk) is no repair.
  const again = run([chunk({ role: 'assistant' }, { finish: 'stop' }), chunk({}, { finish: 'stop' })])
  assert.is(again.completion.choices[0]!.finish_reason, 'stop')
  assert.equal(again.quirks, [])
})

test('DeltaAccumulator takes top-level fields from the last chunk that has them, and usage from the usage chunk', () => {
  const usage = { prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 }
  const { completion } = run([
    { ...chunk({ role: 'assistant', content: 'a' }), system_fingerprint: 'fp_1', service_tier: 'default' },
    { ...chunk({}, { finish: 'stop' }), id: 'chatcmpl-2', model: 'gpt-4o-mini', created: 5 },
    { ...multiChunk([]), usage },
  ])
  assert.is(completion.id, 'chatcmpl-1') // the usage chunk's own id, like every other, wins
  assert.is(completion.system_fingerprint, 'fp_1')
  assert.is(completion.service_tier, 'default')
  assert.equal(completion.usage, usage)
  assert.is(completion.choices.length, 1)
})

test('DeltaAccumulator keeps the usage numbers when later chunks say usage: null', () => {
  const usage = { prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 }
  const { completion } = run([
    { ...chunk({ role: 'assistant' }), usage: null },
    { ...multiChunk([]), usage },
    { ...chunk({}, { finish: 'stop' }), usage: null },
  ])
  assert.equal(completion.usage, usage)
  assert.is(run([{ ...chunk({ role: 'assistant' }), usage: null }]).completion.usage, null)
})

test('DeltaAccumulator appends logprobs content and refusal arrays', () => {
  const token = (text: string) => ({ token: text, bytes: null, logprob: -0.5, top_logprobs: [] })
  const accumulator = new DeltaAccumulator()
  const first = accumulator.add(
    chunk({ role: 'assistant', content: 'a' }, { extra: { logprobs: { content: [token('a')], refusal: null } } }),
  )
  const second = accumulator.add(
    chunk({ content: 'b' }, { extra: { logprobs: { content: [token('b')], refusal: [token('r')] } } }),
  )
  assert.equal(copy(second.choices[0]!.logprobs), { content: [token('a'), token('b')], refusal: [token('r')] })
  // The earlier snapshot still shows what it held then.
  assert.equal(copy(first.choices[0]!.logprobs), { content: [token('a')], refusal: null })
  assert.ok(Object.isFrozen(second.choices[0]!.logprobs!.content))
})

test('DeltaAccumulator keeps interleaved choices apart, in index order', () => {
  const { completion } = run([
    multiChunk([
      { index: 1, delta: { role: 'assistant', content: 'B' }, finish_reason: null },
      { index: 0, delta: { role: 'assistant', content: 'A' }, finish_reason: null },
    ]),
    chunk({ content: 'b' }, { index: 1, finish: 'stop' }),
    chunk({ content: 'a' }, { index: 0, finish: 'length' }),
  ])
  assert.equal(
    completion.choices.map((choice) => [choice.index, choice.message.content, choice.finish_reason]),
    [
      [0, 'Aa', 'length'],
      [1, 'Bb', 'stop'],
    ],
  )
})

// ---------------------------------------------------------------- snapshots

test('DeltaAccumulator snapshots are frozen and never change after later chunks', () => {
  const accumulator = new DeltaAccumulator()
  const first = accumulator.add(
    chunk(toolDelta({ index: 0, id: 'a', type: 'function', function: { name: 'f', arguments: '{' } })),
  )
  const before = copy(first)
  accumulator.add(chunk(toolDelta({ index: 0, function: { arguments: '}' } })))
  accumulator.add(chunk({ content: 'x' }, { finish: 'stop' }))
  assert.equal(copy(first), before)
  assert.ok(Object.isFrozen(first) && Object.isFrozen(first.choices) && Object.isFrozen(first.choices[0]!.message))
  assert.ok(Object.isFrozen(first.choices[0]!.message.tool_calls![0]!.function))
})

test('DeltaAccumulator snapshots share every unchanged part with the previous one', () => {
  const accumulator = new DeltaAccumulator()
  accumulator.add(chunk(toolDelta({ index: 0, id: 'a', type: 'function', function: { name: 'f', arguments: '{}' } })))
  const before = accumulator.add(
    chunk(toolDelta({ index: 1, id: 'b', type: 'function', function: { name: 'g', arguments: '{' } })),
  )
  const after = accumulator.add(chunk(toolDelta({ index: 1, function: { arguments: '}' } })))
  const [callA, callB] = after.choices[0]!.message.tool_calls!
  assert.is(callA, before.choices[0]!.message.tool_calls![0]) // untouched call: same object
  assert.is.not(callB, before.choices[0]!.message.tool_calls![1])
  const two = new DeltaAccumulator()
  two.add(
    multiChunk([
      { index: 0, delta: { role: 'assistant', content: 'A' }, finish_reason: null },
      { index: 1, delta: { role: 'assistant', content: 'B' }, finish_reason: null },
    ]),
  )
  const s1 = two.snapshot!
  const s2 = two.add(chunk({ content: 'b' }, { index: 1 }))
  assert.is(s2.choices[0], s1.choices[0]) // choice 0 got nothing: same object
  assert.is.not(s2.choices[1], s1.choices[1])
})

// ---------------------------------------------------------------- errors, options, stream

test('DeltaAccumulator with strict: true turns a repair into StrictModeError', () => {
  const accumulator = new DeltaAccumulator({ strict: true })
  assert.throws(
    () => accumulator.add(chunk({ content: 'no role' })),
    (error: unknown) =>
      error instanceof StrictModeError && error.quirk.code === 'missing-role' && /chunk 0/.test(error.message),
  )
})

test('DeltaAccumulator errors with NotAChunkError on input that is not a chunk', () => {
  const accumulator = new DeltaAccumulator()
  assert.throws(
    () => accumulator.add(null as unknown as ChatCompletionChunk),
    (error: unknown) =>
      error instanceof NotAChunkError &&
      error.code === 'SLUICE_NOT_A_CHUNK' &&
      /chunk 0 is not a chat.completion.chunk: got null/.test(error.message),
  )
  assert.throws(
    () => accumulator.add({ id: 'x' } as unknown as ChatCompletionChunk),
    /chunk 1 is not a chat.completion.chunk: it has no choices array/,
  )
})

test('DeltaAccumulatorStream emits one snapshot per chunk and keeps the latest', async () => {
  const stream = new DeltaAccumulatorStream()
  const out = await collect(
    fromChunks([chunk({ role: 'assistant', content: 'a' }), chunk({ content: 'b' }, { finish: 'stop' })]).pipeThrough(
      stream,
    ),
  )
  assert.equal(
    out.map((snapshot) => snapshot.choices[0]!.message.content),
    ['a', 'ab'],
  )
  assert.is(stream.snapshot, out[1])
})

test('DeltaAccumulatorStream errors the stream with the class and code intact', async () => {
  const error = await rejection(
    collect(
      fromChunks([chunk(toolDelta({ function: { arguments: '{}' } }))]).pipeThrough(new DeltaAccumulatorStream()),
    ),
  )
  assert.instance(error, ToolCallFragmentError)
})

test.run()
