import { SluiceError } from '@sluice/compose'
import { describePosition, quotePayload } from '@sluice/formats'
import type { EventPosition } from '@sluice/openai'
import { type GeminiOutcome, geminiMissingParts } from './outcome.ts'

/**
 * Base class of the errors `@sluice/gemini` raises (it also raises `@sluice/openai`'s
 * `ProviderError` for an error chunk, so one `catch` handles every format).
 *
 * @example
 * ```ts
 * import { GeminiChunkStream, GeminiStreamError } from '@sluice/gemini'
 *
 * try {
 *   for await (const chunk of response.body!.pipeThrough(new GeminiChunkStream())) console.log(chunk.candidates?.length)
 * } catch (error) {
 *   if (error instanceof GeminiStreamError) console.error(error.code, error.message)
 * }
 * ```
 */
export abstract class GeminiStreamError extends SluiceError {}

/**
 * An event whose data is not a JSON object: also a chunk of another format (a chat
 * completion chunk, an Anthropic or Responses event), named as such.
 *
 * @example
 * ```ts
 * import { GeminiChunkParseError } from '@sluice/gemini'
 *
 * const error = new GeminiChunkParseError('{"candidates":', 'data is not JSON', { eventIndex: 3 })
 * console.log(error.message)
 * ```
 */
export class GeminiChunkParseError extends GeminiStreamError {
  readonly code = 'SLUICE_GEMINI_CHUNK_PARSE'
  declare readonly data: string
  declare readonly eventIndex: number
  declare readonly line: number | undefined

  constructor(data: string, why: string, position: EventPosition, options?: ErrorOptions) {
    super(`${describePosition(position)}: ${why}: ${quotePayload(data)}`, options)
    this.data = data
    this.eventIndex = position.eventIndex
    this.line = position.line
    this.name = 'GeminiChunkParseError'
  }
}

/**
 * A chunk that breaks the shape of a Gemini stream: `candidates` that is not an array, a
 * candidate `index` that is not an integer >= 0, `parts` that is not an array of objects, a
 * `partialArgs` path this version cannot follow.
 *
 * @example
 * ```ts
 * import { UnexpectedGeminiChunkError } from '@sluice/gemini'
 *
 * const error = new UnexpectedGeminiChunkError('candidates is not an array', { eventIndex: 2 })
 * console.log(error.message)
 * ```
 */
export class UnexpectedGeminiChunkError extends GeminiStreamError {
  readonly code = 'SLUICE_UNEXPECTED_GEMINI_CHUNK'
  declare readonly eventIndex: number
  declare readonly line: number | undefined

  constructor(why: string, position: EventPosition) {
    super(`${describePosition(position)}: unexpected chunk: ${why}`)
    this.eventIndex = position.eventIndex
    this.line = position.line
    this.name = 'UnexpectedGeminiChunkError'
  }
}

/**
 * A Gemini stream that ended before every candidate sent its `finishReason` (and without an
 * error chunk or a blocked prompt). Peers turn this into finish reason `other`; sluice says
 * the answer is cut.
 *
 * @example
 * ```ts
 * import { GeminiChunkStream, TruncatedGeminiError } from '@sluice/gemini'
 *
 * try {
 *   for await (const chunk of response.body!.pipeThrough(new GeminiChunkStream())) console.log(chunk.responseId)
 * } catch (error) {
 *   if (error instanceof TruncatedGeminiError) console.warn('cut off:', error.outcome.candidates)
 * }
 * ```
 */
export class TruncatedGeminiError extends GeminiStreamError {
  readonly code = 'SLUICE_TRUNCATED_GEMINI'
  /** Always `true`: the same request, sent again, may succeed. */
  readonly retryable = true
  declare readonly outcome: GeminiOutcome

  constructor(outcome: GeminiOutcome) {
    const events = outcome.counts.events ?? 0
    super(
      `the stream was cut off: ${geminiMissingParts(outcome).join('; ')} (after ${events} event${events === 1 ? '' : 's'})`,
    )
    this.outcome = outcome
    this.name = 'TruncatedGeminiError'
  }
}
