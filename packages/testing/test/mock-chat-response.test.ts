/**
 * The mock responses, decoded by `@sluice/openai`'s `ChatChunkStream`: the chunks equal
 * `mockChatChunks`, the text adds up, and each fault gives exactly the outcome it names.
 */
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import fc from 'fast-check'
import {
  ChatChunkStream,
  ChunkParseError,
  ProviderError,
  TruncatedStreamError,
  type ChatChunkStreamOptions,
  type ChatCompletionChunk,
  type Quirk,
  type StreamOutcome,
} from '@sluice/openai'
import { collect, concat, rejection } from '@sluice/test-support'
import {
  MockOptionsError,
  mockChatBody,
  mockChatChunks,
  mockChatEvents,
  mockChatResponse,
  mockChatStream,
  type Fault,
  type MockChatOptions,
} from '../src/index.ts'

const decoder = new TextDecoder()

interface Decoded {
  chunks: ChatCompletionChunk[]
  error: unknown
  outcome: StreamOutcome
  quirks: Quirk[]
}

/** Decodes `body` with ChatChunkStream: the chunks read before the end or the error, the error, the outcome. */
async function decode(body: ReadableStream<Uint8Array>, options: ChatChunkStreamOptions = {}): Promise<Decoded> {
  const quirks: Quirk[] = []
  const stream = new ChatChunkStream({ ...options, onQuirk: (quirk) => quirks.push(quirk) })
  const reader = body.pipeThrough(stream).getReader()
  const chunks: ChatCompletionChunk[] = []
  let error: unknown
  try {
    for (;;) {
      const { done, value } = await reader.read()
      if (done) break
      chunks.push(value)
    }
  } catch (reason) {
    error = reason
  }
  return { chunks, error, outcome: await stream.outcome, quirks }
}

const mock = (options: MockChatOptions, decoderOptions?: ChatChunkStreamOptions) =>
  decode(mockChatResponse(options).body!, decoderOptions)
const content = (chunks: ChatCompletionChunk[]) => chunks.map((chunk) => chunk.choices[0]?.delta.content ?? '').join('')
const reasoning = (chunks: ChatCompletionChunk[]) =>
  chunks.map((chunk) => chunk.choices[0]?.delta.reasoning_content ?? '').join('')
const bodyText = (options: MockChatOptions) => decoder.decode(mockChatBody(options))

// ---------------------------------------------------------------- the response

test('mockChatResponse is a 200 text/event-stream response', async () => {
  const response = mockChatResponse()
  assert.is(response.status, 200)
  assert.is(response.ok, true)
  assert.is(response.headers.get('content-type'), 'text/event-stream; charset=utf-8')
  const text = await response.text()
  assert.ok(text.startsWith('data: {"id":"chatcmpl-'))
  assert.ok(text.endsWith('data: [DONE]\n\n'))
})

test('mockChatResponse decodes to mockChatChunks, complete, with the default answer and usage', async () => {
  const { chunks, error, outcome } = await mock({})
  assert.is(error, undefined)
  assert.equal(chunks, mockChatChunks())
  assert.is(content(chunks), 'Hello! This is a mock answer, streamed by @sluice/testing.')
  assert.is(outcome.status, 'complete')
  assert.is(outcome.sawDone, true)
  assert.equal(outcome.finishReasons, { 0: 'stop' })
  const first = chunks[0]!
  assert.is(first.object, 'chat.completion.chunk')
  assert.is(first.model, 'anthropic/claude-sonnet-4-5')
  assert.is(first.created, 1764072000)
  assert.equal(first.choices[0]?.delta, { role: 'assistant', content: '' })
  const usage = chunks.at(-1)!
  assert.equal(usage.choices, [])
  assert.equal(usage.usage, { prompt_tokens: 12, completion_tokens: 9, total_tokens: 21 })
})

test('mockChatResponse carries text, model, id, created and finishReason as given', async () => {
  const options: MockChatOptions = {
    text: 'Paris is the capital of France.',
    model: 'gpt-4o-mini',
    id: 'chatcmpl-1',
    created: 42,
    finishReason: 'length',
  }
  const { chunks, outcome } = await mock(options)
  assert.equal(chunks, mockChatChunks(options))
  assert.is(content(chunks), options.text)
  assert.ok(chunks.every((chunk) => chunk.id === 'chatcmpl-1' && chunk.model === 'gpt-4o-mini' && chunk.created === 42))
  assert.equal(outcome.finishReasons, { 0: 'length' })
  assert.equal(
    chunks.slice(1, 4).map((chunk) => chunk.choices[0]?.delta.content),
    ['Paris', ' is', ' the'],
  )
})

