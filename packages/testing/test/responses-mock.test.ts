/** The mocks in the OpenAI Responses format (issue #20): the same answer, the same faults. */
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { ResponseEventStream, type ResponseEvent } from '@sluice/responses'
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

const responses = (options: MockChatOptions = {}): MockChatOptions => ({ ...options, format: 'openai-responses' })
const events = async (options: MockChatOptions) => {
  const stream = new ResponseEventStream({ truncated: 'close' })
  const items: ResponseEvent[] = await collect(mockChatStream(responses(options)).pipeThrough(stream)).catch(() => [])
  return { items, outcome: await stream.outcome }
}

test('the same answer, read by chatStream(), is the chat mock completion', async () => {
  for (const options of ANSWERS) {
    const stream = chatStream(mockChatResponse(responses(options)))
    const completion = await stream.completion()
    assert.is(stream.format, 'openai-responses')
    // A response has no system fingerprint.
    const { system_fingerprint: _fingerprint, ...expected } = mockChatCompletion(options) as ReturnType<
      typeof mockChatCompletion
    > & { system_fingerprint?: unknown }
    const { system_fingerprint: fingerprint, ...actual } = completion as typeof completion & {
      system_fingerprint?: unknown
    }
    assert.ok(fingerprint === undefined || fingerprint === null)
    // A Responses usage always has its details: zeros where the chat usage has none.
    const usage = { ...actual.usage! }
    if (expected.usage?.prompt_tokens_details === undefined) {
      assert.equal(usage.prompt_tokens_details, { cached_tokens: 0 })
      delete usage.prompt_tokens_details
    }
    if (expected.usage?.completion_tokens_details === undefined) {
      assert.equal(usage.completion_tokens_details, { reasoning_tokens: 0 })
      delete usage.completion_tokens_details
    }
    assert.equal({ ...actual, usage }, expected)
  }
})

test('every event is a Responses event: event: names the data type, sequence_number counts from 0, the stream is complete', async () => {
  const text = new TextDecoder().decode(mockChatBody(responses({ text: 'Hi there' })))
  const blocks = text.trim().split('\n\n')
  for (const [index, block] of blocks.entries()) {
    const [eventLine, dataLine] = block.split('\n')
    const data = JSON.parse(dataLine!.slice('data: '.length))
    assert.is(eventLine!.slice('event: '.length), data.type)
    assert.is(data.sequence_number, index)
  }
  const { items, outcome } = await events({ text: 'Hi there' })
  assert.is(items[0]!.type, 'response.created')
  assert.is(items.at(-1)!.type, 'response.completed')
  assert.is(outcome.status, 'complete')
  assert.is(mockChatEvents(responses()).at(-1)!.kind, 'done')
})

test('faults: a provider error is an error event, a cut truncates, no-done drops response.completed, keep-alive sends keepalive events', async () => {
  const error = chatStream(mockChatResponse(responses({ faults: [{ kind: 'provider-error', afterChunks: 2 }] })))
  const failure = await error.completion().catch((caught: unknown) => caught)
  assert.is((failure as Error).name, 'ProviderError')
  assert.is((failure as { code?: unknown }).code, 'SLUICE_PROVIDER_ERROR')
  assert.match((failure as Error).message, /server had an error/)
  assert.is((await error.outcome).status, 'error')

  const cut = await events({ faults: [{ kind: 'cut', atByte: 400 }] })
  assert.is(cut.outcome.status, 'truncated')

  const noEnd = await events({ faults: [{ kind: 'no-done' }] })
  assert.is(noEnd.outcome.status, 'truncated')
  assert.is(noEnd.outcome.terminal, null)
  assert.is(noEnd.items.at(-1)!.type, 'response.output_item.done', 'every item still done')

  const alive = await events({ text: 'one two three four', faults: [{ kind: 'keep-alive', every: 2 }] })
  assert.ok(alive.items.filter((event) => event.type === 'keepalive').length >= 2)
  assert.is(alive.outcome.status, 'complete')
  assert.is(alive.outcome.lastSequenceNumber, alive.items.length - 1, 'keep-alives numbered in order: no gap')

  const garbage = chatStream(mockChatResponse(responses({ faults: [{ kind: 'garbage', afterChunks: 1 }] })))
  const broken = await garbage.completion().catch((caught: unknown) => caught)
  assert.ok(broken instanceof Error, 'garbage fails the stream')
  assert.match(String((broken as { code?: unknown }).code), /^SLUICE_/)
})

test('drip: the same bytes in small reads, read alike', async () => {
  const options = responses({
    text: 'Paris is the capital of France.',
    faults: [{ kind: 'drip', bytesPerRead: 7, delayMs: 0 }],
  })
  const reads = await collect(mockChatStream(options))
  assert.ok(reads.every((read) => read.length <= 7))
  const completion = await chatStream(mockChatResponse(options)).completion()
  assert.is(completion.choices[0]!.message.content, 'Paris is the capital of France.')
})

test('what has no Responses form is refused with a clear error', () => {
  assert.throws(
    () => mockChatBody(responses({ faults: [{ kind: 'missing-separators' }] })),
    /missing-separators.*Responses/,
  )
  assert.throws(() => mockChatChunks(responses()), /chatStream/)
  assert.throws(() => mockChatBody({ format: 'bedrock' as never }), /openai-responses/)
})

test.run()
