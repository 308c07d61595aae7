/** The mocks in the Anthropic Messages format (issue #19): the same answer, the same faults. */
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { MessageEventStream, type MessageEvent } from '@sluice/anthropic'
import { chatStream } from '@sluice/chat'
import { collect } from '@sluice/test-support'
import {
  mockChatBody,
  mockChatCompletion,
  mockChatChunks,
  mockChatResponse,
  mockChatStream,
  type MockChatOptions,
} from '../src/index.ts'

const anthropic = (options: MockChatOptions = {}): MockChatOptions => ({ ...options, format: 'anthropic-messages' })
const events = async (options: MockChatOptions) => {
  const stream = new MessageEventStream({ truncated: 'close' })
  const items: MessageEvent[] = await collect(mockChatStream(anthropic(options)).pipeThrough(stream)).catch(() => [])
  return { items, outcome: await stream.outcome }
}

test('the same answer, read by chatStream(), is the chat mock completion (created 0: Anthropic sends no time)', async () => {
  for (const options of [
    { text: 'Paris is the capital of France.' },
    { text: 'Let me check.', toolCalls: [{ name: 'get_weather', arguments: '{"city":"Paris"}' }] },
    { reasoning: 'The user asks a capital.', text: 'Paris.' },
  ] satisfies MockChatOptions[]) {
    const stream = chatStream(mockChatResponse(anthropic(options)))
    const completion = await stream.completion()
    assert.is(stream.format, 'anthropic-messages')
    const expected = mockChatCompletion(options)
    // Anthropic sends no creation time (the translation says 0, inventing none) and no system fingerprint.
    const {
      created: _created,
      system_fingerprint: _fingerprint,
      ...rest
    } = expected as typeof expected & {
      system_fingerprint?: unknown
    }
    const {
      created,
      system_fingerprint: fingerprint,
      ...actual
    } = completion as typeof completion & {
      system_fingerprint?: unknown
    }
    assert.is(created, 0)
    assert.ok(fingerprint === undefined || fingerprint === null)
    assert.equal(actual, rest)
  }
})

test('every event is a Messages event: event: names the data type, and the stream is complete', async () => {
  const text = new TextDecoder().decode(mockChatBody(anthropic({ text: 'Hi there' })))
  for (const block of text.trim().split('\n\n')) {
    const [eventLine, dataLine] = block.split('\n')
    assert.is(eventLine!.slice('event: '.length), JSON.parse(dataLine!.slice('data: '.length)).type)
  }
  const { items, outcome } = await events({ text: 'Hi there' })
  assert.is(items[0]!.type, 'message_start')
  assert.is(items.at(-1)!.type, 'message_stop')
  assert.is(outcome.status, 'complete')
})

test('faults: a provider error is an error event, a cut truncates, no-done drops message_stop, keep-alive sends pings', async () => {
  const error = chatStream(mockChatResponse(anthropic({ faults: [{ kind: 'provider-error', afterChunks: 2 }] })))
  const failure = await error.completion().catch((caught: unknown) => caught)
  assert.is((failure as { type?: string }).type, 'overloaded_error')
  assert.is((failure as { retryable?: boolean }).retryable, true)

  const cut = await events({ faults: [{ kind: 'cut', atByte: 400 }] })
  assert.is(cut.outcome.status, 'truncated')

  const noStop = await events({ faults: [{ kind: 'no-done' }] })
  assert.is(noStop.outcome.status, 'truncated')
  assert.is(noStop.outcome.stopReason, 'end_turn', 'message_delta still came')

  const pings = await events({ text: 'one two three four', faults: [{ kind: 'keep-alive', every: 2 }] })
  assert.ok(pings.items.filter((event) => event.type === 'ping').length >= 2)
  assert.is(pings.outcome.status, 'complete')
})

test('what has no Anthropic form is refused with a clear error', () => {
  assert.throws(() => mockChatBody(anthropic({ faults: [{ kind: 'missing-separators' }] })), /missing-separators/)
  assert.throws(() => mockChatChunks(anthropic()), /chatStream/)
  assert.throws(() => mockChatBody({ format: 'bedrock' as never }), /format/)
})

test.run()
