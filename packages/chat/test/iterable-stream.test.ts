import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { collect } from '@sluice/test-support'
import { streamFrom } from '../src/iterable-stream.ts'

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
