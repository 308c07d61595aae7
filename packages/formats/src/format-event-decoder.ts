import {
  Latch,
  type Quirk,
  type RecordedStage,
  type StreamProgress,
  type StreamRecord,
  type StreamTransformer,
  type TransformController,
} from '@sluice/compose'
import { type AfterDone, type EventPosition, StrictModeError } from '@sluice/openai'
import type { ServerSentEvent } from '@sluice/sse'
import { EventStageRecord } from './event-stage-record.ts'
import type { EventDecoderStage } from './event-parser.ts'

/**
 * The outcome a format's decoder settles: its progress, how the stream ended, and the error
 * or cancel reason.
 *
 * @example
 * ```ts
 * import type { FormatOutcome } from '@sluice/formats'
 * import type { StreamProgress } from '@sluice/compose'
 *
 * const failed = (outcome: FormatOutcome<StreamProgress>) => outcome.status === 'error'
 * ```
 */
export type FormatOutcome<Progress extends StreamProgress> = Progress & {
  status: 'complete' | 'truncated' | 'error' | 'cancelled'
  error?: unknown
}

/**
 * The options every format's decoder takes, with the format's name for the option that
 * says what follows its last event already read (`afterStop`, `afterTerminal`, …).
 *
 * @example
 * ```ts
 * import type { FormatDecoderOptions } from '@sluice/formats'
 *
 * const options: FormatDecoderOptions<Error> = { truncated: 'close', onTruncated: (error) => console.warn(error.message) }
 * ```
 */
export interface FormatDecoderOptions<Truncated extends Error> {
  /** What a stream cut off before its last event does: `'error'` errors, `'close'` closes and calls `onTruncated`. */
  truncated?: 'error' | 'close'
  /** Called with the cut-off stream's error, with `truncated: 'close'`. */
  onTruncated?: (error: Truncated) => void
  /** Turn every quirk into a `StrictModeError`. */
  strict?: boolean
}

/**
 * Checks an option that says what follows a stream's last event (`'auto'`, `'cancel'` or
 * `'drain'`; `undefined` is `'auto'`), naming the option and the class.
 *
 * @example
 * ```ts
 * import { checkAfterEnd } from '@sluice/formats'
 *
 * checkAfterEnd(undefined, 'afterStop', 'MessageEventStream') // 'auto'
 * ```
 */
export function checkAfterEnd(value: unknown, option: string, where: string): AfterDone {
  if (value === undefined || value === 'auto' || value === 'cancel' || value === 'drain') return value ?? 'auto'
  throw new TypeError(`${where}: ${option} must be 'auto', 'cancel' or 'drain', got ${String(value)}`)
}

/**
 * The outcome of a stream that ended with `reason`: an error, or a cancellation (a
 * non-Error, an AbortError, a TimeoutError); a truncation error keeps its own outcome.
 *
 * @example
 * ```ts
 * import { endedOutcome } from '@sluice/formats'
 * import { StreamRecord } from '@sluice/compose'
 *
 * endedOutcome(new StreamRecord().progress, new DOMException('The user aborted a request.', 'AbortError')).status // 'cancelled'
 * ```
 */
export function endedOutcome<Progress extends StreamProgress>(
  progress: Progress,
  reason: unknown,
): FormatOutcome<Progress> {
  const carried = (reason as { outcome?: FormatOutcome<Progress> } | null)?.outcome
  if (reason instanceof Error && carried?.status === 'truncated')
    return { ...carried, ...progress, status: 'truncated', error: reason }
  const cancelled = !(reason instanceof Error) || reason.name === 'AbortError' || reason.name === 'TimeoutError'
  return { ...progress, status: cancelled ? 'cancelled' : 'error', error: reason }
}

/**
 * The part every wire format's event decoder shares (Anthropic Messages, OpenAI Responses):
 * the record it writes, its verdict (`outcome`, settled once: at the format's last event, at
 * an error, at a cut or a cancel), truncation (`truncated: 'error' | 'close'`), quirks (to
 * `onQuirk`, the record, or a `StrictModeError`) and where each event ended. A format
 * implements `decode` (one event), `formatProgress`, `missingParts` and `truncatedError`.
 *
 * @example A format whose stream must end with a done event
 * ```ts
 * import { FormatEventDecoder, type FormatOutcome } from '@sluice/formats'
 * import type { StreamProgress, TransformController } from '@sluice/compose'
 * import type { ServerSentEvent } from '@sluice/sse'
 *
 * class DoneDecoder extends FormatEventDecoder<string, StreamProgress & { done: boolean }, Error> {
 *   #done = false
 *   protected decode(event: ServerSentEvent, eventIndex: number, controller: TransformController<string>) {
 *     if (event.type === 'done') this.#done = true
 *     else controller.enqueue(event.data)
 *   }
 *   protected formatProgress(progress: StreamProgress) { return { ...progress, done: this.#done } }
 *   protected missingParts(progress: StreamProgress & { done: boolean }) { return progress.done ? [] : ['no done event'] }
 *   protected truncatedError(outcome: FormatOutcome<StreamProgress>) { return new Error(`cut off after ${outcome.counts.events} events`) }
 * }
 * ```
 */
