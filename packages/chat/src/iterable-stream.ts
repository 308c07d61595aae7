/**
 * A `ReadableStream` that is also async-iterable in every runtime: natively where the
 * runtime's streams are (Node, Deno, Bun, workerd, Chromium ≥ 124, Firefox ≥ 110), through a
 * reader-based iterator added to the instance where they are not (Safari). Read it with
 * `for await`, `getReader()`, `pipeTo` or `pipeThrough`.
 *
 * @example
 * ```ts
 * import { chatStream, type IterableReadableStream } from '@sluice/chat'
 *
 * const text: IterableReadableStream<string> = chatStream(response).textStream()
 * for await (const delta of text) render(delta)
 * ```
 */
export type IterableReadableStream<T> = ReadableStream<T> & AsyncIterable<T>

/** A `ReadableStream` of what `iterator` gives, pulled on demand; cancelling it calls `onCancel`, then closes the iterator. */
export function streamFrom<T>(
  iterator: AsyncIterator<T, void, undefined>,
  onCancel: (reason: unknown) => void,
): IterableReadableStream<T> {
  const stream = new ReadableStream<T>(
    {
      async pull(controller) {
        const result = await iterator.next()
        if (result.done) controller.close()
        else controller.enqueue(result.value)
      },
      async cancel(reason) {
        // First the cancel with its reason (it settles the outcome and releases the source),
        // then the iterator, whose own cleanup would report a cancel without a reason.
        onCancel(reason)
        await iterator.return?.()
      },
    },
    { highWaterMark: 0 },
  )
  return asyncIterable(stream)
}

/** `stream`, with `[Symbol.asyncIterator]` added where the runtime lacks it. */
export function asyncIterable<T>(stream: ReadableStream<T>, force = false): IterableReadableStream<T> {
  if (!force && typeof (stream as Partial<AsyncIterable<T>>)[Symbol.asyncIterator] === 'function')
    return stream as IterableReadableStream<T>
  Object.defineProperty(stream, Symbol.asyncIterator, {
    configurable: true,
    writable: true,
    // As the Streams spec's async iterator: leaving the loop early cancels the stream.
    value: async function* iterateStream(): AsyncGenerator<T, void, undefined> {
      const reader = stream.getReader()
      let finished = false
      try {
        for (;;) {
          const { done, value } = await reader.read()
          if (done) {
            finished = true
            return
          }
          yield value
        }
      } catch (error) {
        finished = true
        throw error
      } finally {
        if (!finished) await reader.cancel().catch(() => {})
        reader.releaseLock()
      }
    },
  })
  return stream as IterableReadableStream<T>
}
