import type { UnfinishedEvent } from '@sluice/sse'
import type { FinishReason, Quirk } from './types.ts'

/**
 * How a stream ended. `complete`: `[DONE]`, or a `finish_reason` on every choice, with no
 * unfinished event and no open tool call. `truncated`: it ended any other way without an
 * error. `error`: a stage or the input failed. `cancelled`: the reader stopped early.
 */
export type StreamStatus = 'complete' | 'truncated' | 'error' | 'cancelled'

/** A tool call whose non-empty `arguments` are not complete JSON when the stream ended. */
export interface OpenToolCall {
  /** Index of the choice it belongs to. */
  choice: number
  /** Its position in the choice's `tool_calls`. */
  index: number
  id: string
  name: string
  /** Length of the arguments received, in UTF-16 code units. */
  argumentsLength: number
}

/** How much of each kind of item the stages saw. */
export interface StreamCounts {
  /** Bytes read by the line splitter (0 when no linked stage read bytes). */
  bytes: number
  /** Lines read by the SSE decoder. */
  lines: number
  /** Server-sent events dispatched. */
  events: number
  /** Chunks decoded (or, for an accumulator without `upstream`, added). */
  chunks: number
}

/** What the stages of a chain saw, before a verdict is drawn from it. */
export interface StreamProgress {
  /** Whether `data: [DONE]` arrived. */
  sawDone: boolean
  /** The last `finish_reason` of each choice that appeared (`null`: none yet). */
  finishReasons: Record<number, FinishReason | null>
  /** The block the SSE decoder discarded at the end of the input, or `null`. */
  unfinishedEvent: UnfinishedEvent | null
  /** Every repair reported so far, in order (at most 256 per stage are kept). */
  quirks: Quirk[]
  lastEventId: string
  counts: StreamCounts
}

/** A stage whose {@link StreamProgress} a later stage can read (the chunk decoder's classes). */
export interface ProgressSource {
  readonly progress: StreamProgress
}

/**
 * The verdict on a stream: how it ended and everything the stages saw. Given by the
 * `outcome` promise of `ChunkDecoder(Stream)`, `ChatChunkParser`/`ChatChunkStream` and
 * `DeltaAccumulator(Stream)`, and carried by `TruncatedStreamError`.
 */
export interface StreamOutcome extends StreamProgress {
  status: StreamStatus
  /** Tool calls whose non-empty `arguments` are not complete JSON (known where calls are assembled: the accumulator). */
  openToolCalls: OpenToolCall[]
  /** The error (status `error`, or `truncated` when it was raised) or the cancel reason (status `cancelled`). */
  error?: unknown
}

/** Why a stream is not complete, as phrases: `[]` when it is. */
export function missingParts(progress: StreamProgress, openToolCalls: readonly OpenToolCall[]): string[] {
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
    parts.push(`an unfinished event of ${event.lines} line${event.lines === 1 ? '' : 's'} (${event.dataLength} chars) was discarded`)
  }
  for (const call of openToolCalls) {
    parts.push(`tool call ${call.index} of choice ${call.choice} (${call.name || 'unnamed'}) has incomplete arguments (${call.argumentsLength} chars)`)
  }
  return parts
}

/** The verdict on a stream that ended without an error: complete or truncated. */
export function judge(progress: StreamProgress, openToolCalls: OpenToolCall[] = []): StreamOutcome {
  const status = missingParts(progress, openToolCalls).length === 0 ? 'complete' : 'truncated'
  return { ...progress, status, openToolCalls }
}

/**
 * The verdict on a stream that ended with `reason`: an error thrown by a stage or met by the
 * input, or a cancellation. A reason that is not an `Error`, or is an `AbortError` or
 * `TimeoutError`, is a cancellation; a `TruncatedStreamError` keeps its own verdict.
 */
export function judgeEnd(progress: StreamProgress, reason: unknown, openToolCalls: OpenToolCall[] = []): StreamOutcome {
  const carried = (reason as { outcome?: StreamOutcome } | null)?.outcome
  if (reason instanceof Error && carried?.status === 'truncated') return { ...carried, ...progress, status: 'truncated', openToolCalls, error: reason }
  const cancelled = !(reason instanceof Error) || reason.name === 'AbortError' || reason.name === 'TimeoutError'
  return { ...progress, status: cancelled ? 'cancelled' : 'error', openToolCalls, error: reason }
}

/** A promise and its resolver, settled once: the `outcome` of a stage. */
export class OutcomeLatch {
  readonly promise: Promise<StreamOutcome>
  #resolve!: (outcome: StreamOutcome) => void
  #settled = false

  constructor() {
    this.promise = new Promise((resolve) => {
      this.#resolve = resolve
    })
  }

  get settled(): boolean {
    return this.#settled
  }

  settle(outcome: StreamOutcome): void {
    if (this.#settled) return
    this.#settled = true
    this.#resolve(outcome)
  }
}
