import type { StreamProgress } from '@sluice/compose'
import { endedOutcome, type FormatOutcome } from '@sluice/formats'

/**
 * What the decoder knows of one candidate.
 *
 * @example
 * ```ts
 * import type { CandidateProgress } from '@sluice/gemini'
 *
 * const candidate: CandidateProgress = { index: 0, finishReason: null, characters: 120, streamingCall: false }
 * ```
 */
export interface CandidateProgress {
  /** The candidate's `index`. */
  index: number
  /** Its `finishReason`, once a chunk carried one. */
  finishReason: string | null
  /** Characters of text its parts carried. */
  characters: number
  /** A function call whose arguments are still streaming (Vertex `willContinue: true`). */
  streamingCall: boolean
}

/**
 * What the stages of a Gemini stream saw so far: the record's view and the response's part.
 *
 * @example
 * ```ts
 * import { GeminiChunkStream } from '@sluice/gemini'
 *
 * const chunks = new GeminiChunkStream()
 * console.log(chunks.progress.candidates) // [] until the first candidate
 * ```
 */
export interface GeminiProgress extends StreamProgress {
  /** `responseId` of the chunks, once one carried it. */
  responseId: string | null
  /** `modelVersion` of the chunks, once one carried it. */
  modelVersion: string | null
  /** The candidates seen, by index. */
  candidates: CandidateProgress[]
  /** `promptFeedback.blockReason`: the prompt was blocked, the stream ended without candidates. */
  blockReason: string | null
}

/**
 * How a Gemini stream ended. `complete`: every candidate sent a `finishReason` (other than
 * `CONTINUATION`, which pauses it), or the prompt was blocked (`blockReason`). `truncated`: it ended otherwise without an error.
 * `error`: an error chunk, a stage or the input failed. `cancelled`: the reader stopped early.
 *
 * @example
 * ```ts
 * import { GeminiChunkStream } from '@sluice/gemini'
 *
 * const chunks = new GeminiChunkStream()
 * await response.body!.pipeThrough(chunks).pipeTo(new WritableStream()).catch(() => {})
 * const { status, candidates } = await chunks.outcome
 * ```
 */
export type GeminiOutcome = FormatOutcome<GeminiProgress>

/**
 * Why a stream is not complete, as phrases: `[]` when it is.
 *
 * @example
 * ```ts
 * import { GeminiChunkStream, geminiMissingParts } from '@sluice/gemini'
 *
 * console.log(geminiMissingParts(new GeminiChunkStream().progress)) // ['no candidate and no blockReason']
 * ```
 */
export function geminiMissingParts(progress: GeminiProgress): string[] {
  if (progress.blockReason !== null) return []
  const parts: string[] = []
  if (progress.candidates.length === 0) parts.push('no candidate and no blockReason')
  for (const candidate of progress.candidates) {
    if (candidate.finishReason === null)
      parts.push(`candidate ${candidate.index} has no finishReason after ${candidate.characters} chars`)
    else if (candidate.finishReason === 'CONTINUATION')
      parts.push(`candidate ${candidate.index} was paused (CONTINUATION): continue it with its continuationToken`)
    if (candidate.streamingCall) parts.push(`candidate ${candidate.index} has a function call still streaming`)
  }
  const event = progress.unfinishedEvent
  if (event && parts.length > 0) {
    parts.push(
      `an unfinished event of ${event.lines} line${event.lines === 1 ? '' : 's'} (${event.dataLength} chars) was discarded`,
    )
  }
  return parts
}

/**
 * The outcome of a stream that ended without an error: complete or truncated.
 *
 * @example
 * ```ts
 * import { GeminiChunkStream, geminiOutcomeOf } from '@sluice/gemini'
 *
 * geminiOutcomeOf(new GeminiChunkStream().progress).status // 'truncated'
 * ```
 */
export function geminiOutcomeOf(progress: GeminiProgress): GeminiOutcome {
  return { ...progress, status: geminiMissingParts(progress).length === 0 ? 'complete' : 'truncated' }
}

/**
 * The outcome of a stream that ended with `reason`: an error, or a cancellation (a non-Error, an AbortError, a TimeoutError).
 *
 * @example
 * ```ts
 * import { GeminiChunkStream, geminiOutcomeOfEnd } from '@sluice/gemini'
 *
 * geminiOutcomeOfEnd(new GeminiChunkStream().progress, new TypeError('terminated')).status // 'error'
 * ```
 */
export function geminiOutcomeOfEnd(progress: GeminiProgress, reason: unknown): GeminiOutcome {
  return endedOutcome(progress, reason)
}
