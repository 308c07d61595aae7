import { test } from 'uvu'
import * as assert from 'uvu/assert'
import fc from 'fast-check'
import { collect, fromChunks, readToEnd, settledSoon } from '@sluice/test-support'
import { compose, iterate, OrderedTransformStream } from '../src/index.ts'
import { inputs, pipelines, stopAtBang, throwAtHash, type Stage } from './stages.ts'

/** Enqueues each chunk's characters, then throws at `#` (after what it enqueued for that chunk). */
const enqueueThenThrow = (): Stage => ({
  transform(chunk, controller) {
    for (const character of chunk.replace('#', '')) controller.enqueue(character)
    if (chunk.includes('#')) throw new RangeError('hash')
  },
})

const ending = (error: unknown) =>
  error === undefined ? 'closed' : `${(error as Error).name}: ${(error as Error).message}`

test('OrderedTransformStream hands over what a transform enqueued before it threw, then the error', async () => {
  const { items, error } = await readToEnd(
    fromChunks(['ab', 'cd#', 'ef']).pipeThrough(new OrderedTransformStream(enqueueThenThrow())),
  )
  assert.equal(items, ['a', 'b', 'c', 'd'])
  assert.instance(error, RangeError)
})

test('OrderedTransformStream hands over what flush enqueued before it threw, then the error', async () => {
  const stream = new OrderedTransformStream<string, string>({
    transform: (chunk, controller) => controller.enqueue(chunk),
    flush(controller) {
      controller.enqueue('last')
      throw new TypeError('cut off')
    },
  })
  const { items, error } = await readToEnd(fromChunks(['a']).pipeThrough(stream))
  assert.equal(items, ['a', 'last'])
  assert.instance(error, TypeError)
})

test('OrderedTransformStream hands over what came before a failed source (an aborted writable side), then its error', async () => {
  let sent = false
  const source = new ReadableStream<string>({
    pull(controller) {
      if (sent) return controller.error(new TypeError('network lost'))
      sent = true
      controller.enqueue('abc')
    },
  })
  let cancelledWith: unknown
  const stream = new OrderedTransformStream<string, string>({
    transform(chunk, controller) {
      for (const character of chunk) controller.enqueue(character)
    },
    cancel: (reason: unknown) => {
      cancelledWith = reason
    },
  } as Transformer<string, string>)
  const { items, error } = await readToEnd(source.pipeThrough(stream))
  assert.equal(items, ['a', 'b', 'c'])
  assert.is((error as Error).message, 'network lost')
  assert.is(cancelledWith, error, "the transformer's cancel hook hears of the failed input")
})

test('OrderedTransformStream rejects the failing write only once the items before the failure were read', async () => {
  const stream = new OrderedTransformStream(enqueueThenThrow())
  const writer = stream.writable.getWriter()
  let settled = false
  const write = writer.write('xy#').then(
    () => 'resolved',
    (error: Error) => error.message,
  )
  void write.then(() => (settled = true))
  await new Promise((resolve) => setTimeout(resolve, 5))
  assert.is(settled, false, 'the write waits for the reader')
  const reader = stream.readable.getReader()
  assert.equal(await reader.read(), { done: false, value: 'x' })
  assert.equal(await reader.read(), { done: false, value: 'y' })
  const error = await reader.read().catch((caught: Error) => caught)
  assert.instance(error, RangeError)
  assert.is(await write, 'hash')
})

test('OrderedTransformStream closes at terminate() after what came before, and cancels a piped source at once', async () => {
  let cancelled = false
  let pulls = 0
  const source = new ReadableStream<string>({
    pull(controller) {
      controller.enqueue(['a', 'b!', 'c', 'd'][pulls++] ?? 'more')
    },
    cancel: () => {
      cancelled = true
    },
  })
  const out = await collect(source.pipeThrough(new OrderedTransformStream(stopAtBang())))
  assert.equal(out, ['a'])
  for (let wait = 0; wait < 100 && !cancelled; wait++) await new Promise((resolve) => setTimeout(resolve, 2))
  assert.ok(cancelled, 'the endless source was cancelled')
})

test("OrderedTransformStream fed by a writer drains after terminate(): writes resolve, the output closes with the input ('auto')", async () => {
  const stream = new OrderedTransformStream(stopAtBang())
  const writer = stream.writable.getWriter()
  const reading = collect(stream.readable)
  for (const chunk of ['a', 'b!', 'c', 'd#']) await writer.write(chunk)
  await writer.close()
  assert.equal(await reading, ['a'])
})

test("OrderedTransformStream with afterTerminate: 'cancel' errors the writer's next write after terminate()", async () => {
  const stream = new OrderedTransformStream(stopAtBang(), undefined, undefined, { afterTerminate: 'cancel' })
  const writer = stream.writable.getWriter()
  const reading = collect(stream.readable)
  await writer.write('a')
  await writer.write('b!')
  const error = await writer.write('c').catch((caught: Error) => caught)
  assert.instance(error, TypeError)
  assert.match((error as Error).message, /terminated/)
  assert.equal(await reading, ['a'])
})

test("OrderedTransformStream with afterTerminate: 'drain' keeps reading a piped source to its end", async () => {
  let pulls = 0
  let cancelled = false
  const source = new ReadableStream<string>({
    pull(controller) {
      if (pulls === 4) return controller.close()
      controller.enqueue(['a', 'b!', 'c', 'd'][pulls++]!)
    },
    cancel: () => {
      cancelled = true
    },
  })
  const out = await collect(
    source.pipeThrough(new OrderedTransformStream(stopAtBang(), undefined, undefined, { afterTerminate: 'drain' })),
  )
  assert.equal(out, ['a'])
  assert.is(pulls, 4)
  assert.is(cancelled, false)
})

