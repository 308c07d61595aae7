export { accumulateGemini, GeminiAccumulator, GeminiAccumulatorStream } from './gemini-accumulator.ts'
export type {
  GeminiAccumulatorOptions,
  GeminiAssembledCandidate,
  GeminiResponse,
  Without,
} from './gemini-accumulator.ts'
export { GeminiChunkDecoder, GeminiChunkDecoderStream } from './gemini-chunk-decoder.ts'
export type { GeminiChunkDecoderOptions } from './gemini-chunk-decoder.ts'
export { GeminiChunkParser, GeminiChunkStream } from './gemini-chunk-stream.ts'
export type { GeminiChunkStreamOptions } from './gemini-chunk-stream.ts'
export { geminiMissingParts, geminiOutcomeOf, geminiOutcomeOfEnd } from './outcome.ts'
export type { CandidateProgress, GeminiOutcome, GeminiProgress } from './outcome.ts'
export { GeminiChunkParseError, GeminiStreamError, TruncatedGeminiError, UnexpectedGeminiChunkError } from './errors.ts'
export { argsOf, PartialArgs } from './partial-args.ts'
export type {
  GeminiCandidate,
  GeminiChunk,
  GeminiFinishReason,
  GeminiFunctionCall,
  GeminiPart,
  GeminiQuirk,
  GeminiQuirkCode,
  GeminiUsage,
  PartialArg,
} from './types.ts'
export { ProviderError } from '@sluice/openai'
export {
  chatUsageOfGemini,
  finishReasonOfGemini,
  GeminiToChatChunks,
  GeminiToChatChunksStream,
} from './gemini-to-chat-chunks.ts'
