/**
 * `@sluice/json`'s `IncrementalJSONParser` against the ways JavaScript code reads JSON that
 * arrives in fragments (streamed tool-call arguments, structured output) today: the AI SDK's
 * `parsePartialJson`, `partial-json` and `best-effort-json-parser` called on the whole text so
 * far after each delta, and the two parsers that keep their state between fragments,
 * `jsonriver` and `@streamparser/json` (issue #22).
 *
 * Run: `pnpm bench json` from the repository root (it builds the packages first); `pnpm bench
 * json --quick` runs every row on shorter documents.
 *
 * Groups:
 * - 4,000 one-character deltas (one code point each) of a 4 KB tool-arguments document: the
 *   total time of each row, in µs per document.
 * - The same kind of document at 10 KB, 100 KB and 1 MB, in 20-byte deltas: one series, in µs
 *   per KB (10³ bytes of UTF-8), which is ns per byte; its last table divides the cost per
 *   byte at 1 MB by that at 10 KB (1.00× is flat). The reparsing rows run at 10 KB and 100 KB
 *   only: their cost per byte grows with the length, so that at 1 MB a run would take a hundred
 *   times their run at 100 KB, 7 to 33 minutes here.
 * - A whole 1 MB document in one piece: one `feed` and `end()` against one `JSON.parse`.
 *
 * Why the method is sound:
 * - Same input for every row of a group: one seeded document (`toolArguments`), cut into its
 *   deltas once, before timing (the 1 MB inputs are built by the group's `setUp` and dropped by
 *   its `tearDown`). The document is what a model writes as tool arguments: an object of
 *   scalars (a negative fraction, an exponent, `false`, `null`), a string with escapes and
 *   non-ASCII text, then an array of records (strings, numbers, booleans, a nested object, a
 *   nested array, `null` or a note; a third of the notes with their non-ASCII characters as
 *   `\uXXXX` escapes, surrogate pairs included, as `ensure_ascii` writes them), then a padding
 *   string that makes the document exactly its size. So the root's array grows wide as the
 *   document grows, as it does in real arguments: the case where a snapshot costs most.
 * - A 20-byte delta is the code points up to and including the one that takes it to 20 bytes
 *   of UTF-8 or more: no delta cuts a character (a model's deltas are whole strings), but one
 *   may cut an escape (`\u00` | `e9`) or a number, as real deltas do.
 * - Every row does what its library offers for a value that grows: the sluice rows read
 *   `parser.value` (or take `parser.snapshot()`, or the events of `feed`) after every delta;
 *   the reparsing rows parse the whole text so far after every delta; jsonriver iterates its
 *   partial values; `@streamparser/json` is written every delta and hands out the root once
 *   it is complete.
 * - Checked before timing and after every run: a run resolves with the final value itself,
 *   which the harness compares whole (`isDeepStrictEqual`) with `JSON.parse` of the whole
 *   text, after the clock has stopped; nothing is computed in the timed run to make a summary.
 *   The groups too costly to run once more (100 KB with the reparsing rows, 1 MB) skip the
 *   run before timing: their first run is the check.
 */
import { IncrementalJSONParser, type JSONEvent } from '@sluice/json'
import { JSONParser } from '@streamparser/json'
import { mulberry32 } from '@sluice/test-support'
import { parsePartialJson } from 'ai'
import { disableErrorLogging, parse as bestEffortParse } from 'best-effort-json-parser'
import { parse as jsonriverParse } from 'jsonriver'
import { parse as partialJsonParse } from 'partial-json'
import type { BenchCase, BenchGroup, RunLimits } from './harness.ts'
import { scaled, SEED, WORDS } from './inputs.ts'

// best-effort-json-parser logs the text it could not parse to the console by default.
disableErrorLogging()

const encoder = new TextEncoder()
const utf8Length = (text: string) => encoder.encode(text).byteLength
const codePoints = (text: string) => Array.from(text).length

/** A JSON string literal; with `ascii`, its non-ASCII characters as `\uXXXX` escapes (Python's `ensure_ascii`). */
function literal(text: string, ascii = false): string {
  const json = JSON.stringify(text)
  if (!ascii) return json
  return json.replace(/[^\x20-\x7e]/g, (character) => `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`)
}

