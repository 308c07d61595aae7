import { asyncIterable, type IterableReadableStream } from './async-iterable.ts'
import { linkRecords } from './stream-record.ts'
import type { StreamTransformer, TransformController } from './transformer.ts'

/**
 * What a stream does with its input once its transformer called `controller.terminate()`
 * (the chat decoders do at `data: [DONE]`). In every mode the readable side hands over what
 * was enqueued before, and nothing written later reaches the transformer.
 * - `'cancel'`: the readable side closes at once and the writable side errors, so a pipe into it cancels its source (a fetch
 *   body is released at once); a writer's next write rejects.
 * - `'drain'`: the writable side stays open and discards what is written, and the readable
 *   side closes when the writable side does, so a pipe ends when its source ends (what
 *   Node's `stream.pipeline` and `Duplex.fromWeb` need to resolve: both fail a pipeline
 *   whose web stream closes one side before the other).
 * - `'auto'`: `'cancel'` when a pipe (`pipeTo`, `pipeThrough`) feeds the stream, `'drain'`
 *   when a writer from `writable.getWriter()` does (Node's `stream.pipeline` and
 *   `Duplex.fromWeb` take one). Told apart by whether the public `getWriter()` was called:
 *   the engines' own `pipeTo` and web-streams-polyfill's take their writer internally.
 *
 * @example Drain what follows [DONE], whoever feeds the stream
 * ```ts
 * import { OrderedTransformStream, type AfterTerminate } from '@sluice/compose'
 * import { ChatChunkParser } from '@sluice/openai'
 *
 * const afterTerminate: AfterTerminate = 'drain'
 * const chunks = response.body!.pipeThrough(new OrderedTransformStream(new ChatChunkParser(), undefined, undefined, { afterTerminate }))
 * ```
 */
export type AfterTerminate = 'auto' | 'cancel' | 'drain'

/**
 * Options of {@link OrderedTransformStream} beyond the strategies.
 *
 * @example
 * ```ts
 * import type { OrderedTransformStreamOptions } from '@sluice/compose'
 *
 * const options: OrderedTransformStreamOptions = { afterTerminate: 'cancel' }
 * ```
 */
export interface OrderedTransformStreamOptions {
  /**
   * What the writable side does after the transformer terminated (see {@link AfterTerminate}).
   * @default 'auto'
   */
  afterTerminate?: AfterTerminate
}

/**
 * The `TransformStream` of the runtime, looked up when the module loads. Where there is none,
 * the module still loads (the plain transformers need no stream global) and constructing a
 * sluice stream says what to do.
 */
const StreamBase: typeof TransformStream =
  globalThis.TransformStream ??
  (class {
    constructor() {
      throw new ReferenceError(
        "TransformStream is not defined in this runtime: use the plain transformers (LineSplitter, SSEDecoder, …) with a TransformStream of your choice, e.g. web-streams-polyfill's",
      )
    }
  } as unknown as typeof TransformStream)

/** What follows the last queued item: the end of the output, or a failure and its reason (which may be `undefined`). */
interface Ending {
  failed: boolean
  reason?: unknown
}

/** The end of the output: what `#end` is given when no failure follows the last item. */
const CLOSE: Ending = { failed: false }

/**
 * A `TransformStream` that keeps stream order on every ending: what the transformer enqueued
 * before a failure is read before the failure, and a `terminate()` closes the output without
 * failing a pipeline that feeds it.
 *
 * A native `TransformStream` errors its readable side at once when the transformer throws
 * (or calls `controller.error`), or when its input is aborted: whatever is still queued
 * there — the items the same `transform` call enqueued just before — is discarded. And
 * `controller.terminate()` errors the writable side, which Node's `stream.pipeline` reports
 * as a failure of the whole pipeline. This class owns both sides instead (its `readable` and
 * `writable` are its own streams, not the ones of the `TransformStream` it extends, so
 * `instanceof TransformStream` still holds):
 * - a failure — thrown by `transform` or `flush`, passed to `controller.error`, or an abort
 *   of the writable side (a failed upstream) — errors the readable side only once every item
 *   enqueued before it has been read; the write that failed rejects at that moment, so a
 *   pipeline does not tear down what comes after before the items reached it;
 * - `controller.terminate()` closes the readable side after what it holds; the writable
 *   side then follows `afterTerminate`;
 * - cancelling the readable side calls the transformer's `cancel` hook in every engine (a
 *   native `TransformStream` does not in Chromium, Firefox and WebKit), discards what is
 *   queued, and errors the writable side with the reason, so the source is cancelled;
 * - the readable side is async-iterable in every engine, WebKit included (`asyncIterable`);
 * - backpressure is the native one's: the readable side queues up to its high-water mark
 *   (default 0: a write waits until the consumer asks for more), the writable side up to
 *   its own (default 1).
 *
 * @example A plain transformer in stream order: the lines before a LineTooLongError are read before it
 * ```ts
 * import { OrderedTransformStream } from '@sluice/compose'
 * import { LineSplitter } from '@sluice/lines'
 *
 * const lines = response.body!.pipeThrough(new OrderedTransformStream(new LineSplitter({ maxLineLength: 1024 })))
 * ```
 */
