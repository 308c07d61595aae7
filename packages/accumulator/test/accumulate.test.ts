import { test } from 'uvu'
import * as assert from 'uvu/assert'
import fc from 'fast-check'
import { ProviderError, type ChatCompletionChunk } from '@sluice/openai'
import { fromChunks, rejection } from '@sluice/test-support'
import {
  AccumulationError,
  DeltaAccumulator,
  EmptyStreamError,
  ToolCallFragmentError,
  accumulate,
  type ChatCompletion,
} from '../src/index.ts'
import { completionPlan, offsets, order, toChunks } from './arbitraries.ts'
import { chunk, copy, toolDelta } from './fixtures.ts'

const chunks = [chunk({ role: 'assistant', content: 'Hel' }), chunk({ content: 'lo' }), chunk({}, { finish: 'stop' })]
const contentOf = (completion: ChatCompletion) => completion.choices[0]!.message.content

test('accumulate reads an array, a generator, an async generator and a ReadableStream', async () => {
  function* sync() {
    yield* chunks
  }
  async function* asynchronous() {
    yield* chunks
  }
  for (const source of [chunks, sync(), asynchronous(), fromChunks(chunks)]) {
    assert.is(contentOf(await accumulate(source)), 'Hello')
  }
})

test('accumulate rejects with the original error, with the last snapshot as error.partial', async () => {
  const failure = new ProviderError({ message: 'overloaded' }, '{}', { eventIndex: 2 })
  async function* failing() {
    yield* chunks.slice(0, 2)
    throw failure
  }
  const error = await rejection(accumulate(failing()))
  assert.is(error, failure)
  assert.is(contentOf((error as { partial: ChatCompletion }).partial), 'Hello')
  // The same through a stream that errors.
  let sent = 0
  const stream = new ReadableStream<ChatCompletionChunk>({
    pull(controller) {
      if (sent < 2) controller.enqueue(chunks[sent++]!)
      else controller.error(failure)
    },
  })
  const streamed = (await rejection(accumulate(stream))) as { partial: ChatCompletion }
  assert.is(streamed, failure)
  assert.is(contentOf(streamed.partial), 'Hello')
})

test('accumulate wraps a failure that cannot carry partial in AccumulationError', async () => {
  async function* failing() {
    yield chunks[0]!
    throw 'a string' // eslint-disable-line no-throw-literal
  }
  const error = await rejection(accumulate(failing()))
  assert.instance(error, AccumulationError)
  assert.is((error as AccumulationError).cause, 'a string')
  assert.is(contentOf((error as AccumulationError).partial as ChatCompletion), 'Hel')
})

test('accumulate cancels a stream source when a chunk cannot be accumulated', async () => {
  let reason: unknown
  let sent = false
  const stream = new ReadableStream<ChatCompletionChunk>({
    pull(controller) {
      if (!sent) controller.enqueue(chunk(toolDelta({ function: { arguments: '{}' } })))
      sent = true
    },
    cancel(why) {
      reason = why
    },
  })
  const error = await rejection(accumulate(stream))
  assert.instance(error, ToolCallFragmentError)
  assert.is(reason, error)
  assert.is((error as { partial: unknown }).partial, null)
})

test('accumulate rejects with EmptyStreamError when no chunk arrives', async () => {
  const error = await rejection(accumulate([]))
  assert.instance(error, EmptyStreamError)
  assert.is((error as EmptyStreamError).code, 'SLUICE_EMPTY_STREAM')
})

// ---------------------------------------------------------------- properties

test('DeltaAccumulator: the final content of each choice is the concatenation of its content deltas', () => {
  fc.assert(
    fc.property(completionPlan, offsets, order, (plan, cuts, picks) => {
      const sent = toChunks(plan, cuts, picks)
      const accumulator = new DeltaAccumulator()
      for (const item of sent) accumulator.add(item)
      const completion = accumulator.snapshot!
      plan.choices.forEach((_, index) => {
        const deltas = sent.flatMap((c) =>
          c.choices.filter((choice) => choice.index === index).map((choice) => choice.delta.content ?? ''),
        )
        assert.is(completion.choices[index]!.message.content ?? '', deltas.join(''))
      })
    }),
  )
})

test('DeltaAccumulator: the same completion chunked differently accumulates to the same completion', () => {
  fc.assert(
    fc.property(completionPlan, offsets, order, offsets, order, (plan, cutsA, orderA, cutsB, orderB) => {
      const final = (sent: ChatCompletionChunk[]) => {
        const accumulator = new DeltaAccumulator()
        for (const item of sent) accumulator.add(item)
        return copy(accumulator.snapshot)
      }
      assert.equal(final(toChunks(plan, cutsA, orderA)), final(toChunks(plan, cutsB, orderB)))
    }),
  )
})

test('DeltaAccumulator: every snapshot is unchanged after later chunks arrive', () => {
  fc.assert(
    fc.property(completionPlan, offsets, order, (plan, cuts, picks) => {
      const accumulator = new DeltaAccumulator()
      const snapshots: ChatCompletion[] = []
      const then: unknown[] = [] // each snapshot as it was when it was made
      for (const item of toChunks(plan, cuts, picks)) {
        const snapshot = accumulator.add(item)
        snapshots.push(snapshot)
        then.push(copy(snapshot))
      }
      for (const [index, snapshot] of snapshots.entries()) assert.equal(copy(snapshot), then[index])
      for (const snapshot of snapshots) assert.ok(Object.isFrozen(snapshot) && Object.isFrozen(snapshot.choices))
    }),
  )
})

test.run()