test('mockChatResponse streams the reasoning first, as reasoning_content', async () => {
  const options: MockChatOptions = { reasoning: 'The user wants a greeting.', text: 'Hi!' }
  const { chunks } = await mock(options)
  assert.equal(chunks, mockChatChunks(options))
  assert.is(reasoning(chunks), 'The user wants a greeting.')
  assert.is(content(chunks), 'Hi!')
  const kinds = chunks.map((chunk) =>
    chunk.choices[0]?.delta.reasoning_content ? 'reasoning' : chunk.choices[0]?.delta.content ? 'content' : '',
  )
  assert.ok(kinds.lastIndexOf('reasoning') < kinds.indexOf('content'))
  assert.equal(chunks.at(-1)?.usage?.completion_tokens_details, { reasoning_tokens: 5 })
})

test('mockChatResponse streams tool calls as fragments, index, id and type on the first', async () => {
  const options: MockChatOptions = {
    toolCalls: [
      { name: 'get_weather', arguments: { city: 'Paris', unit: 'celsius' } },
      { name: 'get_time', arguments: '{"zone":"Europe/Paris"}', id: 'call_given' },
    ],
  }
  const { chunks, outcome } = await mock(options)
  assert.equal(chunks, mockChatChunks(options))
  assert.is(content(chunks), '')
  assert.equal(outcome.finishReasons, { 0: 'tool_calls' })
  const fragments = chunks.flatMap((chunk) => chunk.choices[0]?.delta.tool_calls ?? [])
  const calls = [0, 1].map((index) => fragments.filter((fragment) => fragment.index === index))
  for (const [index, call] of calls.entries()) {
    assert.ok(call.length > 2, 'arguments come in several fragments')
    assert.is(call[0]!.type, 'function')
    assert.ok(call[0]!.id?.startsWith('call_'))
    assert.is(call[0]!.function?.name, options.toolCalls![index]!.name)
    assert.ok(
      call
        .slice(1)
        .every(
          (fragment) =>
            fragment.id === undefined && fragment.type === undefined && fragment.function?.name === undefined,
        ),
    )
  }
  assert.is(calls[1]![0]!.id, 'call_given')
  const args = calls.map((call) => call.map((fragment) => fragment.function?.arguments ?? '').join(''))
  assert.equal(args, ['{"city":"Paris","unit":"celsius"}', '{"zone":"Europe/Paris"}'])
})

test('mockChatResponse omits the usage chunk with usage: false and keeps given usage fields', async () => {
  const none = await mock({ usage: false })
  assert.ok(none.chunks.every((chunk) => chunk.usage === undefined && chunk.choices.length === 1))
  const given = await mock({ text: 'a b c', usage: { prompt_tokens: 100 } })
  assert.equal(given.chunks.at(-1)?.usage, { prompt_tokens: 100, completion_tokens: 3, total_tokens: 103 })
})

test('mockChatStream cuts content into words, characters or fixed runs of code points', () => {
  const deltas = (options: MockChatOptions) =>
    mockChatChunks({ ...options, usage: false })
      .map((chunk) => chunk.choices[0]?.delta.content)
      .filter((text) => text)
  assert.equal(deltas({ text: 'Hi there,  you ' }), ['Hi', ' there,', '  you', ' '])
  assert.equal(deltas({ text: 'a🦕é', chunking: 'char' }), ['a', '🦕', 'é'])
  assert.equal(deltas({ text: 'abcde🦕', chunking: 2 }), ['ab', 'cd', 'e🦕'])
})

test('mockChatStream gives one event per read by default', async () => {
  const options: MockChatOptions = { text: 'One two three' }
  const reads = await collect(mockChatStream(options))
  const events = mockChatEvents(options)
  assert.equal(
    reads.map((read) => decoder.decode(read)),
    events.map((event) => decoder.decode(event.bytes)),
  )
  assert.equal(concat(reads), mockChatBody(options))
})

