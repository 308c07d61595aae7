import { ToolArgumentsError, ToolArgumentsValidationError } from './errors.ts'
import type { StandardSchemaV1 } from './standard-schema.ts'
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
export function parseToolArguments(toolCall: ChatCompletionToolCall): unknown
/**
 * The arguments of a tool call, parsed and validated by `schema`: any Standard Schema (a
 * schema of Zod, Valibot, ArkType, …; sluice depends on none of them), typed as its output.
 * A schema that validates synchronously (Zod's and Valibot's without async refinements,
 * ArkType's) gives the value; one that validates asynchronously (`.refine(async …)`,
 * `pipeAsync`) gives a promise of it. The type says either, so `await` the call: awaiting a
 * value is harmless.
 *
 * @throws {ToolArgumentsError} when the arguments are not valid JSON (thrown, before validation)
 * @throws {ToolArgumentsValidationError} when the schema refuses them (a returned promise rejects with it)
 * @example Typed, validated arguments with Zod
 * ```ts
 * import { accumulate, parseToolArguments } from '@sluice/accumulator'
 * import { ChatChunkStream } from '@sluice/openai'
 * import { z } from 'zod'
 *
 * const weather = z.object({ city: z.string(), days: z.number().int().positive() })
 * const completion = await accumulate(response.body!.pipeThrough(new ChatChunkStream()))
 * for (const call of completion.choices[0]?.message.tool_calls ?? []) {
 *   const { city, days } = await parseToolArguments(call, weather) // { city: string; days: number }
 *   console.log(city, days)
 * }
 * ```
 */
export function parseToolArguments<Schema extends StandardSchemaV1>(
  toolCall: ChatCompletionToolCall,
  schema: Schema,
): StandardSchemaV1.InferOutput<Schema> | Promise<StandardSchemaV1.InferOutput<Schema>>
export function parseToolArguments(toolCall: ChatCompletionToolCall, schema?: StandardSchemaV1): unknown {
  const text = toolCall.function.arguments
  let value: unknown = {}
  if (text.trim() !== '') {
    try {
      value = JSON.parse(text)
    } catch (cause) {
      throw new ToolArgumentsError(text, toolCall.id, toolCall.function.name, { cause })
    }
  }
  if (!schema) return value
  const result = schema['~standard'].validate(value)
  return 'then' in result ? result.then((settled) => validated(settled, toolCall)) : validated(result, toolCall)
}

/** The output of a validation, or its issues thrown. */
function validated(result: StandardSchemaV1.Result<unknown>, toolCall: ChatCompletionToolCall): unknown {
  if (result.issues) throw new ToolArgumentsValidationError(result.issues, toolCall.id, toolCall.function.name)
  return result.value
}
