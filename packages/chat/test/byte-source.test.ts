import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { bytes, rejection, sse, textChunks } from '@sluice/test-support'
import { chatStream, StreamIdleError, type ChatCompletion } from '../src/index.ts'
import { done, fromParts, sleep, slowSource } from './fixtures.ts'

const [first, second, last] = textChunks(['a']).map((item) => sse([item])) as [string, string, string]

/**
 * Replaces the global setTimeout / clearTimeout with counting ones, to see whether a
 * timer is left running (the ChatReader looks them up at each call).
 */
function countTimers() {
  const { setTimeout: set, clearTimeout: clear } = globalThis
  const active = new Set<unknown>()
  globalThis.setTimeout = ((callback: () => void, ms?: number) => {
    const id: unknown = set(() => {
      active.delete(id)
      callback()
    }, ms)
    active.add(id)
    return id
  }) as typeof setTimeout
  globalThis.clearTimeout = ((id: Parameters<typeof clearTimeout>[0]) => {
    active.delete(id)
    clear(id)
  }) as typeof clearTimeout
  return {
    active: () => active.size,
    restore: () => {
      globalThis.setTimeout = set
      globalThis.clearTimeout = clear
    },
  }
}

test('idleTimeoutMs: keep-alive comments keep a slow stream alive', async () => {
  const source = slowSource([
    first,
    30,
    ': keep-alive\n\n',
    30,
    ': keep-alive\n\n',
    30,
    ': keep-alive\n\n',
    30,
    second,
    last,
    'data: [DONE]\n\n',
  ])
  const stream = chatStream(source, { idleTimeoutMs: 100 })
  assert.is((await stream.completion()).choices[0]?.message.content, 'a')
  assert.is((await stream.outcome).status, 'complete')
})

test('idleTimeoutMs: silence errors with StreamIdleError, naming the timeout and the time since the last byte, and cancels the upstream', async () => {
  const source = slowSource([first, 10, ': keep-alive\n\n'], { hang: true })
  const stream = chatStream(source, { idleTimeoutMs: 60 })
  const seen: string[] = []
  const error = await rejection(
    (async () => {
      for await (const text of stream.textStream()) seen.push(text)
    })(),
  )
  assert.instance(error, StreamIdleError)
  const idle = error as StreamIdleError
  assert.is(idle.code, 'SLUICE_STREAM_IDLE')
  assert.is(idle.name, 'StreamIdleError')
  assert.is(idle.idleTimeoutMs, 60)
  assert.is(idle.waitingFor, 'body')
  assert.is(idle.retryable, true)
  assert.is(idle.bytesRead, bytes(first).length + bytes(': keep-alive\n\n').length)
  assert.type(idle.sinceLastByteMs, 'number')
  assert.match(
    idle.message,
    new RegExp(
      `^the stream was idle longer than idleTimeoutMs \\(60 ms\\): the last of ${idle.bytesRead} bytes arrived \\d+ ms ago; no keep-alive comment either\\. The upstream was cancelled$`,
    ),
  )
  assert.is(await source.cancelled, error, 'the upstream is cancelled with the error')
  assert.equal(seen, [], 'the role chunk has no text')
  const outcome = await stream.outcome
  assert.is(outcome.status, 'error')
  assert.is(outcome.error, error)
  assert.is((await rejection(stream.completion())) as unknown, error)
  assert.is((error as { partial?: ChatCompletion }).partial?.choices[0]?.message.role, 'assistant')
})

test('idleTimeoutMs: a source silent from the start says no byte had arrived', async () => {
  const source = slowSource([], { hang: true })
  const error = (await rejection(chatStream(source, { idleTimeoutMs: 30 }).completion())) as StreamIdleError
  assert.instance(error, StreamIdleError)
  assert.is(error.sinceLastByteMs, undefined)
  assert.match(error.message, /no byte of the body had arrived yet/)
  assert.ok(source.wasCancelled())
})

test('idleTimeoutMs: applies to an AsyncIterable source too, which is asked to return', async () => {
  let resume!: () => void
  let finished = false
  async function* generate() {
    try {
      yield bytes(first)
      await new Promise<void>((resolve) => {
        resume = resolve
      })
      yield bytes(second)
    } finally {
      finished = true
    }
  }
  const error = await rejection(chatStream(generate(), { idleTimeoutMs: 30 }).completion())
  assert.instance(error, StreamIdleError)
  // The generator is stuck in its await: return() takes effect once it moves on.
  resume()
  await sleep(5)
  assert.is(finished, true)
})

test('idleTimeoutMs: time the consumer spends between reads is not idleness', async () => {
  const stream = chatStream(fromParts([bytes(first), bytes(second), bytes(last), bytes('data: [DONE]\n\n')]), {
    idleTimeoutMs: 20,
  })
  const seen: unknown[] = []
  for await (const item of stream) {
    seen.push(item)
    await sleep(50)
  }
  assert.is(seen.length, 3)
  assert.is((await stream.outcome).status, 'complete')
})

test('idleTimeoutMs: no timer is left running when the stream ends, is cancelled or fails', async () => {
  const timers = countTimers()
  try {
    await chatStream(fromParts([bytes(done(textChunks(['a'])))]), { idleTimeoutMs: 600_000 }).completion()
    assert.is(timers.active(), 0, 'after [DONE]')
    await chatStream(fromParts([bytes(sse(textChunks(['a'])))]), { idleTimeoutMs: 600_000 }).completion()
    assert.is(timers.active(), 0, 'after the end of the input')
    const cancelled = chatStream(slowSource([first], { hang: true }), { idleTimeoutMs: 600_000 })
    for await (const _ of cancelled) break
    assert.is(timers.active(), 0, 'after a break')
    const truncated = chatStream(fromParts([bytes(first)]), { idleTimeoutMs: 600_000 })
    await rejection(truncated.completion())
    assert.is(timers.active(), 0, 'after an error')
    const aborted = new AbortController()
    const stream = chatStream(slowSource([first], { hang: true }), { idleTimeoutMs: 600_000, signal: aborted.signal })
    const reading = rejection(stream.completion())
    await sleep(5)
    aborted.abort()
    await reading
    assert.is(timers.active(), 0, 'after an abort')
  } finally {
    timers.restore()
  }
})

test('idleTimeoutMs: Infinity sets no timer', async () => {
  const timers = countTimers()
  try {
    const stream = chatStream(fromParts([bytes(done(textChunks(['a'])))]), { idleTimeoutMs: Number.POSITIVE_INFINITY })
    const seen: unknown[] = []
    for await (const item of stream) {
      seen.push(item)
      assert.is(timers.active(), 0)
    }
    assert.is(seen.length, 3)
  } finally {
    timers.restore()
  }
})

test.run()
