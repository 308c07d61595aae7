export { EventStageRecord } from './event-stage-record.ts'
export { EventParser } from './event-parser.ts'
export type { EventDecoderStage } from './event-parser.ts'
export {
  checkAfterEnd,
  describePosition,
  endedOutcome,
  FormatEventDecoder,
  quotePayload,
} from './format-event-decoder.ts'
export type { FormatDecoderOptions, FormatOutcome } from './format-event-decoder.ts'
export { ParsedTexts } from './parsed-texts.ts'
