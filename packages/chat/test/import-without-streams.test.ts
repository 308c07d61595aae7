/**
 * The plain transformers need no stream global: every package imports in a realm without
 * them (ECMAScript module evaluation order: streams-removed.ts runs before the sluice
 * modules, streams-restored.ts after), and the parsers then run on web-streams-polyfill's
 * ponyfill and under `iterate()`. The `…Stream` classes, built on the TransformStream the
 * realm had when they loaded, say what to do instead.
 */
import { hadNoTransformStream, removed } from './streams-removed.ts'
import { DeltaAccumulator } from '@sluice/accumulator'
import { compose, iterate } from '@sluice/compose'
import { LineSplitter, LineSplitterStream } from '@sluice/lines'
import { ChatChunkParser, ChatChunkStream, ChunkDecoder } from '@sluice/openai'
import { SSEDecoder, SSEParser } from '@sluice/sse'
import '@sluice/testing'
import { chatStream } from '../src/index.ts'
import './streams-restored.ts'
import * as ponyfill from 'web-streams-polyfill'
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { bytes, textChunks } from '@sluice/test-support'
import { done } from './fixtures.ts'

const sent = textChunks(['Hel', 'lo'])
const body = bytes(done(sent))

/** `parts` as a ponyfill ReadableStream: the only streams a realm without globals has. */
function ponyfillSource(parts: Uint8Array[]): ponyfill.ReadableStream<Uint8Array> {
  return new ponyfill.ReadableStream<Uint8Array>({
    start(controller) {
      for (const part of parts) controller.enqueue(part)
      controller.close()
    },
  })
}

async function readAll<T>(stream: ponyfill.ReadableStream<T>): Promise<T[]> {
  const reader = stream.getReader()
  const items: T[] = []
  for (let read = await reader.read(); !read.done; read = await reader.read()) items.push(read.value)
  return items
}

test('the stream globals were gone while every package was imported', () => {
  assert.ok(removed.length >= 3, `removed ${removed.map(([, name]) => name).join(', ')}`)
  assert.ok(hadNoTransformStream)
})

test("the plain transformers run in web-streams-polyfill's TransformStream", async () => {
  const chunks = await readAll(
    ponyfillSource([body.subarray(0, 9), body.subarray(9)]).pipeThrough(
      new ponyfill.TransformStream(new ChatChunkParser()),
    ),
  )
  assert.equal(chunks, sent)
  const piped = ponyfillSource([body])
    .pipeThrough(new ponyfill.TransformStream(new LineSplitter()))
    .pipeThrough(new ponyfill.TransformStream(new SSEDecoder()))
    .pipeThrough(new ponyfill.TransformStream(new ChunkDecoder()))
  assert.equal(await readAll(piped), sent)
  const events = await readAll(ponyfillSource([body]).pipeThrough(new ponyfill.TransformStream(new SSEParser())))
  assert.is(events.length, sent.length + 1) // and [DONE]
})

test('iterate() and compose() run the parsers over a ponyfill ReadableStream', async () => {
  const accumulator = new DeltaAccumulator()
  let last: unknown
  for await (const snapshot of iterate(
    ponyfillSource([body]),
    compose(new LineSplitter(), new SSEDecoder(), new ChunkDecoder(), accumulator),
  ))
    last = snapshot
  assert.is(accumulator.snapshot, last)
  assert.is(accumulator.snapshot?.choices[0]?.message.content, 'Hello')
  assert.is((await accumulator.outcome).status, 'complete')
})

test('a …Stream class built where there was no TransformStream says what to use instead', () => {
  for (const make of [() => new LineSplitterStream(), () => new ChatChunkStream()]) {
    try {
      make()
      assert.unreachable('constructed')
    } catch (error) {
      assert.instance(error, ReferenceError)
      assert.match(
        (error as Error).message,
        /TransformStream is not defined in this runtime: use the plain transformers/,
      )
    }
  }
  // The front door reads with readers and takes any async iterable: it needs no stream class.
  assert.type(chatStream, 'function')
})

test.run()
