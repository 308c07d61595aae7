import { expectSync } from './errors.ts'
import { isRecordedStage, linkRecords, type StreamRecord } from './stream-record.ts'
import type { StreamTransformer, TransformController } from './transformer.ts'

/**
 * What `compose` returns: a `Transformer` whose `start`, `transform` and `flush` are all
 * present, so a class can delegate to it.
 *
 * @example Two stages as one transformer
 * ```ts
 * import { compose, type ComposedTransformer } from '@sluice/compose'
 * import { LineSplitter, type LineSplitterInput } from '@sluice/lines'
 * import { SSEDecoder, type ServerSentEvent } from '@sluice/sse'
 *
 * const stages: ComposedTransformer<LineSplitterInput, ServerSentEvent> = compose(new LineSplitter(), new SSEDecoder())
 * const events = response.body!.pipeThrough(new TransformStream(stages))
 * ```
 */
export interface ComposedTransformer<I, O> extends StreamTransformer<I, O> {
  /** Starts every stage, from the last to the first. */
  start(controller: TransformController<O>): void
  /** Runs `chunk` through the stages: what comes out of the last one is enqueued in this call. */
  transform(chunk: I, controller: TransformController<O>): void
  /** Flushes the stages in order, each one's output going through the stages after it. */
  flush(controller: TransformController<O>): void
  /** The stream was cancelled or its input aborted: every stage's `cancel` is called with `reason`. */
  cancel(reason: unknown): void
  /** The record the stages share (they are linked by `compose`), or `undefined` when no stage keeps one. */
  readonly record: StreamRecord | undefined
  /** Links every stage that keeps a record to `record` (see `RecordedStage`). */
  useRecord(record: StreamRecord, piped?: boolean): void
}

/** Any transformer, as far as the composition is concerned. */
// biome-ignore lint: the composition is typed at its edges by the overloads of `compose`.
type AnyTransformer = StreamTransformer<any, any>

/**
 * Fuses transformers into one: `compose(a, b, c)` runs `a`, `b` and `c` synchronously in a
 * single `TransformStream`. What `a` enqueues goes straight into `b.transform`, with no
 * queue, no promise and no extra stream between them, so an item comes out in the same
 * `transform` call in which its last input arrived.
 *
 * It behaves as `readable.pipeThrough(new TransformStream(a)).pipeThrough(new
 * TransformStream(b))…`, without the cost of each stage:
 * - `start` runs from the last stage to the first (as in a chain, each stage has started
 *   before anything reaches it), then for each chunk `transform`, then `flush` run in stage
 *   order (`a`'s flush may enqueue into `b` before `b` flushes);
 * - an error a stage throws, or passes to `controller.error`, errors the whole with the
 *   original error, and the other stages' `cancel` (the newer Streams spec's transformer
 *   hook, which a chain calls as the error travels) is called with it; `cancel` of the
 *   composition, called when the stream is cancelled or aborted, calls every stage's;
 * - a stage that calls `controller.terminate()` (as the chunk decoder does at `[DONE]`)
 *   ends the output: the stages after it flush, the ones before it are stopped (what they
 *   still produce is dropped and what they throw is ignored, as for the line splitter
 *   running over the rest of a read after `[DONE]`), and the source is cancelled; an error
 *   a later stage throws as it flushes still fails the output.
 *
 * A native `TransformStream` discards what is queued on its readable side when it errors:
 * the items a `transform` call enqueued before its error are lost. To read them first,
 * put the composition in an `OrderedTransformStream` instead (as `SSEStream` and
 * `ChatChunkStream` do).
 *
 * The stages must be synchronous: `start`, `transform` and `flush` must not return a
 * promise (a stage that does fails with {@link AsyncStageError}). Types flow from each
 * stage's output to the next stage's input; a mismatch is a compile-time error.
 *
 * @example Bytes to events in one stage
 * ```ts
 * import { compose } from '@sluice/compose'
 * import { LineSplitter } from '@sluice/lines'
 * import { SSEDecoder } from '@sluice/sse'
 *
 * const events = response.body!.pipeThrough(new TransformStream(compose(new LineSplitter(), new SSEDecoder())))
 * ```
 */
