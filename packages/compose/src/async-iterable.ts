/**
 * A `ReadableStream` that `for await` reads in every engine: natively where the engine's
 * streams are async-iterable (Node, Deno, Bun, workerd, Chromium, Firefox), through
 * {@link asyncIterable}'s reader-based iterator where they are not (WebKit, so Safari).
 *
 * @example
 * ```ts
 * import type { IterableReadableStream } from '@sluice/compose'
 * import { ChatChunkStream, type ChatCompletionChunk } from '@sluice/openai'
 *
 * const chunks: IterableReadableStream<ChatCompletionChunk> = response.body!.pipeThrough(new ChatChunkStream())
 * for await (const chunk of chunks) console.log(chunk.choices[0]?.delta.content)
 * ```
 */
export type IterableReadableStream<T> = ReadableStream<T> & AsyncIterable<T>

/** The options of a stream's `values()`, as in the Streams spec. */
interface ValuesOptions {
  /** Leaving the loop early releases the stream without cancelling it. */
  preventCancel?: boolean
}

/**
 * `stream` itself, async-iterable in every engine: where the engine's `ReadableStream` has no
 * `[Symbol.asyncIterator]`, the stream gets its own `values()` and `[Symbol.asyncIterator]`,
 * built on a reader as the Streams spec's iterator is (the stream is locked from the first
 * call; leaving the loop early cancels it with the reason given to `return()`, unless
 * `preventCancel`). Every `…Stream` of sluice passes its readable side through it, so the
 * result of `pipeThrough(new ChatChunkStream())` is iterable in Safari too. `force` adds the
 * reader-based iterator even where the engine has one (tests).
 *
 * @example A for-await loop over any stream, Safari included
 * ```ts
 * import { asyncIterable } from '@sluice/compose'
 *
 * for await (const bytes of asyncIterable(response.body!)) console.log(bytes.length)
 * ```
 */
export function asyncIterable<T>(stream: ReadableStream<T>, force = false): IterableReadableStream<T> {
  if (!force && typeof (stream as Partial<AsyncIterable<T>>)[Symbol.asyncIterator] === 'function') {
    return stream as IterableReadableStream<T>
  }
  const values = (options?: ValuesOptions) => readerIterator(stream.getReader(), Boolean(options?.preventCancel))
  for (const name of ['values', Symbol.asyncIterator]) {
    Object.defineProperty(stream, name, { configurable: true, writable: true, value: values })
  }
  return stream as IterableReadableStream<T>
}

/**
 * The Streams spec's `ReadableStream` async iterator, on a reader: calls run one after the
 * other, the end or a failure releases the reader, `return()` cancels the stream (or only
 * releases it, with `preventCancel`).
 */
function readerIterator<T>(reader: ReadableStreamDefaultReader<T>, preventCancel: boolean): AsyncIterableIterator<T> {
  /** The call before this one: calls settle in order. */
  let ongoing: Promise<IteratorResult<T, undefined>> | undefined
  /** The reader was released: every later `next()` is done. */
  let released = false
  const done = (value?: unknown): IteratorResult<T, undefined> => ({ done: true, value: value as undefined })
  const release = () => {
    released = true
    reader.releaseLock()
  }
  const after = (step: () => Promise<IteratorResult<T, undefined>>) =>
    (ongoing = ongoing ? ongoing.then(step, step) : step())
  const iterator: AsyncIterableIterator<T> = {
    next: () =>
      after(async () => {
        if (released) return done()
        try {
          const read = await reader.read()
          if (!read.done) return { done: false, value: read.value }
        } catch (error) {
          release()
          throw error
        }
        release()
        return done()
      }),
    return: (value?: unknown) =>
      after(async () => {
        if (!released) {
          const cancelled = preventCancel ? undefined : reader.cancel(value)
          release()
          await cancelled
        }
        return done(value)
      }),
    [Symbol.asyncIterator]: () => iterator,
  }
  return iterator
}
