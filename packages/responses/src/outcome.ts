import type { StreamProgress } from '@sluice/compose'
import { endedOutcome } from '@sluice/formats'
import type { TerminalEventType } from './types.ts'

/**
 * How a Responses stream ended. `complete`: `response.completed` or `response.incomplete`
 * arrived (an incomplete response is whole as the API ended it: read `incompleteReason`).
 * `truncated`: it ended without a terminal event and without an error. `error`: an `error`
 * event, `response.failed`, a stage or the input failed. `cancelled`: the reader stopped early.
 *
 * @example
 * ```ts
 * import type { ResponseStreamStatus } from '@sluice/responses'
 *
 * const status: ResponseStreamStatus = 'truncated'
 * ```
 */
export type ResponseStreamStatus = 'complete' | 'truncated' | 'error' | 'cancelled'

/**
 * An output item that `response.output_item.done` never closed.
 *
 * @example
 * ```ts
 * import type { OpenItem } from '@sluice/responses'
 *
 * const item: OpenItem = { outputIndex: 1, type: 'function_call', characters: 42, completeJSON: false }
 * ```
 */
export interface OpenItem {
  /** The item's `output_index`. */
  outputIndex: number
  /** Its type (`message`, `function_call`, `reasoning`, …). */
  type: string
  /** Characters its deltas carried. */
  characters: number
  /** For a function call: whether the arguments that arrived are one whole JSON value. */
  completeJSON?: boolean
}

/**
 * What the stages of a Responses stream saw so far: the record's view and the response's part.
 *
 * @example Where to resume a cut stream
 * ```ts
 * import { ResponseEventStream } from '@sluice/responses'
 *
 * const events = new ResponseEventStream()
 * const { responseId, lastSequenceNumber } = events.progress // GET /responses/{id}?stream=true&starting_after=…
 * ```
 */
export interface ResponseProgress extends StreamProgress {
  /** The response's id, once an event carrying the response came. */
  responseId: string | null
  /** The terminal event that arrived, or `null`. */
  terminal: TerminalEventType | null
  /** `incomplete_details.reason` of `response.incomplete` (`max_output_tokens`, `content_filter`, …), or `null`. */
  incompleteReason: string | null
  /** The last `sequence_number` read, or `null` (resume after it with `starting_after`). */
  lastSequenceNumber: number | null
  /** The stream did not start with `response.created`: a resumed replay. */
  resumed: boolean
  /** Items added and not done. */
  openItems: OpenItem[]
}

/**
 * The outcome of a Responses stream: how it ended and what the stages saw.
 *
 * @example
 * ```ts
 * import { ResponseEventStream } from '@sluice/responses'
 *
 * const events = new ResponseEventStream()
 * await response.body!.pipeThrough(events).pipeTo(new WritableStream()).catch(() => {})
 * const { status, incompleteReason } = await events.outcome
 * ```
 */
export interface ResponseOutcome extends ResponseProgress {
  status: ResponseStreamStatus
  /** The error (status `error`, or `truncated` when raised) or the cancel reason. */
  error?: unknown
}

/**
 * Why a stream is not complete, as phrases: `[]` when it is.
 *
 * @example What is missing so far
 * ```ts
 * import { ResponseEventStream, responseMissingParts } from '@sluice/responses'
 *
 * const events = new ResponseEventStream()
 * console.log(responseMissingParts(events.progress)) // ['no response.created', 'no terminal event (…)']
 * ```
 */
export function responseMissingParts(progress: ResponseProgress): string[] {
  const ended = progress.terminal !== null
  const parts: string[] = []
  if (progress.responseId === null && !progress.resumed) parts.push('no response.created')
  if (!ended) parts.push('no terminal event (response.completed, response.incomplete or response.failed)')
  const event = progress.unfinishedEvent
  if (event && !ended) {
    parts.push(
      `an unfinished event of ${event.lines} line${event.lines === 1 ? '' : 's'} (${event.dataLength} chars) was discarded`,
    )
  }
  if (!ended) {
    for (const item of progress.openItems)
      parts.push(`output item ${item.outputIndex} (${item.type}) is open after ${item.characters} chars`)
  }
  return parts
}

/**
 * The outcome of a stream that ended without an error: complete or truncated.
 *
 * @example What the outcome would be if the stream ended now
 * ```ts
 * import { ResponseEventStream, responseOutcomeOf } from '@sluice/responses'
 *
 * const events = new ResponseEventStream()
 * console.log(responseOutcomeOf(events.progress).status) // 'truncated'
 * ```
 */
export function responseOutcomeOf(progress: ResponseProgress): ResponseOutcome {
  return { ...progress, status: responseMissingParts(progress).length === 0 ? 'complete' : 'truncated' }
}

/**
 * The outcome of a stream that ended with `reason`: an error, or a cancellation (a non-Error, an AbortError, a TimeoutError).
 *
 * @example
 * ```ts
 * import { ResponseEventStream, responseOutcomeOfEnd } from '@sluice/responses'
 *
 * const { progress } = new ResponseEventStream()
 * responseOutcomeOfEnd(progress, new DOMException('The user aborted a request.', 'AbortError')).status // 'cancelled'
 * ```
 */
export function responseOutcomeOfEnd(progress: ResponseProgress, reason: unknown): ResponseOutcome {
  return endedOutcome(progress, reason)
}
