import { OrderedTransformStream, type OrderedTransformStreamOptions } from './ordered-transform-stream.ts'
import type { RecordedStage, StreamProgress, StreamRecord } from './stream-record.ts'
import type { StreamTransformer } from './transformer.ts'

/**
 * A transformer that writes a record and gives a progress view of it: every sluice decoding stage.
 *
 * @example
 * ```ts
 * import type { ProgressStage } from '@sluice/compose'
 * import { SSEDecoder } from '@sluice/sse'
 *
 * const stage: ProgressStage = new SSEDecoder()
 * console.log(stage.progress.counts.events) // 0
 * ```
 */
export interface ProgressStage<P = StreamProgress> extends RecordedStage {
  /** What the stage has seen so far. */
  readonly progress: P
}

/**
 * An {@link OrderedTransformStream} around a stage that writes a `StreamRecord`: its
 * `record`, `useRecord` and `progress` are the stage's. Every sluice `…Stream` class that
 * decodes is one, so `pipeThrough` from one into another links their records.
 *
 * @example A stage of your own, linked like sluice's
 * ```ts
 * import { RecordedTransformStream } from '@sluice/compose'
 * import { LineSplitter } from '@sluice/lines'
 *
 * const lines = new RecordedTransformStream(new LineSplitter({ maxLineLength: 1024 }))
 * await response.body!.pipeThrough(lines).pipeTo(new WritableStream())
 * console.log(lines.progress.counts.bytes)
 * ```
 */
export class RecordedTransformStream<I, O, P = StreamProgress, S extends ProgressStage<P> = ProgressStage<P>>
  extends OrderedTransformStream<I, O>
  implements ProgressStage<P>
{
  /** The transformer this stream runs. */
  declare protected readonly stage: S

  constructor(
    stage: S & StreamTransformer<I, O>,
    writableStrategy?: QueuingStrategy<I>,
    readableStrategy?: QueuingStrategy<O>,
    options?: OrderedTransformStreamOptions,
  ) {
    super(stage, writableStrategy, readableStrategy, options)
    this.stage = stage
  }

  /** The record the stage writes to (see `StreamRecord`). */
  get record(): StreamRecord {
    return this.stage.record
  }

  /** Links the stage to `record` (see `RecordedStage`). */
  useRecord(record: StreamRecord, piped?: boolean): void {
    this.stage.useRecord(record, piped)
  }

  /** What the stage has seen so far. */
  get progress(): P {
    return this.stage.progress
  }
}
