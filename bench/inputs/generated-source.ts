import type { Bytes } from './bytes.ts'
import { type ChatStreamBlock, chatStreamBlocks } from './chat-completion-stream.ts'
import { MiB } from './sizes.ts'

/** What {@link generatedSource} wrote, counted as it went. */
export interface GeneratedAccount {
  bytes: number
  /** Events with a chunk: every event but `[DONE]`. */
  chunks: number
  /** Characters of `choices[0].delta.content`, all chunks together. */
  characters: number
}

/**
 * A chat completion stream too long to hold in memory, written as it is read: each pull
 * writes events until it has `readSize` bytes, and hands out one read of that size, a new
 * array each time. `account` counts what was written, for the check at the end. The rows
 * that read it measure memory, not speed.
 */
export function generatedSource(size: number, readSize: number, account: GeneratedAccount): ReadableStream<Bytes> {
  const blocks = repeatedBlocks(size)
  // What is left of the last block written: the start of the next read.
  let rest: Uint8Array = new Uint8Array(0)
  return new ReadableStream<Bytes>({
    pull(controller) {
      const read = new Uint8Array(readSize)
      let filled = 0
      while (filled < readSize) {
        if (rest.byteLength === 0) {
          const next = blocks.next()
          if (next.done === true) break
          const { bytes, data, content } = next.value
          rest = bytes
          account.bytes += bytes.byteLength
          if (data !== undefined && data !== '[DONE]') account.chunks++
          account.characters += content.length
        }
        const length = Math.min(rest.byteLength, readSize - filled)
        read.set(rest.subarray(0, length), filled)
        filled += length
        rest = rest.subarray(length)
      }
      if (filled === 0) controller.close()
      else controller.enqueue(filled === readSize ? read : read.slice(0, filled))
    },
  })
}

/** The length of `chatCompletionStream` that {@link repeatedBlocks} repeats. */
const PERIOD = 1 * MiB

/**
 * A stream of `size` bytes or more, as `chatCompletionStream` writes it (its role chunk
 * first, its `stop` chunk and `[DONE]` last), with the content events of its first MiB over
 * and over in between: writing every event anew runs at about 30 MB/s, slower than the
 * parsers that read it, and would make a run of 512 MiB last 20 s.
 */
function* repeatedBlocks(size: number): Generator<ChatStreamBlock, void, undefined> {
  const period = [...chatStreamBlocks(PERIOD)]
  const [first, ...rest] = period
  const middle = rest.slice(0, -2)
  yield first!
  let written = first!.bytes.byteLength
  while (written < size) {
    for (const block of middle) {
      yield block
      written += block.bytes.byteLength
      if (written >= size) break
    }
  }
  yield* rest.slice(-2)
}