export function compose<I, O>(a: StreamTransformer<I, O>): ComposedTransformer<I, O>
export function compose<I, A, O>(
  a: StreamTransformer<I, A>,
  b: StreamTransformer<NoInfer<A>, O>,
): ComposedTransformer<I, O>
export function compose<I, A, B, O>(
  a: StreamTransformer<I, A>,
  b: StreamTransformer<NoInfer<A>, B>,
  c: StreamTransformer<NoInfer<B>, O>,
): ComposedTransformer<I, O>
export function compose<I, A, B, C, O>(
  a: StreamTransformer<I, A>,
  b: StreamTransformer<NoInfer<A>, B>,
  c: StreamTransformer<NoInfer<B>, C>,
  d: StreamTransformer<NoInfer<C>, O>,
): ComposedTransformer<I, O>
export function compose<I, A, B, C, D, O>(
  a: StreamTransformer<I, A>,
  b: StreamTransformer<NoInfer<A>, B>,
  c: StreamTransformer<NoInfer<B>, C>,
  d: StreamTransformer<NoInfer<C>, D>,
  e: StreamTransformer<NoInfer<D>, O>,
): ComposedTransformer<I, O>
export function compose<I, A, B, C, D, E, O>(
  a: StreamTransformer<I, A>,
  b: StreamTransformer<NoInfer<A>, B>,
  c: StreamTransformer<NoInfer<B>, C>,
  d: StreamTransformer<NoInfer<C>, D>,
  e: StreamTransformer<NoInfer<D>, E>,
  f: StreamTransformer<NoInfer<E>, O>,
): ComposedTransformer<I, O>
export function compose(...stages: AnyTransformer[]): ComposedTransformer<unknown, unknown> {
  if (stages.length === 0) throw new TypeError('compose: give at least one transformer')
  stages.forEach((stage, index) => {
    if (typeof stage !== 'object' || stage === null)
      throw new TypeError(`compose: stage ${index} is not a transformer object`)
  })
  // Each stage writes to the record of the first one (see StreamRecord).
  for (let position = 1; position < stages.length; position++) linkRecords(stages[position - 1], stages[position])
  return new Composition(stages)
}

/** The controller each stage gets: its `enqueue` is the next stage's `transform`. */
class StageController implements TransformController<unknown> {
  readonly #chain: Composition
  readonly #position: number

  constructor(chain: Composition, position: number) {
    this.#chain = chain
    this.#position = position
  }

  get desiredSize(): number | null {
    return this.#chain.outer.desiredSize
  }

  enqueue(chunk?: unknown): void {
    this.#chain.deliver(this.#position + 1, chunk)
  }

  error(reason?: unknown): void {
    this.#chain.fail(reason, this.#position)
  }

  terminate(): void {
    this.#chain.terminateAt(this.#position)
  }
}

