import { RecordedTransformStream } from '@sluice/compose'
import { EventParser } from '@sluice/formats'
import type { LineSplitterInput } from '@sluice/lines'
import type { SSEQuirk, SSEStreamOptions } from '@sluice/sse'
import { GeminiChunkDecoder, type GeminiChunkDecoderOptions } from './gemini-chunk-decoder.ts'
import type { GeminiOutcome, GeminiProgress } from './outcome.ts'
import type { GeminiChunk, GeminiQuirk } from './types.ts'

/**
 * Options of {@link GeminiChunkParser} and {@link GeminiChunkStream}: those of the SSE stage and of the decoder.
 *
 * @example
 * ```ts
 * import { GeminiChunkStream, type GeminiChunkStreamOptions } from '@sluice/gemini'
 *
 * const options: GeminiChunkStreamOptions = { onQuirk: (quirk) => console.warn(quirk.code, quirk.message) }
 * const chunks = response.body!.pipeThrough(new GeminiChunkStream(options))
 * ```
 */
export interface GeminiChunkStreamOptions
  extends Omit<SSEStreamOptions, 'onQuirk' | 'trailingEvent'>,
    Omit<GeminiChunkDecoderOptions, 'onQuirk'> {
  /** Called for each quirk of the SSE stage and of the decoder. */
  onQuirk?: (quirk: SSEQuirk | GeminiQuirk) => void
}

/**
 * Bytes in, typed {@link GeminiChunk}s out: the line splitter, the SSE decoder and
 * {@link GeminiChunkDecoder} composed into one transformer (`EventParser` from
 * `@sluice/formats`). A body that is one JSON array (`streamGenerateContent` without
 * `alt=sse`) is named at its first line (`NotEventStreamError`, `likelyCause: 'json-array'`).
 *
 * @example Pull it without a stream, then read the outcome
 * ```ts
 * import { iterate } from '@sluice/compose'
 * import { GeminiChunkParser } from '@sluice/gemini'
 *
 * const parser = new GeminiChunkParser()
 * for await (const chunk of iterate(response.body!, parser)) console.log(chunk.candidates?.[0]?.content?.parts)
 * console.log((await parser.outcome).status)
 * ```
 */
export class GeminiChunkParser extends EventParser<GeminiChunk, GeminiProgress, GeminiOutcome> {
  constructor(options: GeminiChunkStreamOptions = {}) {
    super(new GeminiChunkDecoder(options), options)
  }
}

/**
 * Bytes in, typed {@link GeminiChunk}s out, in one stream ({@link GeminiChunkParser} as an
 * `OrderedTransformStream`): the chunks before an error are read before it.
 *
 * @example Print a streamed answer from streamGenerateContent with alt=sse
 * ```ts
 * import { GeminiChunkStream } from '@sluice/gemini'
 *
 * for await (const chunk of response.body!.pipeThrough(new GeminiChunkStream())) {
 *   for (const part of chunk.candidates?.[0]?.content?.parts ?? []) if (!part.thought) process.stdout.write(part.text ?? '')
 * }
 * ```
 */
export class GeminiChunkStream extends RecordedTransformStream<
  LineSplitterInput,
  GeminiChunk,
  GeminiProgress,
  GeminiChunkParser
> {
  constructor(
    options: GeminiChunkStreamOptions = {},
    writableStrategy?: QueuingStrategy<LineSplitterInput>,
    readableStrategy?: QueuingStrategy<GeminiChunk>,
  ) {
    super(new GeminiChunkParser(options), writableStrategy, readableStrategy)
  }

  /** See {@link GeminiChunkDecoder.outcome}. */
  get outcome(): Promise<GeminiOutcome> {
    return this.stage.outcome
  }
}
