import {
  type ComposedTransformer,
  compose,
  type RecordedStage,
  RecordedTransformStream,
  type StreamProgress,
  type StreamRecord,
  type StreamTransformer,
  type TransformController,
} from '@sluice/compose'
import { byteOffsetsFor, LineSplitter, type LineSplitterInput, type LineSplitterOptions } from '@sluice/lines'
import { SSEDecoder, type SSEDecoderOptions } from './sse-decoder.ts'
import type { ServerSentEvent } from './types.ts'

/**
 * Options of {@link SSEParser} and {@link SSEStream}: those of the decoder, and those of
 * the line splitter except `terminators` (SSE lines end at LF, CRLF or a lone CR).
 *
 * @example Limits and hooks of both stages
 * ```ts
 * import { SSEStream, type SSEStreamOptions } from '@sluice/sse'
 *
 * const options: SSEStreamOptions = {
 *   maxLineLength: 1 << 20, // the line splitter's
 *   maxEventSize: 1 << 20, // the decoder's
 *   onRetry: (milliseconds) => console.debug('the server asks to reconnect after', milliseconds),
 * }
 * const events = response.body!.pipeThrough(new SSEStream(options))
 * ```
 */
export interface SSEStreamOptions extends SSEDecoderOptions, Omit<LineSplitterOptions, 'terminators'> {}

/**
 * Bytes (or text) in, server-sent events out: `LineSplitter` and {@link SSEDecoder}
 * composed into one transformer (`compose` from `@sluice/compose`): each line goes from
 * the splitter straight into the decoder, with no queue between them.
 *
 * @example With any TransformStream implementation
 * ```ts
 * import { SSEParser } from '@sluice/sse'
 *
 * const events = response.body!.pipeThrough(new TransformStream(new SSEParser()))
 * ```
 */
export class SSEParser implements StreamTransformer<LineSplitterInput, ServerSentEvent>, RecordedStage {
  readonly #decoder: SSEDecoder
  readonly #stages: ComposedTransformer<LineSplitterInput, ServerSentEvent>

  constructor(options: SSEStreamOptions = {}) {
    // A tracing hook gets byte offsets: count them.
    const trackByteOffsets = byteOffsetsFor(options.trackByteOffsets, options.onEvent)
    const lines = new LineSplitter({ ...options, terminators: 'any', trackByteOffsets })
    this.#decoder = new SSEDecoder(options)
    this.#stages = compose(lines, this.#decoder) // links the decoder to the splitter's record
  }

  /** The record both stages write to (see {@link SSEDecoder.record}); bytes are counted. */
  get record(): StreamRecord {
    return this.#decoder.record
  }

  /** Links both stages to `record` (see `RecordedStage`). */
  useRecord(record: StreamRecord, piped?: boolean): void {
    this.#stages.useRecord(record, piped)
  }

  /** What the record holds so far (see `StreamProgress`). */
  get progress(): StreamProgress {
    return this.#decoder.progress
  }

  /** Starts both stages. */
  start(controller: TransformController<ServerSentEvent>): void {
    this.#stages.start(controller)
  }

  /** Splits `chunk` into lines and interprets each at once: events come out in this call. */
  transform(chunk: LineSplitterInput, controller: TransformController<ServerSentEvent>): void {
    this.#stages.transform(chunk, controller)
  }

  /** The end of the input: the last line, then the decoder's end (see {@link SSEDecoder.flush}). */
  flush(controller: TransformController<ServerSentEvent>): void {
    this.#stages.flush(controller)
  }
}

/**
 * Bytes in, events out: the common case in one stream ({@link SSEParser} as a
 * `TransformStream`).
 *
 * @example Read the events of a chat completion stream
 * ```ts
 * import { SSEStream } from '@sluice/sse'
 *
 * const response = await fetch(`${baseURL}/chat/completions`, {
 *   method: 'POST',
 *   headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` },
 *   body: JSON.stringify({ model: 'anthropic/claude-sonnet-4-5', stream: true, messages }),
 * })
 * for await (const event of response.body!.pipeThrough(new SSEStream())) {
 *   if (event.data === '[DONE]') break
 *   console.log(JSON.parse(event.data).choices[0]?.delta?.content ?? '')
 * }
 * ```
 */
export class SSEStream extends RecordedTransformStream<LineSplitterInput, ServerSentEvent, StreamProgress, SSEParser> {
  constructor(
    options?: SSEStreamOptions,
    writableStrategy?: QueuingStrategy<LineSplitterInput>,
    readableStrategy?: QueuingStrategy<ServerSentEvent>,
  ) {
    super(new SSEParser(options), writableStrategy, readableStrategy)
  }
}