test('mockChatStream cuts the body into reads of readSize bytes', async () => {
  const options: MockChatOptions = { text: 'Crème brûlée 🦕', readSize: 7 }
  const reads = await collect(mockChatStream(options))
  assert.ok(reads.slice(0, -1).every((read) => read.length === 7))
  assert.ok(reads.at(-1)!.length <= 7)
  assert.equal(concat(reads), mockChatBody(options))
  const { chunks } = await decode(mockChatStream(options))
  assert.equal(chunks, mockChatChunks(options))
})

test('mockChatStream is deterministic: the same options give the same bytes', async () => {
  const options: MockChatOptions = {
    text: 'Same',
    reasoning: 'again',
    toolCalls: [{ name: 'f', arguments: { a: 1 } }],
    readSize: 5,
  }
  assert.equal(concat(await collect(mockChatStream(options))), concat(await collect(mockChatStream(options))))
  assert.equal(mockChatBody(options), mockChatBody({ ...options }))
  assert.is.not(mockChatChunks({ text: 'one' })[0]!.id, mockChatChunks({ text: 'two' })[0]!.id)
})

test('mockChatStream ends lines with CRLF when asked, and decodes the same', async () => {
  const options: MockChatOptions = { text: 'Line endings', eol: '\r\n' }
  const text = bodyText(options)
  assert.ok(text.endsWith('data: [DONE]\r\n\r\n'))
  assert.is(text.replaceAll('\r\n', '').includes('\n'), false)
  const { chunks, outcome } = await decode(mockChatStream(options))
  assert.equal(chunks, mockChatChunks({ ...options, eol: '\n' }))
  assert.is(outcome.status, 'complete')
})

test('mockChatStream waits delayMs between reads, with setTimeout', async () => {
  const options: MockChatOptions = { text: 'slow answer', delayMs: 2 }
  const { chunks, outcome } = await decode(mockChatStream(options))
  assert.equal(chunks, mockChatChunks(options))
  assert.is(outcome.status, 'complete')
})

test('mockChatStream errors with the abort reason when its signal aborts', async () => {
  const before = new AbortController()
  before.abort()
  // Read the body, not text(): Chromium's text() turns any body error into a TypeError.
  const error = await rejection(mockChatResponse({ signal: before.signal }).body!.getReader().read())
  assert.is((error as Error).name, 'AbortError')

  const during = new AbortController()
  const reader = mockChatStream({ signal: during.signal, delayMs: 10_000 }).getReader()
  await reader.read()
  const pending = reader.read()
  during.abort(new Error('user left'))
  assert.is(((await rejection(pending)) as Error).message, 'user left')
})

test('mockChatStream stops its timer when cancelled', async () => {
  const reader = mockChatStream({ delayMs: 10_000 }).getReader()
  await reader.read()
  const pending = reader.read()
  await reader.cancel()
  assert.equal((await pending).done, true)
})

test('mockChatStream refuses invalid options with MockOptionsError', () => {
  const cases: [MockChatOptions, string][] = [
    [{ readSize: 0 }, 'readSize'],
    [{ chunking: 1.5 }, 'chunking'],
    [{ delayMs: -1 }, 'delayMs'],
    [{ eol: '\r' as '\n' }, 'eol'],
    [{ toolCalls: [{ name: '', arguments: '{}' }] }, 'toolCalls[0].name'],
    [{ faults: [{ kind: 'cut', atByte: -1 }] }, 'faults[0].atByte'],
    [
      { faults: [{ kind: 'drip', bytesPerRead: 1, delayMs: 0 }, { kind: 'boom' } as unknown as Fault] },
      'faults[1].kind',
    ],
  ]
  for (const [options, option] of cases) {
    try {
      mockChatStream(options)
      assert.unreachable(`${option} was accepted`)
    } catch (error) {
      assert.instance(error, MockOptionsError)
      assert.is((error as MockOptionsError).option, option)
      assert.is((error as MockOptionsError).code, 'SLUICE_MOCK_OPTIONS')
    }
  }
})

// ---------------------------------------------------------------- faults

test('fault cut: the body ends at the byte, and the decoder says it was cut off', async () => {
  const options: MockChatOptions = { text: 'This answer is cut in the middle.', faults: [{ kind: 'cut', atByte: 700 }] }
  assert.is(mockChatBody(options).length, 700)
  const { chunks, error, outcome } = await mock(options)
  assert.instance(error, TruncatedStreamError)
  assert.is(outcome.status, 'truncated')
  assert.is(outcome.sawDone, false)
  assert.equal(outcome.finishReasons, { 0: null })
  assert.equal(chunks, mockChatChunks(options))
  assert.ok(chunks.length > 0 && chunks.length < mockChatChunks({ text: options.text! }).length)
})

