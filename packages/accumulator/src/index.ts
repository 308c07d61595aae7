export { DeltaAccumulator, DeltaAccumulatorStream } from './delta-accumulator.ts'
export type { DeltaAccumulatorOptions } from './delta-accumulator.ts'
export { accumulate } from './accumulate.ts'
export type { ChunkSource } from './accumulate.ts'
export { parseToolArguments } from './parse-tool-arguments.ts'
export {
  AccumulationError,
  AccumulatorError,
  EmptyStreamError,
  NotAChunkError,
  ToolArgumentsError,
  ToolCallFragmentError,
} from './errors.ts'
export type { ChatCompletion, ChatCompletionChoice, ChatCompletionMessage, ChatCompletionToolCall } from './types.ts'
