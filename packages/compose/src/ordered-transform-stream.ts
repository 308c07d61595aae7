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
 * - `readable.pipeThrough(other)` into another OrderedTransformStream, with no pipe options,
 *   runs the other's `transform` inside this stage's `enqueue`: no queue, promise or read
 *   between them, and what a user observes is still the pipe's (see `OrderedSides.fuse`).
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
    streamSides.set(this, sides)
    linkOnPipeThrough(sides, transformer)
  }
}

/** The sides of each OrderedTransformStream: what `pipeThrough` links and fuses. */
// biome-ignore lint/suspicious/noExplicitAny: stages of every item type
const streamSides = new WeakMap<object, OrderedSides<any, any>>()

/**
 * `readable.pipeThrough(stream)` where both are sluice stages: the later stage writes to the
 * earlier one's record (see `StreamRecord`), and the two run fused (see `OrderedSides.fuse`)
 * where that is faithful; otherwise the pipe is the engine's own.
 */
function linkOnPipeThrough<I, O>(sides: OrderedSides<I, O>, transformer: unknown): void {
  const readable = sides.readable
  ownMethod(readable, 'pipeThrough', {
    value<T>(this: ReadableStream<O>, transform: ReadableWritablePair<T, O>, options?: StreamPipeOptions) {
      const next = streamSides.get(transform) as OrderedSides<O, T> | undefined
      if (next) linkRecords(transformer, next.transformer, true)
      if (this === readable && next && plainPipe(options) && sides.fuse(next, transform.writable))
        return transform.readable
      return ReadableStream.prototype.pipeThrough.call(this, transform, options) as ReadableStream<T>
    },
  })
}

/** Pipe options that ask for nothing but the default: only such a pipe is fused. */
function plainPipe(options: StreamPipeOptions | undefined): boolean {
  if (options === undefined) return true
  if (options === null || typeof options !== 'object') return false
  return !options.preventAbort && !options.preventCancel && !options.preventClose && options.signal === undefined
}

const ignore = (): void => {}

const thenable = (value: unknown): value is PromiseLike<unknown> =>
  typeof (value as PromiseLike<unknown> | undefined)?.then === 'function'

/** The two sides of an {@link OrderedTransformStream} and the queue between them. */
class OrderedSides<I, O> implements TransformController<O> {
  declare readonly readable: IterableReadableStream<O>
  declare readonly writable: WritableStream<I>
  readonly transformer: StreamTransformer<I, O>
  readonly #afterTerminate: AfterTerminate
  readonly #highWaterMark: number
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
  /** Resolves when the transformer's `start` has (writes wait for it). */
  #started: Promise<void> | undefined
  #startDone = false
  /** The stage this one is fused into (see `fuse`): what it enqueues goes straight to that stage's transform. */
  #next: OrderedSides<O, unknown> | undefined
  /** The writer that holds the next stage's writable side while fused: its close or abort ends that stage. */
  #nextWriter: WritableStreamDefaultWriter<O> | undefined
  /** The next stage cannot take an item yet (its start or an async transform is pending): items wait in `#forNext`. */
  #nextBusy = false
  #forNext: O[] = []
  /** The stage fused into this one: told when this one wants more. */
  #upstream: OrderedSides<unknown, I> | undefined

