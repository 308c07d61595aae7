import { LineSplitter, type LineSplitterInput, type LineSplitterOptions } from '@sluice/lines'
import { SSEDecoder, type SSEDecoderOptions } from './sse-decoder.ts'
import type { ServerSentEvent, UnfinishedEvent } from './types.ts'

/**
 * Options of {@link SSEParser} and {@link SSEStream}: those of the decoder, and those of
 * the line splitter except `terminators` (SSE lines end at LF, CRLF or a lone CR).
 */
export interface SSEStreamOptions extends SSEDecoderOptions, Omit<LineSplitterOptions, 'terminators'> {}

/**
 * Bytes (or text) in, server-sent events out: `LineSplitter` and {@link SSEDecoder} in
 * one transformer. Each line goes from the splitter straight into the decoder, with no
 * queue between them.
 *
 * @example With any TransformStream implementation
 * ```ts
 * const events = response.body!.pipeThrough(new TransformStream(new SSEParser()))
 * ```
 */
export class SSEParser implements Transformer<LineSplitterInput, ServerSentEvent> {
  readonly #lines: LineSplitter
  readonly #decoder: SSEDecoder
  /** Stands in for a stream controller between the two stages: each line is decoded at once. */
  readonly #lineSink: TransformStreamDefaultController<string>
  #target: TransformStreamDefaultController<ServerSentEvent> | undefined

  constructor(options: SSEStreamOptions = {}) {
    this.#lines = new LineSplitter({ ...options, terminators: 'any' })
    this.#decoder = new SSEDecoder(options)
    const target = () => this.#target!
    this.#lineSink = {
      get desiredSize() {
        return target().desiredSize
      },
      enqueue: (line: string) => this.#decoder.transform(line, target()),
      error: (reason?: unknown) => target().error(reason),
      terminate: () => target().terminate(),
    }
  }

  /** See {@link SSEDecoder.lastEventId}. */
  get lastEventId(): string {
    return this.#decoder.lastEventId
  }

  /** See {@link SSEDecoder.unfinishedEvent}. */
  get unfinishedEvent(): UnfinishedEvent | null {
    return this.#decoder.unfinishedEvent
  }

  /** See {@link SSEDecoder.lineNumber}. */
  get lineNumber(): number {
    return this.#decoder.lineNumber
  }

  transform(chunk: LineSplitterInput, controller: TransformStreamDefaultController<ServerSentEvent>): void {
    this.#target = controller
    this.#lines.transform(chunk, this.#lineSink)
  }

  flush(controller: TransformStreamDefaultController<ServerSentEvent>): void {
    this.#target = controller
    this.#lines.flush(this.#lineSink)
    this.#decoder.flush()
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
export class SSEStream extends TransformStream<LineSplitterInput, ServerSentEvent> {
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

  /** See {@link SSEDecoder.lastEventId}. */
  get lastEventId(): string {
    return this.#parser.lastEventId
  }

  /** See {@link SSEDecoder.unfinishedEvent}. */
  get unfinishedEvent(): UnfinishedEvent | null {
    return this.#parser.unfinishedEvent
  }
}
