/**
 * Builders of realistic chat completion chunks and of the server-sent events that carry
 * them, shaped after what OpenAI-compatible providers send (the tests of @sluice/openai
 * and @sluice/chat share them).
 */
import type { ChatCompletionChunk, ChatCompletionDelta, FinishReason } from '@sluice/openai'

/** The model every built chunk names. */
export const MODEL = 'anthropic/claude-sonnet-4-5'

/** One chunk with a single choice. */
export function chunk(
  delta: ChatCompletionDelta,
  { index = 0, finish = null, id = 'chatcmpl-7Zx' }: { index?: number; finish?: FinishReason | null; id?: string } = {},
): ChatCompletionChunk {
  return {
    id,
    object: 'chat.completion.chunk',
    created: 1764072000,
    model: MODEL,
    system_fingerprint: 'fp_44709d6fcb',
    choices: [{ index, delta, logprobs: null, finish_reason: finish }],
  }
}

/** The usage chunk sent last with `stream_options: { include_usage: true }`. */
export function usageChunk(): ChatCompletionChunk {
  return {
    id: 'chatcmpl-7Zx',
    object: 'chat.completion.chunk',
    created: 1764072000,
    model: MODEL,
    choices: [],
    usage: { prompt_tokens: 12, completion_tokens: 9, total_tokens: 21 },
  }
}

/** `data: <json>` events, each closed by a blank line, with the given line ending. */
export function sse(items: readonly (ChatCompletionChunk | string)[], eol = '\n'): string {
  return items
    .map((item) => `${typeof item === 'string' ? item : `data: ${JSON.stringify(item)}`}${eol}${eol}`)
    .join('')
}

/** A plain text answer, split into deltas. */
export function textChunks(parts: readonly string[]): ChatCompletionChunk[] {
  return [
    chunk({ role: 'assistant', content: '' }),
    ...parts.map((content) => chunk({ content })),
    chunk({}, { finish: 'stop' }),
  ]
}

/** Two parallel tool calls, their arguments in fragments. */
export function toolCallChunks(): ChatCompletionChunk[] {
  return [
    chunk({ role: 'assistant', content: null }),
    chunk({
      tool_calls: [{ index: 0, id: 'call_a', type: 'function', function: { name: 'get_weather', arguments: '' } }],
    }),
    chunk({ tool_calls: [{ index: 0, function: { arguments: '{"city":' } }] }),
    chunk({ tool_calls: [{ index: 0, function: { arguments: '"Paris"}' } }] }),
    chunk({
      tool_calls: [
        { index: 1, id: 'call_b', type: 'function', function: { name: 'get_time', arguments: '{"tz":"CET"}' } },
      ],
    }),
    chunk({}, { finish: 'tool_calls' }),
  ]
}
