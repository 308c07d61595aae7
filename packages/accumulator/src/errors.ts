/**
 * Base class of every error `@sluice/accumulator` raises. Branch on the subclass with
 * `instanceof`, or on the stable `code` string.
 */
export abstract class AccumulatorError extends Error {
  /** Stable machine-readable identifier of the error kind. */
  abstract readonly code: string
}

/** Thrown when a tool-call fragment fits no correlation rule: the accumulator does not guess. */
export class ToolCallFragmentError extends AccumulatorError {
  readonly code = 'SLUICE_TOOL_CALL_FRAGMENT'
  readonly chunkIndex: number
  readonly choiceIndex: number
  /** The fragment, as received. */
  readonly fragment: unknown

  constructor(reason: string, fragment: unknown, chunkIndex: number, choiceIndex: number) {
    super(`chunk ${chunkIndex}, choice ${choiceIndex}: ${reason}: ${JSON.stringify(fragment)?.slice(0, 120)}`)
    this.name = 'ToolCallFragmentError'
    this.fragment = fragment
    this.chunkIndex = chunkIndex
    this.choiceIndex = choiceIndex
  }
}

/** Thrown when the input is not a `chat.completion.chunk` (not an object, or without a `choices` array). */
export class NotAChunkError extends AccumulatorError {
  readonly code = 'SLUICE_NOT_A_CHUNK'
  readonly chunkIndex: number

  constructor(chunkIndex: number, reason: string) {
    super(`chunk ${chunkIndex} is not a chat.completion.chunk: ${reason}`)
    this.name = 'NotAChunkError'
    this.chunkIndex = chunkIndex
  }
}

/** Thrown by `accumulate` when the source ends without a single chunk. */
export class EmptyStreamError extends AccumulatorError {
  readonly code = 'SLUICE_EMPTY_STREAM'

  constructor() {
    super('the stream ended without a single chunk: there is no completion to assemble')
    this.name = 'EmptyStreamError'
  }
}

/** Thrown by `parseToolArguments` when a tool call's arguments are not valid JSON. */
export class ToolArgumentsError extends AccumulatorError {
  readonly code = 'SLUICE_TOOL_ARGUMENTS'
  /** The arguments text, as received. */
  readonly text: string
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
 * What `accumulate` rejects with when the source fails with something that cannot carry
 * a `partial` property itself (a string, a frozen object, …): the original is the `cause`.
 */
export class AccumulationError extends AccumulatorError {
  readonly code = 'SLUICE_ACCUMULATION'
  readonly partial: unknown

  constructor(partial: unknown, options: ErrorOptions) {
    super(`the source failed: ${String(options.cause)}`, options)
    this.name = 'AccumulationError'
    this.partial = partial
  }
}
