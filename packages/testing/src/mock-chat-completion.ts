import type { ChatCompletion, ChatCompletionMessage } from '@sluice/accumulator'
import { answerUsage } from './answer-chunks.ts'
import { resolveOptions } from './options.ts'
import type { MockChatOptions } from './types.ts'

/**
 * The non-streamed `chat.completion` for the same options (a request with
 * `stream: false`): the message the mock stream's chunks add up to, with the same id,
 * model, finish reason and usage. Faults and pacing options do not apply.
 *
 * @throws {MockOptionsError} when an option is invalid
 * @example
 * ```ts
 * import { mockChatCompletion } from '@sluice/testing'
 *
 * globalThis.fetch = async () => Response.json(mockChatCompletion({ text: 'Hi!' }))
 * ```
 */
export function mockChatCompletion(options: MockChatOptions = {}): ChatCompletion {
  const resolved = resolveOptions(options)
  const hasToolCalls = resolved.toolCalls.length > 0
  const message: ChatCompletionMessage = {
    role: 'assistant',
    // OpenAI sends null content with tool calls and no text.
    content: hasToolCalls && resolved.text === '' ? null : resolved.text,
    refusal: null,
    ...(resolved.reasoning !== '' && { reasoning_content: resolved.reasoning }),
    ...(hasToolCalls && {
      tool_calls: resolved.toolCalls.map((call) => ({
        id: call.id,
        type: 'function',
        function: { name: call.name, arguments: call.arguments },
      })),
    }),
  }
  const usage = answerUsage(resolved)
  return {
    id: resolved.id,
    object: 'chat.completion',
    created: resolved.created,
    model: resolved.model,
    choices: [{ index: 0, message, logprobs: null, finish_reason: resolved.finishReason }],
    ...(usage && { usage }),
  }
}
