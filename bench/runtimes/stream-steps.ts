/**
 * What the chain's rows are made of, per runtime: the cost of one step of each kind of
 * stream machinery they use, on a stream of numbers, with no parsing at all. `--runtime`
 * reports it under the chain's table, so that a runtime's ratios come with their cause:
 * a `TransformStream` stage costs each item that crosses it a write, an enqueue and a read,
 * and what one costs depends on whether the engine implements streams in JavaScript (Node,
 * Deno, Bun, WebKit) or in C++ behind its bindings (Chromium, Firefox, workerd).
 *
 * - `reader.read()`: a `new ReadableStream({ pull })` that enqueues one number per pull,
 *   read to the end with a reader: what every row pays per read of the body.
 * - `+ TransformStream`: the same through one `new TransformStream` whose transformer
 *   enqueues each number: a stage of the kind eventsource-parser's stream, the AI SDK and
 *   sluice's piped stages add (the difference to the row above is the stage).
 * - `+ sluice OrderedTransformStream`: the same through the stream class every sluice
 *   stream extends (`@sluice/compose`), which keeps its own queue.
 * - `async generator step`: `for await` over an async generator that yields the numbers, no
 *   stream: what `iterate()` pays per item it yields, and the openai SDK per chunk.
 */
import { OrderedTransformStream } from '@sluice/compose'
import type { BenchGroup } from '../harness-core.ts'

/** Items per run. */
const COUNT = 20_000

export const READ = 'reader.read()'

function numbers(count: number): ReadableStream<number> {
  let next = 0
  return new ReadableStream<number>({
    pull(controller) {
      if (next < count) controller.enqueue(next++)
      else controller.close()
    },
  })
}

async function sum(stream: ReadableStream<number>): Promise<number> {
  const reader = stream.getReader()
  let total = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) return total
    total += value
  }
}

const forward = {
  transform(value: number, controller: TransformStreamDefaultController<number>) {
    controller.enqueue(value)
  },
}

async function* generate(count: number): AsyncGenerator<number> {
  for (let value = 0; value < count; value++) yield value
}

/** The group: time per item of each kind of step. */
export function streamStepsGroup(count = COUNT): BenchGroup {
  return {
    name: 'stream steps',
    input: `${count} numbers, one per pull of a \`new ReadableStream({ pull })\` (or one per \`yield\`), summed`,
    items: { count, unit: 'item' },
    expected: (count * (count - 1)) / 2,
    references: [{ label: READ, case: READ }],
    warmup: 1,
    runs: 5,
    cases: [
      { name: READ, run: () => sum(numbers(count)) },
      { name: '+ TransformStream', run: () => sum(numbers(count).pipeThrough(new TransformStream(forward))) },
      {
        name: '+ sluice OrderedTransformStream',
        run: () => sum(numbers(count).pipeThrough(new OrderedTransformStream(forward))),
      },
      {
        name: 'async generator step',
        run: async () => {
          let total = 0
          for await (const value of generate(count)) total += value
          return total
        },
      },
    ],
  }
}
