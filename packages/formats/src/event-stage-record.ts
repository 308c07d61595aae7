import { type Quirk, type RecordedStage, StreamRecord, type StreamProgress } from '@sluice/compose'

/**
 * The bookkeeping of a stage that decodes server-sent events (one per `transform`) and
 * writes its part of a {@link StreamRecord}: its position in the record, the events it
 * counted, where each event ended when it is piped after the SSE decoder, and its quirks.
 * {@link FormatEventDecoder} keeps its state in one.
 *
 * @example A decoder's state, linked to the record of the stages before it
 * ```ts
 * import { EventStageRecord } from '@sluice/formats'
 * import type { RecordedStage, StreamRecord } from '@sluice/compose'
 *
 * class CountingDecoder implements RecordedStage {
 *   readonly events: EventStageRecord = new EventStageRecord(this)
 *   get record(): StreamRecord { return this.events.record }
 *   useRecord(record: StreamRecord, piped?: boolean): void { this.events.use(record, piped) }
 * }
 * ```
 */
export class EventStageRecord {
  #record!: StreamRecord
  #stage = 0
  #countsEvents = true
  #piped = false
  #events = 0
  readonly #owner: RecordedStage

  constructor(owner: RecordedStage) {
    this.#owner = owner
    this.use(new StreamRecord())
  }

  /** The record the stage writes to. */
  get record(): StreamRecord {
    return this.#record
  }

  /** Events taken so far (the index of the next one). */
  get events(): number {
    return this.#events
  }

  /**
   * Writes to `record` from now on (the stage's `useRecord`): the SSE stage's, when linked.
   * `piped`: the stage reads events across a stream, later than they were dispatched.
   */
  use(record: StreamRecord, piped?: boolean): void {
    this.#stage = record.join(this.#owner)
    this.#countsEvents = record.events === null || record === this.#record
    if (this.#countsEvents) record.events = this.#events
    if (piped !== undefined) this.#piped = piped
    record.queueEventEnds(this.#piped && !this.#countsEvents)
    this.#record = record
  }

  /** The stage takes its next event: returns its 0-based index. */
  next(event: { lastEventId: string }): number {
    const index = this.#events++
    if (this.#piped) this.#record.takeEventEnd()
    if (this.#countsEvents) {
      this.#record.events = this.#events
      this.#record.lastEventId = event.lastEventId
    }
    return index
  }

  /** The stage reads no more events (it failed or was cancelled). */
  ended(): void {
    if (this.#piped) this.#record.queueEventEnds(false)
  }

  /** The record's view up to this stage. */
  get progress(): StreamProgress {
    return this.#record.progressUpTo(this.#stage)
  }

  /** The input line that ended the event being decoded, where an SSE stage shares the record. */
  get line(): number | undefined {
    return this.#piped ? this.#record.eventLine : (this.#record.lines ?? undefined)
  }

  /** Whether a quirk would be kept by the record. */
  get keepsQuirks(): boolean {
    return this.#record.keepsQuirks
  }

  /** Keeps `quirk` in the record, as this stage's. */
  addQuirk(quirk: Quirk): void {
    this.#record.addQuirk(quirk, this.#stage)
  }
}
