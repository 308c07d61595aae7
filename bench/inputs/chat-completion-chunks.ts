import { mulberry32 } from '@sluice/test-support'
import { choiceChunk } from './chunk-json.ts'
import { deltaText, SEED } from './delta-text.ts'

/** A generated reply as chunks, and what a correct accumulator makes of it. */
export interface ChatReply {
  /** The JSON of each chunk, in order, as a `data:` field or an NDJSON line carries it. */
  chunks: string[]
  /** The assembled message, from the generator's account: not from an accumulator. */
  message: ReplyMessage
  /** `finish_reason` of the last chunk. */
  finishReason: string
}

/** The parts of an assembled message the accumulator benchmark compares. */
export interface ReplyMessage {
  role: string
  /** Every `delta.content`, concatenated. */
  content: string
  /** Every call's fragments, assembled. */
  toolCalls: { id: string; type: string; name: string; arguments: string }[]
}

/** Options of {@link chatCompletionChunks}. */
export interface ChatReplyOptions {
  /**
   * Parallel tool calls after the text, each streamed as a first fragment with its `id`
   * and function name, then fragments of its JSON arguments.
   * @default 3
   */
  toolCalls?: number
  /**
   * The share of the chunks that are tool-call fragments; the rest (but the first and the
   * last chunk) are content deltas.
   * @default 0.1
   */
  toolCallShare?: number
}

/**
 * Exactly `count` chat completion chunks of one reply, as a model that answers and then
 * calls tools streams them: `role` in the first; content deltas of a few words (the same
 * text as `chatCompletionStream`); the tool calls one after the other, each opened
 * by a fragment with its `id`, `type` and function name and continued by fragments of its
 * arguments, a JSON object; `finish_reason: 'tool_calls'` in the last. Deterministic.
 */
export function chatCompletionChunks(count: number, options: ChatReplyOptions = {}): ChatReply {
  const random = mulberry32(SEED)
  const callCount = options.toolCalls ?? 3
  const fragmentCount = Math.round(count * (options.toolCallShare ?? 0.1))
  // Each call needs its opening fragment and at least the `{…` and `…}` argument fragments.
  if (fragmentCount < 3 * callCount || count - 2 - fragmentCount < 0) {
    throw new Error(`${count} chunks cannot hold ${callCount} tool calls`)
  }
  const chunks: string[] = []
  const message: ReplyMessage = { role: 'assistant', content: '', toolCalls: [] }
  chunks.push(choiceChunk({ role: 'assistant', content: '' }, null))
  for (let i = 2 + fragmentCount; i < count; i++) {
    const text = deltaText(random)
    message.content += text
    chunks.push(choiceChunk({ content: text }, null))
  }
  for (let index = 0; index < callCount; index++) {
    const call = { id: `call_${index}`, type: 'function', name: 'write_note', arguments: '' }
    message.toolCalls.push(call)
    chunks.push(
      choiceChunk(
        { tool_calls: [{ index, id: call.id, type: call.type, function: { name: call.name, arguments: '' } }] },
        null,
      ),
    )
    // The fragments left are shared out: the first calls get the odd ones.
    const fragments = Math.floor(fragmentCount / callCount) + (index < fragmentCount % callCount ? 1 : 0) - 1
    for (let k = 0; k < fragments; k++) {
      // `{"path":…,"text":"`, the text's words with JSON escapes, `"}`: valid JSON once joined.
      const piece =
        k === 0
          ? `{"path":"notes/${index}.md","text":"`
          : k === fragments - 1
            ? '"}'
            : JSON.stringify(deltaText(random)).slice(1, -1)
      call.arguments += piece
      chunks.push(choiceChunk({ tool_calls: [{ index, function: { arguments: piece } }] }, null))
    }
  }
  chunks.push(choiceChunk({}, 'tool_calls'))
  return { chunks, message, finishReason: 'tool_calls' }
}
