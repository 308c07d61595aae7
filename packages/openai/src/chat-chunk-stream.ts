import {
  type ComposedTransformer,
  compose,
  type RecordedStage,
  RecordedTransformStream,
  type StreamRecord,
  type StreamTransformer,
  type TransformController,
} from '@sluice/compose'
import { byteOffsetsFor, LineSplitter, type LineSplitterInput } from '@sluice/lines'
import { SSEDecoder, type SSEQuirk, type SSEStreamOptions } from '@sluice/sse'
import { ChunkDecoder, type ChunkDecoderOptions, checkAfterDone } from './chunk-decoder.ts'
import type { ChatProgress, StreamOutcome } from './outcome.ts'
import type { ChatCompletionChunk, ChunkQuirk } from './types.ts'

/**
 * Options of {@link ChatChunkParser} and {@link ChatChunkStream}: those of each stage (`onQuirk` gets the SSE decoder's quirks too).
 *
 * @example Options of the three stages in one object
 * ```ts
 * import { ChatChunkStream, type ChatChunkStreamOptions } from '@sluice/openai'
 *
 * const options: ChatChunkStreamOptions = {
 *   trailingEvent: 'dispatch-json', // the SSE stage's: Azure's last event has no closing blank line
 *   onComment: (text) => console.debug('keep-alive:', text), // the SSE stage's
 *   onQuirk: (quirk) => console.warn(quirk.code, quirk.message), // every stage's quirks
 * }
 * const chunks = response.body!.pipeThrough(new ChatChunkStream(options))
 * ```
 */
export interface ChatChunkStreamOptions
  extends Omit<SSEStreamOptions, 'onQuirk'>,
    Omit<ChunkDecoderOptions, 'onQuirk'> {
  /** Called for each quirk of the SSE stage and of the chunk decoder. */
  onQuirk?: (quirk: SSEQuirk | ChunkQuirk) => void
}

/**
 * Bytes in, `ChatCompletionChunk`s out: the line splitter, the SSE decoder and
 * {@link ChunkDecoder} composed into one transformer (`compose` from `@sluice/compose`):
 * each line and each event goes straight into the next stage, with no queue between
 * them, and errors name the input line.
 *
 * @example Pull it without a stream (the fast path), then read the outcome
 * ```ts
 * import { iterate } from '@sluice/compose'
 * import { ChatChunkParser } from '@sluice/openai'
 *
 * const parser = new ChatChunkParser()
 * for await (const chunk of iterate(response.body!, parser)) process.stdout.write(chunk.choices[0]?.delta.content ?? '')
 * const outcome = await parser.outcome
 * ```
 */
export class ChatChunkParser implements StreamTransformer<LineSplitterInput, ChatCompletionChunk>, RecordedStage {
  readonly #chunks: ChunkDecoder
  readonly #stages: ComposedTransformer<LineSplitterInput, ChatCompletionChunk>

  constructor(options: ChatChunkStreamOptions = {}) {
    // A tracing hook gets byte offsets: count them.
    const trackByteOffsets = byteOffsetsFor(options.trackByteOffsets, options.onEvent, options.onChunk)
    const lines = new LineSplitter({ ...options, terminators: 'any', trackByteOffsets })
    // A body that is not an event stream (a JSON error, an HTML page) is named at its first line.
    const events = new SSEDecoder({ requireEventStream: true, ...options })
    this.#chunks = new ChunkDecoder(options)
    this.#stages = compose(lines, events, this.#chunks) // one record for the three
  }

  /** The record the three stages write to (see `StreamRecord`). */
  get record(): StreamRecord {
    return this.#chunks.record
  }

  /** Links the three stages to `record` (see `RecordedStage`). */
  useRecord(record: StreamRecord, piped?: boolean): void {
    this.#stages.useRecord(record, piped)
  }

  /** Whether `data: [DONE]` has arrived. */
  get done(): boolean {
    return this.#chunks.done
  }

  /** See {@link ChunkDecoder.outcome}: with bytes, lines and events counted. */
  get outcome(): Promise<StreamOutcome> {
    return this.#chunks.outcome
  }

  /** See {@link ChunkDecoder.progress}. */
  get progress(): ChatProgress {
    return this.#chunks.progress
  }

  /** Starts the three stages. */
  start(controller: TransformController<ChatCompletionChunk>): void {
    this.#stages.start(controller)
  }

  /** Runs `chunk` through the three stages at once: its chunks come out in this call. */
  transform(chunk: LineSplitterInput, controller: TransformController<ChatCompletionChunk>): void {
    this.#stages.transform(chunk, controller)
  }

  /** The end of the input: each stage ends in turn (see {@link ChunkDecoder.flush}). */
  flush(controller: TransformController<ChatCompletionChunk>): void {
    this.#stages.flush(controller)
  }

  /** The stream was cancelled or its input failed: settles the outcome. */
  cancel(reason?: unknown): void {
    this.#stages.cancel(reason)
  }
}

/**
 * Bytes in, `ChatCompletionChunk`s out: the common case in one stream
 * ({@link ChatChunkParser} as a `TransformStream`, an `OrderedTransformStream` from
 * `@sluice/compose`: the chunks decoded before an error are read before it, and at
 * `[DONE]` the output closes and the input is cancelled or drained as `afterDone` says).
 *
 * @example Print a streamed answer
 * ```ts
 * import { ChatChunkStream } from '@sluice/openai'
 *
 * const response = await fetch('https://api.edenai.run/v3/chat/completions', {
 *   method: 'POST',
 *   headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` },
 *   body: JSON.stringify({ model: 'anthropic/claude-sonnet-4-5', stream: true, messages }),
 * })
 * for await (const chunk of response.body!.pipeThrough(new ChatChunkStream())) {
 *   process.stdout.write(chunk.choices[0]?.delta.content ?? '')
 * }
 * ```
 */
export class ChatChunkStream extends RecordedTransformStream<
  LineSplitterInput,
  ChatCompletionChunk,
  ChatProgress,
  ChatChunkParser
> {
  constructor(
    options: ChatChunkStreamOptions = {},
    writableStrategy?: QueuingStrategy<LineSplitterInput>,
    readableStrategy?: QueuingStrategy<ChatCompletionChunk>,
  ) {
    const afterDone = checkAfterDone(options.afterDone ?? 'auto', 'ChatChunkStream')
    // The parser always ends the output at [DONE]; the stream drains or cancels its input.
    const parser = new ChatChunkParser({ ...options, afterDone: 'cancel' })
    super(parser, writableStrategy, readableStrategy, { afterTerminate: afterDone })
  }

  /** See {@link ChunkDecoder.outcome}. */
  get outcome(): Promise<StreamOutcome> {
    return this.stage.outcome
  }
}
