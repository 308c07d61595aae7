import type { Bytes } from './bytes.ts'

/** A byte stream that hands out one pre-sliced chunk per pull, as a response body does. */
export function fromChunks(chunks: readonly Bytes[]): ReadableStream<Bytes> {
  let next = 0
  return new ReadableStream<Bytes>({
    pull(controller) {
      const chunk = chunks[next++]
      if (chunk === undefined) controller.close()
      else controller.enqueue(chunk)
    },
  })
}

/**
 * A byte stream that copies the next `readSize` bytes of `bytes` at each pull, each read
 * with its own buffer, as a response body hands them out: for inputs whose reads would
 * not fit in memory sliced beforehand (10 million reads of 1 byte). Copying costs every
 * case that reads it the same.
 */
export function fromBytes(bytes: Bytes, readSize: number): ReadableStream<Bytes> {
  let next = 0
  return new ReadableStream<Bytes>({
    pull(controller) {
      if (next >= bytes.byteLength) return controller.close()
      controller.enqueue(bytes.slice(next, next + readSize))
      next += readSize
    },
  })
}
