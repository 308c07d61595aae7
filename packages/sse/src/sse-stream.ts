import { compose, OrderedTransformStream, type ComposedTransformer } from '@sluice/compose'
import { LineSplitter, type LineSplitterInput, type LineSplitterOptions } from '@sluice/lines'
import { SSEDecoder, type SSEDecoderOptions } from './sse-decoder.ts'
import type { DiscardedEvent, ServerSentEvent, SSEProgress, SSEStage, UnfinishedEvent } from './types.ts'

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
export interface SSEStreamOptions
  extends Omit<SSEDecoderOptions, 'upstream'>,
    Omit<LineSplitterOptions, 'terminators'> {}

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
export class SSEParser implements Transformer<LineSplitterInput, ServerSentEvent>, SSEStage {
  readonly #decoder: SSEDecoder
  readonly #stages: ComposedTransformer<LineSplitterInput, ServerSentEvent>

  constructor(options: SSEStreamOptions = {}) {
    // A tracing hook gets byte offsets: count them.
    const trackByteOffsets = options.trackByteOffsets ?? options.onEvent !== undefined
    const lines = new LineSplitter({ ...options, terminators: 'any', trackByteOffsets })
    this.#decoder = new SSEDecoder({ ...options, upstream: lines })
    this.#stages = compose(lines, this.#decoder)
  }

  /** See {@link SSEDecoder.progress}; bytes are counted. */
  get progress(): SSEProgress {
    return this.#decoder
  }

  /** See {@link SSEDecoder.lastEventId}. */
  get lastEventId(): string {
    return this.#decoder.lastEventId
  }

  /** See {@link SSEDecoder.unfinishedEvent}. */
  get unfinishedEvent(): UnfinishedEvent | null {
    return this.#decoder.unfinishedEvent
  }

  /** See {@link SSEDecoder.discardedEvent}. */
  get discardedEvent(): DiscardedEvent | null {
    return this.#decoder.discardedEvent
  }

  /** See {@link SSEDecoder.lineNumber}. */
  get lineNumber(): number {
    return this.#decoder.lineNumber
  }

  /** Starts both stages. */
  start(controller: TransformStreamDefaultController<ServerSentEvent>): void {
    this.#stages.start(controller)
  }

  /** Splits `chunk` into lines and interprets each at once: events come out in this call. */
  transform(chunk: LineSplitterInput, controller: TransformStreamDefaultController<ServerSentEvent>): void {
    this.#stages.transform(chunk, controller)
  }

  /** The end of the input: the last line, then the decoder's end (see {@link SSEDecoder.flush}). */
  flush(controller: TransformStreamDefaultController<ServerSentEvent>): void {
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
export class SSEStream extends OrderedTransformStream<LineSplitterInput, ServerSentEvent> implements SSEStage {
  readonly #parser: SSEParser

  constructor(
    options?: SSEStreamOptions,
    writableStrategy?: QueuingStrategy<LineSplitterInput>,
    readableStrategy?: QueuingStrategy<ServerSentEvent>,
  ) {
    const parser = new SSEParser(options)
    super(parser, writableStrategy, readableStrategy)
    this.#parser = parser
  }

  /** See {@link SSEDecoder.progress}; bytes are counted. */
  get progress(): SSEProgress {
    return this.#parser.progress
  }

  /** See {@link SSEDecoder.lastEventId}. */
  get lastEventId(): string {
    return this.#parser.lastEventId
  }

  /** See {@link SSEDecoder.unfinishedEvent}. */
  get unfinishedEvent(): UnfinishedEvent | null {
    return this.#parser.unfinishedEvent
  }

  /** See {@link SSEDecoder.discardedEvent}. */
  get discardedEvent(): DiscardedEvent | null {
    return this.#parser.discardedEvent
  }
}
