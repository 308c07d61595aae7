import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { bytes, collect, settledSoon } from '@sluice/test-support'
import { asyncIterable, streamFrom } from '../src/iterable-stream.ts'
import { fromParts } from './fixtures.ts'

async function readAll<T>(stream: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = []
  for await (const item of stream) items.push(item)
  return items
}

test('asyncIterable() gives a ReadableStream without native async iteration a reader-based one (Safari)', async () => {
  const source = fromParts([bytes('a'), bytes('b'), bytes('c')])
  const stream = asyncIterable(source, true)
  const seen: string[] = []
  for await (const part of stream) {
    seen.push(new TextDecoder().decode(part))
    if (seen.length === 2) break
  }
  assert.equal(seen, ['a', 'b'])
  assert.is(await source.cancelled, undefined, 'leaving the loop early cancels the stream')
  assert.is(source.locked, false, 'and releases the reader')
  const whole = fromParts([bytes('x')])
  assert.equal((await readAll(asyncIterable(whole, true))).length, 1)
  assert.is(await settledSoon(whole.cancelled), false, 'a stream read to its end is not cancelled')
})

test('asyncIterable() leaves a natively async-iterable stream as it is', () => {
  const stream = fromParts([bytes('a')])
  const native = typeof (stream as Partial<AsyncIterable<unknown>>)[Symbol.asyncIterator] === 'function'
  const iterable = asyncIterable(stream)
  assert.is(iterable, stream)
  assert.is(Object.hasOwn(stream, Symbol.asyncIterator), !native)
})

test('streamFrom() pulls the generator on demand and closes with it', async () => {
  let pulled = 0
  async function* generate() {
    for (const item of [1, 2, 3]) {
      pulled++
      yield item
    }
  }
  const stream = streamFrom(generate(), () => {})
  await new Promise((resolve) => setTimeout(resolve, 5))
  assert.is(pulled, 0, 'nothing is pulled before a read')
  assert.equal(await collect(stream), [1, 2, 3])
})

test('streamFrom(): cancelling the stream calls onCancel with the reason, then returns the generator', async () => {
  const calls: string[] = []
  async function* generate() {
    try {
      yield 1
      yield 2
    } finally {
      calls.push('finally')
    }
  }
  const reader = streamFrom(generate(), (reason) => calls.push(`cancel ${String(reason)}`)).getReader()
  assert.equal(await reader.read(), { done: false, value: 1 })
  await reader.cancel('stop')
  assert.equal(calls, ['cancel stop', 'finally'])
})

test('streamFrom(): an error of the generator errors the stream', async () => {
  async function* generate() {
    yield 1
    throw new Error('boom')
  }
  const reader = streamFrom(generate(), () => {}).getReader()
  await reader.read()
  try {
    await reader.read()
    assert.unreachable()
  } catch (error) {
    assert.is((error as Error).message, 'boom')
  }
})

test.run()
