/**
 * Quirks a record keeps: enough to see what happened, bounded on a hostile stream.
 *
 * @example
 * ```ts
 * import { MAX_KEPT_QUIRKS, StreamRecord } from '@sluice/compose'
 *
 * const record = new StreamRecord()
 * console.log(record.quirks.length < MAX_KEPT_QUIRKS) // true: more are kept
 * ```
 */
export const MAX_KEPT_QUIRKS = 256

/**
 * Something irregular a stage met and got past: a repair it made, or an irregular input it
 * skipped. Each package names its own codes (`SSEQuirkCode`, `ChunkQuirkCode`,
 * `AccumulatorQuirkCode`).
 *
 * @example Log each quirk of a stream
 * ```ts
 * import type { Quirk } from '@sluice/compose'
 *
 * const log = (quirk: Quirk) => console.warn(`${quirk.code} at line ${quirk.line ?? '?'}: ${quirk.message}`)
 * ```
 */
export interface Quirk {
  /** Which quirk, a kebab-case code of the package that met it. */
  code: string
  /** What was met and what was done, in words. */
  message: string
  /** 0-based index of the server-sent event it concerns, where known. */
  eventIndex?: number
  /** 0-based index of the chat chunk it concerns, where known (the accumulator's quirks). */
  chunkIndex?: number
  /** 1-based input line number where it happened, where known. */
  line?: number
}

/**
 * What the SSE stage discarded at the end of the input: the lines after the last blank line.
 *
 * @example A cut-off stream's last block
 * ```ts
 * import { SSEStream } from '@sluice/sse'
 *
 * const events = new SSEStream({
 *   onUnfinishedEvent: ({ lines, dataLength, lastLine }) =>
 *     console.warn(`cut off at line ${lastLine}: a block of ${lines} lines (${dataLength} characters of data) was discarded`),
 * })
 * ```
 */
export interface UnfinishedEvent {
  /** Non-blank lines (fields and comments) received since the last blank line. */
  lines: number
  /** Characters in the discarded event's data (its `data:` lines joined with LF). */
  dataLength: number
  /** 1-based number of the last line of the input. */
  lastLine: number
}

/**
 * The fields of the event discarded at the end of the input, for a later stage that may still
 * recognise it: `data: [DONE]` as the last line, without its blank line, is one.
 *
 * @example
 * ```ts
 * import { SSEDecoder } from '@sluice/sse'
 *
 * const decoder = new SSEDecoder()
 * const discarded = decoder.record.discardedEvent // set by flush()
 * ```
 */
export interface DiscardedEvent {
  /** The event type buffer: `''` when no `event:` field came. */
  type: string
  /** The data buffer: its `data:` lines joined with LF. */
  data: string
}

/**
 * How much of each kind of item the stages sharing a record saw. A count is `null` when no
 * stage sharing the record counts that kind (an SSE decoder used alone reads lines but
 * counts no bytes): never a silent zero.
 *
 * @example How much arrived
 * ```ts
 * import { ChatChunkStream } from '@sluice/openai'
 *
 * const chunks = new ChatChunkStream()
 * for await (const chunk of response.body!.pipeThrough(chunks)) render(chunk)
 * const { bytes, lines, events, chunks: count } = chunks.progress.counts
 * console.debug(`${bytes} bytes, ${lines} lines, ${events} events, ${count} chunks`)
 * ```
 */
export interface StreamCounts {
  /** Bytes read by the line splitter. */
  bytes: number | null
  /** Lines read by the SSE decoder. */
  lines: number | null
  /** Server-sent events dispatched by the SSE decoder (or read by the first stage after it). */
  events: number | null
  /** Chat chunks decoded (or, by an accumulator used alone, added). */
  chunks: number | null
}

/**
 * What the stages of a stream saw so far: the user-facing view of a {@link StreamRecord}
 * (a copy, taken when read).
 *
 * @example What the stream has seen so far, mid-stream
 * ```ts
 * import { SSEStream } from '@sluice/sse'
 *
 * const events = new SSEStream()
 * for await (const event of response.body!.pipeThrough(events)) {
 *   const { counts, quirks } = events.progress
 *   console.debug(`event ${counts.events} after ${counts.bytes} bytes, ${quirks.length} quirks`)
 * }
 * ```
 */
export interface StreamProgress {
  /** How many bytes, lines, events and chunks the stages saw. */
  counts: StreamCounts
  /** The SSE last event ID string (`''` until an `id:` field arrives). */
  lastEventId: string
  /** The block the SSE decoder discarded at the end of the input, or `null`. */
  unfinishedEvent: UnfinishedEvent | null
  /** Every quirk met so far, by input line, the accumulator's after (at most 256 are kept). */
  quirks: Quirk[]
}

