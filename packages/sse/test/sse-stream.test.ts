import { test } from 'uvu'
import * as assert from 'uvu/assert'
import fc from 'fast-check'
import { LineSplitterStream, LineTooLongError } from '@sluice/lines'
import { bytes, collect, everySplit, fromChunks, oneByteChunks, rejection, splitAt } from '@sluice/test-support'
import { ponyfillStreams } from '@sluice/test-support/ponyfill-streams'
import { SSEDecoderStream, SSEParser, SSEStream, type ServerSentEvent, type SSEStreamOptions } from '../src/index.ts'
import { eventStream } from './arbitraries.ts'

/** bytes -> LineSplitterStream -> SSEDecoderStream */
const viaChain = (chunks: Uint8Array[]) =>
  collect(fromChunks(chunks).pipeThrough(new LineSplitterStream()).pipeThrough(new SSEDecoderStream()))

/** bytes -> SSEStream */
const viaSSEStream = (chunks: Uint8Array[], options?: SSEStreamOptions) =>
  collect(fromChunks(chunks).pipeThrough(new SSEStream(options)))

const message = (data: string, lastEventId = '', type = 'message'): ServerSentEvent => ({ type, data, lastEventId })

const chatStream = [
  ': OPENROUTER PROCESSING\r\n\r\n',
  'data: {"id":"chatcmpl-1","object":"chat.completion.chunk","model":"anthropic/claude-sonnet-4-5","choices":[{"index":0,"delta":{"content":"Crème 🦕"},"finish_reason":null}]}\r\n\r\n',
  'event: error\r\ndata: {"error":{"message":"overloaded","type":"server_error"}}\r\n\r\n',
  'id: 9\rdata: a\rdata:\r\rdata: [DONE]\n\n',
].join('')

test('SSEStream decodes bytes to events in one stage', async () => {
  const out = await viaSSEStream([bytes(chatStream)])
  assert.is(out.length, 4)
  assert.equal(out[1], message('{"error":{"message":"overloaded","type":"server_error"}}', '', 'error'))
  assert.equal(out[2], message('a\n', '9'))
  assert.equal(out[3], message('[DONE]', '9'))
})

test('SSEStream gives the events of the two-stage chain for a chat stream split at every offset and byte by byte', async () => {
  const data = bytes(chatStream)
  const expected = await viaChain([data])
  for (const chunks of everySplit(data)) {
    assert.equal(await viaSSEStream(chunks), expected, `split at ${chunks[0]!.length}`)
    assert.equal(await viaChain(chunks), expected, `chain split at ${chunks[0]!.length}`)
  }
  assert.equal(await viaSSEStream(oneByteChunks(data)), expected)
})

test('SSEStream passes line splitter options through and errors with LineTooLongError', async () => {
  const error = await rejection(viaSSEStream([bytes('data: 0123456789\n\n')], { maxLineLength: 8 }))
  assert.instance(error, LineTooLongError)
})

test('SSEStream exposes the last event ID and the unfinished event', async () => {
  const stream = new SSEStream()
  await collect(fromChunks([bytes('id: 3\n\ndata: x\n\ndata: cut')]).pipeThrough(stream))
  assert.is(stream.record.lastEventId, '3')
  assert.equal(stream.record.unfinishedEvent, { lines: 1, dataLength: 3, lastLine: 5 })
})

test('SSEStream calls onComment and onRetry', async () => {
  const seen: string[] = []
  await viaSSEStream([bytes(': ping\nretry: 10\ndata: x\n\n')], {
    onComment: (text) => seen.push(`comment ${text}`),
    onRetry: (ms) => seen.push(`retry ${ms}`),
  })
  assert.equal(seen, ['comment ping', 'retry 10'])
})

test('SSEStream emits each event in the same write as its blank line', async () => {
  const stream = new SSEStream()
  const writer = stream.writable.getWriter()
  const reader = stream.readable.getReader()
  void writer.write(bytes('data: a\n'))
  void writer.write(bytes('\r'))
  assert.equal(await reader.read(), { done: false, value: message('a') })
  void writer.close()
  assert.is((await reader.read()).done, true)
})

test('SSEStream output does not depend on chunk boundaries and equals the two-stage chain', async () => {
  await fc.assert(
    fc.asyncProperty(eventStream(), fc.array(fc.nat(), { maxLength: 30 }), async (text, cuts) => {
      const data = bytes(text)
      const whole = await viaChain([data])
      const chunks = splitAt(data, cuts)
      assert.equal(await viaChain(chunks), whole)
      assert.equal(await viaSSEStream(chunks), whole)
    }),
  )
})

test('SSEParser output does not depend on chunk boundaries (web-streams-polyfill)', async () => {
  const run = (chunks: Uint8Array[]) =>
    collect(fromChunks(chunks, ponyfillStreams).pipeThrough(new ponyfillStreams.TransformStream(new SSEParser())))
  await fc.assert(
    fc.asyncProperty(eventStream(), fc.array(fc.nat(), { maxLength: 30 }), async (text, cuts) => {
      const data = bytes(text)
      assert.equal(await run(splitAt(data, cuts)), await run([data]))
    }),
  )
})

test.run()
