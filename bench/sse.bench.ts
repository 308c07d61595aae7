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
 *   built here from a seeded generator, with non-ASCII text (é, 🦕, 日本語 …) so UTF-8
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
import { SSEDecoderStream, SSEParser, SSEStream, type ServerSentEvent } from '@sluice/sse'
import { createParser } from 'eventsource-parser'
import { EventSourceParserStream } from 'eventsource-parser/stream'
import type { BenchCase, BenchGroup } from './harness.ts'

type Bytes = Uint8Array<ArrayBuffer>

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

const KiB = 1024
const MiB = 1024 * KiB
/** Passed to every streaming `decode` call of the loops below, as sluice does. */
const STREAM: TextDecodeOptions = { stream: true }

const NAIVE_NOTE =
  "the usual hand-rolled loop: `buffer.split('\\n')`, `data: ` lines collected, a blank line " +
  'ends the event. It ends lines at LF only: with CRLF every line keeps a CR, so no line is ' +
  'blank and no event is ever dispatched; a lone CR does not end a line. It also ignores ' +
  '`data:` without a space, `event:` and `id:`. The input here is LF-only with `data: ` ' +
  'fields only, so that its output matches.'

/** Words of the generated replies: mostly English, with accents, emoji and other scripts. */
const WORDS = [
  'the', 'stream', 'token', 'model', 'response', 'delta', 'chunk', 'line', 'event', 'data',
  'a', 'of', 'to', 'and', 'is', 'in', 'that', 'it', 'for', 'with', 'as', 'on', 'by',
  'café', 'naïve', 'é', 'über', 'señor', 'façade', '—', '…', '“quoted”', '🦕', '🚀', '✓',
  '日本語', '中文', 'Ελληνικά', 'русский', 'العربية', '👍🏽',
]

export const groups: BenchGroup[] = [
  group('sse, 16 KiB reads', 4 * MiB, 16 * KiB),
  group('sse, 256 B reads', 1 * MiB, 256),
  // Smaller than a typical network read, but LLM tokens often arrive one small write
  // at a time: this is where the cost per chunk shows.
  group('sse, 64 B reads', 256 * KiB, 64),
]

function group(name: string, size: number, readSize: number): BenchGroup {
  const input = chatCompletionStream(size)
  const chunks = slice(input.bytes, readSize)
  return {
    name,
    input:
      `${formatSize(input.bytes.byteLength)} OpenAI-style SSE stream, ${input.expected.events} events ` +
      `and ${input.comments} keep-alive comments, LF only, in ${chunks.length} reads of ${formatSize(readSize)}`,
    bytes: input.bytes.byteLength,
    expected: input.expected,
    cases: cases(chunks),
  }
}

function cases(chunks: readonly Bytes[]): BenchCase[] {
  return [
    {
      name: 'sluice SSEStream',
      run: () => tallyStream(fromChunks(chunks).pipeThrough(new SSEStream())),
    },
    {
      name: 'sluice LineSplitterStream + SSEDecoderStream',
      run: () => tallyStream(fromChunks(chunks).pipeThrough(new LineSplitterStream()).pipeThrough(new SSEDecoderStream())),
      note: 'the same parsing as `SSEStream`, in two stream stages: lines are queued between them.',
    },
    {
      name: 'eventsource-parser EventSourceParserStream',
      run: () =>
        tallyStream(fromChunks(chunks).pipeThrough(new TextDecoderStream()).pipeThrough(new EventSourceParserStream())),
      note: 'eventsource-parser 3.1.1 as its README shows it: `TextDecoderStream`, then its `TransformStream`.',
    },
    {
      name: 'eventsource-parser createParser (feed loop)',
      run: () => feedLoop(fromChunks(chunks)),
      note:
        'no transform stream: the source is read with a reader, decoded with a streaming `TextDecoder`, ' +
        'and fed to `createParser`, whose `onEvent` tallies.',
    },
    {
      name: 'hand-written loop',
      run: () => handWrittenLoop(fromChunks(chunks)),
      note: NAIVE_NOTE,
    },
    {
      name: 'sluice SSEParser, direct calls',
      run: async () => parseDirectly(chunks),
      note:
        'no stream at all: `transform(chunk, controller)` per chunk, then `flush`, with a plain ' +
        'object as the controller. The gap to the first row is the cost of the Web Streams machinery.',
    },
    {
      name: 'sluice SSEParser, reader loop',
      run: () => parserLoop(fromChunks(chunks)),
      note:
        'the shape of the `createParser` feed loop, with sluice: the source is read with a reader and each ' +
        'chunk goes to `SSEParser.transform` with a plain object as the controller. Compare it with that row: ' +
        'same streams, different parser.',
    },
  ]
}

/** eventsource-parser without its stream: read, decode, `feed`; events arrive in `onEvent`. */
async function feedLoop(source: ReadableStream<Bytes>): Promise<EventTally> {
  const tally = emptyTally()
  const parser = createParser({ onEvent: (event) => add(tally, event.data) })
  const decoder = new TextDecoder()
  const reader = source.getReader()
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    parser.feed(decoder.decode(value, STREAM))
  }
  const rest = decoder.decode()
  if (rest !== '') parser.feed(rest)
  return tally
}

