import { compose, type ComposedTransformer } from '@sluice/compose'
import { LineSplitter, type LineSplitterInput } from '@sluice/lines'
import { SSEDecoder, type SSEStreamOptions } from '@sluice/sse'
import { ChunkDecoder, type ChunkDecoderOptions } from './chunk-decoder.ts'
import type { ChatCompletionChunk } from './types.ts'

/** Options of {@link ChatChunkParser} and {@link ChatChunkStream}: those of each stage. */
export interface ChatChunkStreamOptions extends SSEStreamOptions, Omit<ChunkDecoderOptions, 'lineNumber'> {}

/**
 * Bytes in, `ChatCompletionChunk`s out: the line splitter, the SSE decoder and
 * {@link ChunkDecoder} composed into one transformer (`compose` from `@sluice/compose`):
 * each line and each event goes straight into the next stage, with no queue between
 * them, and errors name the input line.
 *
 * @example With any TransformStream implementation
 * ```ts
 * const chunks = response.body!.pipeThrough(new TransformStream(new ChatChunkParser()))
 * ```
 */
export class ChatChunkParser implements Transformer<LineSplitterInput, ChatCompletionChunk> {
  readonly #chunks: ChunkDecoder
  readonly #stages: ComposedTransformer<LineSplitterInput, ChatCompletionChunk>

  constructor(options: ChatChunkStreamOptions = {}) {
    const events = new SSEDecoder(options)
    this.#chunks = new ChunkDecoder({ ...options, lineNumber: () => events.lineNumber })
    this.#stages = compose(new LineSplitter({ ...options, terminators: 'any' }), events, this.#chunks)
  }

  /** Whether `data: [DONE]` has arrived. */
  get done(): boolean {
    return this.#chunks.done
  }

  start(controller: TransformStreamDefaultController<ChatCompletionChunk>): void {
    this.#stages.start(controller)
  }

  transform(chunk: LineSplitterInput, controller: TransformStreamDefaultController<ChatCompletionChunk>): void {
    this.#stages.transform(chunk, controller)
  }

  flush(controller: TransformStreamDefaultController<ChatCompletionChunk>): void {
    this.#stages.flush(controller)
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
