import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { LineSplitterStream } from '@sluice/lines'
import { bytes, collect, fromChunks, rejection } from '@sluice/test-support'
import {
  EventTooLargeError,
  InvalidLineError,
  SSEDecoder,
  SSEDecoderStream,
  SSEError,
  type ServerSentEvent,
  type SSEDecoderOptions,
  type UnfinishedEvent,
} from '../src/index.ts'

/** Events of `text` through LineSplitterStream and SSEDecoderStream. */
const events = (text: string | Uint8Array, options?: SSEDecoderOptions) =>
  collect(
    fromChunks([typeof text === 'string' ? bytes(text) : text])
      .pipeThrough(new LineSplitterStream())
      .pipeThrough(new SSEDecoderStream(options)),
  )

/** Events of already-split lines through SSEDecoderStream alone. */
const fromLines = (lines: string[], options?: SSEDecoderOptions) =>
  collect(fromChunks(lines).pipeThrough(new SSEDecoderStream(options)))

const message = (data: string, lastEventId = '', type = 'message'): ServerSentEvent => ({ type, data, lastEventId })
const datas = async (text: string) => (await events(text)).map((event) => event.data)

// ---------------------------------------------------------------- the rules, one by one

test('SSEDecoder dispatches an event at a blank line', async () => {
  assert.equal(await events('data: a\n\ndata: b\n\n'), [message('a'), message('b')])
})

test('SSEDecoder ignores comment lines and reports their text to onComment', async () => {
  const comments: string[] = []
  const out = await events(': OPENROUTER PROCESSING\n\n:no space\n:  two spaces\ndata: x\n\n', {
    onComment: (text) => comments.push(text),
  })
  assert.equal(out, [message('x')])
  assert.equal(comments, ['OPENROUTER PROCESSING', 'no space', ' two spaces'])
})

test('SSEDecoder takes a line without a colon as a field name with an empty value', async () => {
  // "data" alone is a data line with empty value: the buffer becomes "\n", the event has data "".
  assert.equal(await events('data\n\n'), [message('')])
  assert.equal(await events('data\ndata\n\n'), [message('\n')])
  assert.equal(await events('event\ndata: x\n\n'), [message('x')])
})

test('SSEDecoder removes one leading space after the colon, no more', async () => {
  assert.equal(await datas('data:x\n\ndata: x\n\ndata:  x\n\ndata:\tx\n\n'), ['x', 'x', ' x', '\tx'])
  assert.equal((await events('event:  spaced\ndata\n\n'))[0]!.type, ' spaced')
})

test('SSEDecoder splits the field at the first colon only', async () => {
  assert.equal(await datas('data: a:b: c\n\n'), ['a:b: c'])
})

test('SSEDecoder joins data lines with LF and removes only the last LF', async () => {
  assert.equal(await datas('data: a\ndata: b\ndata:\n\n'), ['a\nb\n'])
  assert.equal(await datas('data:\ndata:\n\n'), ['\n'])
})

test('SSEDecoder does not dispatch an event whose data buffer is empty, but resets its type', async () => {
  assert.equal(await events('event: ignored\n\ndata: x\n\n'), [message('x')])
  assert.equal(await events('event: a\nid: 1\n\n'), [])
})

test('SSEDecoder uses the event type for the next dispatch only; the default is message', async () => {
  assert.equal(await events('event: add\ndata: 1\n\ndata: 2\n\nevent:\ndata: 3\n\n'), [
    message('1', '', 'add'),
    message('2'),
    message('3'),
  ])
})

test('SSEDecoder compares field names literally, with no case folding', async () => {
  assert.equal(await events('Data: x\nDATA: y\nEvent: t\ndata: z\n\n'), [message('z')])
})

test('SSEDecoder keeps the last event ID across later events', async () => {
  assert.equal(await events('id: 1\ndata: a\n\ndata: b\n\nid: 2\ndata: c\n\n'), [
    message('a', '1'),
    message('b', '1'),
    message('c', '2'),
  ])
})

