export { asyncIterable } from './async-iterable.ts'
export type { IterableReadableStream } from './async-iterable.ts'
export { compose } from './compose.ts'
export type { ComposedTransformer } from './compose.ts'
export { AsyncStageError, SluiceError } from './errors.ts'
export type { ComposeErrorCode } from './errors.ts'
export { iterate } from './iterate.ts'
export type { ReadableSource } from './iterate.ts'
export { Latch } from './latch.ts'
export { OrderedTransformStream } from './ordered-transform-stream.ts'
export type { AfterTerminate, OrderedTransformStreamOptions } from './ordered-transform-stream.ts'
export { pipelineStage } from './pipeline-stage.ts'
export { isRecordedStage, linkRecords, MAX_KEPT_QUIRKS, StreamRecord } from './stream-record.ts'
export type {
  DiscardedEvent,
  Quirk,
  RecordedStage,
  StreamCounts,
  StreamProgress,
  UnfinishedEvent,
} from './stream-record.ts'
export type { StreamTransformer, TransformController } from './transformer.ts'
export { RecordedTransformStream } from './recorded-transform-stream.ts'
export type { ProgressStage } from './recorded-transform-stream.ts'
export type { PartialValueParser, PartialValueParserFactory } from './partial-value-parser.ts'