/**
 * Tool arguments of exactly `size` units (UTF-8 bytes, or code points), from the seeded
 * generator: scalars, a string with escapes, an array of records, then a padding string.
 */
function toolArguments(size: number, measure: (text: string) => number): string {
  const random = mulberry32(SEED)
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!
  const words = (count: number) => Array.from({ length: count }, () => pick(WORDS)).join(' ')
  const reason = 'Nightly sync — café “naïve” import\n\tline two: "quoted" \\ back\\slash ✓ 🦕'
  let text =
    '{"table": "shipments", "dryRun": false, "batchSize": 250, "threshold": -0.125, "scale": 6.02e+23, ' +
    `"owner": null, "reason": ${literal(reason)}, "records": [`
  const tail = (padding: string) => `], "comment": ${literal(padding)}}`
  for (let id = 1; ; id++) {
    const noteText = words(3 + Math.floor(random() * 12)) + (random() < 0.3 ? '\n\t"ok" \\ done' : '')
    const note = random() < 0.3 ? 'null' : literal(noteText, id % 3 === 0)
    const tags = Array.from({ length: Math.floor(random() * 4) }, () => literal(pick(WORDS))).join(', ')
    const record =
      `{"id": ${id}, "sku": "SKU-${String(id).padStart(6, '0')}", "name": ${literal(words(2 + Math.floor(random() * 4)))}, ` +
      `"price": ${(random() * 1000).toFixed(2)}, "qty": ${Math.floor(random() * 50)}, "inStock": ${random() < 0.8}, ` +
      `"tags": [${tags}], "dims": {"w": ${(random() * 100).toFixed(1)}, "h": ${Math.floor(random() * 100)}, "unit": "cm"}, ` +
      `"note": ${note}}`
    const next = (id === 1 ? '' : ', ') + record
    if (measure(text + next + tail('')) > size) break
    text += next
  }
  let padding = ''
  const letters = 'abcdefghij'
  while (measure(text + tail(padding)) < size) padding += letters[padding.length % letters.length]
  text += tail(padding)
  if (measure(text) !== size) throw new Error(`the document is ${measure(text)} long, not ${size}`)
  return text
}

/** The text in deltas of `size` bytes of UTF-8 or a little more: whole code points, never a character cut. */
function byteDeltas(text: string, size: number): string[] {
  const deltas: string[] = []
  let delta = ''
  let bytes = 0
  for (const character of text) {
    delta += character
    const code = character.codePointAt(0)!
    bytes += code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4
    if (bytes >= size) {
      deltas.push(delta)
      delta = ''
      bytes = 0
    }
  }
  if (delta !== '') deltas.push(delta)
  return deltas
}

/**
 * What a run resolves with: the final value, which the harness compares whole with the
 * expected one (same class, the same `value` deeply). Its JSON, in the harness's messages, is
 * a short description, not the whole document.
 */
class Final {
  readonly value: unknown
  constructor(value: unknown) {
    this.value = value
  }
  toJSON(): string {
    const json = JSON.stringify(this.value) ?? 'undefined'
    return `${json.length} characters of JSON: ${json.slice(0, 40)}…`
  }
}

/**
 * What an events row resolves with: the final value, and the `set` and `close` events it saw.
 * Whatever the deltas, a `set` comes once for every value (a container when it opens, a
 * string when it starts, a number or literal once complete) and a `close` once for every
 * container; `append`s depend on where the deltas cut the strings.
 */
interface EventsSummary {
  final: Final
  sets: number
  closes: number
}

/** A document and its deltas, and what `JSON.parse` makes of it. */
interface Input {
  text: string
  deltas: string[]
  expected: Final
  expectedEvents: EventsSummary
}

function input(text: string, deltas: string[]): Input {
  const value: unknown = JSON.parse(text)
  const counts = { sets: 0, closes: 0 }
  const walk = (node: unknown) => {
    counts.sets++
    if (typeof node !== 'object' || node === null) return
    counts.closes++
    for (const child of Object.values(node)) walk(child)
  }
  walk(value)
  const expected = new Final(value)
  return { text, deltas, expected, expectedEvents: { final: expected, ...counts } }
}

