import { SluiceError } from '@sluice/compose'
import type { StandardSchemaV1 } from './standard-schema.ts'

/**
 * Base class of every error `@sluice/accumulator` raises. Branch on the subclass with
 * `instanceof`, or on the stable `code` string.
 *
 * @example Tell the accumulator's errors from the others
 * ```ts
 * import { AccumulatorError, accumulate } from '@sluice/accumulator'
 * import { ChatChunkStream } from '@sluice/openai'
 *
 * try {
 *   await accumulate(response.body!.pipeThrough(new ChatChunkStream()))
 * } catch (error) {
 *   if (!(error instanceof AccumulatorError)) throw error // e.g. a ChunkStreamError of @sluice/openai
 *   console.error(error.code, error.message)
 * }
 * ```
 */
export abstract class AccumulatorError extends SluiceError {}

/**
 * Thrown when a tool-call fragment fits no correlation rule: the accumulator does not guess.
 *
 * @example A fragment the accumulator cannot place
 * ```ts
 * import { DeltaAccumulator, ToolCallFragmentError } from '@sluice/accumulator'
 *
 * const accumulator = new DeltaAccumulator()
 * try {
 *   // No id, no index, no function name, and no earlier call to continue: nowhere to put it.
 *   accumulator.add({
 *     id: 'chatcmpl-1', object: 'chat.completion.chunk', created: 0, model: 'm',
 *     choices: [{ index: 0, delta: { tool_calls: [{ function: { arguments: '{"city":' } }] }, finish_reason: null }],
 *   })
 * } catch (error) {
 *   if (!(error instanceof ToolCallFragmentError)) throw error
 *   console.error(error.chunkIndex, error.choiceIndex, error.fragment)
 * }
 * ```
 */
export class ToolCallFragmentError extends AccumulatorError {
  readonly code = 'SLUICE_TOOL_CALL_FRAGMENT'
  /** 0-based index of the chunk in the input. */
  readonly chunkIndex: number
  /** The `index` of the choice the fragment belongs to. */
  readonly choiceIndex: number
  /** The fragment, as received. */
  readonly fragment: unknown

  constructor(reason: string, fragment: unknown, chunkIndex: number, choiceIndex: number) {
    super(`chunk ${chunkIndex}, choice ${choiceIndex}: ${reason}: ${quoteFragment(fragment)}`)
    this.name = 'ToolCallFragmentError'
    this.fragment = fragment
    this.chunkIndex = chunkIndex
    this.choiceIndex = choiceIndex
  }
}

/** The start of a fragment as JSON, for a message; one `JSON.stringify` cannot write (too deep) is named so. */
function quoteFragment(fragment: unknown): string {
  try {
    return String(JSON.stringify(fragment)).slice(0, 120)
  } catch {
    return '(a value JSON.stringify cannot write)'
  }
}

/**
 * Thrown when the input is not a `chat.completion.chunk` (not an object, or without a `choices` array).
 *
 * @example Events fed where chunks are expected
 * ```ts
 * import { DeltaAccumulator, NotAChunkError } from '@sluice/accumulator'
 *
 * try {
 *   new DeltaAccumulator().add(JSON.parse('{"type":"message_start"}'))
 * } catch (error) {
 *   if (!(error instanceof NotAChunkError)) throw error
 *   console.error(error.message) // chunk 0 is not a chat.completion.chunk: it has no choices array
 * }
 * ```
 */
export class NotAChunkError extends AccumulatorError {
  readonly code = 'SLUICE_NOT_A_CHUNK'
  /** 0-based index of the chunk in the input. */
  readonly chunkIndex: number

  constructor(chunkIndex: number, reason: string) {
    super(`chunk ${chunkIndex} is not a chat.completion.chunk: ${reason}`)
    this.name = 'NotAChunkError'
    this.chunkIndex = chunkIndex
  }
}

/**
 * Thrown by `accumulate` when the source ends without a single chunk.
 *
 * @example Nothing to assemble
 * ```ts
 * import { accumulate, EmptyStreamError } from '@sluice/accumulator'
 *
 * await accumulate([]).catch((error: unknown) => {
 *   if (error instanceof EmptyStreamError) console.warn('the stream had no chunk')
 * })
 * ```
 */
export class EmptyStreamError extends AccumulatorError {
  readonly code = 'SLUICE_EMPTY_STREAM'

  constructor() {
    super('the stream ended without a single chunk: there is no completion to assemble')
    this.name = 'EmptyStreamError'
  }
}

/**
 * Thrown by `parseToolArguments` when a tool call's arguments are not valid JSON.
 *
 * @example Arguments that are not JSON
 * ```ts
 * import { parseToolArguments, ToolArgumentsError } from '@sluice/accumulator'
 *
 * try {
 *   parseToolArguments({ id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city": "Par' } })
 * } catch (error) {
 *   if (!(error instanceof ToolArgumentsError)) throw error
 *   console.error(error.toolCallId, error.text) // call_1 {"city": "Par
 * }
 * ```
 */
