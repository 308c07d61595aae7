import {
  type ComposedTransformer,
  compose,
  type RecordedStage,
  type StreamRecord,
  type StreamTransformer,
  type TransformController,
} from '@sluice/compose'
import { LineSplitter, type LineSplitterInput } from '@sluice/lines'
import { SSEDecoder, type SSEStreamOptions, type ServerSentEvent } from '@sluice/sse'

/**
 * A stage that turns server-sent events into a wire format's typed events and gives a
 * verdict: the event decoders of `@sluice/anthropic` and `@sluice/responses`.
 *
 * @example
 * ```ts
 * import type { EventDecoderStage } from '@sluice/formats'
 *
 * const verdict = async (decoder: EventDecoderStage<unknown, unknown, { status: string }>) => (await decoder.outcome).status
 * ```
 */
export interface EventDecoderStage<Out, Progress, Outcome>
  extends StreamTransformer<ServerSentEvent, Out>,
    RecordedStage {
  /** The verdict, settled once when the stream ends. */
  readonly outcome: Promise<Outcome>
  /** What the stages saw so far. */
  readonly progress: Progress
}

/**
 * Bytes in, a wire format's typed events out: the line splitter, the SSE decoder (which
 * names a body that is not an event stream at its first line) and `decoder` composed into
 * one transformer, sharing one record. The fused parsers of the wire formats extend it.
 *
 * @example Any event decoder behind the SSE stages
 * ```ts
 * import { EventParser } from '@sluice/formats'
 * import { MessageEventDecoder } from '@sluice/anthropic'
 *
 * const parser = new EventParser(new MessageEventDecoder(), {})
 * const events = response.body!.pipeThrough(new TransformStream(parser))
 * ```
 */
export class EventParser<Out, Progress, Outcome> implements StreamTransformer<LineSplitterInput, Out>, RecordedStage {
  readonly #decoder: EventDecoderStage<Out, Progress, Outcome>
  readonly #stages: ComposedTransformer<LineSplitterInput, Out>

  constructor(decoder: EventDecoderStage<Out, Progress, Outcome>, options: SSEStreamOptions) {
    const lines = new LineSplitter({ ...options, terminators: 'any' })
    const events = new SSEDecoder({ requireEventStream: true, ...options })
    this.#decoder = decoder
    this.#stages = compose(lines, events, decoder)
  }

  /** The record the three stages write to. */
  get record(): StreamRecord {
    return this.#decoder.record
  }

  /** Links the three stages to `record` (see `RecordedStage`). */
  useRecord(record: StreamRecord, piped?: boolean): void {
    this.#stages.useRecord(record, piped)
  }

  /** The decoder's verdict. */
  get outcome(): Promise<Outcome> {
    return this.#decoder.outcome
  }

  /** What the decoder and the stages before it saw so far. */
  get progress(): Progress {
    return this.#decoder.progress
  }

  start(controller: TransformController<Out>): void {
    this.#stages.start(controller)
  }

  transform(chunk: LineSplitterInput, controller: TransformController<Out>): void {
    this.#stages.transform(chunk, controller)
  }

  flush(controller: TransformController<Out>): void {
    this.#stages.flush(controller)
  }

  cancel(reason?: unknown): void {
    this.#stages.cancel(reason)
  }
}