/** Counts the `set` and `close` events of `events` into `summary`. */
function countEvents(summary: EventsSummary, events: readonly JSONEvent[]): void {
  for (const event of events) {
    if (event.type === 'set') summary.sets++
    else if (event.type === 'close') summary.closes++
  }
}

/** The deltas, one per step of an async iterable, for jsonriver. */
async function* iterable(deltas: readonly string[]): AsyncGenerator<string> {
  for (const delta of deltas) yield delta
}

const SLUICE = 'sluice IncrementalJSONParser'
const SNAPSHOTS = 'sluice IncrementalJSONParser, snapshot() after each delta'
const EVENTS = 'sluice IncrementalJSONParser, events'
const AI = 'ai parsePartialJson(text so far), per delta'
const PARTIAL_JSON = 'partial-json parse(text so far), per delta'
const BEST_EFFORT = 'best-effort-json-parser parse(text so far), per delta'
const JSONRIVER = 'jsonriver parse(deltas)'
const STREAMPARSER = '@streamparser/json JSONParser.write(delta)'

/** Versions of the alternatives (bench/package.json pins them). */
const NOTES = {
  [SNAPSHOTS]:
    '`new IncrementalJSONParser({ snapshots: true })`, `snapshot()` after every `feed`: a frozen value, sharing the containers the delta did not change; those on the changed path are copied, so each snapshot costs in proportion to the width of the containers on that path (here the root object and the array of records).',
  [EVENTS]:
    '`new IncrementalJSONParser({ events: true })`: every event `feed` and `end()` return (`set`, `append`, `close`, with its path) is read, and the `set`s and `close`s counted (checked: one `set` per value, one `close` per container); the value is built as well.',
  [AI]: 'ai 7.0.185 (its `engines` asks for Node 22; the function is plain JavaScript and runs here): `await parsePartialJson(textSoFar)` after every delta: `JSON.parse` (with secure-json-parse), and when that throws, `fixJson` then `JSON.parse` again. The text so far is kept with `+=`.',
  [PARTIAL_JSON]: 'partial-json 0.1.7: `parse(textSoFar)` after every delta (all partial types allowed).',
  [BEST_EFFORT]:
    'best-effort-json-parser 1.5.1: `parse(textSoFar)` after every delta, error logging off. **It throws** (`SyntaxError: Bad Unicode escape`) on a text that ends inside a `\\uXXXX` escape: the row catches that and keeps the value before it, as an application would have to.',
  [JSONRIVER]:
    'jsonriver 1.1.1: `for await (const value of parse(deltas))` over an async generator of the deltas; it yields the value so far (the same object, grown in place) as it changes.',
  [STREAMPARSER]:
    '@streamparser/json 0.0.26: `new JSONParser({ paths: ["$"] })`, `write(delta)` for every delta, the root from `onValue` once complete: it has no value between deltas to read.',
} as const

/**
 * The rows of a group of deltas. `reparse`: with the rows that parse the whole text so far at
 * every delta, each within `limits` (fewer runs than the group's where each takes seconds).
 */
