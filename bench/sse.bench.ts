/**
 * `@sluice/sse` against eventsource-parser and the SSE loop people write by hand:
 * bytes in, server-sent events out.
 *
 * Run: `pnpm bench` from the repository root (builds the packages, then runs every
 * `*.bench.ts`), or `pnpm bench sse` for this file only. `@sluice/sse` is imported by
 * package name, so this measures the built `dist` users install, not the sources.
 *
 * Why the method is sound:
 * - Same input for every row of a group: one OpenAI-style chat completion SSE stream
 *   (`data: {json}` events, an occasional `: keep-alive` comment, `data: [DONE]` last),
 *   built by inputs.ts from a seeded generator, with non-ASCII text (é, 🦕, 日本語 …) so UTF-8
 *   decoding across chunk boundaries is exercised.
 * - Same chunking for every row: the bytes are sliced into `Uint8Array`s once, before
 *   timing, and every case but the direct calls reads them from a
 *   `new ReadableStream({ pull })` that enqueues one chunk per pull, as a response body
 *   does.
 * - Every run consumes the whole output to the end, tallying each event's data, so no
 *   case can win by leaving work undone. Cases without a transform stream
 *   (`createParser`, the hand-written loop, `SSEParser` called directly) tally as each
 *   event is produced; streams are read to the end with a reader.
 * - Results are checked before timing: every case must produce exactly the events the
 *   generator wrote (same count, same total data length, same data in the first and
 *   the last event). A parser that computes the wrong thing fast is not a win. The
 *   input uses LF only, because the hand-written loop does not handle CRLF or a lone
 *   CR: on such input it would dispatch no event at all and fail this check.
 * - All rows run in one process, round-robin after warm-up, and the median is reported
 *   (see harness.ts).
 */
import { LineSplitterStream } from '@sluice/lines'
import { SSEDecoderStream, SSEParser, SSEStream } from '@sluice/sse'
import { createParser } from 'eventsource-parser'
import { EventSourceParserStream } from 'eventsource-parser/stream'
import type { BenchGroup } from './harness.ts'
import {
  chatStreamGroups,
  EVENT_READS,
  DIRECT_CALLS_NOTE,
  readEach,
  readLinesNaively,
  readText,
  transformDirectly,
  transformFromReader,
  type Bytes,
  type ChatReader,
  type ChatStreamCase,
} from './inputs.ts'

/** What every case must compute. */
interface EventTally {
  /** Events dispatched. */
  events: number
  /** Total length of their data, in UTF-16 code units. */
  characters: number
  /** Data of the first event. */
  first: string
  /** Data of the last event: `[DONE]`. */
  last: string
}

const NAIVE_NOTE =
  "the usual hand-rolled loop: `buffer.split('\\n')`, `data: ` lines collected, a blank line " +
  'ends the event. It ends lines at LF only: with CRLF every line keeps a CR, so no line is ' +
  'blank and no event is ever dispatched; a lone CR does not end a line. It also ignores ' +
  '`data:` without a space, `event:` and `id:`. The input here is LF-only with `data: ` ' +
  'fields only, so that its output matches.'

const cases: ChatStreamCase[] = [
  { name: 'sluice SSEStream', run: (source) => tallyStream(source().pipeThrough(new SSEStream())) },
  {
    name: 'sluice LineSplitterStream + SSEDecoderStream',
    run: (source) => tallyStream(source().pipeThrough(new LineSplitterStream()).pipeThrough(new SSEDecoderStream())),
    note: 'the same parsing as `SSEStream`, in two stream stages: lines are queued between them.',
  },
  {
    name: 'eventsource-parser EventSourceParserStream',
    run: (source) =>
      tallyStream(source().pipeThrough(new TextDecoderStream()).pipeThrough(new EventSourceParserStream())),
    note: 'eventsource-parser 3.1.1 as its README shows it: `TextDecoderStream`, then its `TransformStream`.',
  },
  {
    name: 'eventsource-parser createParser (feed loop)',
    run: (source) => feedLoop(source()),
    note:
      'no transform stream: the source is read with a reader, decoded with a streaming `TextDecoder`, ' +
      'and fed to `createParser`, whose `onEvent` tallies.',
  },
  { name: 'hand-written loop', run: (source) => handWrittenLoop(source()), note: NAIVE_NOTE },
  { name: 'sluice SSEParser, direct calls', run: async (_, chunks) => parseDirectly(chunks), note: DIRECT_CALLS_NOTE },
  {
    name: 'sluice SSEParser, reader loop',
    run: (source) => parserLoop(source()),
    note:
      'the shape of the `createParser` feed loop, with sluice: the source is read with a reader and each ' +
      'chunk goes to `SSEParser.transform` with a plain object as the controller. Compare it with that row: ' +
      'same streams, different parser.',
  },
]

export const groups: BenchGroup[] = chatStreamGroups('sse', EVENT_READS, {
  stream: { keepAlive: true },
  expected: expectedEvents,
  describe: (input, expected) => `${expected.events} events and ${input.comments} keep-alive comments`,
  cases,
})

/** The events the generator wrote, tallied. */
function expectedEvents(input: ChatReader): EventTally {
  const expected = emptyTally()
  for (const data of input.events) add(expected, data)
  return expected
}

/** eventsource-parser without its stream: read, decode, `feed`; events arrive in `onEvent`. */
async function feedLoop(source: ReadableStream<Bytes>): Promise<EventTally> {
  const tally = emptyTally()
  const parser = createParser({ onEvent: (event) => add(tally, event.data) })
  await readText(source, (text) => parser.feed(text))
  return tally
}

/**
 * The loop people hand-roll (and many tutorials show): decode, append to a buffer, split
 * on LF, keep the last part; collect `data: ` lines and dispatch at a blank line.
 */
async function handWrittenLoop(source: ReadableStream<Bytes>): Promise<EventTally> {
  const tally = emptyTally()
  let data: string | undefined
  await readLinesNaively(source, (line) => {
    if (line.startsWith('data: ')) {
      const value = line.slice(6)
      data = data === undefined ? value : `${data}\n${value}`
    } else if (line === '' && data !== undefined) {
      add(tally, data)
      data = undefined
    }
  })
  return tally
}

/** `SSEParser` without a stream: the controller is a plain object that tallies. */
function parseDirectly(chunks: readonly Bytes[]): EventTally {
  const tally = emptyTally()
  transformDirectly(new SSEParser(), chunks, (event) => add(tally, event.data))
  return tally
}

/** `SSEParser` in a reader loop, as the feed loop uses `createParser`: one stream, the source. */
async function parserLoop(source: ReadableStream<Bytes>): Promise<EventTally> {
  const tally = emptyTally()
  await transformFromReader(new SSEParser(), source, (event) => add(tally, event.data))
  return tally
}

/** Reads `events` to the end. */
async function tallyStream(events: ReadableStream<{ data: string }>): Promise<EventTally> {
  const tally = emptyTally()
  await readEach(events, (event) => add(tally, event.data))
  return tally
}

/** A plain object, not a class instance: the harness compares summaries with `isDeepStrictEqual`. */
function emptyTally(): EventTally {
  return { events: 0, characters: 0, first: '', last: '' }
}

function add(tally: EventTally, data: string): void {
  if (tally.events === 0) tally.first = data
  tally.events++
  tally.characters += data.length
  tally.last = data
}