export class OrderedTransformStream<I = unknown, O = I> extends StreamBase<I, O> {
  /** The output: async-iterable in every engine (see `asyncIterable`). */
  declare readonly readable: IterableReadableStream<O>
  declare readonly writable: WritableStream<I>

  constructor(
    transformer: StreamTransformer<I, O> = {},
    writableStrategy?: QueuingStrategy<I>,
    readableStrategy?: QueuingStrategy<O>,
    options: OrderedTransformStreamOptions = {},
  ) {
    super()
    const afterTerminate = options.afterTerminate ?? 'auto'
    if (afterTerminate !== 'auto' && afterTerminate !== 'cancel' && afterTerminate !== 'drain') {
      throw new TypeError(
        `OrderedTransformStream: afterTerminate must be 'auto', 'cancel' or 'drain', got ${String(afterTerminate)}`,
      )
    }
    const sides = new OrderedSides(transformer, writableStrategy, readableStrategy, afterTerminate)
    // Own properties shadow the TransformStream accessors: pipeThrough, pipeline and
    // Duplex.fromWeb all read `readable` and `writable` by name.
    Object.defineProperties(this, {
      readable: { value: sides.readable, enumerable: true },
      writable: { value: sides.writable, enumerable: true },
    })
    transformers.set(this, transformer)
    linkOnPipeThrough(sides.readable, transformer)
  }
}

/** The transformer of each OrderedTransformStream: what `pipeThrough` links. */
const transformers = new WeakMap<object, unknown>()

/**
 * `readable.pipeThrough(stream)` where both are sluice stages: the later stage writes to the
 * earlier one's record (see `StreamRecord`), then the pipe is the engine's own.
 */
function linkOnPipeThrough<O>(readable: ReadableStream<O>, transformer: unknown): void {
  ownMethod(readable, 'pipeThrough', {
    value<T>(this: ReadableStream<O>, transform: ReadableWritablePair<T, O>, options?: StreamPipeOptions) {
      linkRecords(transformer, transformers.get(transform), true)
      return ReadableStream.prototype.pipeThrough.call(this, transform, options) as ReadableStream<T>
    },
  })
}

/** The two sides of an {@link OrderedTransformStream} and the queue between them. */
class OrderedSides<I, O> implements TransformController<O> {
  declare readonly readable: IterableReadableStream<O>
  declare readonly writable: WritableStream<I>
  readonly #transformer: StreamTransformer<I, O>
  readonly #afterTerminate: AfterTerminate
  readonly #highWaterMark: number
  readonly #size: ((chunk: O) => number) | undefined
  /** Items enqueued with a custom `size` and not yet handed to the readable side, from `#head` on (without one, items go straight to the readable side's own queue). */
  #queue: O[] = []
  #head = 0
  #queueSize = 0
  #readableController!: ReadableStreamDefaultController<O>
  #writableController!: WritableStreamDefaultController
  /** A read is waiting and the queue was empty when it came. */
  #pullPending = false
  /**
   * What follows the last queued item: `undefined` while the output goes on. Set before the
   * readable side finishes, so a stream with no ending has not finished either.
   */
  #ending: Ending | undefined
  /** The readable side closed, errored or was cancelled. */
  #finished = false
  /** The readable side was cancelled by its consumer. */
  #cancelled = false
  /** Resolves when the readable side has finished (after its last item was read). */
  readonly #whenFinished: Promise<void>
  #resolveFinished!: () => void
  /** A write waits for the consumer (backpressure): its resolver. */
  #resumeWriter: (() => void) | undefined
  /** The transformer terminated: later writes are discarded (or the writable side errored). */
  #terminated = false
  /** A writer from `writable.getWriter()` feeds the stream (not a pipe). */
  #fedByWriter = false

