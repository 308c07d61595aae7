import { SluiceError } from '@sluice/compose'
import { describePosition, quotePayload } from '@sluice/formats'
import type { EventPosition } from '@sluice/openai'
import { type ResponseOutcome, responseMissingParts } from './outcome.ts'

/**
 * Base class of the errors `@sluice/responses` raises (it also raises `@sluice/openai`'s
 * `ProviderError` for an `error` event and for `response.failed`, so one `catch` handles
 * every format).
 *
 * @example
 * ```ts
 * import { ResponseEventStream, ResponseStreamError } from '@sluice/responses'
 *
 * try {
 *   for await (const event of response.body!.pipeThrough(new ResponseEventStream())) console.log(event.type)
 * } catch (error) {
 *   if (error instanceof ResponseStreamError) console.error(error.code, error.message)
 * }
 * ```
 */
export abstract class ResponseStreamError extends SluiceError {}

/**
 * An event whose data is not a JSON object with a string `type`: also a Chat Completions
 * chunk (a gateway that answered `/responses` with chat chunks), named as such.
 *
 * @example
 * ```ts
 * import { ResponseEventParseError } from '@sluice/responses'
 *
 * const error = new ResponseEventParseError('{"type":', 'data is not JSON', { eventIndex: 3 })
 * console.log(error.message)
 * ```
 */
export class ResponseEventParseError extends ResponseStreamError {
  readonly code = 'SLUICE_RESPONSE_EVENT_PARSE'
  declare readonly data: string
  declare readonly eventIndex: number
  declare readonly line: number | undefined

  constructor(data: string, why: string, position: EventPosition, options?: ErrorOptions) {
    super(`${describePosition(position)}: ${why}: ${quotePayload(data)}`, options)
    this.data = data
    this.eventIndex = position.eventIndex
    this.line = position.line
    this.name = 'ResponseEventParseError'
  }
}

/**
 * An event that breaks the order of a Responses stream: a delta for an output item never
 * added or already done, a second `response.created` of another response (two in one
 * body), an `event:` name that differs from the data's `type`, fields of the wrong type.
 *
 * @example
 * ```ts
 * import { UnexpectedResponseEventError } from '@sluice/responses'
 *
 * const error = new UnexpectedResponseEventError('response.output_text.delta', 'output item 2 was never added', { eventIndex: 7 })
 * console.log(error.message)
 * ```
 */
export class UnexpectedResponseEventError extends ResponseStreamError {
  readonly code = 'SLUICE_UNEXPECTED_RESPONSE_EVENT'
  declare readonly eventType: string
  declare readonly eventIndex: number
  declare readonly line: number | undefined

  constructor(eventType: string, why: string, position: EventPosition) {
    super(`${describePosition(position)}: unexpected ${eventType}: ${why}`)
    this.eventType = eventType
    this.eventIndex = position.eventIndex
    this.line = position.line
    this.name = 'UnexpectedResponseEventError'
  }
}

/**
 * A Responses stream that ended without a terminal event (`response.completed`,
 * `response.incomplete` or `response.failed`) and without an error event. Resume it with
 * `outcome.responseId` and `outcome.lastSequenceNumber` (`starting_after`), or send again.
 *
 * @example
 * ```ts
 * import { ResponseEventStream, TruncatedResponseError } from '@sluice/responses'
 *
 * try {
 *   for await (const event of response.body!.pipeThrough(new ResponseEventStream())) console.log(event.type)
 * } catch (error) {
 *   if (error instanceof TruncatedResponseError) console.warn('cut off after', error.outcome.lastSequenceNumber)
 * }
 * ```
 */
export class TruncatedResponseError extends ResponseStreamError {
  readonly code = 'SLUICE_TRUNCATED_RESPONSE'
  /** Always `true`: the same request, sent again (or resumed), may succeed. */
  readonly retryable = true
  declare readonly outcome: ResponseOutcome

  constructor(outcome: ResponseOutcome) {
    const events = outcome.counts.events ?? 0
    super(
      `the stream was cut off: ${responseMissingParts(outcome).join('; ')} (after ${events} event${events === 1 ? '' : 's'})`,
    )
    this.outcome = outcome
    this.name = 'TruncatedResponseError'
  }
}
