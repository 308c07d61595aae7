import { test } from 'uvu'
import * as assert from 'uvu/assert'
import fc from 'fast-check'
import { collect, fromChunks, rejection } from '@sluice/test-support'
import {
  InvalidMessageError,
  SSEEncoder,
  SSEEncoderStream,
  SSEStream,
  type ServerSentEvent,
  type SSEMessage,
} from '../src/index.ts'
import { lineText } from './arbitraries.ts'

const encode = (messages: SSEMessage[]) => collect(fromChunks(messages).pipeThrough(new SSEEncoderStream()))

/** Encodes, then decodes with SSEStream (through TextEncoderStream, as a server would send it). */
async function roundTrip(messages: SSEMessage[], comments?: string[], retries?: number[]) {
  const decoder = new SSEStream({ onComment: (text) => comments?.push(text), onRetry: (ms) => retries?.push(ms) })
  return collect(
    fromChunks(messages).pipeThrough(new SSEEncoderStream()).pipeThrough(new TextEncoderStream()).pipeThrough(decoder),
  )
}

test('SSEEncoder frames each field on its own line and closes the block with a blank line', async () => {
  assert.equal(await encode([{ comment: 'hi', type: 'delta', id: '7', retry: 500, data: 'x' }]), [
    ': hi\nevent: delta\nid: 7\nretry: 500\ndata: x\n\n',
  ])
  assert.equal(await encode([{ data: '' }, { comment: 'keep-alive' }]), ['data: \n\n', ': keep-alive\n\n'])
})

test('SSEEncoder writes multi-line data as one data line per line, splitting at CR, LF and CRLF', async () => {
  assert.equal(await encode([{ data: 'a\nb\r\nc\rd\n' }]), ['data: a\ndata: b\ndata: c\ndata: d\ndata: \n\n'])
  assert.equal(await encode([{ comment: 'one\ntwo' }]), [': one\n: two\n\n'])
})

test("SSEEncoder ends lines with CRLF when lineEnding is '\\r\\n'", () => {
  assert.is(
    new SSEEncoder({ lineEnding: '\r\n' }).encode({ id: '1', data: 'a\nb' }),
    'id: 1\r\ndata: a\r\ndata: b\r\n\r\n',
  )
  assert.throws(() => new SSEEncoder({ lineEnding: '\r' as '\n' }), /lineEnding must be/)
})

test('SSEEncoder keeps leading spaces of values through a round trip', async () => {
  assert.equal(await roundTrip([{ type: ' t', id: ' i', data: '  two spaces' }]), [
    { type: ' t', data: '  two spaces', lastEventId: ' i' },
  ])
})

test('SSEEncoder rejects a type or id that would inject lines, and an id with NULL', async () => {
  const attempts: [SSEMessage, InvalidMessageError['field'], RegExp][] = [
    [{ type: 'x\ndata: injected', data: 'a' }, 'type', /type must not contain CR or LF/],
    [{ type: 'x\r', data: 'a' }, 'type', /CR or LF/],
    [{ id: '1\n\ndata: injected frame' }, 'id', /id must not contain CR or LF/],
    [{ id: '1\rretry: 1' }, 'id', /CR or LF/],
    [{ id: '1\0' }, 'id', /NULL/],
    [{ retry: -1 }, 'retry', /non-negative integer/],
    [{ retry: 1.5 }, 'retry', /non-negative integer/],
    [{ retry: Number.NaN }, 'retry', /non-negative integer/],
    [{ retry: '5' as unknown as number }, 'retry', /non-negative integer/],
    [{ data: 5 as unknown as string }, 'data', /data must be a string, got number/],
    [{ comment: {} as unknown as string }, 'comment', /must be a string/],
    [{}, 'message', /has none of data, type, id, retry and comment/],
    [null as unknown as SSEMessage, 'message', /must be an object, got null/],
  ]
  for (const [message, field, pattern] of attempts) {
    const error = await rejection(encode([{ data: 'first' }, message]))
    assert.instance(error, InvalidMessageError, JSON.stringify(message))
    const invalid = error as InvalidMessageError
    assert.is(invalid.code, 'SLUICE_INVALID_MESSAGE')
    assert.is(invalid.field, field)
    assert.is(invalid.index, 1)
    assert.match(invalid.message, pattern)
    assert.match(invalid.message, /^message 1: /)
  }
})

test('SSEEncoder reports comments and retry through the decoder, and dispatches no event for them', async () => {
  const comments: string[] = []
  const retries: number[] = []
  const out = await roundTrip([{ comment: 'ping' }, { retry: 2500 }, { data: 'x' }], comments, retries)
  assert.equal(out, [{ type: 'message', data: 'x', lastEventId: '' }])
  assert.equal(comments, ['ping'])
  assert.equal(retries, [2500])
})

// ---------------------------------------------------------------- round trip

const anyText = fc.string({
  unit: fc.oneof(
    fc.constantFrom('\r', '\n', '\r\n', ':', ' ', '\0', 'é', '🦕'),
    fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
  ),
  maxLength: 20,
})

/** Messages as the round-trip rule describes them: valid fields, each optional. */
const messageArbitrary: fc.Arbitrary<SSEMessage> = fc
  .record(
    {
      data: anyText,
      type: lineText().filter((text) => text.length > 0),
      id: lineText().map((text) => text.replace(/\0/g, '')),
      retry: fc.nat(),
      comment: anyText,
    },
    { requiredKeys: [] },
  )
  .filter((message) => Object.keys(message).length > 0)

test('SSEEncoder round trip: each message with data decodes to exactly one event with its type, data and last id', async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(messageArbitrary, { maxLength: 8 }), async (messages) => {
      const expected: ServerSentEvent[] = []
      let lastEventId = ''
      for (const message of messages) {
        if (message.id !== undefined) lastEventId = message.id
        if (message.data === undefined) continue
        expected.push({ type: message.type ?? 'message', data: message.data.replace(/\r\n|\r/g, '\n'), lastEventId })
      }
      assert.equal(await roundTrip(messages), expected)
    }),
  )
})

test.run()
