import { expectSync } from './errors.ts'
import type { StreamTransformer, TransformController } from './transformer.ts'

/**
 * What {@link iterate} reads: a `ReadableStream`, or any object whose `getReader()` gives a
 * reader with `read`, `cancel` and `releaseLock` (`getReader` is called once). A source of
 * your own can be its own reader, without the queue and promises of a wrapping stream.
 *
 * @example A source that is its own reader
 * ```ts
 * import { iterate, type ReadableSource } from '@sluice/compose'
 * import { LineSplitter } from '@sluice/lines'
 *
 * const parts = ['one\ntw', 'o\n']
 * const reader = {
 *   read: async () => (parts.length > 0 ? { done: false as const, value: parts.shift()! } : { done: true as const, value: undefined }),
 *   cancel: async () => {},
 *   releaseLock: () => {},
 * }
 * const source: ReadableSource<string> = { getReader: () => reader }
 * for await (const line of iterate(source, new LineSplitter())) console.log(line) // 'one', then 'two'
 * ```
 */
export interface ReadableSource<I> {
  /** Gives the reader `iterate` reads from, cancels on an early exit, and releases at the end. */
  getReader(): {
    /** The next chunk, or `done` at the end. */
    read(): Promise<{ done: false; value: I } | { done: true; value?: I | undefined }>
    /** Stops the source: `iterate` was left early or failed. */
    cancel(reason?: unknown): Promise<void>
    /** The end of the iteration: the reader is not used again. */
    releaseLock(): void
  }
}

/**
 * Pulls `readable` through `transformer` without a `TransformStream`: reads the source
 * with a reader, runs the (composed) transformer synchronously on each chunk, and yields
 * what it enqueues. A `TransformStream` costs queues and promises per item — on small
 * reads more than the parsing itself; this pays only the reader and one async iteration
 * step per item.
 *
 * Leaving the loop early (`break`, `return()`) cancels the source; an error of the source
 * or of the transformer rejects `next()` (and cancels the source), after everything the
 * transformer enqueued before it, in the failing call too, was yielded. In the first two cases
 * the transformer's `cancel` (if it has one) is called, as a `TransformStream` does; `controller.terminate()`
 * ends the iteration and cancels the source, as in a stream. The transformer must be
 * synchronous (see `compose`).
 *
 * @example The fast pull path
 * ```ts
 * import { iterate } from '@sluice/compose'
 * import { ChatChunkParser } from '@sluice/openai'
 *
 * for await (const chunk of iterate(response.body!, new ChatChunkParser())) {
 *   process.stdout.write(chunk.choices[0]?.delta.content ?? '')
 * }
 * ```
 */
// A stream is named beside ReadableSource for inference: `I` is read from a stream's type.
export async function* iterate<I, O>(
  readable: ReadableStream<I> | ReadableSource<I>,
  transformer: StreamTransformer<I, O>,
): AsyncGenerator<O, void, undefined> {
  const reader = readable.getReader()
  const queue: O[] = []
  // Set by the controller, from inside the transformer: a holder, so the checks below see them change.
  const state: { failure?: { reason: unknown }; terminated: boolean } = { terminated: false }
  const controller: TransformController<O> = {
    get desiredSize() {
      return 1 - queue.length
    },
    enqueue(chunk?: O) {
      if (!state.terminated && !state.failure) queue.push(chunk as O)
    },
    error(reason?: unknown) {
      state.failure ??= { reason }
    },
    terminate() {
      state.terminated = true
    },
  }
  let finished = false
  try {
    expectSync(transformer.start?.(controller), 0, 'start')
    for (;;) {
      // What the transformer enqueued before it failed or terminated is handed over first.
      if (queue.length > 0) {
        // Yield what this chunk produced; the queue is reused, not reallocated.
        for (let index = 0; index < queue.length; index++) yield queue[index]!
        queue.length = 0
      }
      throwIfFailed(state)
      if (state.terminated) break
      let read: { done: false; value: I } | { done: true; value?: I | undefined }
      try {
        read = await reader.read()
      } catch (error) {
        // The source failed: as a TransformStream does when its writable is aborted, tell the transformer.
        finished = true
        cancelTransformer(transformer, error)
        throw error
      }
      const { done, value } = read
      if (done) {
        finished = true
        try {
          expectSync(transformer.flush?.(controller), 0, 'flush')
        } catch (reason) {
          state.failure ??= { reason }
        }
        for (let index = 0; index < queue.length; index++) yield queue[index]!
        queue.length = 0
        throwIfFailed(state)
        return
      }
      if (!transformer.transform) controller.enqueue(value as unknown as O)
      else {
        // What it throws is the failure, raised once what it enqueued before was yielded.
        try {
          expectSync(transformer.transform(value, controller), 0, 'transform')
        } catch (reason) {
          state.failure ??= { reason }
        }
      }
    }
  } catch (error) {
    if (!finished) {
      finished = true
      await reader.cancel(error).catch(() => {})
    }
    throw error
  } finally {
    // An early return() (or terminate) leaves the source open: cancel it, and tell the
    // transformer when the reader left before the end (as a cancelled TransformStream does).
    if (!finished) {
      if (!state.terminated) cancelTransformer(transformer, undefined)
      await reader.cancel().catch(() => {})
    }
    reader.releaseLock()
  }
}

/** Calls the transformer's `cancel` (newer Streams spec), where it has one; its errors are not the reader's concern. */
function cancelTransformer(transformer: StreamTransformer<never, unknown>, reason: unknown): void {
  try {
    void (transformer as { cancel?: (reason: unknown) => unknown }).cancel?.(reason)
  } catch {}
}

/** Throws the failure the transformer reported through `controller.error`, if any. */
function throwIfFailed(state: { failure?: { reason: unknown } }): void {
  if (state.failure) throw state.failure.reason
}
