/**
 * One run of the peak-memory rows of scaling.bench.ts, in a process of its own, so that its
 * peak resident set is the chain's and not what earlier benchmarks left in the heap:
 * `size` bytes of a generated chat completion stream (never held whole: written as it is
 * read) through `ChatChunkStream`, in reads of `readSize` bytes.
 *
 * Usage: `node <the parent's loader flags> rss-child.ts SIZE READ_SIZE`; prints one line
 * of JSON, {@link RSSReport}, and fails if the chunks it read are not the ones written.
 */
import { ChatChunkStream } from '@sluice/openai'
import { readEach, generatedSource, type GeneratedAccount } from './inputs.ts'

/** What the child prints. */
export interface RSSReport {
  /** Chunks read, and the characters of their `choices[0].delta.content`. */
  chunks: number
  characters: number
  /** Bytes read. */
  bytes: number
  /** The highest `process.memoryUsage.rss()` sampled, in bytes: at the start, every 64 chunks, and at the end. */
  peakRSS: number
  /** The resident set at the start, before the stream was read. */
  startRSS: number
}

/** Chunks between two samples: about 13 KB of input. */
const SAMPLE_EVERY = 64

const [size, readSize] = process.argv.slice(2).map(Number)
if (!(size! > 0) || !(readSize! > 0)) throw new Error('usage: rss-child.ts SIZE READ_SIZE')

const account: GeneratedAccount = { bytes: 0, chunks: 0, characters: 0 }
const startRSS = process.memoryUsage.rss()
let peakRSS = startRSS
let chunks = 0
let characters = 0
await readEach(generatedSource(size!, readSize!, account).pipeThrough(new ChatChunkStream()), (chunk) => {
  chunks++
  characters += chunk.choices[0]?.delta.content?.length ?? 0
  if (chunks % SAMPLE_EVERY === 0) peakRSS = Math.max(peakRSS, process.memoryUsage.rss())
})
peakRSS = Math.max(peakRSS, process.memoryUsage.rss())
if (chunks !== account.chunks || characters !== account.characters) {
  throw new Error(
    `read ${chunks} chunks of ${characters} characters, but ${account.chunks} of ${account.characters} were written`,
  )
}
const report: RSSReport = { chunks, characters, bytes: account.bytes, peakRSS, startRSS }
process.stdout.write(`${JSON.stringify(report)}\n`)