/**
 * The record of one stream, shared by the stages that decode it and written forward: each
 * stage writes its part (the line splitter its bytes, the SSE decoder its lines, events and
 * last event ID, each stage its quirks) and reads only what stages before it wrote. Stages
 * share one record when they are linked: by `pipeThrough` between two sluice streams, by
 * `compose()`, or inside a fused class (`SSEStream`, `ChatChunkStream`). A stage that is not
 * linked keeps a record of its own and reports what it knows.
 *
 * @example The record the stages of a piped chain share
 * ```ts
 * import { LineSplitterStream } from '@sluice/lines'
 * import { SSEDecoderStream } from '@sluice/sse'
 *
 * const lines = new LineSplitterStream()
 * const events = new SSEDecoderStream()
 * await response.body!.pipeThrough(lines).pipeThrough(events).pipeTo(new WritableStream())
 * console.log(events.record === lines.record, events.record.bytes) // true, the bytes the splitter read
 * ```
 */
export class StreamRecord {
  /** Bytes read by the line splitter (`null`: no stage sharing the record reads bytes). */
  bytes: number | null = null
  /** Byte offset just past the last line split, when the line splitter tracks offsets (`trackByteOffsets`). */
  byteOffset: number | undefined = undefined
  /** Lines read by the SSE decoder (`null`: none shares the record). */
  lines: number | null = null
  /** Server-sent events dispatched (`null`: no stage sharing the record counts them). */
  events: number | null = null
  /** Chat chunks decoded or added (`null`: no stage sharing the record counts them). */
  chunks: number | null = null
  /** The SSE last event ID string. */
  lastEventId = ''
  /** What the SSE decoder discarded at the end of the input (`null` until then, and when nothing was). */
  unfinishedEvent: UnfinishedEvent | null = null
  /** The type and data of that discarded event. */
  discardedEvent: DiscardedEvent | null = null
  /** The quirks met, in the order they were met (at most {@link MAX_KEPT_QUIRKS}). */
  readonly quirks: Quirk[] = []
  /** The position of the stage that met each quirk (see {@link StreamRecord.join}). */
  readonly #quirkStages: number[] = []
  /** The stages writing to this record, in the order they joined. */
  readonly #members: RecordedStage[] = []
  /**
   * Where each event the SSE decoder dispatched ended (line, byte offset; `-1`: none), for
   * a stage after it across a stream, which reads events later than they were dispatched:
   * `undefined` unless such a stage asked (see {@link StreamRecord.queueEventEnds}).
   */
  #eventEnds: number[] | undefined
  #eventEndsHead = 0
  /**
   * The line that ended the event the stage after the SSE decoder is decoding, when that
   * stage is piped (see {@link StreamRecord.takeEventEnd}).
   */
  eventLine: number | undefined = undefined
  /** The byte offset just past that line, when the line splitter tracks offsets. */
  eventByteOffset: number | undefined = undefined

  /**
   * `stage` starts writing to this record: returns its position among the stages that
   * share it (0 for the first). Each stage's own view (`progressUpTo`) leaves out what the
   * stages after it wrote: the chunk decoder's outcome, settled at `[DONE]`, does not
   * depend on how far the accumulator behind it has got.
   */
  join(stage: RecordedStage): number {
    this.#members.push(stage)
    return this.#members.length - 1
  }

  /** The stages writing to this record, in the order they joined. */
  get members(): readonly RecordedStage[] {
    return this.#members
  }

  /**
   * A stage that reads events across a stream (piped after the SSE decoder) asks for their
   * positions: from now on the SSE decoder queues where each event ended, and the stage
   * takes them in order. `false`: it reads no more events (it ended): the queue goes.
   */
  queueEventEnds(queue: boolean): void {
    this.#eventEnds = queue ? (this.#eventEnds ?? []) : undefined
    this.#eventEndsHead = 0
  }

  /** The SSE decoder dispatched an event that ended at `line`, `byteOffset` (queued only when asked). */
  eventEnded(line: number, byteOffset: number | undefined): void {
    this.#eventEnds?.push(line, byteOffset ?? -1)
  }

