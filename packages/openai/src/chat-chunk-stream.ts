import type { LineSplitterInput } from '@sluice/lines'
import { SSEParser, type ServerSentEvent, type SSEStreamOptions } from '@sluice/sse'
import { ChunkDecoder, type ChunkDecoderOptions } from './chunk-decoder.ts'
import type { ChatCompletionChunk } from './types.ts'

/** Options of {@link ChatChunkParser} and {@link ChatChunkStream}: those of each stage. */
export interface ChatChunkStreamOptions extends SSEStreamOptions, Omit<ChunkDecoderOptions, 'lineNumber'> {}

/**
 * Bytes in, `ChatCompletionChunk`s out: the line splitter, the SSE decoder and
 * {@link ChunkDecoder} in one transformer. Each event goes straight from the SSE stage
 * into the chunk stage, with no queue between them, and errors name the input line.
 *
 * @example With any TransformStream implementation
 * ```ts
 * const chunks = response.body!.pipeThrough(new TransformStream(new ChatChunkParser()))
 * ```
 */
export class ChatChunkParser implements Transformer<LineSplitterInput, ChatCompletionChunk> {
  readonly #events: SSEParser
  readonly #chunks: ChunkDecoder
  /** Stands in for a stream controller between the SSE stage and the chunk stage. */
  readonly #eventSink: TransformStreamDefaultController<ServerSentEvent>
  #target: TransformStreamDefaultController<ChatCompletionChunk> | undefined

  constructor(options: ChatChunkStreamOptions = {}) {
    const events = new SSEParser(options)
    this.#events = events
    this.#chunks = new ChunkDecoder({ ...options, lineNumber: () => events.lineNumber })
    const target = () => this.#target!
    this.#eventSink = {
      get desiredSize() {
        return target().desiredSize
      },
      enqueue: (event: ServerSentEvent) => this.#chunks.transform(event, target()),
      error: (reason?: unknown) => target().error(reason),
      terminate: () => target().terminate(),
    }
  }

  /** Whether `data: [DONE]` has arrived. */
  get done(): boolean {
    return this.#chunks.done
  }

  transform(chunk: LineSplitterInput, controller: TransformStreamDefaultController<ChatCompletionChunk>): void {
    this.#target = controller
    this.#events.transform(chunk, this.#eventSink)
  }

  flush(controller: TransformStreamDefaultController<ChatCompletionChunk>): void {
    this.#target = controller
    this.#events.flush(this.#eventSink)
    this.#chunks.flush()
  }
}

/**
 * Bytes in, `ChatCompletionChunk`s out: the common case in one stream
 * ({@link ChatChunkParser} as a `TransformStream`).
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
export class ChatChunkStream extends TransformStream<LineSplitterInput, ChatCompletionChunk> {
  constructor(
    options?: ChatChunkStreamOptions,
    writableStrategy?: QueuingStrategy<LineSplitterInput>,
    readableStrategy?: QueuingStrategy<ChatCompletionChunk>,
  ) {
    super(new ChatChunkParser(options), writableStrategy, readableStrategy)
  }
}
