import { test } from 'uvu'
import * as assert from 'uvu/assert'
import fc from 'fast-check'
import { collect, fromChunks, rejection } from '@sluice/test-support'
import { AsyncStageError, compose } from '../src/index.ts'
import {
  bookends,
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

/** Output, or the error's class and message, of a run. */
async function outcome(run: Promise<string[]>) {
  try {
    return { output: await run }
  } catch (error) {
    return { error: `${(error as Error).name}: ${(error as Error).message}` }
  }
}

/** The stages chained with pipeThrough, one TransformStream each. */
const chained = (stages: Stage[], input: string[]) =>
  collect(stages.reduce((stream, stage) => stream.pipeThrough(new TransformStream(stage)), fromChunks(input)))

/** The stages composed into one TransformStream. */
const composed = (stages: Stage[], input: string[]) =>
  collect(fromChunks(input).pipeThrough(new TransformStream((compose as (...s: Stage[]) => Stage)(...stages))))

test('compose runs stages in order in one TransformStream', async () => {
  assert.equal(await composed([splitter(), upper(), pairs()], ['ab', 'c']), ['AB', 'C|end'])
})

test('compose runs start and flush of each stage in order; a flush may enqueue into the next stage', async () => {
  assert.equal(await composed([bookends(), pairs()], ['x']), ['<x', '>|end'])
  assert.equal(await composed([pairs(), bookends()], ['a', 'b', 'c']), ['<', 'ab', 'c|end', '>'])
})

test('compose ends the output when a stage terminates: later stages flush, earlier output is dropped', async () => {
  // "a!b" is split into a, !, b: the terminator stops at "!" and the splitter's "b" is dropped.
  assert.equal(await composed([splitter(), stopAtBang(), pairs()], ['a!b', 'never']), ['a|end'])
})

test('compose cancels the source when a stage terminates', async () => {
  let cancelled = false
  let pulls = 0
  const source = new ReadableStream<string>({
    pull(controller) {
      controller.enqueue(pulls++ === 0 ? 'a' : '!')
    },
    cancel() {
      cancelled = true
    },
  })
  assert.equal(await collect(source.pipeThrough(new TransformStream(compose(stopAtBang())))), ['a'])
  for (let wait = 0; wait < 100 && !cancelled; wait++) await new Promise((resolve) => setTimeout(resolve, 5))
  assert.ok(cancelled, 'the source was not cancelled')
})

test('compose: after a stage terminated, what the stopped stages before it throw cannot fail the output', async () => {
  // The line splitter's case: it runs on over the rest of a read after [DONE] and meets a line too long.
  const splitThenThrow: Stage = {
    transform(chunk, controller) {
      for (const character of chunk) {
        if (character === '#') throw new RangeError('a line too long after the end')
        controller.enqueue(character)
      }
    },
  }
  assert.equal(await outcome(composed([splitThenThrow, stopAtBang()], ['ab!c#d'])), { output: ['a', 'b'] })
})

test('compose: an error a later stage throws while flushing at a terminate reaches the output through the terminating stage', async () => {
  // The stage after the terminating one flushes, and throws: the output fails with its error.
  const flushThrows: Stage = {
    transform: (chunk, controller) => controller.enqueue(chunk),
    flush() {
      throw new TypeError('cut off at the end')
    },
  }
  assert.equal(await outcome(composed([stopAtBang(), flushThrows], ['a', '!'])), {
    error: 'TypeError: cut off at the end',
  })
})

test('compose errors with the original error a stage throws', async () => {
  const error = await rejection(composed([splitter(), throwAtHash(), upper()], ['ab#']))
  assert.instance(error, RangeError)
  assert.is((error as Error).message, 'hash in "#"')
})

test('compose emits each item in the same transform call as its input: no added latency', async () => {
  const stream = new TransformStream(compose(splitter(), upper()))
  const writer = stream.writable.getWriter()
  const reader = stream.readable.getReader()
  void writer.write('ab')
  assert.equal(await reader.read(), { done: false, value: 'A' })
  assert.equal(await reader.read(), { done: false, value: 'B' })
  void writer.write('c')
  assert.equal(await reader.read(), { done: false, value: 'C' })
  void writer.close()
})

test('compose fails clearly on a stage that returns a promise', async () => {
  const asynchronous: Stage = { transform: async (chunk, controller) => controller.enqueue(chunk) }
  const error = await rejection(composed([upper(), asynchronous], ['a']))
  assert.instance(error, AsyncStageError)
  assert.is((error as AsyncStageError).code, 'SLUICE_ASYNC_STAGE')
  assert.is((error as AsyncStageError).stage, 1)
  assert.match((error as Error).message, /stage 1's transform\(\) returned a promise/)
})

test('compose starts the last stage first: what each start enqueues comes out as in the chain', async () => {
  const stages = () => [bookends(), bookends(), pairs(), bookends()]
  assert.equal(await composed(stages(), []), await chained(stages(), []))
  assert.equal(await composed(stages(), []), ['<', '<<', '>>', '>'])
})

/** A stage that records the reason its cancel was called with. */
const cancellable = (log: unknown[], name: string): Stage =>
  ({
    transform: (chunk: string, controller: TransformStreamDefaultController<string>) => controller.enqueue(chunk),
    cancel: (reason: unknown) => void log.push([name, reason]),
  }) as Stage

test("compose: cancel reaches every stage's cancel; a failing stage cancels the others (as a chain's errors do)", async () => {
  const log: unknown[] = []
  const composition = compose(cancellable(log, 'a'), cancellable(log, 'b'))
  composition.cancel('stop')
  assert.equal(log, [
    ['a', 'stop'],
    ['b', 'stop'],
  ])

  const thrown: unknown[] = []
  const error = await rejection(
    composed([cancellable(thrown, 'a'), throwAtHash(), cancellable(thrown, 'c')], ['x', '#']),
  )
  assert.equal(thrown, [
    ['a', error],
    ['c', error],
  ])

  const errored: unknown[] = []
  const reported = await rejection(
    composed([cancellable(errored, 'a'), errorAtTilde(), cancellable(errored, 'c')], ['~']),
  )
  assert.equal(errored, [
    ['a', reported],
    ['c', reported],
  ])
})

test('compose rejects no stages and non-objects', () => {
  assert.throws(() => (compose as () => unknown)(), /at least one transformer/)
  assert.throws(() => compose(null as unknown as Stage), /stage 0 is not a transformer/)
})

test('compose: for any stages and any input, the output (or error) equals the stages piped separately', async () => {
  await fc.assert(
    fc.asyncProperty(pipelines, inputs, async (factories, input) => {
      const expected = await outcome(
        chained(
          factories.map((make) => make()),
          input,
        ),
      )
      const actual = await outcome(
        composed(
          factories.map((make) => make()),
          input,
        ),
      )
      // When two kinds of ending stage race in the chain, only a crash or a disagreement
      // on plain output counts: which ending wins depends on the streams implementation.
      if (!endsRacing(factories) || ('output' in expected && 'output' in actual)) assert.equal(actual, expected)
      else if ('error' in actual) assert.match(actual.error, stageError)
    }),
    { numRuns: 400 }, // up to four stages of nine kinds: more runs reach the rare orders
  )
})

test.run()
