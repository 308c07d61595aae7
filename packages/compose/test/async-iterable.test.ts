// asyncIterable(): the Streams spec's async iterator on a reader, for engines without one
// (WebKit). `force` adds it in every engine, so these run everywhere.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import fc from 'fast-check'
import { settledSoon } from '@sluice/test-support'
import { asyncIterable } from '../src/index.ts'

/** A stream of `items`, one per pull, that can fail after them; `cancelled` resolves with the cancel reason. */
function source<T>(items: readonly T[], failure?: Error) {
  let index = 0
  let onCancel!: (reason: unknown) => void
  const cancelled = new Promise<unknown>((resolve) => {
    onCancel = resolve
  })
  const stream = new ReadableStream<T>(
    {
      pull(controller) {
        if (index < items.length) controller.enqueue(items[index++]!)
        else if (failure) controller.error(failure)
        else controller.close()
      },
      cancel: (reason) => onCancel(reason),
    },
    { highWaterMark: 0 },
  )
  return { stream, cancelled }
}

test('reads every item in order, then releases the stream, uncancelled', () =>
  fc.assert(
    fc.asyncProperty(fc.array(fc.integer()), async (items) => {
      const { stream, cancelled } = source(items)
      const read: number[] = []
      for await (const item of asyncIterable(stream, true)) read.push(item)
      assert.equal(read, items)
      assert.is(stream.locked, false)
      assert.is(await settledSoon(cancelled), false)
    }),
    { numRuns: 50 },
  ))

test('the stream is locked from values() on, as the spec says, not from the first next()', () => {
  const { stream } = source([1])
  const iterable = asyncIterable(stream, true) as unknown as AsyncIterable<number> & {
    values(options?: { preventCancel?: boolean }): AsyncIterableIterator<number>
  }
  iterable.values()
  assert.ok(stream.locked)
})

test('break cancels the stream and releases it; return(reason) cancels with that reason', async () => {
  const first = source([1, 2, 3])
  for await (const item of asyncIterable(first.stream, true)) if (item === 2) break
  assert.is(await first.cancelled, undefined)
  assert.is(first.stream.locked, false)

  const second = source([1, 2, 3])
  const iterator = asyncIterable(second.stream, true)[Symbol.asyncIterator]() as AsyncIterator<number, unknown, unknown>
  assert.equal(await iterator.next(), { done: false, value: 1 })
  assert.equal(await iterator.return?.('enough'), { done: true, value: 'enough' })
  assert.is(await second.cancelled, 'enough')
  assert.equal(await iterator.next(), { done: true, value: undefined }, 'done after return()')
})

test('values({ preventCancel: true }): leaving early releases the stream without cancelling it', async () => {
  const { stream, cancelled } = source([1, 2, 3])
  const iterable = asyncIterable(stream, true) as unknown as AsyncIterable<number> & {
    values(options?: { preventCancel?: boolean }): AsyncIterableIterator<number>
  }
  for await (const item of iterable.values({ preventCancel: true })) if (item === 1) break
  assert.is(stream.locked, false)
  assert.is(await settledSoon(cancelled), false)
  const rest: number[] = []
  for await (const item of iterable) rest.push(item)
  assert.equal(rest, [2, 3], 'another loop reads on where the first left')
})

test('a failing stream rejects next() after its items, with its error, and releases the reader', async () => {
  const failure = new Error('upstream failed')
  const { stream } = source(['a', 'b'], failure)
  const read: string[] = []
  try {
    for await (const item of asyncIterable(stream, true)) read.push(item)
    assert.unreachable('the loop should throw')
  } catch (error) {
    assert.is(error, failure)
  }
  assert.equal(read, ['a', 'b'])
  assert.is(stream.locked, false)
})

test('next() calls made at once settle in order', async () => {
  const { stream } = source([1, 2, 3])
  const iterator = asyncIterable(stream, true)[Symbol.asyncIterator]()
  const results = await Promise.all([iterator.next(), iterator.next(), iterator.next(), iterator.next()])
  assert.equal(results, [
    { done: false, value: 1 },
    { done: false, value: 2 },
    { done: false, value: 3 },
    { done: true, value: undefined },
  ])
})

test('a stream the engine already iterates is left as it is', () => {
  const { stream } = source([1])
  const native = typeof (stream as Partial<AsyncIterable<unknown>>)[Symbol.asyncIterator] === 'function'
  assert.is(asyncIterable(stream), stream)
  assert.is(Object.hasOwn(stream, Symbol.asyncIterator), !native)
})

test.run()
