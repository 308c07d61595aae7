/**
 * sluice's decoder against eventsource-parser (a dev dependency, used only here as an
 * independent oracle), under the EventSource dispatch model: an event's `lastEventId` is
 * the most recent id seen, `type` is the event name or `message`.
 *
 * eventsource-parser (3.1.1) departs from the spec in a few places; there sluice follows the
 * spec, and each case is pinned by a test below instead of being compared:
 * - it forgets an id set in a block without data (the spec keeps it for later events);
 * - fed text that still starts with a decoded BOM, it loses the first event;
 * - it holds back a CR at the very end of its input, waiting for a possible LF.
 */
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import fc from 'fast-check'
import { createParser } from 'eventsource-parser'
import { bytes, collect, fromChunks, splitAt } from '@sluice/test-support'
import { SSEStream, type ServerSentEvent } from '../src/index.ts'
import { eventStream } from './arbitraries.ts'

const sluice = (chunks: Uint8Array[]) => collect(fromChunks(chunks).pipeThrough(new SSEStream()))

/** eventsource-parser, fed the whole text at once, with the EventSource model on top. */
function oracle(text: string): ServerSentEvent[] {
  const out: ServerSentEvent[] = []
  let lastEventId = ''
  const parser = createParser({
    onEvent(event) {
      if (event.id !== undefined) lastEventId = event.id
      out.push({ type: event.event ?? 'message', data: event.data, lastEventId })
    },
  })
  // A final CR ends a line (a lone CR is a terminator); eventsource-parser waits for an LF
  // that might follow it. The LF makes it one CRLF terminator, the same line ending.
  parser.feed(text.endsWith('\r') ? `${text}\n` : text)
  return out
}

test('SSEStream equals eventsource-parser on random event streams, at any chunking', async () => {
  await fc.assert(
    fc.asyncProperty(
      eventStream({ idWithoutData: false }),
      fc.array(fc.nat(), { maxLength: 20 }),
      async (text, cuts) => {
        const data = bytes(text)
        // Both see the same text: what UTF-8 decoding (BOM dropped, bad bytes as U+FFFD) makes of the bytes.
        assert.equal(await sluice(splitAt(data, cuts)), oracle(new TextDecoder().decode(data)))
      },
    ),
    { numRuns: 300 },
  )
})

test('SSEStream keeps an id set in a block without data, where eventsource-parser forgets it', async () => {
  const text = 'id: 1\n\ndata: x\n\n'
  assert.equal(await sluice([bytes(text)]), [{ type: 'message', data: 'x', lastEventId: '1' }])
  assert.equal(oracle(text), [{ type: 'message', data: 'x', lastEventId: '' }])
})

test('SSEStream drops a leading BOM, where eventsource-parser fed decoded text loses the first event', async () => {
  const text = '\uFEFFdata: 1\n\ndata: 2\n\n'
  assert.equal(
    (await sluice([bytes(text)])).map((event) => event.data),
    ['1', '2'],
  )
  assert.equal(
    oracle(text).map((event) => event.data),
    ['2'],
  )
})

test.run()
