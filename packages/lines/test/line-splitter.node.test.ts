import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { Duplex, Readable, Writable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { LineSplitterStream, LineTooLongError } from '../src/index.ts'

// Node accepts a web TransformStream as a pipeline stage (and Duplex.fromWeb takes one),
// but @types/node 20 types those with Node's own web-stream classes, which the DOM lib's
// do not match: the casts below are for the type checker only.
type NodeTransform = NodeJS.ReadWriteStream
type NodeWebPair = Parameters<typeof Duplex.fromWeb>[0]

const input = () => Readable.from([Buffer.from('data: é'), Buffer.from([0xf0, 0x9f]), Buffer.from([0xa6, 0x95]), Buffer.from('\r'), Buffer.from('\nnext\rlast')])

function sink(out: string[]) {
  return new Writable({
    objectMode: true,
    write(line: string, _encoding, callback) {
      out.push(line)
      callback()
    },
  })
}

test('LineSplitterStream works as a stage of stream.pipeline', async () => {
  const out: string[] = []
  await pipeline(input(), new LineSplitterStream() as unknown as NodeTransform, sink(out))
  assert.equal(out, ['data: é🦕', 'next', 'last'])
})

test('LineSplitterStream works in stream.pipeline through Duplex.fromWeb in object mode', async () => {
  const out: string[] = []
  await pipeline(input(), Duplex.fromWeb(new LineSplitterStream() as unknown as NodeWebPair, { objectMode: true }), sink(out))
  assert.equal(out, ['data: é🦕', 'next', 'last'])
})

test('LineSplitterStream rejects the pipeline promise with its own error class', async () => {
  try {
    await pipeline(input(), new LineSplitterStream({ maxLineLength: 4 }) as unknown as NodeTransform, sink([]))
    assert.unreachable('pipeline resolved')
  } catch (error) {
    assert.instance(error, LineTooLongError)
    assert.is((error as LineTooLongError).code, 'SLUICE_LINE_TOO_LONG')
  }
})

test.run()
