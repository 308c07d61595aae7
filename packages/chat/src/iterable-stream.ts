import { asyncIterable, type IterableReadableStream } from '@sluice/compose'

export type { IterableReadableStream }

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
