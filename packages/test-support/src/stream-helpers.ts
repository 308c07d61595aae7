/**
 * Stream helpers the tests of every package share: bytes and the ways to cut them into
 * chunks, streams built from chunks and read to their end, a plain transformer run without
 * a stream, and waits for a promise to settle. Web APIs only (they run in Node, workerd,
 * Chromium, Deno and Bun). Streams are built with `new ReadableStream(...)`:
 * `ReadableStream.from` is not in every browser.
 */

/** The streams implementation a test runs on: the global one, or the ponyfill's. */
export interface StreamsImplementation {
  ReadableStream: typeof ReadableStream
  TransformStream: typeof TransformStream
  WritableStream: typeof WritableStream
}

/** The runtime's own streams (the globals). */
export const nativeStreams: StreamsImplementation = { ReadableStream, TransformStream, WritableStream }

const encoder = new TextEncoder()

/** UTF-8 bytes of `text`. */
export const bytes = (text: string): Uint8Array => encoder.encode(text)

/** Concatenates byte arrays. */
export function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0))
  let offset = 0
  for (const part of parts) {
    out.set(part, offset)
    offset += part.length
  }
  return out
}

/** A stream that enqueues one of `chunks` per pull, then closes. */
export function fromChunks<T>(chunks: readonly T[], streams: StreamsImplementation = nativeStreams): ReadableStream<T> {
  let index = 0
  return new streams.ReadableStream<T>({
    pull(controller) {
      if (index < chunks.length) controller.enqueue(chunks[index++]!)
      else controller.close()
    },
  })
}

/** Reads `stream` to the end. */
export async function collect<T>(stream: ReadableStream<T>): Promise<T[]> {
  const reader = stream.getReader()
  const out: T[] = []
  for (;;) {
    const { done, value } = await reader.read()
    if (done) return out
    out.push(value)
  }
}

/** Resolves to the error `promise` rejects with; rejects if it resolves. */
export async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise
  } catch (error) {
    return error
  }
  throw new Error('expected a rejection, but the promise resolved')
}

/**
 * Cuts `data` at the given offsets (taken modulo `data.length + 1`, sorted; repeated
 * offsets give empty chunks).
 */
export function splitAt(data: Uint8Array, cuts: readonly number[]): Uint8Array[] {
  const points = cuts.map((cut) => cut % (data.length + 1)).sort((a, b) => a - b)
  const chunks: Uint8Array[] = []
  let start = 0
  for (const point of points) {
    chunks.push(data.subarray(start, point))
    start = point
  }
  chunks.push(data.subarray(start))
  return chunks
}

/** Cuts `text` at the given offsets, as {@link splitAt} cuts bytes: pieces that join to it (some may be empty). */
export function splitText(text: string, cuts: readonly number[]): string[] {
  const points = [0, ...cuts.map((cut) => cut % (text.length + 1)).sort((a, b) => a - b), text.length]
  return points.slice(1).map((end, index) => text.slice(points[index], end))
}

/** Every way to cut `data` in two, from `[empty, all]` to `[all, empty]`. */
export function* everySplit(data: Uint8Array): Generator<Uint8Array[]> {
  for (let offset = 0; offset <= data.length; offset++) {
    yield [data.subarray(0, offset), data.subarray(offset)]
  }
}

/** `data` as one-byte chunks. */
export function oneByteChunks(data: Uint8Array): Uint8Array[] {
  return Array.from(data, (_, index) => data.subarray(index, index + 1))
}

/**
 * Runs a plain transformer synchronously over `chunks`, without any stream: for tests
 * that need many chunks or many runs.
 */
export function runTransformer<I, O>(transformer: Transformer<I, O>, chunks: Iterable<I>): O[] {
  const out: O[] = []
  const controller = {
    desiredSize: 1,
    enqueue: (item: O) => void out.push(item),
    error: (reason: unknown) => {
      throw reason
    },
    terminate: () => {},
  } as TransformStreamDefaultController<O>
  for (const chunk of chunks) void transformer.transform?.(chunk, controller)
  void transformer.flush?.(controller)
  return out
}

/**
 * Feeds `chunks` one by one to a plain transformer, without any stream, and returns
 * `state()` after each: for tests that check the state after every input (an
 * accumulator's snapshot), also after an input that enqueued nothing.
 */
export function stateAfterEach<I, S>(
  transformer: Pick<Transformer<I, unknown>, 'transform'>,
  chunks: Iterable<I>,
  state: () => S,
): S[] {
  const controller = {
    desiredSize: 1,
    enqueue: () => {},
    error: (reason: unknown) => {
      throw reason
    },
    terminate: () => {},
  } as unknown as TransformStreamDefaultController<unknown>
  return Array.from(chunks, (chunk) => {
    void transformer.transform?.(chunk, controller)
    return state()
  })
}

/** Whether `promise` has settled by the time queued tasks have run. */
export async function settledSoon(promise: Promise<unknown>): Promise<boolean> {
  let settled = false
  void promise.then(() => {
    settled = true
  })
  await new Promise((resolve) => setTimeout(resolve, 0))
  return settled
}

/** Reads `stream` to its end or its error: what arrived, and the error (`undefined` at a normal end). */
export async function readToEnd<T>(stream: ReadableStream<T>): Promise<{ items: T[]; error: unknown }> {
  const reader = stream.getReader()
  const items: T[] = []
  try {
    for (;;) {
      const { done, value } = await reader.read()
      if (done) return { items, error: undefined }
      items.push(value)
    }
  } catch (error) {
    return { items, error }
  }
}

/** Settles as `promise` does, or rejects when it takes longer than `ms`: a hang fails the test instead of the run. */
export async function settlesWithin<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined
  const late = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`still pending after ${ms} ms`)), ms)
  })
  try {
    return await Promise.race([promise, late])
  } finally {
    clearTimeout(timer)
  }
}
