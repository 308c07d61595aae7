import type { StreamProgress } from '@sluice/compose'
import { endedOutcome } from '@sluice/formats'
import type { StopReason } from './types.ts'

/**
 * How a Messages stream ended. `complete`: `message_stop` arrived after a `stop_reason`.
 * `truncated`: it ended any other way without an error. `error`: a stage or the input
 * failed. `cancelled`: the reader stopped early.
 *
 * @example
 * ```ts
 * import type { MessageStatus } from '@sluice/anthropic'
 *
 * const status: MessageStatus = 'truncated'
 * ```
 */
export type MessageStatus = 'complete' | 'truncated' | 'error' | 'cancelled'

/**
 * A content block that `content_block_stop` never closed.
 *
 * @example
 * ```ts
 * import type { OpenBlock } from '@sluice/anthropic'
 *
 * const block: OpenBlock = { index: 1, type: 'tool_use', characters: 42, completeJSON: false }
 * ```
 */
export interface OpenBlock {
  /** The block's `index`. */
  index: number
  /** Its type (`text`, `tool_use`, …). */
  type: string
  /** Characters its deltas carried (text, thinking or `partial_json`). */
  characters: number
  /** For a block with `input_json_delta`s: whether what arrived is one whole JSON value. */
  completeJSON?: boolean
}

/**
 * What the stages of a Messages stream saw so far: the record's view and the message's part.
 *
 * @example
 * ```ts
 * import { MessageEventStream } from '@sluice/anthropic'
 *
 * const events = new MessageEventStream()
 * console.log(events.progress.stopReason) // null until message_delta says why
 * ```
 */
export interface MessageProgress extends StreamProgress {
  /** `message_stop` arrived. */
  sawMessageStop: boolean
  /** The last `stop_reason` that arrived, or `null`. */
  stopReason: StopReason | null
  /** The message's id, once `message_start` came. */
  messageId: string | null
  /** Blocks opened and not closed by `content_block_stop` (closed by `message_delta` or still open). */
  openBlocks: OpenBlock[]
}

/**
 * The outcome of a Messages stream: how it ended and what the stages saw.
 *
 * @example
 * ```ts
 * import { MessageEventStream } from '@sluice/anthropic'
 *
 * const events = new MessageEventStream()
 * await response.body!.pipeThrough(events).pipeTo(new WritableStream()).catch(() => {})
 * const { status, stopReason } = await events.outcome
 * ```
 */
export interface MessageOutcome extends MessageProgress {
  status: MessageStatus
  /** The error (status `error`, or `truncated` when raised) or the cancel reason. */
  error?: unknown
}

/**
 * Why a stream is not complete, as phrases: `[]` when it is.
 *
 * @example What is missing so far
 * ```ts
 * import { MessageEventStream, messageMissingParts } from '@sluice/anthropic'
 *
 * const events = new MessageEventStream()
 * console.log(messageMissingParts(events.progress)) // ['no message_start', 'no message_stop', 'no stop_reason']
 * ```
 */
export function messageMissingParts(progress: MessageProgress): string[] {
  const parts: string[] = []
  if (progress.messageId === null) parts.push('no message_start')
  if (!progress.sawMessageStop) parts.push('no message_stop')
  if (progress.stopReason === null) parts.push('no stop_reason')
  const event = progress.unfinishedEvent
  if (event && !progress.sawMessageStop) {
    parts.push(
      `an unfinished event of ${event.lines} line${event.lines === 1 ? '' : 's'} (${event.dataLength} chars) was discarded`,
    )
  }
  if (!progress.sawMessageStop) {
    for (const block of progress.openBlocks)
      parts.push(`block ${block.index} (${block.type}) is open after ${block.characters} chars`)
  }
  return parts
}

/**
 * The outcome of a stream that ended without an error: complete or truncated.
 *
 * @example What the outcome would be if the stream ended now
 * ```ts
 * import { MessageEventStream, messageOutcomeOf } from '@sluice/anthropic'
 *
 * const events = new MessageEventStream()
 * console.log(messageOutcomeOf(events.progress).status) // 'truncated'
 * ```
 */
export function messageOutcomeOf(progress: MessageProgress): MessageOutcome {
  return { ...progress, status: messageMissingParts(progress).length === 0 ? 'complete' : 'truncated' }
}

/**
 * The outcome of a stream that ended with `reason`: an error, or a cancellation (a non-Error, an AbortError, a TimeoutError).
 *
 * @example
 * ```ts
 * import { MessageEventStream, messageOutcomeOfEnd } from '@sluice/anthropic'
 *
 * const { progress } = new MessageEventStream()
 * messageOutcomeOfEnd(progress, new DOMException('The user aborted a request.', 'AbortError')).status // 'cancelled'
 * ```
 */
export function messageOutcomeOfEnd(progress: MessageProgress, reason: unknown): MessageOutcome {
  return endedOutcome(progress, reason)
}
