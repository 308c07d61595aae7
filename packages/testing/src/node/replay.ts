import { MockOptionsError, type Fault } from '@sluice/testing'
import { pacedStream, type PacedRead } from '../paced-stream.ts'
import type { Recording } from './recording.ts'

/** The pause between two events at `speed: 1`: about 50 tokens a second, as a fast model streams. */
export const EVENT_DELAY_MS = 20

/**
 * Options of {@link replayRecording}.
 *
 * @example Twice as fast, cut after 1 kB
 * ```ts
 * import { readRecording, replayRecording } from '@sluice/testing/server'
 *
 * const recording = await readRecording('answer.jsonl')
 * replayRecording(recording, { speed: 2, faults: [{ kind: 'cut', atByte: 1024 }] })
 * ```
 */
export interface ReplayOptions {
  /**
   * How much faster than recorded: `2` halves every pause, `Infinity` removes them.
   * @default 1
   */
  speed?: number
  /** Aborting it errors the stream with the signal's reason. */
  signal?: AbortSignal
  /** `cut` and `drip` act on the recorded bytes; the other faults need a generated answer and are ignored. */
  faults?: Fault[]
}

/** Checks `speed`: a positive number (`Infinity`: no pauses). */
export function checkSpeed(speed: unknown): number {
  if (typeof speed !== 'number' || Number.isNaN(speed) || speed <= 0) {
    throw new MockOptionsError('speed', `must be a positive number (Infinity for no pauses), got ${String(speed)}`)
  }
  return speed
}

/**
 * A recorded body as a byte stream, replayed on its timeline: each read `t` milliseconds
 * after the start (divided by `speed`). A recording without timing (a plain `.sse` file)
 * gets an event every 20 ms at speed 1.
 *
 * @throws {MockOptionsError} when `speed` or a fault is invalid
 * @example Stub fetch with a recorded answer
 * ```ts
 * import { readRecording, replayRecording } from '@sluice/testing/server'
 *
 * const recording = await readRecording('test/fixtures/openrouter-answer.jsonl')
 * globalThis.fetch = async () =>
 *   new Response(replayRecording(recording, { speed: Infinity }), { headers: { 'content-type': 'text/event-stream' } })
 * ```
 */
export function replayRecording(recording: Recording, options: ReplayOptions = {}): ReadableStream<Uint8Array> {
  const speed = checkSpeed(options.speed ?? 1)
  const encoder = new TextEncoder()
  let reads: PacedRead[] = []
  let previous = 0
  for (const [index, { t, data }] of recording.entries.entries()) {
    const wait = recording.timed ? t - previous : index === 0 ? 0 : EVENT_DELAY_MS
    reads.push({ bytes: encoder.encode(data), delayMs: wait / speed })
    previous = t
  }
  const faults = options.faults ?? []
  const cut = faults.filter((fault) => fault.kind === 'cut').reduce((at, fault) => Math.min(at, fault.atByte), Infinity)
  const drip = faults.filter((fault) => fault.kind === 'drip').at(-1)
  if (cut !== Infinity) {
    if (!Number.isSafeInteger(cut) || cut < 0)
      throw new MockOptionsError('faults[].atByte', `must be a non-negative integer, got ${cut}`)
    let left = cut
    reads = reads.map((read) => {
      const bytes = read.bytes.subarray(0, left)
      left -= bytes.length
      return { ...read, bytes }
    })
    reads = reads.filter((read) => read.bytes.length > 0)
  }
  if (drip) {
    if (!Number.isSafeInteger(drip.bytesPerRead) || drip.bytesPerRead <= 0) {
      throw new MockOptionsError('faults[].bytesPerRead', `must be a positive integer, got ${drip.bytesPerRead}`)
    }
    if (!Number.isFinite(drip.delayMs) || drip.delayMs < 0) {
      throw new MockOptionsError(
        'faults[].delayMs',
        `must be a non-negative number of milliseconds, got ${drip.delayMs}`,
      )
    }
    const bytes = new Uint8Array(reads.reduce((sum, read) => sum + read.bytes.length, 0))
    let offset = 0
    for (const read of reads) {
      bytes.set(read.bytes, offset)
      offset += read.bytes.length
    }
    reads = []
    for (let start = 0; start < bytes.length; start += drip.bytesPerRead) {
      reads.push({ bytes: bytes.subarray(start, start + drip.bytesPerRead), delayMs: start === 0 ? 0 : drip.delayMs })
    }
  }
  return pacedStream(reads, options.signal)
}