test('SSEDecoder keeps an id set in a block without data', async () => {
  const decoder = new SSEDecoderStream()
  const out = await collect(fromChunks(['id: 7', '', 'data: x', '']).pipeThrough(decoder))
  assert.equal(out, [message('x', '7')])
  assert.is(decoder.record.lastEventId, '7')
})

test('SSEDecoder ignores an id containing NULL', async () => {
  assert.equal(await events('id: 1\ndata: a\n\nid: 2\0x\ndata: b\n\n'), [message('a', '1'), message('b', '1')])
})

test('SSEDecoder resets the last event ID on an empty id field', async () => {
  assert.equal(await events('id: 1\ndata: a\n\nid\ndata: b\n\nid:\ndata: c\n\n'), [
    message('a', '1'),
    message('b'),
    message('c'),
  ])
})

test('SSEDecoder reports retry made of ASCII digits only and ignores any other', async () => {
  const retries: number[] = []
  const out = await events(
    'retry: 3000\nretry: 1000x\nretry:\nretry\nretry: -1\nretry: 1.5\nretry:  5\nretry: ٣\nretry:0\ndata: x\n\n',
    {
      onRetry: (milliseconds) => retries.push(milliseconds),
    },
  )
  assert.equal(retries, [3000, 0])
  assert.equal(out, [message('x')])
})

test('SSEDecoder ignores unknown fields', async () => {
  assert.equal(await events('foo: bar\ndata: x\nbaz\n\n'), [message('x')])
})

test('SSEDecoder discards a final event without a blank line and records it', async () => {
  const unfinished: UnfinishedEvent[] = []
  const decoder = new SSEDecoderStream({ onUnfinishedEvent: (event) => unfinished.push(event) })
  const out = await collect(fromChunks(['data: a', '', ': note', 'data: bc', 'data: d']).pipeThrough(decoder))
  assert.equal(out, [message('a')])
  const expected = { lines: 3, dataLength: 'bc\nd'.length, lastLine: 5 }
  assert.equal(decoder.record.unfinishedEvent, expected)
  assert.equal(unfinished, [expected])
})

test('SSEDecoder records no unfinished event when the input ends with a blank line', async () => {
  const decoder = new SSEDecoderStream({ onUnfinishedEvent: () => assert.unreachable('called') })
  await collect(fromChunks(['data: a', '']).pipeThrough(decoder))
  assert.is(decoder.record.unfinishedEvent, null)
})

test('SSEDecoder errors with EventTooLargeError as soon as data passes maxEventSize', async () => {
  assert.equal(await fromLines(['data: abc', 'data: d', ''], { maxEventSize: 5 }), [message('abc\nd')])
  const error = await rejection(
    fromLines(['data: ok', '', 'data: abc', 'data: de', 'data: never read'], { maxEventSize: 5 }),
  )
  assert.instance(error, EventTooLargeError)
  assert.instance(error, SSEError)
  const tooLarge = error as EventTooLargeError
  assert.is(tooLarge.name, 'EventTooLargeError')
  assert.is(tooLarge.code, 'SLUICE_EVENT_TOO_LARGE')
  assert.is(tooLarge.limit, 5)
  assert.is(tooLarge.size, 6)
  assert.is(tooLarge.line, 4)
  assert.match(tooLarge.message, /line 4/)
  assert.match(tooLarge.message, /maxEventSize \(5 characters\)/)
})

test('SSEDecoder errors with InvalidLineError naming the line when a line is not a string', async () => {
  const error = await rejection(fromLines(['data: a', bytes('x') as unknown as string]))
  assert.instance(error, InvalidLineError)
  assert.is((error as InvalidLineError).code, 'SLUICE_INVALID_LINE')
  assert.is((error as InvalidLineError).line, 2)
  assert.match((error as Error).message, /line 2 is a object Uint8Array/)
})

test('SSEDecoder rejects an invalid maxEventSize', () => {
  assert.throws(() => new SSEDecoder({ maxEventSize: -1 }), /maxEventSize must be a number >= 0/)
})