function deltaCases(get: () => Input, reparse: false | { limits?: RunLimits }): BenchCase[] {
  const cases: BenchCase[] = [
    {
      name: SLUICE,
      run: async () => {
        const parser = new IncrementalJSONParser()
        let latest: unknown
        for (const delta of get().deltas) {
          parser.feed(delta)
          latest = parser.value
        }
        parser.end()
        latest = parser.value
        return new Final(latest)
      },
      note: '`new IncrementalJSONParser()`, `feed(delta)` for every delta and `parser.value` read after it (the live value, grown in place), then `end()`.',
    },
    {
      name: SNAPSHOTS,
      run: async () => {
        const parser = new IncrementalJSONParser({ snapshots: true })
        let latest: unknown
        for (const delta of get().deltas) {
          parser.feed(delta)
          latest = parser.snapshot()
        }
        parser.end()
        latest = parser.snapshot()
        return new Final(latest)
      },
      note: NOTES[SNAPSHOTS],
    },
    {
      name: EVENTS,
      run: async () => {
        const parser = new IncrementalJSONParser({ events: true })
        const summary: EventsSummary = { final: new Final(undefined), sets: 0, closes: 0 }
        for (const delta of get().deltas) countEvents(summary, parser.feed(delta))
        countEvents(summary, parser.end())
        summary.final = new Final(parser.value)
        return summary
      },
      get expected() {
        return get().expectedEvents
      },
      note: NOTES[EVENTS],
    },
  ]
  if (reparse) {
    const { limits } = reparse
    cases.push(
      {
        name: AI,
        run: async () => {
          let text = ''
          let latest: unknown
          for (const delta of get().deltas) {
            text += delta
            latest = (await parsePartialJson(text)).value
          }
          return new Final(latest)
        },
        note: NOTES[AI],
        ...(limits && { limits }),
      },
      {
        name: PARTIAL_JSON,
        run: async () => {
          let text = ''
          let latest: unknown
          for (const delta of get().deltas) {
            text += delta
            latest = partialJsonParse(text)
          }
          return new Final(latest)
        },
        note: NOTES[PARTIAL_JSON],
        ...(limits && { limits }),
      },
      {
        name: BEST_EFFORT,
        run: async () => {
          let text = ''
          let latest: unknown
          for (const delta of get().deltas) {
            text += delta
            try {
              latest = bestEffortParse(text)
            } catch (error) {
              if (!(error instanceof SyntaxError)) throw error
            }
          }
          return new Final(latest)
        },
        note: NOTES[BEST_EFFORT],
        ...(limits && { limits }),
      },
    )
  }
  cases.push(
    {
      name: JSONRIVER,
      run: async () => {
        let latest: unknown
        for await (const value of jsonriverParse(iterable(get().deltas))) latest = value
        return new Final(latest)
      },
      note: NOTES[JSONRIVER],
    },
    {
      name: STREAMPARSER,
      run: async () => {
        let latest: unknown
        const parser = new JSONParser({ paths: ['$'] })
        parser.onValue = ({ value }) => {
          latest = value
        }
        for (const delta of get().deltas) parser.write(delta)
        return new Final(latest)
      },
      note: NOTES[STREAMPARSER],
    },
  )
  return cases
}

/** `10 KB`, `1 MB`: sizes in 10³ bytes, as the issue states them. */
function formatKB(bytes: number): string {
  return bytes >= 1e6 ? `${bytes / 1e6} MB` : `${bytes / 1e3} KB`
}

/** 4,000 one-character deltas: the whole document's time. */
function charactersGroup(characters: number): BenchGroup {
  const text = toolArguments(characters, codePoints)
  const built = input(text, Array.from(text))
  const { records } = built.expected.value as { records: unknown[] }
  return {
    name: `json, ${characters} one-character deltas`,
    input: `tool arguments of ${characters} code points (${text.length} UTF-16 units, ${utf8Length(text)} B of UTF-8, ${records.length} records), in ${built.deltas.length} deltas of one code point`,
    items: { count: 1, unit: 'document' },
    expected: built.expected,
    cases: deltaCases(() => built, {}),
  }
}

/** Runs of a group: fewer where a run is long. */
type Counts = Pick<BenchGroup, 'warmup' | 'runs' | 'checkBeforeTiming'>

/** The series: a document of `size` bytes in 20-byte deltas, built in `setUp`. */
function deltasGroup(size: number, reparse: false | { limits?: RunLimits }, counts: Counts): BenchGroup {
  const DELTA = 20
  let built: Input | undefined
  // Known once `setUp` has built the input (the report is written after the last group).
  let facts = { deltas: `about ${Math.ceil(size / DELTA)}`, records: '' }
  return {
    name: `json, ${formatKB(size)} in ${DELTA} B deltas`,
    get input() {
      const reparsing = reparse ? '' : '; no reparsing rows (their time grows with the square of the length)'
      return `tool arguments of ${formatKB(size)} (${size} B of UTF-8${facts.records}), in ${facts.deltas} deltas of ${DELTA} B${reparsing}`
    },
    items: { count: size / 1000, unit: 'KB' },
    series: { name: `json, cost per byte by document length, ${DELTA} B deltas`, length: formatKB(size) },
    ...counts,
    get expected() {
      return built?.expected
    },
    setUp() {
      const text = toolArguments(size, utf8Length)
      built = input(text, byteDeltas(text, DELTA))
      const { records } = built.expected.value as { records: unknown[] }
      facts = { deltas: String(built.deltas.length), records: `, ${records.length} records` }
    },
    tearDown() {
      built = undefined
    },
    cases: deltaCases(() => built!, reparse),
  }
}

