import { answerUsage } from './answer-chunks.ts'
import { resolveOptions } from './options.ts'
import type { ChatCompletion, ChatCompletionMessage, MockChatOptions } from './types.ts'

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
  }
  if (resolved.reasoning !== '') message.reasoning_content = resolved.reasoning
  if (hasToolCalls) {
    message.tool_calls = resolved.toolCalls.map((call) => ({
      id: call.id,
      type: 'function',
      function: { name: call.name, arguments: call.arguments },
    }))
  }
  const completion: ChatCompletion = {
    id: resolved.id,
    object: 'chat.completion',
    created: resolved.created,
    model: resolved.model,
    choices: [{ index: 0, message, logprobs: null, finish_reason: resolved.finishReason }],
  }
  const usage = answerUsage(resolved)
  if (usage) completion.usage = usage
  return completion
}
