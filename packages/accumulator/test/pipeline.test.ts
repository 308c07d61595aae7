/**
 * The whole chain — bytes -> lines -> events -> chunks -> snapshots — across a real
 * pipeline, in every runtime: backpressure, cancellation and errors.
 */
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { iterate } from '@sluice/compose'
import { LineSplitterStream } from '@sluice/lines'
import { ChatChunkParser, ChatChunkStream, ChunkDecoderStream, ProviderError } from '@sluice/openai'
import { SSEDecoderStream } from '@sluice/sse'
import { bytes, collect, currentEngine, rejection } from '@sluice/test-support'
import { DeltaAccumulatorStream, type ChatCompletion } from '../src/index.ts'
import { chunk } from './fixtures.ts'

/** An endless chat stream, one event per read, that counts its reads and records its cancellation. */
function countingSource() {
  const log = { pulls: 0, cancelReason: undefined as unknown, cancelled: false }
  const stream = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        log.pulls++
        if (log.pulls > 10_000) return controller.error(new Error('read past any sane buffer: backpressure is broken'))
        controller.enqueue(bytes(`data: ${JSON.stringify(chunk({ content: `word ${log.pulls} ` }))}\n\n`))
      },
      cancel(reason) {
        log.cancelled = true
        log.cancelReason = reason
      },
    },
    { highWaterMark: 0 },
  )
  return { stream, log }
}

const chains = {
  'four stages with pipeThrough': (source: ReadableStream<Uint8Array>) =>
    source
      .pipeThrough(new LineSplitterStream())
      .pipeThrough(new SSEDecoderStream())
      .pipeThrough(new ChunkDecoderStream())
      .pipeThrough(new DeltaAccumulatorStream()),
  'fused stream + accumulator': (source: ReadableStream<Uint8Array>) =>
    source.pipeThrough(new ChatChunkStream()).pipeThrough(new DeltaAccumulatorStream()),
}

/**
 * Node bug nodejs/node#62036 (fixed upstream by #62040, still in Node 20.20): when a
 * cancellation races a pending write in a chain of TransformStreams, Node's internal
 * `TypeError: controller[kState].transformAlgorithm is not a function` travels up the
 * chain instead of the consumer's reason. The source is still cancelled; only the reason
 * is lost, and only with three or more separate stages (the fused stream is one).
 */
const isNodeTransformRace = (reason: unknown) =>
  reason instanceof TypeError && reason.message.includes('transformAlgorithm is not a function')

/** Lets pending pipe steps run. */
const settle = async () => {
  for (let turn = 0; turn < 20; turn++) await new Promise((resolve) => setTimeout(resolve, 1))
}

for (const [name, chain] of Object.entries(chains)) {
  test(`The chain (${name}) reads its source only as far as the queues allow`, async () => {
    const { stream, log } = countingSource()
    const reader = chain(stream).getReader()
    for (let read = 0; read < 5; read++) await reader.read()
    await settle()
    const afterFive = log.pulls
    await settle()
    // Every stage has a queue of one or two items at most: a handful of reads ahead, not the stream.
    assert.ok(afterFive <= 5 + 12, `read ${afterFive} events for 5 snapshots`)
    assert.is(log.pulls, afterFive, 'the source kept being read while nobody consumed')
    await reader.cancel()
  })

  test(`The chain (${name}) cancels the source with the consumer's reason`, async () => {
    const { stream, log } = countingSource()
    const reader = chain(stream).getReader()
    await reader.read()
    const reason = new Error('user closed the tab')
    await reader.cancel(reason)
    for (let wait = 0; wait < 100 && !log.cancelled; wait++) await new Promise((resolve) => setTimeout(resolve, 2))
    assert.ok(log.cancelled, 'the source was not cancelled')
    if (log.cancelReason !== reason && isNodeTransformRace(log.cancelReason)) return
    assert.is(log.cancelReason, reason)
  })

  test(`The chain (${name}) errors with the provider's error, class, code and message intact`, async () => {
    const source = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(bytes(`data: ${JSON.stringify(chunk({ role: 'assistant', content: 'a' }))}\n\n`))
        controller.enqueue(bytes('event: error\ndata: {"error":{"message":"Overloaded","type":"server_error"}}\n\n'))
        controller.close()
      },
    })
    const reader = chain(source).getReader()
    const seen: ChatCompletion[] = []
    const error = await rejection(
      (async () => {
        for (;;) {
          const { done, value } = await reader.read()
          if (done) return
          seen.push(value)
        }
      })(),
    )
    assert.instance(error, ProviderError)
    assert.is((error as ProviderError).code, 'SLUICE_PROVIDER_ERROR')
    // The fused stream reads the lines itself, so it also names the line that ended the event.
    assert.match(
      (error as ProviderError).message,
      /^the provider sent an error at event 1( \(ending at line 5\))?: Overloaded \(type server_error\)$/,
    )
    assert.is(seen.at(-1)?.choices[0]?.message.content ?? 'a', 'a')
  })
}