export class ToolArgumentsError extends AccumulatorError {
  readonly code = 'SLUICE_TOOL_ARGUMENTS'
  /** The arguments text, as received. */
  readonly text: string
  /** The `id` of the tool call. */
  readonly toolCallId: string

  constructor(text: string, toolCallId: string, name: string, options?: ErrorOptions) {
    const start = JSON.stringify(text.length > 80 ? `${text.slice(0, 80)}…` : text)
    super(`the arguments of tool call ${JSON.stringify(toolCallId)} (${name}) are not valid JSON: ${start}`, options)
    this.name = 'ToolArgumentsError'
    this.text = text
    this.toolCallId = toolCallId
  }
}

/**
 * Thrown by `parseToolArguments(toolCall, schema)` (or what it returns rejects with, when the
 * schema validates asynchronously) when the arguments are JSON but the schema refuses them:
 * `issues` as the schema gave them (Standard Schema issues: `message`, `path`), and the
 * message lists the first ones.
 *
 * @example Arguments the schema refuses
 * ```ts
 * import { parseToolArguments, ToolArgumentsValidationError, type StandardSchemaV1 } from '@sluice/accumulator'
 *
 * declare const weatherSchema: StandardSchemaV1<unknown, { city: string }> // a Zod, Valibot or ArkType schema
 * try {
 *   await parseToolArguments({ id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city": 7}' } }, weatherSchema)
 * } catch (error) {
 *   if (!(error instanceof ToolArgumentsValidationError)) throw error
 *   console.error(error.toolName, error.issues) // get_weather [{ message: '…', path: ['city'] }]
 * }
 * ```
 */
export class ToolArgumentsValidationError extends AccumulatorError {
  readonly code = 'SLUICE_TOOL_ARGUMENTS_VALIDATION'
  /** What the schema said, in its order. */
  declare readonly issues: readonly StandardSchemaV1.Issue[]
  /** The `id` of the tool call. */
  declare readonly toolCallId: string
  /** The `function.name` of the tool call. */
  declare readonly toolName: string

  constructor(issues: readonly StandardSchemaV1.Issue[], toolCallId: string, toolName: string) {
    const listed = issues.slice(0, 3).map((issue) => {
      const path = issue.path?.map((segment) => String(typeof segment === 'object' ? segment.key : segment)).join('.')
      return path ? `${path}: ${issue.message}` : issue.message
    })
    if (issues.length > 3) listed.push(`${issues.length - 3} more`)
    super(
      `the arguments of tool call ${JSON.stringify(toolCallId)} (${toolName}) do not match the schema: ${listed.join('; ')}`,
    )
    this.issues = issues
    this.toolCallId = toolCallId
    this.toolName = toolName
    this.name = 'ToolArgumentsValidationError'
  }
}

/**
 * What `accumulate` rejects with when the source fails with something that cannot carry
 * a `partial` property itself (a string, a frozen object, …): the original is the `cause`.
 *
 * @example A source that fails with a string
 * ```ts
 * import { AccumulationError, accumulate } from '@sluice/accumulator'
 * import type { ChatCompletionChunk } from '@sluice/openai'
 *
 * async function* failing(): AsyncGenerator<ChatCompletionChunk> {
 *   throw 'connection reset'
 * }
 * await accumulate(failing()).catch((error: unknown) => {
 *   if (error instanceof AccumulationError) console.error(error.cause, error.partial) // 'connection reset' null
 * })
 * ```
 */
export class AccumulationError extends AccumulatorError {
  readonly code = 'SLUICE_ACCUMULATION'
  /** The last snapshot before the failure (a `ChatCompletion`), or `null`. */
  readonly partial: unknown

  constructor(partial: unknown, options: ErrorOptions) {
    super(`the source failed: ${String(options.cause)}`, options)
    this.name = 'AccumulationError'
    this.partial = partial
  }
}

/**
 * The codes of `@sluice/accumulator`'s errors (each a `SluiceError`).
 *
 * @example
 * ```ts
 * import { ToolCallFragmentError, type AccumulatorErrorCode } from '@sluice/accumulator'
 *
 * const code: AccumulatorErrorCode = 'SLUICE_TOOL_CALL_FRAGMENT'
 * console.log(code, ToolCallFragmentError.name)
 * ```
 */
export type AccumulatorErrorCode =
  | ToolCallFragmentError['code']
  | NotAChunkError['code']
  | EmptyStreamError['code']
  | ToolArgumentsError['code']
  | ToolArgumentsValidationError['code']
  | AccumulationError['code']
