import type { Bytes } from './bytes.ts'
import { type ChatReply, chatCompletionChunks } from './chat-completion-chunks.ts'

/** A reply of {@link chatCompletionChunks} as a chat completion stream, and what a parser makes of it. */
export interface ChatReplyStream {
  /** `data: {chunk}` and a blank line per chunk, then `data: [DONE]`: UTF-8, with the line ending asked for. */
  bytes: Bytes
  /** The reply the stream carries. */
  reply: ChatReply
  /** The line ending of every line. */
  lineEnding: LineEnding
}

/** The line endings a server may send: the SSE rules accept both (and a lone CR). */
export type LineEnding = '\n' | '\r\n'

/**
 * A reply that answers and then calls tools ({@link chatCompletionChunks}: text with
 * non-ASCII characters and escaped newlines, then tool-call arguments, JSON escaped once
 * more inside the chunk's JSON), streamed as OpenAI does, at least `size` bytes long.
 * Deterministic: the same `size` gives the same bytes on every run and every machine.
 */
export function chatReplyStream(size: number, lineEnding: LineEnding = '\n'): ChatReplyStream {
  // About 220 bytes a chunk: guess the count, then grow it until the stream is long enough.
  let count = Math.max(100, Math.ceil(size / 210))
  for (;;) {
    const reply = chatCompletionChunks(count)
    const blank = lineEnding + lineEnding
    const bytes = new TextEncoder().encode(
      `${reply.chunks.map((json) => `data: ${json}${blank}`).join('')}data: [DONE]${blank}`,
    )
    if (bytes.byteLength >= size) return { bytes, reply, lineEnding }
    count = Math.ceil((count * size) / bytes.byteLength) + 10
  }
}
