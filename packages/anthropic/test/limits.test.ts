/** The limits of the fused stream are the SSE stage's: one event and one line are bounded, and say so. */
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { bytes, fromChunks, readToEnd } from '@sluice/test-support'
import { MessageEventStream } from '../src/index.ts'

const start =
  'event: message_start\ndata: {"type":"message_start","message":{"id":"msg_1","type":"message","role":"assistant","model":"m","content":[]}}\n\n'

test('an event longer than maxEventSize is an EventTooLargeError, after the events before it', async () => {
  const long = `event: content_block_start\ndata: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":"${'x'.repeat(5000)}"}}\n\n`
  const stream = new MessageEventStream({ maxEventSize: 1000 })
  const { items, error } = await readToEnd(fromChunks([bytes(start + long)]).pipeThrough(stream))
  assert.equal(
    items.map((event) => event.type),
    ['message_start'],
  )
  assert.is((error as Error).name, 'EventTooLargeError')
  assert.is((await stream.outcome).status, 'error')
})

test('a line longer than maxLineLength is a LineTooLongError', async () => {
  const stream = new MessageEventStream({ maxLineLength: 100 })
  const { error } = await readToEnd(fromChunks([bytes(start)]).pipeThrough(stream))
  assert.is((error as Error).name, 'LineTooLongError')
})

test.run()