  constructor(
    transformer: StreamTransformer<I, O>,
    writableStrategy: QueuingStrategy<I> | undefined,
    readableStrategy: QueuingStrategy<O> | undefined,
    afterTerminate: AfterTerminate,
  ) {
    this.#transformer = transformer
    this.#afterTerminate = afterTerminate
    const highWaterMark = readableStrategy?.highWaterMark ?? 0
    if (typeof highWaterMark !== 'number' || Number.isNaN(highWaterMark) || highWaterMark < 0) {
      throw new RangeError(
        `OrderedTransformStream: the readable highWaterMark must be a number >= 0, got ${String(highWaterMark)}`,
      )
    }
    this.#highWaterMark = highWaterMark
    this.#size = readableStrategy?.size as ((chunk: O) => number) | undefined
    this.#whenFinished = new Promise((resolve) => {
      this.#resolveFinished = resolve
    })
    this.readable = asyncIterable(
      new ReadableStream<O>(
        {
          start: (controller) => {
            this.#readableController = controller
          },
          pull: () => this.#pull(),
          cancel: (reason) => this.#cancel(reason),
        },
        // A failure is applied only at the pull that comes once the stream's own queue is
        // empty (see #end), so an error never discards an item queued there.
        { highWaterMark: 0 },
      ),
    )
    const writable = new WritableStream<I>(
      {
        start: (controller) => {
          this.#writableController = controller
          return this.#start()
        },
        write: (chunk) => this.#write(chunk),
        close: () => this.#close(),
        abort: (reason) => this.#abort(reason),
      },
      writableStrategy,
    )
    this.writable = writable
    ownMethod(writable, 'getWriter', {
      value: () => {
        this.#fedByWriter = true
        return WritableStream.prototype.getWriter.call(writable)
      },
    })
  }

  // The controller the transformer gets.

  get desiredSize(): number | null {
    if (this.#finished) return this.#cancelled ? null : 0
    return this.#highWaterMark - this.#queueSize - this.#handedOver()
  }

  enqueue(chunk?: O): void {
    if (this.#ending || this.#terminated) {
      throw new TypeError('OrderedTransformStream: enqueue() after the stream was closed, errored or terminated')
    }
    if (this.#pullPending || !this.#size) {
      // Straight to the readable side's own queue (a custom size is counted in ours): a
      // failure is applied only once that queue is empty (at the next pull, see #end).
      this.#pullPending = false
      this.#readableController.enqueue(chunk as O)
      return
    }
    this.#queue.push(chunk as O)
    this.#queueSize += this.#size(chunk as O)
  }

  error(reason?: unknown): void {
    this.#fail(reason)
  }

  terminate(): void {
    if (this.#ending || this.#terminated) return
    this.#terminated = true
    this.#resumeWriter?.()
    // Draining, the output closes with the input (see #close and #abort).
    if (this.#afterTerminate === 'drain' || (this.#afterTerminate === 'auto' && this.#fedByWriter)) return
    this.#end(CLOSE)
    this.#writableController.error(new TypeError('the stream was terminated: its output is closed'))
  }

  // The writable side.

  async #start(): Promise<void> {
    try {
      await this.#transformer.start?.(this)
    } catch (reason) {
      this.#fail(reason)
    }
  }

  #write(chunk: I): Promise<void> | void {
    if (this.#terminated) return // Discarded: the output closed at terminate().
    if (this.#ending) return this.#rejectInOrder()
    let result: void | PromiseLike<void>
    try {
      result = this.#transformer.transform
        ? this.#transformer.transform(chunk, this)
        : this.enqueue(chunk as unknown as O)
    } catch (reason) {
      this.#fail(reason)
      return this.#rejectInOrder()
    }
    if (result !== undefined && typeof (result as PromiseLike<void>).then === 'function')
      return this.#afterAsync(result)
    return this.#backpressure()
  }

  async #afterAsync(result: PromiseLike<void>): Promise<void> {
    try {
      await result
    } catch (reason) {
      this.#fail(reason)
    }
    if (this.#terminated) return
    if (this.#ending) return this.#rejectInOrder()
    return this.#backpressure()
  }

  /** Resolves once the consumer wants more: at once when the queue is below its high-water mark. */
  #backpressure(): Promise<void> | void {
    if (this.#terminated || this.#wantsMore()) return
    return new Promise<void>((resolve) => {
      this.#resumeWriter = () => {
        this.#resumeWriter = undefined
        resolve()
      }
    })
  }

  #wantsMore(): boolean {
    return this.#pullPending || this.#queueSize + this.#handedOver() < this.#highWaterMark
  }

  /** Items handed to the readable side's own queue and not read yet (its high-water mark is 0). */
  #handedOver(): number {
    return Math.max(0, -(this.#readableController.desiredSize ?? 0))
  }

  async #close(): Promise<void> {
    if (this.#terminated) return this.#endDrain()
    if (!this.#ending) {
      try {
        await this.#transformer.flush?.(this)
      } catch (reason) {
        this.#fail(reason)
      }
      // The output closes after what flush enqueued (unless it terminated or failed).
      if (!this.#ending) return this.#end(CLOSE)
      if (this.#terminated) return
    }
    return this.#rejectInOrder()
  }

  /** The source failed (a pipe aborts its destination): the items before it are still read first. */
  #abort(reason: unknown): void {
    // After terminate() the output was complete: a failure of what followed cannot fail it.
    if (this.#terminated) return this.#endDrain()
    if (this.#ending) return
    this.#callCancel(reason)
    this.#end({ failed: true, reason })
  }

  /** The input of a draining stream ended: so does the output, after what it holds. */
  #endDrain(): void {
    if (!this.#ending) this.#end(CLOSE)
  }

  /**
   * A write or close after a failure: rejects with it once the readable side has handed over
   * everything before it (or was cancelled), so a pipeline reports the failure only then.
   */
  async #rejectInOrder(): Promise<never> {
    await this.#whenFinished
    const ending = this.#ending!
    throw ending.failed ? ending.reason : new TypeError('the stream has ended: its output is closed')
  }

  // The readable side.

  #pull(): void {
    if (this.#head < this.#queue.length) this.#handOverOne()
    else if (this.#ending) return this.#finish()
    else this.#pullPending = true
    if (this.#wantsMore()) this.#resumeWriter?.()
  }

  /** Hands the first item of our queue (used with a custom `size` only) to the readable side. */
  #handOverOne(): void {
    const chunk = this.#queue[this.#head]!
    this.#queue[this.#head++] = undefined as O // not kept alive by the queue
    this.#queueSize -= this.#size!(chunk)
    if (this.#head === this.#queue.length) {
      this.#queue.length = 0
      this.#head = 0
      this.#queueSize = 0 // exact again, whatever the sizes summed to
    } else if (this.#head >= 1024 && this.#head * 2 >= this.#queue.length) {
      // A queue that never empties (a high-water mark above 0) drops its read half now and then.
      this.#queue.splice(0, this.#head)
      this.#head = 0
    }
    this.#readableController.enqueue(chunk)
  }

  #cancel(reason: unknown): void {
    const failedAlready = this.#ending !== undefined
    this.#cancelled = true
    this.#queue = []
    this.#head = 0
    this.#queueSize = 0
    if (!failedAlready) this.#callCancel(reason)
    this.#ending ??= { failed: true, reason }
    this.#settleFinished()
    // The source is cancelled through the pipe: the writable side errors with the reason.
    this.#writableController.error(reason)
  }

  #fail(reason: unknown): void {
    if (!this.#ending) this.#end({ failed: true, reason })
  }

  /** Sets what follows the queued items; applied at once if nothing is queued and a read waits. */
  #end(ending: Ending): void {
    this.#ending = ending
    if (this.#pullPending && this.#head === this.#queue.length) {
      this.#pullPending = false
      this.#finish()
    }
  }

  #finish(): void {
    const ending = this.#ending!
    if (ending.failed) this.#readableController.error(ending.reason)
    else this.#readableController.close()
    this.#settleFinished()
  }

  #settleFinished(): void {
    if (this.#finished) return
    this.#finished = true
    this.#resolveFinished()
    this.#resumeWriter?.()
  }

  /** The transformer's `cancel` hook (newer Streams spec), where it has one; its errors are not the stream's. */
  #callCancel(reason: unknown): void {
    try {
      const result = (this.#transformer as { cancel?: (reason: unknown) => unknown }).cancel?.(reason)
      if (result !== undefined && typeof (result as PromiseLike<unknown>).then === 'function')
        void Promise.resolve(result).catch(() => {})
    } catch {}
  }
}

/** Shadows `name` on `target` with an own method (`{ value }`), as the prototype's are: writable, configurable, not enumerable. */
function ownMethod(target: object, name: string, method: { value: unknown }): void {
  Object.defineProperty(target, name, { configurable: true, writable: true, ...method })
}
