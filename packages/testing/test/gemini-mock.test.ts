/** The mocks in the Gemini format (issue #21): the same answer, the faults that have a Gemini form. */
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { GeminiChunkStream, type GeminiChunk } from '@sluice/gemini'
import { chatStream } from '@sluice/chat'
import { collect } from '@sluice/test-support'
import {
  mockChatBody,
  mockChatCompletion,
  mockChatChunks,
  mockChatEvents,
  mockChatResponse,
  mockChatStream,
  type MockChatOptions,
} from '../src/index.ts'
import { ANSWERS } from './answers.ts'

const gemini = (options: MockChatOptions = {}): MockChatOptions => ({ ...options, format: 'gemini' })
const chunks = async (options: MockChatOptions) => {
  const stream = new GeminiChunkStream({ truncated: 'close' })
  const items: GeminiChunk[] = await collect(mockChatStream(gemini(options)).pipeThrough(stream)).catch(() => [])
  return { items, outcome: await stream.outcome }
}

test('the same answer, read by chatStream(), is the chat mock completion', async () => {
  for (const options of [
    ...ANSWERS,
    { toolCalls: [{ name: 'get_weather', arguments: { city: 'Paris' } }] },
    {
      text: 'Cut short',
      finishReason: 'length',
      usage: { prompt_tokens: 30, prompt_tokens_details: { cached_tokens: 8 } },
    },
    { text: 'No usage.', usage: false },
  ] satisfies MockChatOptions[]) {
    const stream = chatStream(mockChatResponse(gemini(options)))
    const completion = await stream.completion()
    assert.is(stream.format, 'gemini')
    // A Gemini API response has no system fingerprint, and no time (Vertex AI's createTime).
    const { system_fingerprint: _fingerprint, ...expected } = mockChatCompletion(options) as ReturnType<
      typeof mockChatCompletion
    > & { system_fingerprint?: unknown }
    assert.equal(completion, { ...expected, created: 0 })
    assert.is((await stream.outcome).status, 'complete')
  }
})

test('every event is a data: line of a Gemini chunk with CRLF line ends; usage is a running total; the finishReason chunk ends it', async () => {
  const text = new TextDecoder().decode(mockChatBody(gemini({ text: 'one two three', reasoning: 'hmm ok' })))
  assert.ok(text.endsWith('}\r\n\r\n'))
  const blocks = text.slice(0, -4).split('\r\n\r\n')
  const parsed = blocks.map((block) => {
    assert.ok(block.startsWith('data: ') && !block.includes('\n'), block)
    return JSON.parse(block.slice('data: '.length)) as GeminiChunk
  })
  assert.equal(
    parsed.map((chunk) => chunk.candidates![0]!.content!.parts!.map((part) => [part.text, part.thought ?? false])),
    [[['hmm', true]], [[' ok', true]], [['one', false]], [[' two', false]], [[' three', false]], [['', false]]],
  )
  assert.equal(
    parsed.map((chunk) => chunk.candidates![0]!.finishReason),
    [undefined, undefined, undefined, undefined, undefined, 'STOP'],
  )
  const totals = parsed.map((chunk) => chunk.usageMetadata!.totalTokenCount!)
  assert.equal(
    totals,
    [...totals].sort((a, b) => a - b),
    'running totals grow',
  )
  assert.equal(parsed.at(-1)!.usageMetadata, {
    promptTokenCount: 12,
    candidatesTokenCount: 3,
    totalTokenCount: 17,
    thoughtsTokenCount: 2,
  })
  const { items, outcome } = await chunks({ text: 'one two three' })
  assert.is(items.length, 4)
  assert.is(outcome.status, 'complete')
  assert.is(mockChatEvents(gemini()).at(-1)!.kind, 'done')
})