test('fault cut: cutting only [DONE] off leaves a complete answer', async () => {
  const whole = { text: 'Short.' }
  const length = mockChatBody(whole).length - 'data: [DONE]\n\n'.length
  const { error, outcome } = await mock({ ...whole, faults: [{ kind: 'cut', atByte: length }] })
  assert.is(error, undefined)
  assert.is(outcome.status, 'complete')
  assert.is(outcome.sawDone, false)
})

test('fault provider-error: an OpenAI error event after N chunks, then the end', async () => {
  const options: MockChatOptions = {
    text: 'One two three four five',
    faults: [{ kind: 'provider-error', afterChunks: 3, message: 'Upstream overloaded', code: 'overloaded' }],
  }
  assert.ok(
    bodyText(options).endsWith(
      'event: error\ndata: {"error":{"message":"Upstream overloaded","type":"server_error","param":null,"code":"overloaded"}}\n\n',
    ),
  )
  const { chunks, error, outcome } = await mock(options)
  assert.instance(error, ProviderError)
  assert.is((error as ProviderError).message.includes('Upstream overloaded'), true)
  assert.is((error as ProviderError).providerCode, 'overloaded')
  assert.is((error as ProviderError).type, 'server_error')
  assert.is(outcome.status, 'error')
  assert.is(chunks.length, 3)
  assert.equal(chunks, mockChatChunks(options))
})

test('fault provider-error: the default message and code', async () => {
  const { error } = await mock({ faults: [{ kind: 'provider-error', afterChunks: 0 }] })
  assert.instance(error, ProviderError)
  assert.is((error as ProviderError).providerCode, 'server_error')
})

test('fault garbage: an event that is not JSON errors the decoder; skipped, the rest is whole', async () => {
  const options: MockChatOptions = { text: 'Before and after', faults: [{ kind: 'garbage', afterChunks: 2 }] }
  const bytes = mockChatBody(options)
  assert.ok(bytes.includes(0xff), 'invalid UTF-8')
  const { chunks, error, outcome } = await mock(options)
  assert.instance(error, ChunkParseError)
  assert.is(outcome.status, 'error')
  assert.equal(chunks, mockChatChunks(options).slice(0, 2))

  const skipped: ChunkParseError[] = []
  const lenient = await mock(options, { invalidJSON: 'skip', onInvalidJSON: (error) => skipped.push(error) })
  assert.is(lenient.error, undefined)
  assert.is(skipped.length, 1)
  assert.equal(lenient.chunks, mockChatChunks(options))
  assert.is(content(lenient.chunks), 'Before and after')
  assert.is(lenient.outcome.status, 'complete')
})

test('fault garbage: given bytes are sent as they are', async () => {
  const garbage = new TextEncoder().encode('data: {"choices": [\n\n')
  const options: MockChatOptions = { text: 'x', faults: [{ kind: 'garbage', afterChunks: 0, bytes: garbage }] }
  assert.ok(bodyText(options).startsWith('data: {"choices": [\n\n'))
  const { chunks, error } = await mock(options)
  assert.instance(error, ChunkParseError)
  assert.equal(chunks, [])
})

test('fault missing-separators: several chunks per event, split again by the decoder', async () => {
  const options: MockChatOptions = {
    text: 'GLM and Kimi send this',
    faults: [{ kind: 'missing-separators', chunksPerEvent: 3 }],
  }
  const grouped = mockChatEvents(options).filter((event) => event.chunks.length > 1)
  assert.ok(grouped.length > 0)
  assert.ok(bodyText(options).includes('}\ndata: {'))
  const { chunks, error, outcome, quirks } = await mock(options)
  assert.is(error, undefined)
  assert.equal(chunks, mockChatChunks(options))
  assert.equal(chunks, mockChatChunks({ text: options.text! }))
  assert.is(outcome.status, 'complete')
  assert.equal(
    quirks.map((quirk) => quirk.code),
    grouped.map(() => 'missing-separator'),
  )
})

