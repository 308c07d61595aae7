import type { BenchCase, BenchGroup } from '../harness.ts'
import type { Bytes } from './bytes.ts'
import { type ChatReader, type ChatReaderOptions, chatCompletionStream } from './chat-completion-stream.ts'
import { fromChunks } from './pull-sources.ts'
import { scaled } from './quick.ts'
import { formatSize, KiB, MiB } from './sizes.ts'
import { slice } from './slice.ts'

/**
 * A case of {@link chatStreamGroups}. `run` gets `source`, which returns a new stream of
 * the group's chunks at each call (a response body, for the stream cases and the reader
 * loops), and the chunks themselves (for the direct calls).
 */
export interface ChatStreamCase extends Omit<BenchCase, 'run'> {
  run: (source: () => ReadableStream<Bytes>, chunks: readonly Bytes[]) => Promise<unknown>
}

/** One group's input: how long the stream is and how it is read. */
export interface Reads {
  /** The stream is at least this many bytes long. */
  size: number
  /** Bytes per read: the size of every chunk but the last. */
  readSize: number
  /** Warm-up and timed runs, where the harness's defaults would take too long. */
  counts?: Pick<BenchGroup, 'warmup' | 'runs'>
}

/**
 * The groups of sse.bench.ts and openai.bench.ts, the same for both so that their rows
 * compare: large reads, where the cost per event dominates; a typical network read of
 * an LLM stream; and small reads, where the cost per chunk shows (smaller than a
 * typical network read, but LLM tokens often arrive one small write at a time).
 */
export const EVENT_READS: readonly Reads[] = [
  { size: 4 * MiB, readSize: 16 * KiB },
  { size: 1 * MiB, readSize: 256 },
  { size: 256 * KiB, readSize: 64 },
]

/** What {@link chatStreamGroups} builds groups from, besides their reads. */
export interface ChatStreamGroupSpec<Summary> {
  /** What the stream holds besides chat completion chunks. */
  stream?: ChatReaderOptions
  /** What every case must resolve with: computed from the generator's account of the stream, not by a parser. */
  expected: (input: ChatReader) => Summary
  /** What the stream holds, for the list of inputs under the table, e.g. `4858 events and 44 keep-alive comments`. */
  describe: (input: ChatReader, expected: Summary) => string
  /** The cases; the first is the reference. */
  cases: readonly ChatStreamCase[]
}

/**
 * One group per entry of `reads`, named `${prefix}, ${readSize} reads`. Its input is
 * {@link chatCompletionStream} of `size` bytes (a quarter of it with `--quick`), sliced
 * once into reads of `readSize` bytes: every case reads the same chunks, from a
 * {@link fromChunks} stream of its own.
 */
export function chatStreamGroups<Summary>(
  prefix: string,
  reads: readonly Reads[],
  spec: ChatStreamGroupSpec<Summary>,
): BenchGroup[] {
  return reads.map(({ size, readSize, counts }) => {
    const input = chatCompletionStream(scaled(size, size / 4), spec.stream)
    const chunks = slice(input.bytes, readSize)
    const expected = spec.expected(input)
    const source = () => fromChunks(chunks)
    return {
      name: `${prefix}, ${formatSize(readSize)} reads`,
      input:
        `${formatSize(input.bytes.byteLength)} OpenAI-style SSE stream, ${spec.describe(input, expected)}, ` +
        `LF only, in ${chunks.length} reads of ${formatSize(readSize)}`,
      bytes: input.bytes.byteLength,
      expected,
      ...counts,
      cases: spec.cases.map(({ run, ...rest }) => ({ ...rest, run: () => run(source, chunks) })),
    }
  })
}
