import { test } from 'uvu'
import * as assert from 'uvu/assert'
import fc from 'fast-check'
import { collect, fromChunks, rejection } from '@sluice/test-support'
import { AsyncStageError, compose, iterate, type ReadableSource } from '../src/index.ts'
import {
  errorAtTilde,
  inputs,
  pairs,
  pipelines,
  splitter,
  stopAtBang,
  throwAtHash,
  upper,
  type Stage,
  endsRacing,
  stageError,
} from './stages.ts'

async function drain<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = []
  for await (const item of iterable) out.push(item)
  return out
}

async function outcome(run: Promise<string[]>) {
  try {
    return { output: await run }
  } catch (error) {
    return { error: `${(error as Error).name}: ${(error as Error).message}` }
  }
}

const composeAll = compose as (...stages: Stage[]) => Stage

/** A source that records how it ended. */
function tracked(chunks: string[]) {
  const log = { pulls: 0, cancelled: false as boolean, reason: undefined as unknown }
  const stream = new ReadableStream<string>(
    {
      pull(controller) {
        if (log.pulls < chunks.length) controller.enqueue(chunks[log.pulls++]!)
        else controller.close()
      },
      cancel(reason) {
        log.cancelled = true
        log.reason = reason
      },
    },
    { highWaterMark: 0 },
  ) // no read-ahead: pulls count exactly what was read
  return { stream, log }
}

test('iterate yields what the transformer enqueues, flush included', async () => {
  assert.equal(await drain(iterate(fromChunks(['ab', 'c']), compose(splitter(), upper(), pairs()))), ['AB', 'C|end'])
})

test('iterate cancels the source when the loop is left early', async () => {
  const { stream, log } = tracked(['a', 'b', 'c', 'd'])
  for await (const item of iterate(stream, upper())) {
    if (item === 'B') break
  }
  assert.ok(log.cancelled)
  assert.is(log.pulls, 2)
})

test('iterate reads any source whose getReader() gives a reader, and cancels and releases it on an early exit', async () => {
  const parts = ['a', 'b', 'c']
  const log = { getReader: 0, cancelled: [] as unknown[], released: 0 }
  const reader = {
    read: async () =>
      parts.length > 0 ? { done: false as const, value: parts.shift()! } : { done: true as const, value: undefined },
    cancel: async (reason?: unknown) => {
      log.cancelled.push(reason)
    },
    releaseLock: () => {
      log.released++
    },
  }
  const source: ReadableSource<string> = {
    getReader: () => {
      log.getReader++
      return reader
    },
  }
  const seen: string[] = []
  for await (const item of iterate(source, upper())) {
    seen.push(item)
    if (item === 'B') break
  }
  assert.equal(seen, ['A', 'B'])
  assert.equal(log, { getReader: 1, cancelled: [undefined], released: 1 })
  assert.equal(parts, ['c'])
})

test('iterate ends and cancels the source when the transformer terminates', async () => {
  const { stream, log } = tracked(['a', 'b!', 'c'])
  assert.equal(await drain(iterate(stream, stopAtBang())), ['a'])
  assert.ok(log.cancelled)
})

test('iterate rejects next() with the transformer error and cancels the source with it', async () => {
  const { stream, log } = tracked(['a', '#', 'c'])
  const error = await rejection(drain(iterate(stream, throwAtHash())))
  assert.instance(error, RangeError)
  assert.ok(log.cancelled)
  assert.is(log.reason, error)
  const tilde = await rejection(drain(iterate(fromChunks(['a~']), errorAtTilde())))
  assert.instance(tilde, TypeError)
})

test('iterate rejects next() with the error of the source', async () => {
  let sent = false
  const failing = new ReadableStream<string>({
    pull(controller) {
      if (sent) controller.error(new SyntaxError('source broke'))
      else controller.enqueue('a')
      sent = true
    },
  })
  const error = await rejection(drain(iterate(failing, upper())))
  assert.instance(error, SyntaxError)
})

test("iterate calls the transformer's cancel when the loop is left early or the source fails, not when it ends or the transformer throws", async () => {
  const log: unknown[] = []
  const recording = (): Stage =>
    ({
      transform: (chunk, controller) => controller.enqueue(chunk),
      cancel: (reason: unknown) => void log.push(reason),
    }) as Stage
  for await (const _ of iterate(fromChunks(['a', 'b']), recording())) break
  assert.equal(log, [undefined])
  await drain(iterate(fromChunks(['a']), recording()))
  assert.equal(log, [undefined])
  const broken = new ReadableStream<string>({ pull: (controller) => controller.error(new SyntaxError('source broke')) })
  const error = await rejection(drain(iterate(broken, recording())))
  assert.equal(log, [undefined, error])
  const throwing = {
    transform: () => {
      throw new RangeError('no')
    },
    cancel: (reason: unknown) => void log.push(reason),
  } as Stage
  await rejection(drain(iterate(fromChunks(['#']), throwing)))
  assert.is(log.length, 2)
})

test('iterate fails clearly on a transformer that returns a promise', async () => {
  const error = await rejection(drain(iterate(fromChunks(['a']), { transform: async () => {} })))
  assert.instance(error, AsyncStageError)
})

test('iterate: for any stages and any input, the output (or error) equals the stages piped separately', async () => {
  await fc.assert(
    fc.asyncProperty(pipelines, inputs, async (factories, input) => {
      const chained = factories.reduce(
        (stream, make) => stream.pipeThrough(new TransformStream(make())),
        fromChunks(input),
      )
      const expected = await outcome(collect(chained))
      const actual = await outcome(drain(iterate(fromChunks(input), composeAll(...factories.map((make) => make())))))
      // When two kinds of ending stage race in the chain, only a crash or a disagreement
      // on plain output counts: which ending wins depends on the streams implementation.
      if (!endsRacing(factories) || ('output' in expected && 'output' in actual)) assert.equal(actual, expected)
      else if ('error' in actual) assert.match(actual.error, stageError)
    }),
    { numRuns: 400 }, // up to four stages of nine kinds: more runs reach the rare orders
  )
})

test.run()
