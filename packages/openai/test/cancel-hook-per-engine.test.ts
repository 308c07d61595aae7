// A native TransformStream calls its transformer's `cancel` hook (newer Streams spec) in
// some engines only. This file checks, in the engine it runs in, that the engine does what
// docs/runtimes.md and docs/outcomes.md say it does, and what a user then loses: a plain
// transformer in a native TransformStream never learns of a cancellation where the hook is
// not called (its `outcome` stays pending), while sluice's own streams settle everywhere.
// When an engine changes, the first test fails: update packages/test-support/src/engines.ts and the docs.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { bytes, currentEngine, ENGINES, settledSoon, sse, textChunks } from '@sluice/test-support'
import { OrderedTransformStream } from '@sluice/compose'
import { ChatChunkParser, ChatChunkStream } from '@sluice/openai'

const here = currentEngine()
/** Whether a native TransformStream calls `transformer.cancel` here, as docs/runtimes.md states it. */
const hookCalled = ENGINES[here].has.cancelHook

/**
 * A stream of two content chunks that stays open: the reader cancels it mid-answer.
 * `cancelledWith()` resolves with the reason once the pipe has cancelled it (a pipe does so a
 * few jobs after the reader's cancel), or with 'not cancelled' after a second.
 */
function openStream() {
  const text = sse(textChunks(['a', 'b']).slice(0, 2))
  let onCancel!: (reason: unknown) => void
  const cancelled = new Promise<unknown>((resolve) => {
    onCancel = resolve
  })
  const source = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(bytes(text))
    },
    cancel: (reason) => onCancel(reason),
  })
  const cancelledWith = async () => {
    let timer: ReturnType<typeof setTimeout> | undefined
    const late = new Promise((resolve) => {
      timer = setTimeout(resolve, 1000, 'not cancelled')
    })
    try {
      return await Promise.race([cancelled, late])
    } finally {
      clearTimeout(timer)
    }
  }
  return { source, cancelledWith }
}

test(`${here}: a native TransformStream ${hookCalled ? 'calls' : 'does not call'} its transformer's cancel hook`, async () => {
  const calls: unknown[] = []
  const stream = new TransformStream<string, string>({
    transform: (chunk, controller) => controller.enqueue(chunk),
    cancel: (reason: unknown) => {
      calls.push(reason)
    },
  } as Transformer<string, string>)
  const reader = stream.readable.getReader()
  await reader.cancel('user left')
  await new Promise((resolve) => setTimeout(resolve, 0))
  assert.equal(calls, hookCalled ? ['user left'] : [], `cancel hook calls in ${here}`)

  const aborted: unknown[] = []
  const other = new TransformStream<string, string>({
    cancel: (reason: unknown) => {
      aborted.push(reason)
    },
  } as Transformer<string, string>)
  await other.writable.abort('upstream failed')
  await new Promise((resolve) => setTimeout(resolve, 0))
  assert.equal(aborted, hookCalled ? ['upstream failed'] : [], `cancel hook calls on an abort in ${here}`)
})

test(`${here}: a plain ChatChunkParser in a native TransformStream ${hookCalled ? 'learns' : 'never learns'} of a cancellation`, async () => {
  const { source, cancelledWith } = openStream()
  const parser = new ChatChunkParser()
  const reader = source.pipeThrough(new TransformStream(parser as Transformer<Uint8Array, unknown>)).getReader()
  await reader.read()
  await reader.cancel('user left')
  assert.is(await cancelledWith(), 'user left', 'the body is cancelled in every engine')
  if (hookCalled) {
    const outcome = await parser.outcome
    assert.is(outcome.status, 'cancelled')
    assert.is(outcome.error, 'user left')
  } else {
    // What the user loses: the outcome does not settle (it would at [DONE], at the end of
    // the input or at an error of its own stage), so code awaiting it waits for ever.
    assert.is(await settledSoon(parser.outcome), false, 'the outcome stays pending')
  }
})

test(`${here}: in an OrderedTransformStream (and every sluice …Stream) the outcome settles on a cancellation`, async () => {
  for (const make of [
    () => {
      const parser = new ChatChunkParser()
      return { stream: new OrderedTransformStream(parser), outcome: () => parser.outcome }
    },
    () => {
      const stream = new ChatChunkStream()
      return { stream, outcome: () => stream.outcome }
    },
  ]) {
    const { source, cancelledWith } = openStream()
    const { stream, outcome } = make()
    const reader = source.pipeThrough(stream).getReader()
    await reader.read()
    await reader.cancel('user left')
    assert.is(await cancelledWith(), 'user left')
    const settled = await outcome()
    assert.is(settled.status, 'cancelled')
    assert.is(settled.error, 'user left')
  }
})

test(`${here}: an upstream failure reaches a sluice stream's outcome, whatever the engine`, async () => {
  const failure = new TypeError('network connection lost')
  let pulled = false
  const source = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (pulled) return controller.error(failure)
      pulled = true
      controller.enqueue(bytes(sse(textChunks(['a']).slice(0, 1))))
    },
  })
  const stream = new ChatChunkStream()
  const reader = source.pipeThrough(stream).getReader()
  await reader.read()
  await reader.read().catch(() => {})
  const outcome = await stream.outcome
  assert.is(outcome.status, 'error')
  assert.is(outcome.error, failure)
})

test.run()