  constructor(
    transformer: StreamTransformer<I, O>,
    writableStrategy: QueuingStrategy<I> | undefined,
    readableStrategy: QueuingStrategy<O> | undefined,
    afterTerminate: AfterTerminate,
  ) {
    this.transformer = transformer
    this.#afterTerminate = afterTerminate
    const highWaterMark = readableStrategy?.highWaterMark ?? 0
    if (typeof highWaterMark !== 'number' || Number.isNaN(highWaterMark) || highWaterMark < 0) {
      throw new RangeError(
        `OrderedTransformStream: the readable highWaterMark must be a number >= 0, got ${String(highWaterMark)}`,
      )
    }
    this.#highWaterMark = highWaterMark
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
        // empty (see #end), so an error never discards an item queued there. Its high-water
        // mark is ours (see #wantsMore), with the strategy's `size`.
        { highWaterMark: 0, size: readableStrategy?.size as QueuingStrategySize<O> },
      ),
    )
    const writable = new WritableStream<I>(
      {
        start: (controller) => {
          this.#writableController = controller
          this.#started = this.#start()
          return this.#started
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
    if (this.#next) return this.#nextBusy ? 0 : this.#next.desiredSize
    return this.#highWaterMark - this.#handedOver()
  }

  enqueue(chunk?: O): void {
    if (this.#ending || this.#terminated) {
      throw new TypeError('OrderedTransformStream: enqueue() after the stream was closed, errored or terminated')
    }
    if (this.#next) {
      if (this.#nextBusy) this.#forNext.push(chunk as O)
      else this.#toNext(chunk as O)
      return
    }
    // Straight to the readable side's own queue: a failure is applied only once that queue
    // is empty (at the next pull, see #end).
    this.#pullPending = false
    this.#readableController.enqueue(chunk as O)
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

  /** Calls the transformer's `start`; a synchronous one is done at once (a stage fused into this one need not wait). */
  #start(): Promise<void> | undefined {
    let result: unknown
    try {
      result = this.transformer.start?.(this)
    } catch (reason) {
      this.#fail(reason)
    }
    if (!thenable(result)) {
      this.#startDone = true
      return
    }
    return Promise.resolve(result)
      .catch((reason: unknown) => this.#fail(reason))
      .then(() => {
        this.#startDone = true
      })
  }

  #write(chunk: I): Promise<void> | void {
    if (this.#terminated) return // Discarded: the output closed at terminate().
    if (this.#ending) return this.#rejectInOrder()
    const pending = this.#receive(chunk)
    return pending ? pending.then(() => this.#afterWrite()) : this.#afterWrite()
  }

  /** What a write resolves with once the transform is done: a rejection after a failure, else the wait for the consumer. */
  #afterWrite(): Promise<void> | void {
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
    if (this.#next) return !this.#nextBusy && this.#next.#takesMore()
    return this.#pullPending || this.#handedOver() < this.#highWaterMark
  }

  /** The size of what the readable side's own queue holds, not read yet (its high-water mark is 0). */
  #handedOver(): number {
    return Math.max(0, -(this.#readableController.desiredSize ?? 0))
  }

  async #close(): Promise<void> {
    if (this.#terminated) return this.#endDrain()
    if (!this.#ending) {
      try {
        await this.transformer.flush?.(this)
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

  // Fused stages.

  /**
   * `readable.pipeThrough(next)` without its hops: from now on what this stage enqueues goes
   * straight into `next`'s transform, in the same call, and a write here waits until `next`'s
   * consumer wants more. What users observe is the pipe's: both sides locked, this stage's
   * close or failure ends `next`'s input after the items before it (`next` flushes, or
   * hears of the failure in its `cancel` hook and hands it over after its items), and a
   * cancel of `next`'s output, its termination or failure cancels this stage with that
   * reason. Returns false, and fuses nothing, where the pipe would not start from a clean
   * state: either side locked, items already queued here, either stage ended.
   */
  fuse<T>(next: OrderedSides<O, T>, writable: WritableStream<O>): boolean {
    if (this.readable.locked || writable.locked || this.#next) return false
    if (this.#ending || this.#terminated || this.#handedOver() > 0) return false
    if (next.#ending || next.#terminated || next.#upstream) return false
    const reader = ReadableStream.prototype.getReader.call(this.readable) as ReadableStreamDefaultReader<O>
    const writer = WritableStream.prototype.getWriter.call(writable) as WritableStreamDefaultWriter<O>
    reader.closed.catch(ignore)
    const release = () => {
      writer.releaseLock()
      reader.releaseLock()
    }
    const cancelThis = (reason: unknown) => void reader.cancel(reason).then(release, release)
    this.#next = next as OrderedSides<O, unknown>
    this.#nextWriter = writer
    next.#upstream = this as OrderedSides<unknown, O>
    // The next stage's input errored (it was cancelled, or terminated): so is this stage's output.
    writer.closed.then(release, cancelThis)
    // It failed: once it has handed over what came before, this stage is cancelled with the reason.
    void next.#whenFinished.then(() => {
      if (next.#ending?.failed) cancelThis(next.#ending.reason)
    })
    if (!next.#startDone) {
      this.#nextBusy = true
      void next.#started!.then(() => this.#drainForNext())
    }
    return true
  }

  /** Runs the next stage's transform on one item; while it settles (an async transform), later items wait. */
  #toNext(chunk: O): void {
    const pending = this.#next!.#receive(chunk)
    if (pending) {
      this.#nextBusy = true
      void pending.then(() => this.#drainForNext())
    }
  }

  /** The next stage can take items again: hands over those that waited, then ends its input if this stage has ended. */
  #drainForNext(): void {
    this.#nextBusy = false
    const waiting = this.#forNext
    let index = 0
    while (!this.#nextBusy && index < waiting.length) this.#toNext(waiting[index++]!)
    waiting.splice(0, index)
    if (this.#nextBusy) return
    if (this.#ending && !this.#finished) this.#finish()
    this.#wake()
  }

  /**
   * Runs the transform on one item: what a write does before it waits for the consumer. The
   * stage fused into this one calls it directly (and waits instead, see `#wantsMore`).
   * Returns a promise only while an async transform settles.
   */
  #receive(chunk: I): Promise<void> | undefined {
    if (this.#terminated || this.#ending) return // discarded, as a pipe's writes would be
    try {
      const result = this.transformer.transform
        ? this.transformer.transform(chunk, this)
        : this.enqueue(chunk as unknown as O)
      if (thenable(result)) return Promise.resolve(result).then(undefined, (reason: unknown) => this.#fail(reason))
    } catch (reason) {
      this.#fail(reason)
    }
    return
  }

  /** Whether a stage fused into this one may hand over another item now (what it hands to an ended stage is discarded). */
  #takesMore(): boolean {
    return this.#terminated || this.#ending !== undefined || this.#wantsMore()
  }

  // The readable side.

  /** A read waits and the readable side's own queue is empty. */
  #pull(): void {
    if (this.#ending) return this.#finish()
    this.#pullPending = true
    this.#wake()
  }

  /** Resumes a write waiting for the consumer, here and in the stages fused into this one, if the consumer wants more. */
  #wake(): void {
    if (!this.#wantsMore()) return
    this.#resumeWriter?.()
    if (this.#upstream) this.#upstream.#wake()
  }

  #cancel(reason: unknown): void {
    const failedAlready = this.#ending !== undefined
    this.#cancelled = true
    this.#forNext = []
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
    if (this.#next) {
      if (!this.#nextBusy) this.#finish()
      return
    }
    if (this.#pullPending) {
      this.#pullPending = false
      this.#finish()
    }
  }

  #finish(): void {
    const ending = this.#ending!
    if (ending.failed) this.#readableController.error(ending.reason)
    else this.#readableController.close()
    this.#settleFinished()
    // Fused: the next stage's input ends as a pipe would end it.
    if (ending.failed) this.#nextWriter?.abort(ending.reason).catch(ignore)
    else this.#nextWriter?.close().catch(ignore)
  }

  #settleFinished(): void {
    if (this.#finished) return
    this.#finished = true
    this.#resolveFinished()
    this.#resumeWriter?.()
    if (this.#upstream) this.#upstream.#wake()
  }

  /** The transformer's `cancel` hook (newer Streams spec), where it has one; its errors are not the stream's. */
  #callCancel(reason: unknown): void {
    try {
      const result = (this.transformer as { cancel?: (reason: unknown) => unknown }).cancel?.(reason)
      if (thenable(result)) Promise.resolve(result).catch(ignore)
    } catch {}
  }
}

/** Shadows `name` on `target` with an own method (`{ value }`), as the prototype's are: writable, configurable, not enumerable. */
function ownMethod(target: object, name: string, method: { value: unknown }): void {
  Object.defineProperty(target, name, { configurable: true, writable: true, ...method })
}