test('function calls are whole functionCall parts in one chunk, before the finishReason chunk', async () => {
  const { items } = await chunks({
    text: 'Checking.',
    toolCalls: [
      { name: 'get_weather', arguments: '{"city":"Paris"}', id: 'call_1' },
      { name: 'get_time', arguments: { zone: 'Europe/Paris' }, id: 'call_2' },
    ],
  })
  const calls = items.at(-2)!.candidates![0]!.content!.parts!
  assert.equal(calls, [
    { functionCall: { id: 'call_1', name: 'get_weather', args: { city: 'Paris' } } },
    { functionCall: { id: 'call_2', name: 'get_time', args: { zone: 'Europe/Paris' } } },
  ])
  assert.is(items.at(-1)!.candidates![0]!.finishReason, 'STOP')
})

test('faults: a provider error is an error chunk, a cut truncates, no-done leaves out the finishReason, garbage fails', async () => {
  const error = chatStream(
    mockChatResponse(gemini({ text: 'a b c d', faults: [{ kind: 'provider-error', afterChunks: 2, code: 503 }] })),
  )
  const failure = (await error.completion().catch((caught: unknown) => caught)) as Error & Record<string, unknown>
  assert.is(failure.name, 'ProviderError')
  assert.is(failure.code, 'SLUICE_PROVIDER_ERROR')
  assert.is(failure.providerCode, 503)
  assert.is(failure.retryable, true)
  assert.match(failure.message, /server had an error/)
  assert.is((await error.outcome).status, 'error')
  const body = new TextDecoder().decode(
    mockChatBody(gemini({ faults: [{ kind: 'provider-error', afterChunks: 1, code: 'RESOURCE_EXHAUSTED' }] })),
  )
  assert.match(body, /data: \{"error":\{"code":500,"message":"[^"]+","status":"RESOURCE_EXHAUSTED"\}\}\r\n\r\n$/)

  const cut = await chunks({ faults: [{ kind: 'cut', atByte: 400 }] })
  assert.is(cut.outcome.status, 'truncated')

  const noEnd = await chunks({ faults: [{ kind: 'no-done' }] })
  assert.is(noEnd.outcome.status, 'truncated')
  assert.is(noEnd.outcome.candidates[0]!.finishReason, null)
  const unfinished = chatStream(mockChatResponse(gemini({ faults: [{ kind: 'no-done' }] })))
  const truncated = await unfinished.completion().catch((caught: unknown) => caught)
  assert.is((truncated as Error).name, 'TruncatedGeminiError')

  const garbage = chatStream(mockChatResponse(gemini({ faults: [{ kind: 'garbage', afterChunks: 1 }] })))
  const broken = await garbage.completion().catch((caught: unknown) => caught)
  assert.ok(broken instanceof Error, 'garbage fails the stream')
  assert.match(String((broken as { code?: unknown }).code), /^SLUICE_/)
})

test('drip: the same bytes in small reads, read alike', async () => {
  const options = gemini({
    text: 'Paris is the capital of France.',
    faults: [{ kind: 'drip', bytesPerRead: 7, delayMs: 0 }],
  })
  const reads = await collect(mockChatStream(options))
  assert.ok(reads.every((read) => read.length <= 7))
  const completion = await chatStream(mockChatResponse(options)).completion()
  assert.is(completion.choices[0]!.message.content, 'Paris is the capital of France.')
})

test('what has no Gemini form is refused with a clear error', () => {
  assert.throws(() => mockChatBody(gemini({ faults: [{ kind: 'missing-separators' }] })), /missing-separators.*Gemini/)
  assert.throws(() => mockChatBody(gemini({ faults: [{ kind: 'keep-alive', every: 2 }] })), /keep-alive.*Gemini/)
  assert.throws(() => mockChatBody(gemini({ toolCalls: [{ name: 'f', arguments: '[1,2]' }] })), /JSON object.*\[1,2\]/)
  assert.throws(() => mockChatChunks(gemini()), /Gemini stream.*chatStream/)
  assert.throws(() => mockChatBody({ format: 'bedrock' as never }), /'gemini'/)
})

test.run()
