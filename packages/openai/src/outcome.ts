import type { StreamProgress } from '@sluice/compose'
import type { FinishReason } from './types.ts'

/**
 * How a stream ended. `complete`: `[DONE]`, or a `finish_reason` on every choice, with no
 * unfinished event and no open tool call. `truncated`: it ended any other way without an
 * error. `error`: a stage or the input failed. `cancelled`: the reader stopped early.
 *
 * @example A notice for each ending
 * ```ts
 * import { ChatChunkStream, type StreamStatus } from '@sluice/openai'
 *
 * const notices: Record<StreamStatus, string> = {
 *   complete: '',
 *   truncated: 'The answer was cut off: try again.',
 *   error: 'The answer failed.',
 *   cancelled: 'Stopped.',
 * }
 * const chunks = new ChatChunkStream()
 * await response.body!.pipeThrough(chunks).pipeTo(new WritableStream()).catch(() => {}) // the outcome keeps the error
 * console.info(notices[(await chunks.outcome).status])
 * ```
 */
export type StreamStatus = 'complete' | 'truncated' | 'error' | 'cancelled'

/**
 * A tool call whose non-empty `arguments` are not complete JSON when the stream ended.
 *
 * @example Tool calls cut off mid-arguments
 * ```ts
 * import { DeltaAccumulatorStream } from '@sluice/accumulator'
 * import { ChatChunkStream } from '@sluice/openai'
 *
 * const chunks = new ChatChunkStream()
 * const completion = new DeltaAccumulatorStream() // piped after chunks: one record, one outcome
 * await response.body!.pipeThrough(chunks).pipeThrough(completion).pipeTo(new WritableStream()).catch(() => {})
 * for (const call of (await completion.outcome).openToolCalls) {
 *   console.warn(`tool call ${call.index} (${call.name}) of choice ${call.choice}: ${call.argumentsLength} characters of incomplete JSON`)
 * }
 * ```
 */
export interface OpenToolCall {
  /** Index of the choice it belongs to. */
  choice: number
  /** Its position in the choice's `tool_calls`. */
  index: number
  /** The call's `id` (`''` if the provider sent none). */
  id: string
  /** The function name (`''` until a fragment names it). */
  name: string
  /** Length of the arguments received, in UTF-16 code units. */
  argumentsLength: number
}

/**
 * What the stages of a chat stream saw so far: the record's view (`StreamProgress`) and its
 * chat part (`[DONE]`, finish reasons). The `progress` of the chunk decoder's classes and
 * of the accumulator's.
 *
 * @example What the stream has seen so far, mid-stream
 * ```ts
 * import { ChatChunkStream } from '@sluice/openai'
 *
 * const chunks = new ChatChunkStream()
 * for await (const chunk of response.body!.pipeThrough(chunks)) {
 *   const { finishReasons, counts } = chunks.progress
 *   console.debug(`chunk ${counts.chunks}: choice 0 finished with ${finishReasons[0] ?? 'nothing yet'}`)
 * }
 * ```
 */
export interface ChatProgress extends StreamProgress {
  /** Whether `data: [DONE]` arrived. */
  sawDone: boolean
  /** The last `finish_reason` of each choice that appeared (`null`: none yet). */
  finishReasons: Record<number, FinishReason | null>
}

/**
 * The outcome of a stream: how it ended and everything the stages saw. Given by the
 * `outcome` promise of `ChunkDecoder(Stream)`, `ChatChunkParser`/`ChatChunkStream` and
 * `DeltaAccumulator(Stream)`, and carried by `TruncatedStreamError`.
 *
 * @example Read the outcome after the loop, however it ended
 * ```ts
 * import { ChatChunkStream } from '@sluice/openai'
 *
 * const chunks = new ChatChunkStream()
 * try {
 *   for await (const chunk of response.body!.pipeThrough(chunks)) render(chunk)
 * } finally {
 *   const { status, sawDone, finishReasons, quirks, error } = await chunks.outcome
 *   if (status !== 'complete') console.warn(status, { sawDone, finishReasons, quirks }, error)
 * }
 * ```
 */
