/**
 * `@sluice/lines` against the line splitting people write by hand.
 *
 * Run: `pnpm bench` from the repository root (builds the packages, then runs every
 * `*.bench.ts`), or `pnpm bench lines` for this file only. `@sluice/lines` is imported
 * by package name, so this measures the built `dist` users install, not the sources.
 *
 * Why the method is sound:
 * - Same input for every row of a group: one OpenAI-style chat completion SSE stream,
 *   built by inputs.ts from a seeded generator, with non-ASCII text (é, 🦕, 日本語 …) so UTF-8
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
import type { BenchGroup } from './harness.ts'
import {
  chatStreamGroups,
  DIRECT_CALLS_NOTE,
  KiB,
  MiB,
  readEach,
  transformDirectly,
  type Bytes,
  type ChatReader,
  type ChatStreamCase,
} from './inputs.ts'

/** What every case must compute. */
interface LineCount {
  lines: number
  characters: number
}

const cases: ChatStreamCase[] = [
  { name: 'sluice LineSplitterStream', run: (source) => count(source().pipeThrough(new LineSplitterStream())) },
  {
    name: "hand-written TextDecoder + split('\\n')",
    run: (source) => count(source().pipeThrough(naiveDecodeAndSplit())),
    note:
      'the usual hand-rolled loop; it ends lines at LF only, so a CRLF leaves a CR at the end of each ' +
      'line and a lone CR does not end a line (the SSE rules require both). The input here is LF-only ' +
      'so that its output matches.',
  },
  {
    name: "TextDecoderStream + split('\\n')",
    run: (source) => count(source().pipeThrough(new TextDecoderStream()).pipeThrough(naiveSplit())),
    note: 'the native decoder stream, then the same LF-only split loop in a second TransformStream.',
  },
  {
    name: 'sluice LineSplitter, direct calls',
    run: async (_, chunks) => splitDirectly(chunks),
    note: DIRECT_CALLS_NOTE,
  },
]

export const groups: BenchGroup[] = chatStreamGroups(
  'lines',
  [
    { size: 4 * MiB, readSize: 16 * KiB },
    { size: 1 * MiB, readSize: 256 },
    // 1-byte reads are slow for every case (one stream chunk per byte), and the naive loop
    // re-splits the whole pending line on every byte, quadratic in the line length (lines
    // here are about 200 characters). A smaller input and fewer runs keep `pnpm bench` short.
    { size: 64 * KiB, readSize: 1, counts: { warmup: 3, runs: 9 } },
  ],
  {
    expected: expectedLines,
    describe: (input, expected) => `${input.events.length} events (${expected.lines} lines)`,
    cases,
  },
)

/** The lines of the generated stream: each event is a `data: ` line and a blank line. */
function expectedLines(input: ChatReader): LineCount {
  const expected: LineCount = { lines: 0, characters: 0 }
  for (const data of input.events) {
    countLine(expected, `data: ${data}`)
    countLine(expected, '')
  }
  return expected
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
  transformDirectly(new LineSplitter(), chunks, (line) => countLine(result, line))
  return result
}

/** Reads `lines` to the end. */
async function count(lines: ReadableStream<string>): Promise<LineCount> {
  const result: LineCount = { lines: 0, characters: 0 }
  await readEach(lines, (line) => countLine(result, line))
  return result
}

function countLine(result: LineCount, line: string): void {
  result.lines++
  result.characters += line.length
}