/**
 * The loop people hand-roll (and many tutorials show): decode, append to a buffer, split
 * on LF, keep the last part; collect `data: ` lines and dispatch at a blank line.
 */
async function handWrittenLoop(source: ReadableStream<Bytes>): Promise<EventTally> {
  const tally = emptyTally()
  const decoder = new TextDecoder()
  const reader = source.getReader()
  let buffer = ''
  let data: string | undefined
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    buffer += decoder.decode(value, STREAM)
    const lines = buffer.split('\n')
    buffer = lines.pop()!
    for (const line of lines) {
      if (line.startsWith('data: ')) {
        const value = line.slice(6)
        data = data === undefined ? value : `${data}\n${value}`
      } else if (line === '' && data !== undefined) {
        add(tally, data)
        data = undefined
      }
    }
  }
  return tally
}

/** `SSEParser` without a stream: the controller is a plain object that tallies. */
function parseDirectly(chunks: readonly Bytes[]): EventTally {
  const tally = emptyTally()
  const controller = tallyingController(tally)
  const parser = new SSEParser()
  for (const chunk of chunks) parser.transform(chunk, controller)
  parser.flush(controller)
  return tally
}

/** `SSEParser` in a reader loop, as the feed loop uses `createParser`: one stream, the source. */
async function parserLoop(source: ReadableStream<Bytes>): Promise<EventTally> {
  const tally = emptyTally()
  const controller = tallyingController(tally)
  const parser = new SSEParser()
  const reader = source.getReader()
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    parser.transform(value, controller)
  }
  parser.flush(controller)
  return tally
}

/** A stand-in for a stream controller that tallies each event it is given. */
function tallyingController(tally: EventTally): TransformStreamDefaultController<ServerSentEvent> {
  return {
    desiredSize: 1,
    enqueue(event: ServerSentEvent) {
      add(tally, event.data)
    },
    error() {},
    terminate() {},
  }
}

/** Reads `events` to the end. */
async function tallyStream(events: ReadableStream<{ data: string }>): Promise<EventTally> {
  const reader = events.getReader()
  const tally = emptyTally()
  for (;;) {
    const { done, value } = await reader.read()
    if (done) return tally
    add(tally, value.data)
  }
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

/** A byte stream that hands out one pre-sliced chunk per pull, as a response body does. */
function fromChunks(chunks: readonly Bytes[]): ReadableStream<Bytes> {
  let next = 0
  return new ReadableStream<Bytes>({
    pull(controller) {
      const chunk = chunks[next++]
      if (chunk === undefined) controller.close()
      else controller.enqueue(chunk)
    },
  })
}

/** Copies `bytes` into chunks of `size` bytes (the last one may be shorter), each with its own buffer. */
function slice(bytes: Bytes, size: number): Bytes[] {
  const chunks: Bytes[] = []
  for (let start = 0; start < bytes.byteLength; start += size) chunks.push(bytes.slice(start, start + size))
  return chunks
}

/**
 * Chat completion chunks as OpenAI-compatible APIs send them, `data: {json}` and a blank
 * line each, with a `: keep-alive` comment block about every hundredth event (as proxies
 * such as OpenRouter send while a model is slow), ending with `data: [DONE]`, until the
 * stream is at least `size` bytes long. The same generator as lines.bench.ts, plus the
 * comments. Deterministic: every run of the benchmark uses the same text.
 */
function chatCompletionStream(size: number): { bytes: Bytes; comments: number; expected: EventTally } {
  const encoder = new TextEncoder()
  const random = mulberry32(0x5eed)
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!
  const blocks: string[] = []
  const expected = emptyTally()
  let comments = 0
  let byteLength = 0
  const block = (text: string) => {
    blocks.push(text)
    byteLength += encoder.encode(text).byteLength
  }
  const event = (data: string) => {
    block(`data: ${data}\n\n`)
    add(expected, data)
  }
  const chunk = (delta: Record<string, string>, finishReason: string | null) =>
    JSON.stringify({
      id: 'chatcmpl-123',
      object: 'chat.completion.chunk',
      created: 1700000000,
      model: 'anthropic/claude-sonnet-4-5',
      choices: [{ index: 0, delta, finish_reason: finishReason }],
    })
  event(chunk({ role: 'assistant', content: '' }, null))
  while (byteLength < size) {
    if (random() < 0.01) {
      block(': keep-alive\n\n')
      comments++
    }
    // Mostly a token or two, as models stream them; sometimes a longer run of words.
    const words = random() < 0.8 ? 1 + Math.floor(random() * 3) : 4 + Math.floor(random() * 20)
    let content = ''
    for (let i = 0; i < words; i++) content += ' ' + pick(WORDS)
    if (random() < 0.05) content += '\n\n' // escaped as \n inside the JSON: no raw LF in the line
    event(chunk({ content }, null))
  }
  event(chunk({}, 'stop'))
  event('[DONE]')
  return { bytes: encoder.encode(blocks.join('')), comments, expected }
}

/** A small seeded PRNG, so the input is the same on every run and every machine. */
function mulberry32(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

function formatSize(bytes: number): string {
  if (bytes >= MiB) return `${(bytes / MiB).toFixed(2)} MiB`
  if (bytes >= KiB) return `${(bytes / KiB).toFixed(bytes % KiB === 0 ? 0 : 1)} KiB`
  return `${bytes} B`
}
