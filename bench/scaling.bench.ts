/**
 * Whether sluice's cost stays in proportion to its input: the same cases on inputs of
 * growing length, and the ratio of the cost at the longest to the cost at the shortest
 * (1.00× is flat). The accumulator's series, time per chunk in replies of 1000, 10000 and
 * 100000 chunks, is in accumulator.bench.ts.
 *
 * Run: `pnpm bench` from the repository root, or `pnpm bench scaling` for this file only;
 * `pnpm bench --quick` runs the same rows on shorter inputs.
 *
 * Why the method is sound:
 * - Throughput by stream length: the stream of chain.bench.ts (a reply with tool calls,
 *   from the same seeded generator) at 1, 16 and 128 MiB, in 16 KiB reads sliced before
 *   timing. Each group builds its input just before its first run and drops it after its
 *   last, so the 128 MiB are never in the heap while another group runs.
 * - One long line: a single `data:` line whose chunk carries a reply of 100 KiB, 1 MiB and
 *   10 MiB (non-ASCII words included, so reads cut characters in two), in reads of 64 B
 *   and of 1 byte, copied from the input at each pull (10 million reads sliced beforehand
 *   would not fit in memory). A line kept as `pending += text` and searched again on every
 *   read would cost in proportion to the square of its length: 100 times more per byte at
 *   10 MiB than at 100 KiB.
 * - Peak memory: 64 and 512 MiB of a text-only stream through `ChatChunkStream`, written as
 *   it is read (never held whole), in a process of its own per run (rss-child.ts) so that the
 *   peak is the chain's and not what earlier groups left behind.
 * - Every run's output is checked: the chunk count and the reply (for the long line, the
 *   whole reply; for peak memory, the count of chunks and characters the generator wrote).
 */
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { iterate } from '@sluice/compose'
import { ChatChunkParser, ChatChunkStream } from '@sluice/openai'
import { tallyIterable, tallyStream, type ChunkTally } from './chat-cases.ts'
import type { BenchCase, BenchGroup } from './harness.ts'
import {
  chatReplyStream,
  formatSize,
  fromBytes,
  fromChunks,
  KiB,
  MiB,
  scaled,
  slice,
  WORDS,
  type Bytes,
} from './inputs.ts'
import type { RSSReport } from './rss-child.ts'

const FUSED = 'sluice ChatChunkStream (fused)'
const ITERATE = 'sluice iterate(ChatChunkParser)'

const READ_SIZE = 16 * KiB

/**
 * Runs of a group. The longest input of each series is not processed once more to be checked
 * before timing: its timed runs are checked, and the shorter inputs before it warmed up the code.
 */
type Counts = Pick<BenchGroup, 'warmup' | 'runs' | 'checkBeforeTiming'>

/** What a group built in its `setUp` tells the report, kept after its `tearDown`. */
interface Facts {
  bytes: number
  input: string
}

/** `group`, whose `input` and `bytes` are read from `facts` when asked: they are known once its input is built. */
function reporting(facts: Facts, group: Omit<BenchGroup, 'input' | 'bytes' | 'items'>): BenchGroup {
  return Object.defineProperties(group, {
    input: { get: () => facts.input, enumerable: true },
    bytes: { get: () => facts.bytes, enumerable: true },
  }) as BenchGroup
}

/** An input of a series, built in `setUp`: its bytes, what it is, and what a run must return. */
interface BuiltInput extends Facts {
  expected: ChunkTally
  /** A new stream of its reads. */
  source: () => ReadableStream<Bytes>
}

/**
 * A group of a series, whose input `build` writes just before the group's first run; it is
 * dropped after its last. The two sluice rows, or only `iterate()`.
 */
function builtGroup(
  name: string,
  series: NonNullable<BenchGroup['series']>,
  counts: Counts,
  build: () => BuiltInput,
  only?: typeof ITERATE,
): BenchGroup {
  let built: BuiltInput | undefined
  const facts: Facts = { bytes: 0, input: '' }
  const cases: BenchCase[] = [
    { name: FUSED, run: () => tallyStream(built!.source().pipeThrough(new ChatChunkStream())) },
    { name: ITERATE, run: () => tallyIterable(iterate(built!.source(), new ChatChunkParser())) },
  ]
  return reporting(facts, {
    name,
    series,
    ...counts,
    get expected() {
      return built?.expected
    },
    setUp() {
      built = build()
      facts.bytes = built.bytes
      facts.input = built.input
    },
    tearDown() {
      built = undefined
    },
    cases: cases.filter((benchCase) => only === undefined || benchCase.name === only),
  })
}

/** Throughput of the chain benchmark's stream at one length, in 16 KiB reads. */
function lengthGroup(size: number, counts: Counts): BenchGroup {
  const series = { name: 'scaling, throughput by stream length', length: formatSize(size) }
  return builtGroup(`scaling, ${formatSize(size)} stream`, series, counts, () => {
    const { bytes, reply } = chatReplyStream(size)
    const reads = slice(bytes, READ_SIZE)
    return {
      bytes: bytes.byteLength,
      input:
        `${formatSize(bytes.byteLength)} OpenAI-style SSE stream, ${reply.chunks.length} chunks with tool calls ` +
        `(the stream of chain.bench.ts), in ${reads.length} reads of ${formatSize(READ_SIZE)}`,
      expected: { chunks: reply.chunks.length, content: reply.message.content },
      source: () => fromChunks(reads),
    }
  })
}

