/**
 * `@sluice/lines` against the line splitting people write by hand.
 *
 * Run: `pnpm bench` from the repository root (builds the packages, then runs every
 * `*.bench.ts`), or `pnpm bench lines` for this file only. `@sluice/lines` is imported
 * by package name, so this measures the built `dist` users install, not the sources.
 *
 * Why the method is sound:
 * - Same input for every row of a group: one OpenAI-style chat completion SSE stream,
 *   built here from a seeded generator, with non-ASCII text (é, 🦕, 日本語 …) so UTF-8
 *   decoding across chunk boundaries is exercised.
 * - Same chunking for every row: the bytes are sliced into `Uint8Array`s once, before
 *   timing, and each stream case reads them from a `new ReadableStream({ pull })` that
 *   enqueues one chunk per pull, as a response body does.
 * - Every run consumes the whole output to the end with a reader, counting lines and
 *   characters, so no case can win by leaving work undone.
 * - Results are checked before timing: every case must produce exactly the lines the
 *   generator wrote (same count, same total characters). A splitter that computes the
 *   wrong thing fast is not a win. The input uses LF only, because the hand-written
 *   loops do not handle CR or CRLF: on such input they would fail this check.
 * - All rows run in one process, round-robin after warm-up, and the median is reported
 *   (see harness.ts).
 */
import { LineSplitter, LineSplitterStream } from '@sluice/lines'
import type { BenchCase, BenchGroup } from './harness.ts'

type Bytes = Uint8Array<ArrayBuffer>

/** What every case must compute. */
interface LineCount {
  lines: number
  characters: number
}

const KiB = 1024
const MiB = 1024 * KiB

const NAIVE_NOTE =
  'the usual hand-rolled loop; it ends lines at LF only, so a CRLF leaves a CR at the end of each ' +
  'line and a lone CR does not end a line (the SSE rules require both). The input here is LF-only ' +
  'so that its output matches.'

/** Words of the generated replies: mostly English, with accents, emoji and other scripts. */
const WORDS = [
  'the', 'stream', 'token', 'model', 'response', 'delta', 'chunk', 'line', 'event', 'data',
  'a', 'of', 'to', 'and', 'is', 'in', 'that', 'it', 'for', 'with', 'as', 'on', 'by',
  'café', 'naïve', 'é', 'über', 'señor', 'façade', '—', '…', '“quoted”', '🦕', '🚀', '✓',
  '日本語', '中文', 'Ελληνικά', 'русский', 'العربية', '👍🏽',
]

export const groups: BenchGroup[] = [
  group('lines, 16 KiB reads', 4 * MiB, 16 * KiB),
  group('lines, 256 B reads', 1 * MiB, 256),
  // 1-byte reads are slow for every case (one stream chunk per byte), and the naive loop
  // re-splits the whole pending line on every byte, quadratic in the line length (lines
  // here are about 200 characters). A smaller input and fewer runs keep `pnpm bench` short.
  group('lines, 1 B reads', 64 * KiB, 1, { warmup: 3, runs: 9 }),
]

function group(
  name: string,
  size: number,
  readSize: number,
  counts: Pick<BenchGroup, 'warmup' | 'runs'> = {},
): BenchGroup {
  const input = chatCompletionStream(size)
  const chunks = slice(input.bytes, readSize)
  return {
    name,
    input:
      `${formatSize(input.bytes.byteLength)} OpenAI-style SSE stream, ${input.events} events ` +
      `(${input.expected.lines} lines), LF only, in ${chunks.length} reads of ${formatSize(readSize)}`,
    bytes: input.bytes.byteLength,
    expected: input.expected,
    ...counts,
    cases: cases(chunks),
  }
}

function cases(chunks: readonly Bytes[]): BenchCase[] {
  return [
    {
      name: 'sluice LineSplitterStream',
      run: () => count(fromChunks(chunks).pipeThrough(new LineSplitterStream())),
    },
    {
      name: "hand-written TextDecoder + split('\\n')",
      run: () => count(fromChunks(chunks).pipeThrough(naiveDecodeAndSplit())),
      note: NAIVE_NOTE,
    },
    {
      name: "TextDecoderStream + split('\\n')",
      run: () => count(fromChunks(chunks).pipeThrough(new TextDecoderStream()).pipeThrough(naiveSplit())),
      note: 'the native decoder stream, then the same LF-only split loop in a second TransformStream.',
    },
    {
      name: 'sluice LineSplitter, direct calls',
      run: async () => splitDirectly(chunks),
      note:
        'no stream at all: `transform(chunk, controller)` per chunk, then `flush`, with a plain ' +
        'object as the controller. The gap to the first row is the cost of the Web Streams machinery.',
    },
  ]
}

