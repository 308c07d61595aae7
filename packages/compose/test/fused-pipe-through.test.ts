/**
 * `a.readable.pipeThrough(b)` where both are OrderedTransformStreams runs b's transform
 * inside a's enqueue (no pipe between them). These tests hold it to what a pipe does, as
 * compose.test.ts holds compose() to a chain: same output and errors, backpressure,
 * cancellation both ways, stream order, `locked`, and the fallback to a pipe.
 */
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import fc from 'fast-check'
import { collect, fromChunks, readToEnd, settledSoon } from '@sluice/test-support'
import { OrderedTransformStream } from '../src/index.ts'
import { endsRacing, factories, inputs, type Stage, stageError, stopAtBang, throwAtHash } from './stages.ts'

/** Upper-cases one microtask later: an async transform (the next stage must wait for it). */
const later = (): Stage => ({
  async transform(chunk, controller) {
    await Promise.resolve()
    controller.enqueue(chunk.toUpperCase())
  },
})

/** Starts one microtask later and enqueues a marker then: writes must wait for it. */
const slowStart = (): Stage => ({
  async start(controller) {
    await Promise.resolve()
    controller.enqueue('^')
  },
  transform: (chunk, controller) => controller.enqueue(chunk),
})

const kinds = [...Object.values(factories), later, slowStart]
const pipelines = fc.array(fc.constantFrom(...kinds), { minLength: 2, maxLength: 4 })

/** The output, or the error's class and message. */
async function outcome(run: Promise<string[]>) {
  try {
    return { output: await run }
  } catch (error) {
    return { error: `${(error as Error).name}: ${(error as Error).message}` }
  }
}

const stream = (stage: Stage) => new OrderedTransformStream<string, string>(stage)

/** Piped with the readable side's own `pipeThrough` (fused where it can be). */
const fused = (stages: Stage[], input: string[]) =>
  collect(stages.reduce((readable, stage) => readable.pipeThrough(stream(stage)), fromChunks(input)))

/** Piped with the engine's `pipeThrough`: the reference. */
const piped = (stages: Stage[], input: string[]) =>
  collect(
    stages.reduce(
      (readable, stage) => ReadableStream.prototype.pipeThrough.call(readable, stream(stage)) as ReadableStream<string>,
      fromChunks(input),
    ),
  )

/** A stage that records whether `busy` was set while its transform ran. */
function watcher(seen: boolean[], busy: () => boolean): Stage {
  return {
    transform(chunk, controller) {
      seen.push(busy())
      controller.enqueue(chunk)
    },
  }
}

/** A first stage that says when it is inside its transform. */
function marked(): { stage: Stage; busy: () => boolean } {
  let inside = false
  return {
    busy: () => inside,
    stage: {
      transform(chunk, controller) {
        inside = true
        try {
          controller.enqueue(chunk)
        } finally {
          inside = false
        }
      },
    },
  }
}

test('fused pipeThrough: for any stages and any input, the output (or error) equals the engine pipe', async () => {
  await fc.assert(
    fc.asyncProperty(pipelines, inputs, async (makers, input) => {
      const expected = await outcome(
        piped(
          makers.map((make) => make()),
          input,
        ),
      )
      const actual = await outcome(
        fused(
          makers.map((make) => make()),
          input,
        ),
      )
      // As in compose.test.ts: with two kinds of ending stage, which ending wins a chain of
      // streams is a race between promise jobs.
      if (!endsRacing(makers) || ('output' in expected && 'output' in actual)) assert.equal(actual, expected)
      else if ('error' in actual) assert.match(actual.error, stageError)
    }),
    { numRuns: 300 },
  )
})

test("fused pipeThrough runs the next stage inside the first stage's enqueue: an item leaves in the call its input arrived in", async () => {
  const first = marked()
  const seen: boolean[] = []
  const out = await collect(
    fromChunks(['a', 'b'])
      .pipeThrough(stream(first.stage))
      .pipeThrough(stream(watcher(seen, first.busy)))
      .pipeThrough(stream(watcher(seen, first.busy))),
  )
  assert.equal(out, ['a', 'b'])
  assert.equal(seen, [true, true, true, true], 'both later stages ran inside the first one')
})