export abstract class FormatEventDecoder<Out, Progress extends StreamProgress, Truncated extends Error>
  implements
    StreamTransformer<ServerSentEvent, Out>,
    RecordedStage,
    EventDecoderStage<Out, Progress, FormatOutcome<Progress>>
{
  readonly #closeTruncated: boolean
  readonly #onTruncated: ((error: Truncated) => void) | undefined
  readonly #onQuirk: ((quirk: Quirk & { eventIndex: number }) => void) | undefined
  readonly #strict: boolean
  /** The record this stage writes, with its event count and event positions. */
  protected readonly events = new EventStageRecord(this)
  readonly #outcome = new Latch<FormatOutcome<Progress>>()

  constructor(
    name: string,
    options: FormatDecoderOptions<Truncated> & { onQuirk?: ((quirk: never) => void) | undefined },
  ) {
    const truncated = options.truncated ?? 'error'
    if (truncated !== 'error' && truncated !== 'close')
      throw new TypeError(`${name}: truncated must be 'error' or 'close', got ${String(truncated)}`)
    this.#closeTruncated = truncated === 'close'
    this.#onTruncated = options.onTruncated
    this.#onQuirk = options.onQuirk as ((quirk: Quirk & { eventIndex: number }) => void) | undefined
    this.#strict = options.strict ?? false
  }

  /** One event: enqueue what it decodes to, update the state, throw where it breaks the format. */
  protected abstract decode(event: ServerSentEvent, eventIndex: number, controller: TransformController<Out>): void
  /** The format's part of the progress, added to the record's. */
  protected abstract formatProgress(progress: StreamProgress): Progress
  /** Why a stream that ended now would not be complete, as phrases (`[]` when it would). */
  protected abstract missingParts(progress: Progress): string[]
  /** The error of a stream cut off with `outcome`. */
  protected abstract truncatedError(outcome: FormatOutcome<Progress>): Truncated
  /** At the end of the input, before the verdict: take what the SSE stage discarded, if the format can. */
  protected takeDiscarded(_controller: TransformController<Out>): void {}

  /** The outcome of the stream, settled once when it ends. Never rejects. */
  get outcome(): Promise<FormatOutcome<Progress>> {
    return this.#outcome.promise
  }

  /** The record of the stream this decoder writes to (see `StreamRecord`). */
  get record(): StreamRecord {
    return this.events.record
  }

  /** Writes to `record` from now on (see `RecordedStage`): the SSE stage's, when linked. */
  useRecord(record: StreamRecord, piped?: boolean): void {
    this.events.use(record, piped)
  }

  /** What this stage and the stages before it saw so far. */
  get progress(): Progress {
    return this.formatProgress(this.events.progress)
  }

  /** Decodes one event. */
  transform(event: ServerSentEvent, controller: TransformController<Out>): void {
    try {
      this.decode(event, this.events.next(event), controller)
    } catch (error) {
      this.#outcome.settle(endedOutcome(this.progress, error))
      this.events.ended()
      throw error
    }
  }

  /** The end of the input: settles `outcome`, errors if the stream was cut off (or closes, see `truncated`). */
  flush(controller: TransformController<Out>): void {
    try {
      this.takeDiscarded(controller)
      const outcome = this.completeOutcome()
      if (outcome.status === 'complete') return this.#outcome.settle(outcome)
      const error = this.truncatedError(outcome)
      if (!this.#closeTruncated) throw error
      this.#outcome.settle({ ...outcome, error })
      this.#onTruncated?.(error)
    } catch (error) {
      this.#outcome.settle(endedOutcome(this.progress, error))
      throw error
    }
  }

  /** The stream was cancelled, or its input failed. */
  cancel(reason?: unknown): void {
    this.#outcome.settle(endedOutcome(this.progress, reason))
    this.events.ended()
  }

  /** The outcome if the stream ended now without an error: complete or truncated. */
  protected completeOutcome(): FormatOutcome<Progress> {
    const progress = this.progress
    return { ...progress, status: this.missingParts(progress).length === 0 ? 'complete' : 'truncated' }
  }

  /** Settles the outcome at the format's last event (later settles are ignored). */
  protected settle(outcome: FormatOutcome<Progress>): void {
    this.#outcome.settle(outcome)
  }

  /** Reports a quirk of the event at `eventIndex`: to `onQuirk` and the record, or as a `StrictModeError`. */
  protected quirk(code: string, message: string, eventIndex: number): void {
    if (!this.#strict && !this.#onQuirk && !this.events.keepsQuirks) return
    const quirk: Quirk & { eventIndex: number } = { code, message, eventIndex }
    const line = this.events.line
    if (line !== undefined) quirk.line = line
    if (this.#strict) throw new StrictModeError(quirk)
    this.events.addQuirk(quirk)
    this.#onQuirk?.(quirk)
  }

  /** Where the event at `eventIndex` is, for an error. */
  protected position(eventIndex: number): EventPosition {
    return { eventIndex, line: this.events.line }
  }
}

/**
 * Where an event is, for an error message: `event 3 (ending at line 9)`.
 *
 * @example
 * ```ts
 * import { describePosition } from '@sluice/formats'
 *
 * describePosition({ eventIndex: 3, line: 9 }) // 'event 3 (ending at line 9)'
 * ```
 */
export function describePosition({ eventIndex, line }: EventPosition): string {
  return `event ${eventIndex}${line === undefined ? '' : ` (ending at line ${line})`}`
}

/**
 * The start of a payload, quoted, for an error message (80 characters at most).
 *
 * @example
 * ```ts
 * import { quotePayload } from '@sluice/formats'
 *
 * quotePayload('{"type":') // '"{\\"type\\":"'
 * ```
 */
export function quotePayload(text: string): string {
  return JSON.stringify(text.length > 80 ? `${text.slice(0, 80)}…` : text)
}