/** One `data:` line carrying a reply of `size` bytes, then `[DONE]`, read `readSize` bytes at a time. */
function longLineGroup(size: number, readSize: number, counts: Counts, only?: typeof ITERATE): BenchGroup {
  const reads = readSize === 1 ? '1-byte reads' : `${formatSize(readSize)} reads`
  const series = { name: `scaling, one long data: line, ${reads}`, length: formatSize(size) }
  const build = (): BuiltInput => {
    const content = longReply(size)
    const chunk = {
      id: 'chatcmpl-123',
      object: 'chat.completion.chunk',
      created: 1700000000,
      model: 'anthropic/claude-sonnet-4-5',
    }
    const line = `data: ${JSON.stringify({ ...chunk, choices: [{ index: 0, delta: { content }, finish_reason: null }] })}`
    const bytes = new TextEncoder().encode(`${line}\n\ndata: [DONE]\n\n`)
    return {
      bytes: bytes.byteLength,
      input:
        `one \`data:\` line of ${formatSize(bytes.byteLength - 16)} (a chunk whose reply is ${content.length} ` +
        `characters), then \`data: [DONE]\`, in ${Math.ceil(bytes.byteLength / readSize)} reads of ${formatSize(readSize)}`,
      expected: { chunks: 1, content },
      source: () => fromBytes(bytes, readSize),
    }
  }
  return builtGroup(`scaling, ${formatSize(size)} line, ${reads}`, series, counts, build, only)
}

/** At least `size` bytes of UTF-8 text: the generator's words, in order, over and over. */
function longReply(size: number): string {
  const words: string[] = []
  let byteLength = 0
  const encoder = new TextEncoder()
  for (let i = 0; byteLength < size; i++) {
    const word = ` ${WORDS[i % WORDS.length]}`
    words.push(word)
    byteLength += encoder.encode(word).byteLength
  }
  return words.join('')
}

const run = promisify(execFile)
const CHILD = new URL('./rss-child.ts', import.meta.url).pathname

/** The peak resident set of the last run of a peak-memory group, in bytes. */
let lastPeak = Number.NaN

/** Peak memory of `size` bytes through `ChatChunkStream`, in a process of its own. */
function memoryGroup(size: number): BenchGroup {
  const facts: Facts = { bytes: 0, input: '' }
  return reporting(facts, {
    name: `scaling, ${formatSize(size)} stream, peak RSS`,
    series: { name: 'scaling, peak memory by stream length', length: formatSize(size) },
    warmup: 0,
    runs: 1,
    checkBeforeTiming: false,
    gauge: {
      name: 'peak RSS',
      unit: 'MB',
      reset() {
        lastPeak = Number.NaN
      },
      read() {
        return lastPeak / 1e6
      },
    },
    cases: [
      {
        name: FUSED,
        async run() {
          // The parent's loader flags (tsx's) let the child import TypeScript.
          const { stdout } = await run(process.execPath, [...process.execArgv, CHILD, String(size), String(READ_SIZE)])
          const report = JSON.parse(stdout) as RSSReport
          lastPeak = report.peakRSS
          facts.bytes = report.bytes
          facts.input =
            `${formatSize(report.bytes)} text-only OpenAI-style SSE stream (${report.chunks} chunks: the content events of the ` +
            `first MiB over and over), written as it is read, ` +
            `in reads of ${formatSize(READ_SIZE)}, in a new process per run (resident set at its start: ` +
            `${(report.startRSS / 1e6).toFixed(0)} MB); MB/s counts its start-up and the writing of the stream`
          return { chunks: report.chunks, characters: report.characters }
        },
        note:
          'in the peak-memory rows, `ChatChunkStream` in a child process (rss-child.ts) reading a stream that is ' +
          'written as it is read; `process.memoryUsage.rss()` sampled every 64 chunks, the highest value kept.',
      },
    ],
  })
}

export const groups: BenchGroup[] = [
  ...scaled([1 * MiB, 16 * MiB, 128 * MiB], [256 * KiB, 1 * MiB, 4 * MiB]).map((size, index) =>
    lengthGroup(
      size,
      [
        { warmup: 10, runs: 15 },
        { warmup: 1, runs: 5 },
        { warmup: 0, runs: 5, checkBeforeTiming: false },
      ][index]!,
    ),
  ),
  ...scaled([100 * KiB, 1 * MiB, 10 * MiB], [16 * KiB, 64 * KiB, 256 * KiB]).map((size, index) =>
    longLineGroup(
      size,
      64,
      [
        { warmup: 10, runs: 15 },
        { warmup: 3, runs: 9 },
        { warmup: 1, runs: 5 },
      ][index]!,
    ),
  ),
  // One stream chunk per byte: 10 million reads take over 10 s even without a TransformStream
  // (25 s with one), so only the pull path, and one run of the longest: a run of 10 s is its
  // own average over 10 million reads.
  ...scaled([100 * KiB, 1 * MiB, 10 * MiB], [16 * KiB, 64 * KiB, 256 * KiB]).map((size, index) =>
    longLineGroup(
      size,
      1,
      [
        { warmup: 3, runs: 9 },
        { warmup: 0, runs: 3 },
        { warmup: 0, runs: 1, checkBeforeTiming: false },
      ][index]!,
      ITERATE,
    ),
  ),
  ...scaled([64 * MiB, 512 * MiB], [8 * MiB, 32 * MiB]).map((size) => memoryGroup(size)),
]