export interface StreamOutcome extends ChatProgress {
  /** How the stream ended (see {@link StreamStatus}). */
  status: StreamStatus
  /** Tool calls whose non-empty `arguments` are not complete JSON (known where calls are assembled: the accumulator). */
  openToolCalls: OpenToolCall[]
  /** The error (status `error`, or `truncated` when it was raised) or the cancel reason (status `cancelled`). */
  error?: unknown
}

/** Why a stream is not complete, as phrases: `[]` when it is. */
export function missingParts(progress: ChatProgress, openToolCalls: readonly OpenToolCall[]): string[] {
  const parts: string[] = []
  const unfinished = Object.entries(progress.finishReasons).filter(([, reason]) => reason === null)
  const choices = Object.keys(progress.finishReasons).length
  if (!progress.sawDone && (choices === 0 || unfinished.length > 0)) {
    parts.push('no [DONE]')
    if (progress.counts.chunks === 0) parts.push('no chunk arrived')
    else if (choices === 0) parts.push('no choice arrived')
    for (const [choice] of unfinished) parts.push(`choice ${choice} has no finish_reason`)
  }
  const event = progress.unfinishedEvent
  if (event) {
    parts.push(
      `an unfinished event of ${event.lines} line${event.lines === 1 ? '' : 's'} (${event.dataLength} chars) was discarded`,
    )
  }
  for (const call of openToolCalls) {
    parts.push(
      `tool call ${call.index} of choice ${call.choice} (${call.name || 'unnamed'}) has incomplete arguments (${call.argumentsLength} chars)`,
    )
  }
  return parts
}

/**
 * The outcome of a stream that ended without an error: complete or truncated.
 *
 * @example What the outcome would be if the stream ended now
 * ```ts
 * import { ChatChunkStream, outcomeOf } from '@sluice/openai'
 *
 * const chunks = new ChatChunkStream()
 * for await (const chunk of response.body!.pipeThrough(chunks)) {
 *   if (chunk.choices[0]?.finish_reason) console.debug(outcomeOf(chunks.progress).status) // 'complete'
 * }
 * ```
 */
export function outcomeOf(progress: ChatProgress, openToolCalls: OpenToolCall[] = []): StreamOutcome {
  const status = missingParts(progress, openToolCalls).length === 0 ? 'complete' : 'truncated'
  return { ...progress, status, openToolCalls }
}

/**
 * The outcome of a stream that ended with `reason`: an error thrown by a stage or met by the
 * input, or a cancellation. A reason that is not an `Error`, or is an `AbortError` or
 * `TimeoutError`, is a cancellation; a `TruncatedStreamError` keeps its own outcome.
 *
 * @example A cancellation and an error
 * ```ts
 * import { ChatChunkStream, outcomeOfEnd } from '@sluice/openai'
 *
 * const { progress } = new ChatChunkStream()
 * outcomeOfEnd(progress, new DOMException('The user aborted a request.', 'AbortError')).status // 'cancelled'
 * outcomeOfEnd(progress, new TypeError('terminated')).status // 'error'
 * ```
 */
export function outcomeOfEnd(
  progress: ChatProgress,
  reason: unknown,
  openToolCalls: OpenToolCall[] = [],
): StreamOutcome {
  const carried = (reason as { outcome?: StreamOutcome } | null)?.outcome
  if (reason instanceof Error && carried?.status === 'truncated')
    return { ...carried, ...progress, status: 'truncated', openToolCalls, error: reason }
  const cancelled = !(reason instanceof Error) || reason.name === 'AbortError' || reason.name === 'TimeoutError'
  return { ...progress, status: cancelled ? 'cancelled' : 'error', openToolCalls, error: reason }
}
