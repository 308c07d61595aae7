/**
 * `chatStream(source, { parseArguments, parseContent })`: the tool calls and the structured
 * output of choice 0 as they stream (`partialToolCalls()`, `partialObjects()`), in every
 * wire format the front door reads (each is translated to chat chunks, then assembled).
 * `@sluice/json` is imported by the tests only.
 */
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { IncrementalJSONParser, partialJSON } from '@sluice/json'
import { mockChatResponse, type MockChatOptions } from '@sluice/testing'
import {
  chatStream,
  type ChatCompletionToolCall,
  type QuirkCode,
  StreamConsumedError,
  ToolArgumentsValidationError,
  parseToolArguments,
  type StandardSchemaV1,
} from '../src/index.ts'
import { readAll } from './fixtures.ts'

/** What a fresh parser gives for the whole `text`: the reference for a value seen mid-stream. */
function parsedPrefix(text: string): unknown {
  const parser = new IncrementalJSONParser({ snapshots: true, tolerant: true })
  parser.feed(text)
  return parser.snapshot()
}

const weather = { name: 'get_weather', arguments: { city: 'Paris', days: 3, units: 'celsius' } }
const flights = { name: 'find_flights', arguments: { from: 'CDG', to: 'NRT', dates: ['2026-12-24', '2027-01-02'] } }
const recipe = { title: 'Crêpes 🥞', servings: 4, steps: ['Whisk flour, eggs and milk', 'Rest 30 min', 'Cook'] }

const formats = ['openai-chat', 'anthropic-messages', 'openai-responses', 'gemini'] as const

for (const format of formats) {
  const options: MockChatOptions = { format, toolCalls: [weather, flights], chunking: 3 }

  test(`ChatReader.partialToolCalls() gives the calls as their arguments stream (${format})`, async () => {
    const stream = chatStream(mockChatResponse(options), { parseArguments: partialJSON })
    const completion = stream.completion()
    const seen = await readAll(stream.partialToolCalls())
    assert.is(stream.format, format)
    const last = seen.at(-1)!
    assert.equal(
      last.map((call) => call.function.parsed_arguments),
      [weather.arguments, flights.arguments],
    )
    assert.is(last, (await completion).choices[0]!.message.tool_calls, 'the last is the completion’s array')
    for (let index = 0; index < seen.length; index++) {
      if (index > 0) assert.is.not(seen[index], seen[index - 1], 'only changes are put out')
      for (const call of seen[index]!) {
        assert.ok(Object.isFrozen(call))
        assert.equal(
          call.function.parsed_arguments,
          parsedPrefix(call.function.arguments),
          'the arguments so far, parsed',
        )
      }
    }
    // Gemini sends each call whole, in one chunk; the others stream the arguments in pieces.
    if (format !== 'gemini') assert.ok(seen.length > 6, `${seen.length} changes`)
    assert.is((await stream.outcome).status, 'complete')
  })
}

test('ChatReader.partialToolCalls() keeps a call that did not change as the same object', async () => {
  const stream = chatStream(mockChatResponse({ toolCalls: [weather, flights], chunking: 'char' }), {
    parseArguments: partialJSON,
  })
  const seen = await readAll(stream.partialToolCalls())
  const second = seen.findIndex((calls) => calls.length === 2)
  assert.ok(second > 0)
  for (const calls of seen.slice(second)) assert.is(calls[0], seen[second]![0])
  const cities = new Set(
    seen.map((calls) => (calls[0]?.function.parsed_arguments as { city?: string } | undefined)?.city),
  )
  assert.ok(cities.has('Pa') && cities.has('Paris'), 'the city grows as it arrives')
})

test('ChatReader.partialObjects() gives the structured output as it fills in, and the last is the whole value', async () => {
  const text = JSON.stringify(recipe, null, 2)
  for (const format of formats) {
    const stream = chatStream(mockChatResponse({ format, text, chunking: 'word' }), { parseContent: partialJSON })
    const objects = await readAll(stream.partialObjects())
    assert.equal(objects.at(-1), recipe, format)
    assert.equal(objects[0], {}, format)
    for (let index = 1; index < objects.length; index++) assert.is.not(objects[index], objects[index - 1])
    const completion = await stream.completion()
    assert.is(completion.choices[0]!.message.parsed, objects.at(-1))
    assert.is(completion.choices[0]!.message.content, text)
  }
})

test('ChatReader.partialObjects() shares what did not change between two objects', async () => {
  const stream = chatStream(mockChatResponse({ text: JSON.stringify(recipe), chunking: 'char' }), {
    parseContent: partialJSON,
  })
  const objects = (await readAll(stream.partialObjects())) as { steps?: readonly string[]; title?: string }[]
  const withSteps = objects.filter((object) => object.steps !== undefined)
  const titled = objects.filter((object) => object.title === recipe.title)
  assert.ok(withSteps.length > 10 && titled.length > 10)
  assert.ok(titled.every((object) => Object.isFrozen(object)))
})