  /**
   * The piped stage after the SSE decoder takes its next event: {@link StreamRecord.eventLine}
   * and {@link StreamRecord.eventByteOffset} are where that event ended.
   */
  takeEventEnd(): void {
    const ends = this.#eventEnds
    const head = this.#eventEndsHead
    if (ends === undefined || head >= ends.length) {
      this.eventLine = this.lines ?? undefined
      this.eventByteOffset = this.byteOffset
      return
    }
    this.eventLine = ends[head]
    const byteOffset = ends[head + 1]!
    this.eventByteOffset = byteOffset === -1 ? undefined : byteOffset
    this.#eventEndsHead = head + 2
    if (this.#eventEndsHead === ends.length) {
      ends.length = 0
      this.#eventEndsHead = 0
    } else if (this.#eventEndsHead >= 1024) {
      ends.splice(0, this.#eventEndsHead)
      this.#eventEndsHead = 0
    }
  }

  /** Keeps `quirk`, met by the stage at position `stage`, unless the record holds {@link MAX_KEPT_QUIRKS} already. */
  addQuirk(quirk: Quirk, stage = 0): void {
    if (this.quirks.length >= MAX_KEPT_QUIRKS) return
    this.quirks.push(quirk)
    this.#quirkStages.push(stage)
  }

  /** Whether another quirk would still be kept. */
  get keepsQuirks(): boolean {
    return this.quirks.length < MAX_KEPT_QUIRKS
  }

  /** A copy of what the record holds, for users: quirks in input order (see {@link StreamProgress.quirks}). */
  get progress(): StreamProgress {
    return this.progressUpTo(Infinity)
  }

  /** {@link StreamRecord.progress} with only the quirks of the stages at positions up to `stage`. */
  progressUpTo(stage: number): StreamProgress {
    const quirks =
      stage >= this.#members.length
        ? this.quirks.slice()
        : this.quirks.filter((_, index) => this.#quirkStages[index]! <= stage)
    return {
      counts: { bytes: this.bytes, lines: this.lines, events: this.events, chunks: this.chunks },
      lastEventId: this.lastEventId,
      unfinishedEvent: this.unfinishedEvent,
      // Stages run ahead of each other in a piped chain: the quirks of the stages that read
      // lines are put back in input-line order; those placed by chunk (the accumulator's) follow.
      quirks: quirks.sort(inInputOrder),
    }
  }
}

/** Quirks by input line; quirks placed by chunk index only (the accumulator's) after them, in the order met. */
function inInputOrder(a: Quirk, b: Quirk): number {
  const byChunk =
    (a.line === undefined && a.chunkIndex !== undefined ? 1 : 0) -
    (b.line === undefined && b.chunkIndex !== undefined ? 1 : 0)
  return byChunk || (a.line ?? 0) - (b.line ?? 0)
}

/**
 * A stage that writes its part of a {@link StreamRecord}: every sluice transformer that
 * decodes. Stages are linked by handing the earlier stage's record to the later one
 * (`useRecord`) before any input flows; `pipeThrough` between sluice streams and `compose()`
 * do it for you.
 *
 * @example Link two plain transformers by hand
 * ```ts
 * import { LineSplitter } from '@sluice/lines'
 * import { SSEDecoder } from '@sluice/sse'
 *
 * const lines = new LineSplitter()
 * const events = new SSEDecoder()
 * events.useRecord(lines.record) // what compose(lines, events) does
 * ```
 */
export interface RecordedStage {
  /** The record this stage writes to. */
  readonly record: StreamRecord
  /**
   * Writes to `record` from now on (the record of the stage before it); call it before any
   * input. `piped`: the stage before it is across a stream (`pipeThrough`), so it reads
   * items later than they were made (`undefined`: as it was).
   */
  useRecord(record: StreamRecord, piped?: boolean): void
}

/**
 * Whether `value` is a stage that writes a {@link StreamRecord}.
 *
 * @example
 * ```ts
 * import { isRecordedStage } from '@sluice/compose'
 * import { LineSplitter } from '@sluice/lines'
 *
 * isRecordedStage(new LineSplitter()) // true
 * isRecordedStage({ transform() {} }) // false
 * ```
 */
export function isRecordedStage(value: unknown): value is RecordedStage {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as RecordedStage).useRecord === 'function' &&
    typeof (value as RecordedStage).record === 'object'
  )
}

/**
 * Links two stages when both write a record: the later one writes to the earlier one's from
 * then on, and so do the stages already linked to the later one. What `pipeThrough` between
 * sluice streams (`piped`: the later stage reads items later than they were made) and
 * `compose()` do.
 *
 * @example Link stages you drive by hand
 * ```ts
 * import { linkRecords } from '@sluice/compose'
 * import { LineSplitter } from '@sluice/lines'
 * import { SSEDecoder } from '@sluice/sse'
 *
 * const lines = new LineSplitter()
 * const events = new SSEDecoder()
 * linkRecords(lines, events)
 * console.log(events.record === lines.record) // true
 * ```
 */
export function linkRecords(upstream: unknown, downstream: unknown, piped = false): void {
  if (!isRecordedStage(upstream) || !isRecordedStage(downstream)) return
  const target = upstream.record
  const old = downstream.record
  if (old === target) return
  // Every stage on the old record moves: `downstream` (or, for a fused stage, the stages it
  // composes) and those linked after it already (a chain linked from its end). The first of
  // them is the one across the pipe.
  const moving = old.members.filter((stage) => stage.record === old)
  if (moving.length === 0) moving.push(downstream)
  for (const [position, stage] of moving.entries()) stage.useRecord(target, position === 0 ? piped : undefined)
}
