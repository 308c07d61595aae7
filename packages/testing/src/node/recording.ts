/**
 * The recording format: a captured response body with its timing, written by
 * `sluice record` and replayed by the mock server (`startMockServer({ replay })`).
 *
 * A recording is UTF-8 text in JSON Lines: one JSON object per line, each line ended by
 * LF, one line per read of the body, in order:
 *
 * ```
 * {"t":0,"data":": OPENROUTER PROCESSING\n\n"}
 * {"t":412.5,"data":"data: {\"id\":\"gen-1\",\"choices\":[…]}\n\n"}
 * {"t":431,"data":"data: [DONE]\n\n"}
 * ```
 *
 * - `t`: milliseconds from the start of the request to the read (a finite number ≥ 0;
 *   never less than the `t` before it).
 * - `data`: the text of the read. The body is every `data` joined, encoded as UTF-8. A
 *   character split between two reads is written whole in the later one (the writer
 *   decodes with one streaming `TextDecoder`), so bytes that are not UTF-8 come back as
 *   U+FFFD: record such a body as a plain `.sse` file instead.
 * - Other fields are ignored, as are blank lines and a CR before the LF: room to grow.
 *
 * The file name ends in `.jsonl`. A plain captured body (`.sse`) is read too: it has no
 * timing, and the mock server paces its events itself.
 */
import { readFile, writeFile } from 'node:fs/promises'
import { OrderedTransformStream } from '@sluice/compose'
import { RecordingFormatError } from '@sluice/testing'

/** "Lines must be separated by either a CRLF character pair, a single LF character, or a single CR character." */
const LINE_END = /\r\n|\r|\n/g

/**
 * One read of a recorded body: when it came and what it held.
 *
 * @example
 * ```ts
 * import type { RecordingEntry } from '@sluice/testing/server'
 *
 * const entry: RecordingEntry = { t: 412.5, data: 'data: [DONE]\n\n' }
 * ```
 */
export interface RecordingEntry {
  /** Milliseconds since the request started. */
  t: number
  /** The read's text. */
  data: string
}

/**
 * A recorded body, as {@link readRecording} gives it: its reads, and whether they carry
 * real timing (`false` for a plain `.sse` file, whose reads are its events, all at `t: 0`).
 *
 * @example
 * ```ts
 * import type { Recording } from '@sluice/testing/server'
 *
 * const recording: Recording = { entries: [{ t: 0, data: 'data: [DONE]\n\n' }], timed: true }
 * ```
 */
export interface Recording {
  entries: RecordingEntry[]
  timed: boolean
}

/**
 * Options of {@link RecordingEncoder} and {@link RecordingEncoderStream}.
 *
 * @example Count from the request, not from the first byte
 * ```ts
 * import { RecordingEncoderStream } from '@sluice/testing/server'
 *
 * const start = performance.now()
 * const reply = await fetch(`${baseURL}/chat/completions`, {
 *   method: 'POST',
 *   headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` },
 *   body: JSON.stringify({ model: 'anthropic/claude-sonnet-4-5', stream: true, messages }),
 * })
 * const lines = reply.body!.pipeThrough(new RecordingEncoderStream({ start }))
 * ```
 */
export interface RecordingEncoderOptions {
  /**
   * The clock, in milliseconds.
   * @default () => performance.now()
   */
  now?: () => number
  /**
   * When the request started, on the `now` clock: `t` counts from it.
   * @default the time the encoder is created
   */
  start?: number
}

/**
 * One line of a recording, LF included.
 *
 * @example
 * ```ts
 * import { formatRecordingEntry } from '@sluice/testing/server'
 *
 * formatRecordingEntry({ t: 12, data: 'data: [DONE]\n\n' }) // '{"t":12,"data":"data: [DONE]\\n\\n"}\n'
 * ```
 */
export function formatRecordingEntry(entry: RecordingEntry): string {
  return `${JSON.stringify({ t: entry.t, data: entry.data })}\n`
}

/**
 * Reads the text of a recording. Blank lines are skipped; other fields are ignored.
 *
 * @throws {RecordingFormatError} at the first line that is not a JSON object with a
 *   number `t` (≥ 0, not less than the one before) and a string `data`
 * @example
 * ```ts
 * import { parseRecording } from '@sluice/testing/server'
 *
 * parseRecording('{"t":0,"data":"data: [DONE]\\n\\n"}\n') // [{ t: 0, data: 'data: [DONE]\n\n' }]
 * ```
 */
export function parseRecording(text: string): RecordingEntry[] {
  const entries: RecordingEntry[] = []
  let last = 0
  for (const [index, raw] of text.split('\n').entries()) {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw
    if (line.trim() === '') continue
    const number = index + 1
    let value: unknown
    try {
      value = JSON.parse(line)
    } catch (cause) {
      throw new RecordingFormatError(number, `not JSON: ${JSON.stringify(line.slice(0, 80))}`, { cause })
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value))
      throw new RecordingFormatError(number, 'not a JSON object')
    const { t, data } = value as { t?: unknown; data?: unknown }
    if (typeof t !== 'number' || !Number.isFinite(t) || t < 0)
      throw new RecordingFormatError(number, `"t" must be a number of milliseconds ≥ 0, got ${JSON.stringify(t)}`)
    if (t < last) throw new RecordingFormatError(number, `"t" goes back in time: ${t} after ${last}`)
    if (typeof data !== 'string')
      throw new RecordingFormatError(number, `"data" must be a string, got ${JSON.stringify(data)}`)
    entries.push({ t, data })
    last = t
  }
  return entries
}