test('ChatReader.partialToolCalls() and partialObjects() throw a TypeError naming the option when it was not given', () => {
  for (const [reading, option, other] of [
    ['partialToolCalls', 'parseArguments', 'parseContent'],
    ['partialObjects', 'parseContent', 'parseArguments'],
  ] as const) {
    // The other option given does not do.
    const stream = chatStream(mockChatResponse({ toolCalls: [weather] }), { [other]: partialJSON })
    assert.throws(
      () => stream[reading](),
      (error: unknown) =>
        error instanceof TypeError &&
        error.message ===
          `${reading}() needs the ${option} option: chatStream(response, { ${option}: partialJSON }), partialJSON from @sluice/json`,
    )
  }
})

test('ChatReader without the options: the stream is not consumed by the refused reading, and snapshots carry no parsed keys', async () => {
  const stream = chatStream(mockChatResponse({ toolCalls: [weather] }))
  assert.throws(
    () => stream.partialToolCalls(),
    (error: unknown) => error instanceof TypeError,
  )
  const snapshots = await readAll(stream.snapshots())
  const call = snapshots.at(-1)!.choices[0]!.message.tool_calls![0]!
  assert.not.ok('parsed_arguments' in call.function)
  assert.not.ok('parsed' in snapshots.at(-1)!.choices[0]!.message)
})

test('ChatReader.partialToolCalls() is one reading: a second one throws StreamConsumedError', async () => {
  const stream = chatStream(mockChatResponse({ toolCalls: [weather] }), {
    parseArguments: partialJSON,
    parseContent: partialJSON,
  })
  const calls = stream.partialToolCalls()
  for (const second of [() => stream.partialObjects(), () => stream.textStream(), () => stream.partialToolCalls()])
    assert.throws(second, (error: unknown) => error instanceof StreamConsumedError)
  await readAll(calls)
  assert.is((await stream.outcome).status, 'complete')
})

test('ChatReader.partialObjects() stops when the consumer breaks out, and the outcome says cancelled', async () => {
  const stream = chatStream(mockChatResponse({ text: JSON.stringify(recipe), chunking: 'char' }), {
    parseContent: partialJSON,
  })
  let read = 0
  for await (const _ of stream.partialObjects()) if (++read === 3) break
  assert.is((await stream.outcome).status, 'cancelled')
})

test('chatStream() reports content that is not JSON (content-not-json) and keeps the value read before it', async () => {
  const quirks: QuirkCode[] = []
  const stream = chatStream(mockChatResponse({ text: '{"title": "Crêpes"} Enjoy!' }), {
    parseContent: partialJSON,
    onQuirk: (quirk) => quirks.push(quirk.code),
  })
  const objects = await readAll(stream.partialObjects())
  assert.equal(objects.at(-1), { title: 'Crêpes' })
  assert.equal(quirks, ['content-not-json'])
  const outcome = await stream.outcome
  assert.is(outcome.status, 'complete')
  assert.equal(
    outcome.quirks.map((quirk) => quirk.code),
    ['content-not-json'],
  )
})

test('chatStream() with strict fails on arguments that are not JSON', async () => {
  const stream = chatStream(
    mockChatResponse({ toolCalls: [{ name: 'get_weather', arguments: '{"city": "Paris"' }], chunking: 4 }),
    { parseArguments: partialJSON, strict: true },
  )
  const error = await readAll(stream.partialToolCalls()).then(
    () => undefined,
    (reason: unknown) => reason,
  )
  assert.match(String(error), /arguments-not-json/)
  assert.is((await stream.outcome).status, 'error')
})

test('the parsed arguments validate with a Standard Schema once the call is whole (parseToolArguments from @sluice/chat)', async () => {
  const schema: StandardSchemaV1<unknown, { city: string; days: number }> = {
    '~standard': {
      version: 1,
      vendor: 'test',
      validate: (value) => {
        const { city, days } = value as { city?: unknown; days?: unknown }
        return typeof city === 'string' && typeof days === 'number'
          ? { value: { city, days } }
          : { issues: [{ message: 'city and days are required', path: ['days'] }] }
      },
    },
  }
  const stream = chatStream(mockChatResponse({ toolCalls: [weather, { name: 'get_weather', arguments: {} }] }), {
    parseArguments: partialJSON,
  })
  let calls: readonly ChatCompletionToolCall[] = []
  for await (const partial of stream.partialToolCalls()) calls = partial
  assert.equal(await parseToolArguments(calls[0]!, schema), { city: 'Paris', days: 3 })
  assert.throws(
    () => parseToolArguments(calls[1]!, schema),
    (error: unknown) => error instanceof ToolArgumentsValidationError,
  )
})

test.run()