test('pipeThrough with options, or into a plain TransformStream, is the engine pipe', async () => {
  for (const options of [{ preventCancel: true }, { signal: new AbortController().signal }, { preventClose: true }]) {
    const first = marked()
    const seen: boolean[] = []
    const readable = fromChunks(['a'])
      .pipeThrough(stream(first.stage))
      .pipeThrough(stream(watcher(seen, first.busy)), options)
    const reader = readable.getReader()
    assert.equal(await reader.read(), { done: false, value: 'a' })
    assert.equal(seen, [false], `not fused with ${Object.keys(options)[0]}`)
    await reader.cancel()
  }
  const first = marked()
  const seen: boolean[] = []
  await collect(
    fromChunks(['a'])
      .pipeThrough(stream(first.stage))
      .pipeThrough(new TransformStream(watcher(seen, first.busy))),
  )
  assert.equal(seen, [false])
})

test('fused pipeThrough locks both sides, and releases them when the pipe ends, as the engine pipe does', async () => {
  const first = stream({})
  const second = stream({})
  const out = first.readable.pipeThrough(second)
  assert.is(first.readable.locked, true)
  assert.is(second.writable.locked, true)
  assert.throws(() => first.readable.getReader(), TypeError)
  assert.throws(() => second.writable.getWriter(), TypeError)
  const writer = first.writable.getWriter()
  const reading = collect(out)
  await writer.write('a')
  await writer.close()
  assert.equal(await reading, ['a'])
  for (let wait = 0; wait < 50 && (first.readable.locked || second.writable.locked); wait++)
    await settledSoon(Promise.resolve())
  assert.is(first.readable.locked, false)
  assert.is(second.writable.locked, false)
})

test('fused pipeThrough of a locked side throws as the engine pipe does', () => {
  const first = stream({})
  const second = stream({})
  const writer = second.writable.getWriter()
  assert.throws(() => first.readable.pipeThrough(second), TypeError)
  writer.releaseLock()
  const reader = first.readable.getReader()
  assert.throws(() => first.readable.pipeThrough(stream({})), TypeError)
  reader.releaseLock()
})

/** Writes six items to a chain of three stages: whether the first write waited for a read, how many the first stage transformed before one, what came out. */
async function backpressure(pipe: (readable: ReadableStream<string>) => ReadableStream<string>) {
  let transformed = 0
  const first = stream({
    transform(chunk, controller) {
      transformed++
      controller.enqueue(chunk)
    },
  })
  const last = pipe(pipe(first.readable))
  const writer = first.writable.getWriter()
  const writes = ['a', 'b', 'c', 'd', 'e', 'f'].map((chunk) => writer.write(chunk))
  const firstWriteWaits = !(await settledSoon(writes[0]!))
  const before = transformed
  const reading = collect(last)
  await Promise.all(writes)
  const closing = writer.close()
  const items = await reading
  await closing
  return { before, firstWriteWaits, items }
}

test("fused pipeThrough keeps backpressure: writes wait for the last stage's consumer, and no more is transformed than through a pipe", async () => {
  const engine = await backpressure(
    (readable) => ReadableStream.prototype.pipeThrough.call(readable, stream({})) as ReadableStream<string>,
  )
  const fusedResult = await backpressure((readable) => readable.pipeThrough(stream({})))
  assert.is(fusedResult.firstWriteWaits, true, 'the first write waits for a read')
  assert.ok(fusedResult.before >= 1, 'the first item was transformed')
  assert.ok(
    fusedResult.before <= engine.before,
    `fused transformed ${fusedResult.before} before a read, the engine pipe ${engine.before}`,
  )
  assert.equal(fusedResult.items, ['a', 'b', 'c', 'd', 'e', 'f'])
  assert.equal(engine.items, fusedResult.items)
})