/** The loop people hand-roll: decode with a streaming `TextDecoder`, split on LF, keep the last part. */
function naiveDecodeAndSplit(): TransformStream<Bytes, string> {
  const decoder = new TextDecoder()
  let buffer = ''
  return new TransformStream({
    transform(chunk, controller) {
      buffer += decoder.decode(chunk, { stream: true })
      const parts = buffer.split('\n')
      buffer = parts.pop()!
      for (const part of parts) controller.enqueue(part)
    },
    flush(controller) {
      buffer += decoder.decode()
      if (buffer !== '') controller.enqueue(buffer)
    },
  })
}

/** The same split loop, on text that `TextDecoderStream` has already decoded. */
function naiveSplit(): TransformStream<string, string> {
  let buffer = ''
  return new TransformStream({
    transform(chunk, controller) {
      buffer += chunk
      const parts = buffer.split('\n')
      buffer = parts.pop()!
      for (const part of parts) controller.enqueue(part)
    },
    flush(controller) {
      if (buffer !== '') controller.enqueue(buffer)
    },
  })
}

/** `LineSplitter` without a stream: the controller is a plain object that counts. */
function splitDirectly(chunks: readonly Bytes[]): LineCount {
  const result: LineCount = { lines: 0, characters: 0 }
  const controller: TransformStreamDefaultController<string> = {
    desiredSize: 1,
    enqueue(line: string) {
      result.lines++
      result.characters += line.length
    },
    error() {},
    terminate() {},
  }
  const splitter = new LineSplitter()
  for (const chunk of chunks) splitter.transform(chunk, controller)
  splitter.flush(controller)
  return result
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

/** Reads `lines` to the end. */
async function count(lines: ReadableStream<string>): Promise<LineCount> {
  const reader = lines.getReader()
  const result: LineCount = { lines: 0, characters: 0 }
  for (;;) {
    const { done, value } = await reader.read()
    if (done) return result
    result.lines++
    result.characters += value.length
  }
}

/** Copies `bytes` into chunks of `size` bytes (the last one may be shorter), each with its own buffer. */
function slice(bytes: Bytes, size: number): Bytes[] {
  const chunks: Bytes[] = []
  for (let start = 0; start < bytes.byteLength; start += size) chunks.push(bytes.slice(start, start + size))
  return chunks
}

/**
 * Chat completion chunks as OpenAI-compatible APIs send them, `data: {json}` and a blank
 * line each, ending with `data: [DONE]`, until the stream is at least `size` bytes long.
 * Deterministic: every run of the benchmark uses the same text.
 */
function chatCompletionStream(size: number): { bytes: Bytes; events: number; expected: LineCount } {
  const encoder = new TextEncoder()
  const random = mulberry32(0x5eed)
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!
  const lines: string[] = []
  let byteLength = 0
  const add = (line: string) => {
    lines.push(line, '')
    byteLength += encoder.encode(line).byteLength + 2
  }
  const chunk = (delta: Record<string, string>, finishReason: string | null) =>
    JSON.stringify({
      id: 'chatcmpl-123',
      object: 'chat.completion.chunk',
      created: 1700000000,
      model: 'anthropic/claude-sonnet-4-5',
      choices: [{ index: 0, delta, finish_reason: finishReason }],
    })
  add(`data: ${chunk({ role: 'assistant', content: '' }, null)}`)
  while (byteLength < size) {
    // Mostly a token or two, as models stream them; sometimes a longer run of words.
    const words = random() < 0.8 ? 1 + Math.floor(random() * 3) : 4 + Math.floor(random() * 20)
    let content = ''
    for (let i = 0; i < words; i++) content += ' ' + pick(WORDS)
    if (random() < 0.05) content += '\n\n' // escaped as \n inside the JSON: no raw LF in the line
    add(`data: ${chunk({ content }, null)}`)
  }
  add(`data: ${chunk({}, 'stop')}`)
  add('data: [DONE]')
  const text = lines.join('\n') + '\n'
  const bytes = encoder.encode(text)
  const expected = { lines: lines.length, characters: lines.reduce((sum, line) => sum + line.length, 0) }
  return { bytes, events: lines.length / 2, expected }
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