test('SSEDecoderStream accepts queuing strategies', async () => {
  const stream = new SSEDecoderStream(
    {},
    new CountQueuingStrategy({ highWaterMark: 4 }),
    new CountQueuingStrategy({ highWaterMark: 2 }),
  )
  assert.equal(await collect(fromChunks(['data: s', '']).pipeThrough(stream)), [message('s')])
})

// ---------------------------------------------------------------- web-platform-tests eventsource/format-*

test('SSEDecoder drops only one leading BOM (wpt format-bom, format-bom-2)', async () => {
  assert.equal(await datas('\uFEFFdata:1\n\n\uFEFFdata:2\n\ndata:3\n\n'), ['1', '3'])
  assert.equal(await datas('\uFEFF\uFEFFdata:1\n\ndata:2\n\ndata:3\n\n'), ['2', '3'])
})

test('SSEDecoder reads a stream with CR-only line endings (wpt format-newlines)', async () => {
  assert.equal(await datas('data:test\r\ndata\ndata:test\r\n\r'), ['test\n\ntest'])
  assert.equal(await events('id: 1\revent: a\rdata: x\r\rdata: y\r\r'), [message('x', '1', 'a'), message('y', '1')])
})

test('SSEDecoder keeps comments between data lines out of the data (wpt format-comments)', async () => {
  assert.equal(await datas('data:1\n:\n:comment\ndata:2\n\n'), ['1\n2'])
})

test('SSEDecoder parses fields the way browsers do (wpt format-field-parsing)', async () => {
  const text =
    'data:\0\ndata:  2\rData:1\ndata\0:2\ndata:1\r\0data:4\nda-ta:3\rdata_5\ndata:3\rdata:\r\n data:32\ndata:4\n\n'
  assert.equal(await datas(text), ['\0\n 2\n1\n3\n\n4'])
})

test('SSEDecoder handles data fields with and without values (wpt format-field-data)', async () => {
  assert.equal(await datas('data:\n\ndata\ndata\n\ndata:test\n\n'), ['', '\n', 'test'])
})

test('SSEDecoder treats an empty event field as message (wpt format-field-event-empty)', async () => {
  assert.equal(await events('event: \ndata:data\n\n'), [message('data')])
})

test('SSEDecoder ignores bogus and empty retry values (wpt format-field-retry-bogus, -empty)', async () => {
  const retries: number[] = []
  await events('retry:3000\nretry:1000x\ndata:x\n\nretry\ndata:y\n\n', { onRetry: (ms) => retries.push(ms) })
  assert.equal(retries, [3000])
})

test('SSEDecoder ignores unknown fields and lines with leading spaces (wpt format-field-unknown)', async () => {
  assert.equal(await datas('data:test\n data\ndata\nfoobar:xxx\njustsometext\n:thisisacommentyay\ndata:test\n\n'), [
    'test\n\ntest',
  ])
})

test('SSEDecoder removes only a leading space, not a tab (wpt format-leading-space)', async () => {
  assert.equal(await datas('data:\ttest\rdata: \ndata:test\n\n'), ['\ttest\n\ntest'])
})

test('SSEDecoder passes NULL characters through in data (wpt format-null-character)', async () => {
  assert.equal(await datas('data:\0\n\n\n\n'), ['\0'])
})

test('SSEDecoder decodes UTF-8 data (wpt format-utf-8)', async () => {
  assert.equal(await datas('data:ok…\n\n'), ['ok…'])
})

test('SSEDecoder does not dispatch data before a missing final empty line (wpt format-data-before-final-empty-line)', async () => {
  assert.equal(await datas('retry:1000\ndata:test1\n\nid:test\ndata:test2'), ['test1'])
})

test('SSEDecoder keeps the id of a block that had no data for the next event (wpt format-field-id)', async () => {
  assert.equal(await events('id: 1\n\ndata: x\n\n'), [message('x', '1')])
  assert.equal(await events('id:1\ndata:1\n\nid:\ndata:2\n\n'), [message('1', '1'), message('2')])
})

test.run()