test("OrderedTransformStream calls the transformer's cancel hook when its readable side is cancelled, in every engine", async () => {
  const reasons: unknown[] = []
  const stream = new OrderedTransformStream<string, string>({
    transform: (chunk, controller) => controller.enqueue(chunk),
    cancel: (reason: unknown) => {
      reasons.push(reason)
    },
  } as Transformer<string, string>)
  const writer = stream.writable.getWriter()
  void writer.write('a').catch(() => {})
  await stream.readable.cancel('user left')
  assert.equal(reasons, ['user left'])
  const error = await writer.write('b').catch((caught: unknown) => caught)
  assert.is(error, 'user left', 'the writable side errors with the reason, so a pipe cancels its source')
})

test('OrderedTransformStream keeps backpressure: with the default strategies a chunk is transformed when the reader asks (the first one ahead)', async () => {
  let transformed = 0
  const stream = new OrderedTransformStream<string, string>({
    transform(chunk, controller) {
      transformed++
      controller.enqueue(chunk)
    },
  })
  const writer = stream.writable.getWriter()
  for (const chunk of ['a', 'b', 'c', 'd']) void writer.write(chunk).catch(() => {})
  await new Promise((resolve) => setTimeout(resolve, 5))
  assert.is(transformed, 1, 'one chunk transformed before anyone reads')
  const reader = stream.readable.getReader()
  assert.equal(await reader.read(), { done: false, value: 'a' })
  await new Promise((resolve) => setTimeout(resolve, 5))
  assert.is(transformed, 1, 'the next chunk is transformed when the reader asks for it')
  assert.equal(await reader.read(), { done: false, value: 'b' })
  assert.is(transformed, 2)
  assert.is(stream.readable instanceof ReadableStream && stream instanceof TransformStream, true)
})

test('OrderedTransformStream queues up to the readable high-water mark', async () => {
  let transformed = 0
  const stream = new OrderedTransformStream<string, string>(
    {
      transform(chunk, controller) {
        transformed++
        controller.enqueue(chunk)
      },
    },
    { highWaterMark: 8 },
    { highWaterMark: 3 },
  )
  const writer = stream.writable.getWriter()
  for (const chunk of 'abcdefgh') void writer.write(chunk).catch(() => {})
  await new Promise((resolve) => setTimeout(resolve, 5))
  assert.is(transformed, 3)
})

test('OrderedTransformStream keeps order through a queue that never empties (a high-water mark above 0, several items per chunk)', async () => {
  const stream = new OrderedTransformStream<number, number>(
    {
      transform(chunk, controller) {
        for (let part = 0; part < 3; part++) controller.enqueue(chunk * 3 + part)
      },
    },
    undefined,
    { highWaterMark: 4 },
  )
  const writer = stream.writable.getWriter()
  const reading = collect(stream.readable)
  for (let chunk = 0; chunk < 5000; chunk++) await writer.write(chunk)
  await writer.close()
  const out = await reading
  assert.is(out.length, 15000)
  assert.ok(out.every((value, index) => value === index))
})

test('OrderedTransformStream rejects a bad afterTerminate and a bad high-water mark with a clear message', () => {
  assert.throws(
    () => new OrderedTransformStream({}, undefined, undefined, { afterTerminate: 'stop' as 'drain' }),
    /afterTerminate must be 'auto', 'cancel' or 'drain'/,
  )
  assert.throws(
    () => new OrderedTransformStream({}, undefined, { highWaterMark: -1 }),
    /highWaterMark must be a number >= 0/,
  )
})

test('a chain of OrderedTransformStreams ends as its composition does, whatever the stages: the first ending in data order wins', async () => {
  await fc.assert(
    fc.asyncProperty(pipelines, inputs, async (stages, chunks) => {
      // Throwing and terminating stages have their own test above; enqueue-then-throw adds the queued-items case.
      const all = [...stages, enqueueThenThrow]
      const chain = all.reduce<ReadableStream<string>>(
        (stream, make) => stream.pipeThrough(new OrderedTransformStream(make())),
        fromChunks(chunks),
      )
      const piped = await readToEnd(chain)
      const pulled: string[] = []
      let pulledError: unknown
      try {
        for await (const item of iterate(fromChunks(chunks), compose(...(all.map((make) => make()) as [Stage]))))
          pulled.push(item)
      } catch (error) {
        pulledError = error
      }
      assert.equal(piped.items, pulled)
      assert.is(ending(piped.error), ending(pulledError))
    }),
    { numRuns: 150 },
  )
})

test('throwAtHash in a chain of OrderedTransformStreams: what came before, then the RangeError', async () => {
  const { items, error } = await readToEnd(
    fromChunks(['ab', 'c#', 'd']).pipeThrough(new OrderedTransformStream(throwAtHash())),
  )
  assert.equal(items, ['ab'])
  assert.instance(error, RangeError)
})

test("OrderedTransformStream counts the readable strategy's size against its high-water mark", async () => {
  const stream = new OrderedTransformStream<string, string>({}, undefined, {
    highWaterMark: 4,
    size: (chunk: string) => chunk.length,
  })
  const writer = stream.writable.getWriter()
  assert.is(await settledSoon(writer.write('ab')), true, '2 of 4 queued: the write is done')
  const full = writer.write('cd')
  assert.is(await settledSoon(full), false, '4 of 4 queued: the write waits')
  const reader = stream.readable.getReader()
  assert.equal(await reader.read(), { done: false, value: 'ab' })
  assert.equal(await reader.read(), { done: false, value: 'cd' })
  const closing = writer.close()
  assert.is((await reader.read()).done, true) // workerd leaves out `value` at the end
  await full
  await closing
})

test.run()
