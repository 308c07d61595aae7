import { ToolArgumentsError } from './errors.ts'
import type { ChatCompletionToolCall } from './types.ts'

/**
 * The parsed JSON arguments of a tool call. The API sends them as a string, and the
 * accumulator keeps them so; parse once the call is complete. An empty string, which
 * some providers send for a call without arguments, gives `{}`.
 *
 * @throws {ToolArgumentsError} when the arguments are not valid JSON (quoting their start)
 * @example Call the tools the model asked for
 * ```ts
 * import { accumulate, parseToolArguments } from '@sluice/accumulator'
 * import { ChatChunkStream } from '@sluice/openai'
 *
 * const completion = await accumulate(response.body!.pipeThrough(new ChatChunkStream()))
 * for (const call of completion.choices[0]?.message.tool_calls ?? []) {
 *   const { city } = parseToolArguments(call) as { city: string }
 *   console.log(call.function.name, city)
 * }
 * ```
 */
export function parseToolArguments(toolCall: ChatCompletionToolCall): unknown {
  const text = toolCall.function.arguments
  if (text.trim() === '') return {}
  try {
    return JSON.parse(text)
  } catch (cause) {
    throw new ToolArgumentsError(text, toolCall.id, toolCall.function.name, { cause })
  }
}