test('The chain with a larger readableStrategy reads further ahead, as asked', async () => {
  const { stream, log } = countingSource()
  const snapshots = stream.pipeThrough(
    new ChatChunkStream({}, undefined, new CountQueuingStrategy({ highWaterMark: 50 })),
  )
  const reader = snapshots.getReader()
  await reader.read()
  await settle()
  assert.ok(log.pulls >= 50, `read only ${log.pulls} events with a queue of 50 to fill`)
  assert.ok(log.pulls <= 60, `read ${log.pulls} events for a queue of 50`)
  await reader.cancel()
})

test('iterate() reads the source only as the loop asks, and cancels it on break', async () => {
  const { stream, log } = countingSource()
  let count = 0
  for await (const item of iterate(stream, new ChatChunkParser())) {
    assert.is(item.choices[0]!.delta.content, `word ${++count} `)
    if (count === 5) break
  }
  assert.is(log.pulls, 5)
  assert.ok(log.cancelled)
})

/** The loopback fixture server of the test harness (scripts/test/fixture-server.mjs); none in workerd. */
const fixtureURL = (globalThis as { SLUICE_FIXTURE_URL?: string }).SLUICE_FIXTURE_URL

test('[DONE] releases the upstream body at once: a real fetch to loopback, or a worker-local Response in workerd', async () => {
  if (fixtureURL) {
    // A server that keeps the connection open after [DONE]: only our cancellation can close it.
    const id = `${Date.now()}-${Math.random()}`
    const response = await fetch(`${fixtureURL}/chat/done-then-open?id=${id}`)
    const out = await collect(response.body!.pipeThrough(new ChatChunkStream()))
    assert.is(out.map((item) => item.choices[0]!.delta.content).join(''), 'Hello there')
    let closed = false
    for (let poll = 0; poll < 200 && !closed; poll++) {
      await new Promise((resolve) => setTimeout(resolve, 10))
      closed = (await (await fetch(`${fixtureURL}/closed?id=${id}`)).text()) === 'true'
    }
    assert.ok(closed, 'the server still has the connection open after [DONE]')
  } else {
    const { stream, log } = countingSource()
    let sentDone = false
    const body = stream.pipeThrough(
      new TransformStream<Uint8Array, Uint8Array>({
        transform(chunk, controller) {
          controller.enqueue(chunk)
          if (!sentDone && log.pulls === 3) {
            sentDone = true
            controller.enqueue(bytes('data: [DONE]\n\n'))
          }
        },
      }),
    )
    const out = await collect(new Response(body).body!.pipeThrough(new ChatChunkStream()))
    assert.is(out.length, 3)
    for (let wait = 0; wait < 100 && !log.cancelled; wait++) await new Promise((resolve) => setTimeout(resolve, 5))
    assert.ok(log.cancelled, 'the worker-local body was not cancelled at [DONE]')
  }
})

test('Aborting the fetch cancels the whole chain and closes the connection, the reason reaching the reader', async () => {
  if (!fixtureURL) {
    // workerd: no route to loopback; an aborted body is an errored source, checked above through cancel().
    const { stream, log } = countingSource()
    const reader = stream.pipeThrough(new ChatChunkStream()).getReader()
    await reader.read()
    const reason = new Error('user pressed stop')
    await reader.cancel(reason)
    for (let wait = 0; wait < 100 && !log.cancelled; wait++) await new Promise((resolve) => setTimeout(resolve, 2))
    assert.is(log.cancelReason, reason)
    return
  }
  const id = `${Date.now()}-${Math.random()}`
  const controller = new AbortController()
  const response = await fetch(`${fixtureURL}/chat/open?id=${id}`, { signal: controller.signal })
  const reader = response.body!.pipeThrough(new ChatChunkStream()).pipeThrough(new DeltaAccumulatorStream()).getReader()
  const first = await reader.read()
  assert.is(first.value?.choices[0]?.message.content, 'Hello')
  const reason = new Error('user pressed stop')
  controller.abort(reason)
  const error = await rejection(
    (async () => {
      for (;;) if ((await reader.read()).done) return
    })(),
  )
  // The fetch standard errors the body with the signal's reason. WebKit (2.50) errors it with
  // its own AbortError instead, which sluice's outcome also reads as a cancellation.
  if (currentEngine() === 'webkit') {
    assert.instance(error, DOMException)
    assert.is((error as DOMException).name, 'AbortError')
  } else {
    assert.is(error, reason)
  }
  let closed = false
  for (let poll = 0; poll < 200 && !closed; poll++) {
    await new Promise((resolve) => setTimeout(resolve, 10))
    closed = (await (await fetch(`${fixtureURL}/closed?id=${id}`)).text()) === 'true'
  }
  assert.ok(closed, 'the server still has the connection open after the abort')
})

test.run()