class Composition implements ComposedTransformer<unknown, unknown> {
  /** The record the stages share (the first recorded stage's), if any stage keeps one. */
  get record(): StreamRecord | undefined {
    for (const stage of this.#stages) if (isRecordedStage(stage)) return stage.record
    return undefined
  }

  /** Every recorded stage writes to `record` from now on (a stage before the composition linked it). */
  useRecord(record: StreamRecord, piped?: boolean): void {
    let first = true
    for (const stage of this.#stages) {
      if (!isRecordedStage(stage)) continue
      stage.useRecord(record, first ? piped : undefined) // only the first stage is across a pipe
      first = false
    }
  }

  readonly #stages: AnyTransformer[]
  readonly #controllers: StageController[]
  /** The controller of the stream the composition runs in, set at each call. */
  outer!: TransformController<unknown>
  /**
   * Output is accepted from stages at or after this position only (-1: the source). When a
   * stage terminates, it and the stages before it are stopped.
   */
  #firstProducer = -1
  /** The output was closed (a stage terminated) or errored: nothing more goes out. */
  #ended = false
  /** The failure that ended the composition, if one did: it travels up through the stages' frames. */
  #failure: { reason: unknown } | undefined

  constructor(stages: AnyTransformer[]) {
    this.#stages = stages
    this.#controllers = stages.map((_, position) => new StageController(this, position))
  }

  start(controller: TransformController<unknown>): void {
    this.outer = controller
    // Last stage first: in a chain every stage has started before anything reaches it, and
    // what a stage's start enqueues comes out ahead of what its upstream sends through it.
    for (let position = this.#stages.length - 1; position >= 0 && !this.#ended; position--) this.#run(position, 'start')
  }

  transform(chunk: unknown, controller: TransformController<unknown>): void {
    this.outer = controller
    this.deliver(0, chunk)
  }

  flush(controller: TransformController<unknown>): void {
    this.outer = controller
    this.#flushFrom(0)
  }

  /** Hands `chunk` to the stage at `position`, or out of the composition after the last one. */
  deliver(position: number, chunk: unknown): void {
    if (this.#ended || position - 1 < this.#firstProducer) return
    if (position === this.#stages.length) return this.outer.enqueue(chunk)
    const stage = this.#stages[position]!
    if (stage.transform) {
      let result: unknown
      try {
        result = stage.transform(chunk, this.#controllers[position]!)
      } catch (error) {
        this.#thrown(error, position)
      }
      expectSync(result, position, 'transform')
    } else {
      this.deliver(position + 1, chunk) // no transform: the identity, as in TransformStream
    }
  }

  fail(reason: unknown, position?: number): void {
    if (this.#ended) return
    this.#ended = true
    this.#failure = { reason }
    this.#cancelStages(reason, position)
    this.outer.error(reason)
  }

  cancel(reason: unknown): void {
    this.#ended = true
    this.#cancelStages(reason)
  }

  /** Tells the stages but `except` (the one that failed) that the stream ended with `reason`. */
  #cancelStages(reason: unknown, except?: number): void {
    this.#stages.forEach((stage, position) => {
      if (position !== except) (stage as { cancel?: (reason: unknown) => unknown }).cancel?.(reason)
    })
  }

  /**
   * A stage threw: the composition ends as if it had called `controller.error`, and the error
   * goes on up — unless a later stage had terminated: the stages before it were stopped, and
   * what they still do (the line splitter running over the rest of a read after `[DONE]`)
   * can no longer fail the output, as in a chain, where their stream was cancelled.
   */
  #thrown(error: unknown, position: number): void {
    // The failure of a later stage, on its way up through the frame of the stage that called it.
    if (this.#failure?.reason === error) throw error
    if (position < this.#firstProducer) return
    if (!this.#ended) {
      this.#ended = true
      this.#failure = { reason: error }
      this.#cancelStages(error, position)
    }
    throw error
  }

  /**
   * The stage at `position` terminated: as in a chain of streams, the stages before it are
   * cancelled (their further output is dropped), the ones after it see the end of their
   * input and flush, then the output closes and the source is cancelled.
   */
  terminateAt(position: number): void {
    if (this.#ended || position < this.#firstProducer) return
    this.#firstProducer = position + 1
    this.#flushFrom(position + 1)
    if (!this.#ended) {
      this.#ended = true
      this.outer.terminate()
    }
  }

  #flushFrom(first: number): void {
    for (let position = first; position < this.#stages.length && !this.#ended; position++) this.#run(position, 'flush')
  }

  /** Calls the `start` or `flush` of the stage at `position`, where it has one. */
  #run(position: number, method: 'start' | 'flush'): void {
    const stage = this.#stages[position]!
    if (!stage[method]) return
    let result: unknown
    try {
      result = stage[method](this.#controllers[position]!)
    } catch (error) {
      this.#thrown(error, position)
    }
    expectSync(result, position, method)
  }
}
