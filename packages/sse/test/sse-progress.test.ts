/** What the SSE stage records for the outcome: counters, the trailing-event repair, tracing. */
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import fc from 'fast-check'
import { LineSplitterStream } from '@sluice/lines'
import { bytes, collect, fromChunks, runTransformer, splitAt } from '@sluice/test-support'
import {
  SSEDecoderStream,
  SSEParser,
  SSEStream,
  type EventInfo,
  type ServerSentEvent,
  type StreamProgress,
  SSEDecoder,
  type SSEQuirk,
  type SSEStreamOptions,
} from '../src/index.ts'

const parse = (text: string, options?: SSEStreamOptions) => {
  const stream = new SSEStream(options)
  return collect(fromChunks([bytes(text)]).pipeThrough(stream)).then((events) => ({
    events,
    progress: stream.progress,
  }))
}

test('progress counts bytes, lines and events, and keeps the last event id', async () => {
  const text = 'id: 1\ndata: a\n\n: comment\nevent: ping\ndata: b\n\nid: 2\n\n'
  const { events, progress } = await parse(text)
  assert.is(events.length, 2)
  assert.is(progress.counts.bytes, text.length)
  assert.is(progress.counts.lines, 9)
  assert.is(progress.counts.events, 2)
  assert.is(progress.counts.chunks, null)
  assert.is(progress.lastEventId, '2')
  assert.is(progress.unfinishedEvent, null)
  assert.equal(progress.quirks, [])
})

test('pipeThrough from a LineSplitterStream links the SSEDecoderStream to its record; a stage alone counts no bytes (null, not 0)', async () => {
  const text = 'data: é\n\n'
  const lines = new LineSplitterStream()
  const linked = new SSEDecoderStream()
  await collect(
    fromChunks([bytes(text)])
      .pipeThrough(lines)
      .pipeThrough(linked),
  )
  assert.ok(linked.record === lines.record)
  assert.is(linked.progress.counts.bytes, bytes(text).length)
  assert.is(linked.progress.counts.lines, 2)
  assert.is(lines.lineCount, 2)
  // A native TransformStream in between is not a sluice stage: nothing links the decoder.
  const unlinked = new SSEDecoder()
  await collect(
    fromChunks([bytes(text)])
      .pipeThrough(new LineSplitterStream())
      .pipeThrough(new TransformStream(unlinked)),
  )
  assert.is(unlinked.progress.counts.bytes, null)
  assert.is(unlinked.progress.counts.events, 1)
  assert.is(unlinked.progress.counts.lines, 2)
})

test("trailingEvent 'discard' (the WHATWG rule) records the unfinished event; 'dispatch-json' dispatches whole JSON and reports it", async () => {
  const text = 'data: 1\n\ndata: {"a":\ndata: 1}'
  const discarded = await parse(text)
  assert.equal(
    discarded.events.map((event) => event.data),
    ['1'],
  )
  assert.equal(discarded.progress.unfinishedEvent, { lines: 2, dataLength: '{"a":\n1}'.length, lastLine: 4 })
  const quirks: SSEQuirk[] = []
  const repaired = await parse(text, { trailingEvent: 'dispatch-json', onQuirk: (quirk) => quirks.push(quirk) })
  assert.equal(
    repaired.events.map((event) => event.data),
    ['1', '{"a":\n1}'],
  )
  assert.is(repaired.progress.unfinishedEvent, null)
  assert.equal(quirks, [
    {
      code: 'unterminated-event',
      message: 'the last event (2 lines, 8 chars) had no closing blank line: dispatched, its data being whole JSON',
      eventIndex: 1,
      line: 4,
    },
  ])
  assert.equal(repaired.progress.quirks, quirks)
})

test("trailingEvent 'dispatch-json' still discards a trailing event that is not whole JSON, and strict turns the repair off", async () => {
  const cut = await parse('data: {"a":1', { trailingEvent: 'dispatch-json' })
  assert.equal(cut.events, [])
  assert.is(cut.progress.unfinishedEvent?.lines, 1)
  const strict = await parse('data: [DONE]', { trailingEvent: 'dispatch-json', strict: true })
  assert.equal(strict.events, [])
  assert.is(strict.progress.unfinishedEvent?.dataLength, 6)
  assert.throws(
    () => new SSEParser({ trailingEvent: 'maybe' as 'discard' }),
    /trailingEvent must be 'discard' or 'dispatch-json', got maybe/,
  )
})

test('onEvent traces each event with its index and the line that dispatched it', async () => {
  const seen: [string, EventInfo][] = []
  await parse('data: a\n\n\n\nevent: x\ndata: b\r\n\r\n', { onEvent: (event, info) => seen.push([event.data, info]) })
  assert.equal(seen, [
    ['a', { index: 0, lineNumber: 2, byteOffset: 9 }],
    ['b', { index: 1, lineNumber: 7, byteOffset: 9 + 2 + 9 + 9 + 2 }],
  ])
})

/** The progress view, as a plain object. */
const facts = ({ counts, lastEventId, unfinishedEvent, quirks }: StreamProgress) => ({
  counts,
  lastEventId,
  unfinishedEvent,
  quirks: [...quirks],
})

test('property: progress does not depend on chunk boundaries', async () => {
  const line = fc.constantFrom('data: x', 'data: {"k":1}', 'id: 9', ': c', 'event: e', '', 'retry: 5', 'dat')
  await fc.assert(
    fc.asyncProperty(
      fc.array(line, { maxLength: 12 }),
      fc.constantFrom('\n', '\r\n', '\r'),
      fc.boolean(),
      fc.array(fc.nat(), { maxLength: 5 }),
      async (lines, eol, json, cuts) => {
        const text = lines.join(eol)
        const options: SSEStreamOptions = json ? { trailingEvent: 'dispatch-json' } : {}
        const whole = new SSEParser(options)
        const expected = runTransformer(whole, [bytes(text)])
        const split = new SSEParser(options)
        const actual: ServerSentEvent[] = runTransformer(split, splitAt(bytes(text), cuts))
        assert.equal(actual, expected)
        assert.equal(facts(split.progress), facts(whole.progress))
        assert.is(split.progress.counts.events, expected.length)
      },
    ),
  )
})

test.run()