/**
 * The events of a plain captured body (an `.sse` file), each with its closing blank line:
 * a recording without timing.
 */
function splitEvents(text: string): RecordingEntry[] {
  const entries: RecordingEntry[] = []
  let start = 0
  let lineStart = 0
  for (const match of text.matchAll(LINE_END)) {
    const end = match.index + match[0].length
    // "If the line is empty (a blank line): Dispatch the event": the event ends here.
    if (match.index === lineStart) {
      entries.push({ t: 0, data: text.slice(start, end) })
      start = end
    }
    lineStart = end
  }
  if (start < text.length) entries.push({ t: 0, data: text.slice(start) })
  return entries
}

/**
 * Reads a recording file: JSON lines of `{ "t", "data" }` (see the module's notes), or a
 * plain captured `text/event-stream` body. A file whose first non-blank character is `{`
 * is a recording; SSE text never starts that way.
 *
 * @throws {RecordingFormatError} when a recording's line is malformed
 * @example
 * ```ts
 * import { readRecording } from '@sluice/testing/server'
 *
 * const { entries, timed } = await readRecording('fixtures/openrouter.jsonl')
 * ```
 */
export async function readRecording(path: string): Promise<Recording> {
  const text = await readFile(path, 'utf8')
  if (text.trimStart().startsWith('{')) return { entries: parseRecording(text), timed: true }
  return { entries: splitEvents(text), timed: false }
}

/**
 * Writes a recording file (overwriting it).
 *
 * @example
 * ```ts
 * import { writeRecording } from '@sluice/testing/server'
 *
 * await writeRecording('answer.jsonl', [{ t: 0, data: 'data: [DONE]\n\n' }])
 * ```
 */
export async function writeRecording(path: string, entries: Iterable<RecordingEntry>): Promise<void> {
  let text = ''
  for (const entry of entries) text += formatRecordingEntry(entry)
  await writeFile(path, text, 'utf8')
}

/**
 * Turns the reads of a response body into the lines of a recording, each stamped with the
 * time since `start`. Reads that hold only part of a character wait for the rest. Web
 * APIs only.
 *
 * @example Record a response to a file
 * ```ts
 * import { createWriteStream } from 'node:fs'
 * import { pipeline } from 'node:stream/promises'
 * import { RecordingEncoderStream } from '@sluice/testing/server'
 *
 * const start = performance.now()
 * const reply = await fetch(`${baseURL}/chat/completions`, {
 *   method: 'POST',
 *   headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` },
 *   body: JSON.stringify({ model: 'anthropic/claude-sonnet-4-5', stream: true, messages }),
 * })
 * await pipeline(reply.body!.pipeThrough(new RecordingEncoderStream({ start })), createWriteStream('answer.jsonl'))
 * ```
 */
export class RecordingEncoder implements Transformer<Uint8Array | string, string> {
  readonly #now: () => number
  readonly #start: number
  readonly #decoder = new TextDecoder()

  constructor(options: RecordingEncoderOptions = {}) {
    this.#now = options.now ?? (() => performance.now())
    this.#start = options.start ?? this.#now()
  }

  /** Writes the line of one read (none for a read that holds only part of a character). */
  transform(read: Uint8Array | string, controller: TransformStreamDefaultController<string>): void {
    const data = typeof read === 'string' ? read : this.#decoder.decode(read, { stream: true })
    if (data !== '') controller.enqueue(this.#line(data))
  }

  /** Writes the line of what is left at the end: an incomplete character, as U+FFFD. */
  flush(controller: TransformStreamDefaultController<string>): void {
    // An incomplete character at the very end: U+FFFD, as fetch's text() gives it.
    const rest = this.#decoder.decode()
    if (rest !== '') controller.enqueue(this.#line(rest))
  }

  #line(data: string): string {
    // Rounded to 0.1 ms: finer is noise, and the files stay short.
    const t = Math.max(0, Math.round((this.#now() - this.#start) * 10) / 10)
    return formatRecordingEntry({ t, data })
  }
}

/**
 * {@link RecordingEncoder} as a `TransformStream`: body reads in, recording lines out.
 *
 * @example
 * ```ts
 * import { RecordingEncoderStream } from '@sluice/testing/server'
 *
 * const lines = response.body!.pipeThrough(new RecordingEncoderStream())
 * ```
 */
export class RecordingEncoderStream extends OrderedTransformStream<Uint8Array | string, string> {
  constructor(
    options?: RecordingEncoderOptions,
    writableStrategy?: QueuingStrategy<Uint8Array | string>,
    readableStrategy?: QueuingStrategy<string>,
  ) {
    super(new RecordingEncoder(options), writableStrategy, readableStrategy)
  }
}
