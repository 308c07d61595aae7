import { SluiceError } from '@sluice/compose'
import { describePosition, quotePayload } from '@sluice/formats'
import type { EventPosition } from '@sluice/openai'
import { type MessageOutcome, messageMissingParts } from './outcome.ts'

/**
 * Base class of the errors `@sluice/anthropic` raises (it also raises `@sluice/openai`'s
 * `ProviderError` for an `error` event, so one `catch` handles both formats).
 *
 * @example
 * ```ts
 * import { MessageEventStream, MessageStreamError } from '@sluice/anthropic'
 *
 * try {
 *   for await (const event of response.body!.pipeThrough(new MessageEventStream())) console.log(event.type)
 * } catch (error) {
 *   if (error instanceof MessageStreamError) console.error(error.code, error.message)
 * }
 * ```
 */
export abstract class MessageStreamError extends SluiceError {}

/**
 * An event whose data is not a JSON object with a string `type`.
 *
 * @example
 * ```ts
 * import { MessageEventParseError } from '@sluice/anthropic'
 *
 * const error = new MessageEventParseError('{"type":', 'data is not JSON', { eventIndex: 3 })
 * console.log(error.message)
 * ```
 */
export class MessageEventParseError extends MessageStreamError {
  readonly code = 'SLUICE_MESSAGE_EVENT_PARSE'
  declare readonly data: string
  declare readonly eventIndex: number
  declare readonly line: number | undefined

  constructor(data: string, why: string, position: EventPosition, options?: ErrorOptions) {
    super(`${describePosition(position)}: ${why}: ${quotePayload(data)}`, options)
    this.data = data
    this.eventIndex = position.eventIndex
    this.line = position.line
    this.name = 'MessageEventParseError'
  }
}

/**
 * An event that breaks the order of a Messages stream: a delta for a block never started,
 * a second `message_start` with another id (two generations spliced into one body), an
 * `event:` name that differs from the data's `type`, content before `message_start`.
 *
 * @example
 * ```ts
 * import { UnexpectedEventError } from '@sluice/anthropic'
 *
 * const error = new UnexpectedEventError('content_block_delta', 'block 2 was never started', { eventIndex: 7 })
 * console.log(error.message)
 * ```
 */
export class UnexpectedEventError extends MessageStreamError {
  readonly code = 'SLUICE_UNEXPECTED_EVENT'
  declare readonly eventType: string
  declare readonly eventIndex: number
  declare readonly line: number | undefined

  constructor(eventType: string, why: string, position: EventPosition) {
    super(`${describePosition(position)}: unexpected ${eventType}: ${why}`)
    this.eventType = eventType
    this.eventIndex = position.eventIndex
    this.line = position.line
    this.name = 'UnexpectedEventError'
  }
}

/**
 * A Messages stream that ended without `message_stop` (and without an error event).
 *
 * @example
 * ```ts
 * import { MessageEventStream, TruncatedMessageError } from '@sluice/anthropic'
 *
 * try {
 *   for await (const event of response.body!.pipeThrough(new MessageEventStream())) console.log(event.type)
 * } catch (error) {
 *   if (error instanceof TruncatedMessageError) console.warn('cut off:', error.outcome.openBlocks)
 * }
 * ```
 */
export class TruncatedMessageError extends MessageStreamError {
  readonly code = 'SLUICE_TRUNCATED_MESSAGE'
  /** Always `true`: the same request, sent again, may succeed. */
  readonly retryable = true
  declare readonly outcome: MessageOutcome

  constructor(outcome: MessageOutcome) {
    const events = outcome.counts.events ?? 0
    super(
      `the stream was cut off: ${messageMissingParts(outcome).join('; ')} (after ${events} event${events === 1 ? '' : 's'})`,
    )
    this.outcome = outcome
    this.name = 'TruncatedMessageError'
  }
}
