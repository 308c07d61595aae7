import { body, render } from './mock-chat-events.ts'
import { resolveOptions, type ResolvedOptions } from './options.ts'
import { pacedStream, type PacedRead } from './paced-stream.ts'
import type { MockChatOptions } from './types.ts'

/** The body as the reads a reader gets, each after the pause between reads but the first. */
function reads(options: ResolvedOptions): PacedRead[] {
  const rendering = render(options)
  const size = options.drip?.bytesPerRead ?? options.readSize
  const delayMs = options.drip?.delayMs ?? options.delayMs
  if (size !== undefined) {
    const bytes = body(rendering)
    const out: Uint8Array[] = []
    for (let start = 0; start < bytes.length; start += size) out.push(bytes.subarray(start, start + size))
    return paced(out, delayMs)
  }
  // One event per read, as a server that flushes each event: the cut shortens the event it
  // falls in and drops those after.
  const out: Uint8Array[] = []
  let left = rendering.length
  for (const { bytes } of rendering.events) {
    if (left === 0) break
    const read = bytes.length > left ? bytes.subarray(0, left) : bytes
    if (read.length > 0) out.push(read)
    left -= read.length
  }
  return paced(out, delayMs)
}

const paced = (reads: Uint8Array[], delayMs: number): PacedRead[] =>
  reads.map((bytes, index) => ({ bytes, delayMs: index === 0 ? 0 : delayMs }))

/**
 * A mock OpenAI-compatible chat completion stream: the bytes of a `text/event-stream`
 * body, as `fetch` gives them (`response.body`). Built in memory with Web APIs only, so
 * it runs in Node, Deno, Bun, Workers and browsers. Deterministic: the same options give
 * the same bytes, cut into the same reads.
 *
 * Reads come one event at a time (or `readSize` bytes at a time), `delayMs` apart, timed
 * with `setTimeout`. Aborting `signal` errors the stream with the signal's reason;
 * cancelling it stops the timers.
 *
 * @throws {MockOptionsError} when an option is invalid
 * @example Feed a decoder
 * ```ts
 * import { ChatChunkStream } from '@sluice/openai'
 * import { mockChatStream } from '@sluice/testing'
 *
 * const chunks = mockChatStream({ text: 'Bonjour !', chunking: 'char', readSize: 7 })
 *   .pipeThrough(new ChatChunkStream())
 * for await (const chunk of chunks) console.log(chunk.choices[0]?.delta.content)
 * ```
 */
export function mockChatStream(options: MockChatOptions = {}): ReadableStream<Uint8Array> {
  const resolved = resolveOptions(options)
  return pacedStream(reads(resolved), resolved.signal)
}
