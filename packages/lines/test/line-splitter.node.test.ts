import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { asPipelineStage, collectInto, fromWebObjectMode } from '@sluice/test-support/node'
import { LineSplitterStream, LineTooLongError } from '../src/index.ts'

const input = () =>
  Readable.from([
    Buffer.from('data: é'),
    Buffer.from([0xf0, 0x9f]),
    Buffer.from([0xa6, 0x95]),
    Buffer.from('\r'),
    Buffer.from('\nnext\rlast'),
  ])

test('LineSplitterStream works as a stage of stream.pipeline', async () => {
  const out: string[] = []
  await pipeline(input(), asPipelineStage(new LineSplitterStream()), collectInto(out))
  assert.equal(out, ['data: é🦕', 'next', 'last'])
})

test('LineSplitterStream works in stream.pipeline through Duplex.fromWeb in object mode', async () => {
  const out: string[] = []
  await pipeline(input(), fromWebObjectMode(new LineSplitterStream()), collectInto(out))
  assert.equal(out, ['data: é🦕', 'next', 'last'])
})

test('LineSplitterStream rejects the pipeline promise with its own error class', async () => {
  try {
    await pipeline(input(), asPipelineStage(new LineSplitterStream({ maxLineLength: 4 })), collectInto<string>([]))
    assert.unreachable('pipeline resolved')
  } catch (error) {
    assert.instance(error, LineTooLongError)
    assert.is((error as LineTooLongError).code, 'SLUICE_LINE_TOO_LONG')
  }
})

test.run()