test("fused pipeThrough: a cancel of the last stage's output reaches every stage's cancel hook and the source, with the reason", async () => {
  const heard: unknown[] = []
  const hearing = (name: string): Stage =>
    ({
      transform: (chunk: string, controller: TransformStreamDefaultController<string>) => controller.enqueue(chunk),
      cancel: (reason: unknown) => void heard.push([name, reason]),
    }) as Stage
  let sourceCancelled: unknown
  const source = new ReadableStream<string>({
    pull: (controller) => controller.enqueue('x'),
    cancel: (reason) => {
      sourceCancelled = reason
    },
  })
  const reader = source
    .pipeThrough(stream(hearing('a')))
    .pipeThrough(stream(hearing('b')))
    .getReader()
  assert.equal(await reader.read(), { done: false, value: 'x' })
  const reason = new Error('user left')
  await reader.cancel(reason)
  for (let wait = 0; wait < 100 && sourceCancelled === undefined; wait++) await new Promise((r) => setTimeout(r, 1))
  assert.is(sourceCancelled, reason)
  assert.equal(heard, [
    ['b', reason],
    ['a', reason],
  ])
})

test('fused pipeThrough: a failure of the first stage reaches the next after the items before it, and its cancel hook', async () => {
  let heard: unknown
  const second = {
    transform: (chunk: string, controller: TransformStreamDefaultController<string>) => controller.enqueue(chunk),
    cancel: (reason: unknown) => {
      heard = reason
    },
  } as Stage
  const splitThenThrow: Stage = {
    transform(chunk, controller) {
      for (const character of chunk.replace('#', '')) controller.enqueue(character)
      if (chunk.includes('#')) throw new RangeError('hash')
    },
  }
  const { items, error } = await readToEnd(
    fromChunks(['ab', 'c#', 'd']).pipeThrough(stream(splitThenThrow)).pipeThrough(stream(second)),
  )
  assert.equal(items, ['a', 'b', 'c'])
  assert.instance(error, RangeError)
  assert.is(heard, error)
})

test('fused pipeThrough: a failure of the next stage cancels the first and the source with its reason, after its items', async () => {
  let heard: unknown
  let sourceCancelled: unknown
  let pulls = 0
  const source = new ReadableStream<string>({
    pull: (controller) => controller.enqueue(['a', 'b#', 'c'][pulls++] ?? 'more'),
    cancel: (reason) => {
      sourceCancelled = reason
    },
  })
  const first = {
    transform: (chunk: string, controller: TransformStreamDefaultController<string>) => controller.enqueue(chunk),
    cancel: (reason: unknown) => {
      heard = reason
    },
  } as Stage
  const { items, error } = await readToEnd(source.pipeThrough(stream(first)).pipeThrough(stream(throwAtHash())))
  assert.equal(items, ['a'])
  assert.instance(error, RangeError)
  for (let wait = 0; wait < 100 && sourceCancelled === undefined; wait++) await new Promise((r) => setTimeout(r, 1))
  assert.is(heard, error)
  assert.is(sourceCancelled, error)
})

test('fused pipeThrough: a terminate() in the next stage closes the output and cancels an endless source', async () => {
  let cancelled = false
  let pulls = 0
  const source = new ReadableStream<string>({
    pull: (controller) => controller.enqueue(['a', 'b!', 'c'][pulls++] ?? 'more'),
    cancel: () => {
      cancelled = true
    },
  })
  const out = await collect(source.pipeThrough(stream({})).pipeThrough(stream(stopAtBang())))
  assert.equal(out, ['a'])
  for (let wait = 0; wait < 100 && !cancelled; wait++) await new Promise((r) => setTimeout(r, 2))
  assert.ok(cancelled, 'the endless source was cancelled')
})

test('pipeThrough after the first stage has queued items is the engine pipe, and loses none of them', async () => {
  const first = stream({ start: (controller) => controller.enqueue('from start') })
  const writer = first.writable.getWriter()
  void writer.write('a')
  await settledSoon(Promise.resolve())
  const reading = collect(first.readable.pipeThrough(stream({})))
  await writer.write('b')
  await writer.close()
  assert.equal(await reading, ['from start', 'a', 'b'])
})

test.run()
