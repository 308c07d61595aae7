export { DeltaAccumulator, DeltaAccumulatorStream } from './delta-accumulator.ts'
export type { DeltaAccumulatorOptions } from './delta-accumulator.ts'
export { accumulate, attachPartial } from './accumulate.ts'
export type { ChunkSource } from './accumulate.ts'
export { parseToolArguments } from './parse-tool-arguments.ts'
export {
  AccumulationError,
  AccumulatorError,
  EmptyStreamError,
  NotAChunkError,
  ToolArgumentsError,
  ToolArgumentsValidationError,
  ToolCallFragmentError,
} from './errors.ts'
export type { StandardSchemaV1 } from './standard-schema.ts'
export type {
  AccumulatorQuirk,
  AccumulatorQuirkCode,
  ChatCompletion,
  ChatCompletionChoice,
  ChatCompletionMessage,
  ChatCompletionToolCall,
} from './types.ts'
export type { AccumulatorErrorCode } from './errors.ts'
export { SluiceError, StreamRecord } from '@sluice/compose'
export type {
  PartialValueParser,
  PartialValueParserFactory,
  Quirk,
  StreamCounts,
  StreamProgress,
} from '@sluice/compose'