test('fault no-done: no [DONE], and the answer is still complete', async () => {
  const options: MockChatOptions = { faults: [{ kind: 'no-done' }] }
  assert.is(bodyText(options).includes('[DONE]'), false)
  const { chunks, error, outcome } = await mock(options)
  assert.is(error, undefined)
  assert.equal(chunks, mockChatChunks(options))
  assert.is(outcome.status, 'complete')
  assert.is(outcome.sawDone, false)
})

test('fault drip: reads of bytesPerRead bytes, and the same chunks', async () => {
  const options: MockChatOptions = { text: 'drip', faults: [{ kind: 'drip', bytesPerRead: 3, delayMs: 0 }] }
  const reads = await collect(mockChatStream(options))
  assert.ok(reads.slice(0, -1).every((read) => read.length === 3))
  const { chunks, outcome } = await decode(
    mockChatStream({ ...options, faults: [{ kind: 'drip', bytesPerRead: 64, delayMs: 1 }] }),
  )
  assert.equal(chunks, mockChatChunks(options))
  assert.is(outcome.status, 'complete')
})

test('fault keep-alive: OpenRouter comments before the first chunk and every N chunks', async () => {
  const options: MockChatOptions = { text: 'a b c d e', faults: [{ kind: 'keep-alive', every: 2 }] }
  const text = bodyText(options)
  assert.ok(text.startsWith(': OPENROUTER PROCESSING\n\n'))
  const total = mockChatChunks(options).length
  assert.is(text.split(': OPENROUTER PROCESSING\n\n').length - 1, Math.ceil(total / 2))
  const { chunks, outcome } = await mock(options)
  assert.equal(chunks, mockChatChunks(options))
  assert.is(outcome.status, 'complete')
  assert.ok(bodyText({ faults: [{ kind: 'keep-alive', every: 100, comment: 'ping' }] }).startsWith(': ping\n\n'))
})

test('faults combine: keep-alive, missing separators and a provider error', async () => {
  const options: MockChatOptions = {
    text: 'one two three four five six',
    faults: [
      { kind: 'keep-alive', every: 3 },
      { kind: 'missing-separators' },
      { kind: 'provider-error', afterChunks: 5 },
    ],
  }
  const { chunks, error } = await mock(options)
  assert.instance(error, ProviderError)
  assert.is(chunks.length, 5)
  assert.equal(chunks, mockChatChunks(options))
})

// ---------------------------------------------------------------- properties

test('property: for any text, chunking and readSize, the decoded text is the text', async () => {
  const text = fc.string({ unit: fc.constantFrom('a', 'é', '🦕', ' ', '\n', '\r', '"', '\\', ':', 'data: ', '\u2028') })
  const chunking = fc.oneof(fc.constant<'word'>('word'), fc.constant<'char'>('char'), fc.integer({ min: 1, max: 8 }))
  await fc.assert(
    fc.asyncProperty(
      fc.oneof(text, fc.string({ unit: 'binary' })),
      chunking,
      fc.integer({ min: 1, max: 64 }),
      fc.constantFrom<'\n' | '\r\n'>('\n', '\r\n'),
      async (text, chunking, readSize, eol) => {
        const options: MockChatOptions = { text, chunking, readSize, eol }
        const { chunks, error, outcome } = await decode(mockChatStream(options))
        assert.is(error, undefined)
        assert.is(content(chunks), text)
        assert.equal(chunks, mockChatChunks(options))
        assert.is(outcome.status, 'complete')
      },
    ),
    { numRuns: 60 },
  )
})

test('property: for any cut, the decoder yields exactly mockChatChunks', async () => {
  const base: MockChatOptions[] = [
    { text: 'Crème brûlée, s’il vous plaît 🦕' },
    { text: 'CRLF', eol: '\r\n', reasoning: 'hmm' },
    {
      toolCalls: [{ name: 'f', arguments: { x: 'y' } }],
      faults: [{ kind: 'missing-separators' }, { kind: 'keep-alive', every: 2 }],
    },
  ]
  await fc.assert(
    fc.asyncProperty(fc.constantFrom(...base), fc.nat(), async (options, at) => {
      const atByte = at % (mockChatBody(options).length + 1)
      const cut: MockChatOptions = { ...options, faults: [...(options.faults ?? []), { kind: 'cut', atByte }] }
      const { chunks } = await decode(mockChatStream(cut), { truncated: 'close' })
      assert.equal(chunks, mockChatChunks(cut))
    }),
    { numRuns: 80 },
  )
})

test.run()