/** A whole document in one piece, against one `JSON.parse`. */
function wholeGroup(size: number): BenchGroup {
  let built: Input | undefined
  const get = () => built!
  const text = () => get().text
  return {
    name: `json, whole ${formatKB(size)} document`,
    input: `tool arguments of ${formatKB(size)} (${size} B of UTF-8), in one piece`,
    bytes: size,
    references: [
      { label: 'sluice', case: SLUICE },
      { label: 'JSON.parse', case: 'JSON.parse' },
    ],
    get expected() {
      return built?.expected
    },
    setUp() {
      built = input(toolArguments(size, utf8Length), [])
    },
    tearDown() {
      built = undefined
    },
    cases: [
      {
        name: SLUICE,
        run: async () => {
          const parser = new IncrementalJSONParser()
          parser.feed(text())
          parser.end()
          return new Final(parser.value)
        },
      },
      {
        name: 'sluice IncrementalJSONParser, snapshots, one snapshot()',
        run: async () => {
          const parser = new IncrementalJSONParser({ snapshots: true })
          parser.feed(text())
          parser.end()
          return new Final(parser.snapshot())
        },
        note: '`new IncrementalJSONParser({ snapshots: true })`, one `feed`, `end()`, one `snapshot()`: what keeping snapshots possible costs on the whole text, and one frozen copy.',
      },
      {
        name: EVENTS,
        run: async () => {
          const parser = new IncrementalJSONParser({ events: true })
          const summary: EventsSummary = { final: new Final(undefined), sets: 0, closes: 0 }
          countEvents(summary, parser.feed(text()))
          countEvents(summary, parser.end())
          summary.final = new Final(parser.value)
          return summary
        },
        get expected() {
          return get().expectedEvents
        },
      },
      { name: 'JSON.parse', run: async () => new Final(JSON.parse(text())) },
      { name: 'ai parsePartialJson(text)', run: async () => new Final((await parsePartialJson(text())).value) },
      { name: 'partial-json parse(text)', run: async () => new Final(partialJsonParse(text())) },
      { name: 'best-effort-json-parser parse(text)', run: async () => new Final(bestEffortParse(text())) },
      {
        name: 'jsonriver parse([text])',
        run: async () => {
          let latest: unknown
          for await (const value of jsonriverParse(iterable([text()]))) latest = value
          return new Final(latest)
        },
      },
      {
        name: '@streamparser/json JSONParser.write(text)',
        run: async () => {
          let latest: unknown
          const parser = new JSONParser({ paths: ['$'] })
          parser.onValue = ({ value }) => {
            latest = value
          }
          parser.write(text())
          return new Final(latest)
        },
      },
    ],
  }
}

const [SHORT, MIDDLE, LONG] = scaled([10_000, 100_000, 1_000_000], [2_000, 8_000, 64_000])

export const groups: BenchGroup[] = [
  charactersGroup(scaled(4000, 1000)),
  deltasGroup(SHORT, {}, {}),
  // A run of the reparsing rows takes 5 to 25 s at 100 KB: 3 each, without warm-up (the groups
  // before warmed them up), and no run of the group before timing (the first timed run is the
  // check); the other rows get their 5 warm-up and 15 timed runs.
  deltasGroup(MIDDLE, { limits: { warmup: 0, runs: 3 } }, { checkBeforeTiming: false }),
  deltasGroup(LONG, false, { warmup: 2, runs: 9, checkBeforeTiming: false }),
  wholeGroup(LONG),
]
