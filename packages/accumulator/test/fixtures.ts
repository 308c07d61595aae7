/**
 * Chunk builders for the accumulator's tests, shaped after what providers send.
 */
import type { ChatCompletionChunk, ChatCompletionChunkChoice, ChatCompletionDelta, FinishReason } from '@sluice/openai'

/** A chunk with one choice. */
export function chunk(
  delta: ChatCompletionDelta,
  {
    index = 0,
    finish = null,
    extra = {},
  }: { index?: number; finish?: FinishReason | null; extra?: Partial<ChatCompletionChunkChoice> } = {},
): ChatCompletionChunk {
  return {
    id: 'chatcmpl-1',
    object: 'chat.completion.chunk',
    created: 1764072000,
    model: 'anthropic/claude-sonnet-4-5',
    choices: [{ index, delta, logprobs: null, finish_reason: finish, ...extra }],
  }
}

/** A chunk with several choices at once. */
export function multiChunk(choices: ChatCompletionChunkChoice[]): ChatCompletionChunk {
  return { id: 'chatcmpl-1', object: 'chat.completion.chunk', created: 1764072000, model: 'm', choices }
}

/** A tool-call fragment delta. */
export const toolDelta = (...tool_calls: NonNullable<ChatCompletionDelta['tool_calls']>): ChatCompletionDelta => ({
  tool_calls,
})

/** Deep copy through JSON: what a snapshot looked like at a moment. */
export const copy = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T
