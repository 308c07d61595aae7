import type { Quirk } from '@sluice/compose'

/**
 * Why a candidate stopped (`candidates[].finishReason`). Other strings pass through (the API
 * adds reasons): see {@link GeminiQuirkCode} `unknown-finish-reason`.
 *
 * @example
 * ```ts
 * import type { GeminiFinishReason } from '@sluice/gemini'
 *
 * const reason: GeminiFinishReason = 'MAX_TOKENS'
 * ```
 */
export type GeminiFinishReason =
  | 'STOP'
  | 'MAX_TOKENS'
  | 'SAFETY'
  | 'RECITATION'
  | 'LANGUAGE'
  | 'OTHER'
  | 'BLOCKLIST'
  | 'PROHIBITED_CONTENT'
  | 'SPII'
  | 'MALFORMED_FUNCTION_CALL'
  | 'IMAGE_SAFETY'
  | 'UNEXPECTED_TOOL_CALL'
  | 'TOO_MANY_TOOL_CALLS'
  | 'FINISH_REASON_UNSPECIFIED'
  | 'MODEL_ARMOR'
  | 'CONTINUATION'
  | (string & {})

/**
 * One streamed piece of a function call's arguments (Vertex AI's `partialArgs`): a value
 * at an RFC 9535 JSON path; `willContinue` says more of the same string follows.
 *
 * @example
 * ```ts
 * import type { PartialArg } from '@sluice/gemini'
 *
 * const piece: PartialArg = { jsonPath: '$.location', stringValue: 'Bos', willContinue: true }
 * ```
 */
export interface PartialArg {
  jsonPath?: string
  stringValue?: string
  numberValue?: number
  boolValue?: boolean
  nullValue?: 'NULL_VALUE'
  willContinue?: boolean
  [field: string]: unknown
}

/**
 * A function call part: whole (`args`) in Gemini API streams; in Vertex AI streams with
 * argument streaming, a call opened with `willContinue: true` and filled by `partialArgs`.
 *
 * @example
 * ```ts
 * import type { GeminiFunctionCall } from '@sluice/gemini'
 *
 * const call: GeminiFunctionCall = { name: 'get_weather', args: { city: 'Paris' } }
 * ```
 */
export interface GeminiFunctionCall {
  name?: string
  args?: Record<string, unknown>
  id?: string
  partialArgs?: PartialArg[]
  willContinue?: boolean
  [field: string]: unknown
}

/**
 * A part of a candidate's content: `text` (a thought when `thought` is true), a
 * `functionCall`, `executableCode`, `codeExecutionResult`, `inlineData`, … and fields the
 * API adds; `thoughtSignature` may sit on any of them.
 *
 * @example
 * ```ts
 * import type { GeminiPart } from '@sluice/gemini'
 *
 * const part: GeminiPart = { text: 'Let me think', thought: true }
 * ```
 */
export interface GeminiPart {
  text?: string
  thought?: boolean
  thoughtSignature?: string
  functionCall?: GeminiFunctionCall
  [field: string]: unknown
}

/**
 * A candidate of a chunk: its content so far (this chunk's parts), and on its last chunk the
 * `finishReason`.
 *
 * @example
 * ```ts
 * import type { GeminiCandidate } from '@sluice/gemini'
 *
 * const candidate: GeminiCandidate = { content: { role: 'model', parts: [{ text: 'Hi' }] }, index: 0 }
 * ```
 */
export interface GeminiCandidate {
  content?: { role?: string; parts?: GeminiPart[]; [field: string]: unknown }
  finishReason?: GeminiFinishReason
  index?: number
  safetyRatings?: unknown[]
  citationMetadata?: { citations?: unknown[]; [field: string]: unknown }
  groundingMetadata?: Record<string, unknown>
  [field: string]: unknown
}

/**
 * Token counts (`usageMetadata`): running totals, sent again on every chunk (overwrite, do
 * not add). Fields the API adds are kept.
 *
 * @example
 * ```ts
 * import type { GeminiUsage } from '@sluice/gemini'
 *
 * const usage: GeminiUsage = { promptTokenCount: 8, candidatesTokenCount: 4, totalTokenCount: 12 }
 * ```
 */
export interface GeminiUsage {
  promptTokenCount?: number
  candidatesTokenCount?: number
  thoughtsTokenCount?: number
  cachedContentTokenCount?: number
  toolUsePromptTokenCount?: number
  totalTokenCount?: number
  [field: string]: unknown
}

/**
 * One chunk of a Gemini stream: a `GenerateContentResponse`, the data of one server-sent
 * event of `streamGenerateContent?alt=sse`.
 *
 * @example Print the text as it arrives
 * ```ts
 * import { GeminiChunkStream } from '@sluice/gemini'
 *
 * for await (const chunk of response.body!.pipeThrough(new GeminiChunkStream())) {
 *   for (const part of chunk.candidates?.[0]?.content?.parts ?? []) if (!part.thought) process.stdout.write(part.text ?? '')
 * }
 * ```
 */
export interface GeminiChunk {
  candidates?: GeminiCandidate[]
  promptFeedback?: { blockReason?: string; safetyRatings?: unknown[]; [field: string]: unknown }
  usageMetadata?: GeminiUsage
  modelVersion?: string
  responseId?: string
  createTime?: string
  [field: string]: unknown
}

/**
 * What the decoder repaired or skipped, and what the accumulator met.
 * - `unknown-finish-reason`: a `finishReason` this version does not know: kept.
 * - `repeated-finish-reason`: a candidate's `finishReason` sent again on a later chunk: kept.
 * - `content-after-finish`: parts for a candidate after its `finishReason`: kept.
 * - `unterminated-last-chunk`: the last chunk ended the input without its closing blank line: taken (it is whole JSON).
 * - `named-event`: an event with an `event:` name (Gemini sends none): read by its data.
 * - `empty-function-call`: a `{"functionCall": {}}` part (Vertex's end of a streamed call) with no call streaming: skipped.
 * - `content-not-json` (the accumulator's, with `parseContent`; without `eventIndex`): a
 *   candidate's text that ended as no JSON value: the parser's message says why and where;
 *   the text is kept.
 *
 * @example
 * ```ts
 * import type { GeminiQuirkCode } from '@sluice/gemini'
 *
 * const code: GeminiQuirkCode = 'repeated-finish-reason'
 * ```
 */
export type GeminiQuirkCode =
  | 'unknown-finish-reason'
  | 'repeated-finish-reason'
  | 'content-after-finish'
  | 'unterminated-last-chunk'
  | 'named-event'
  | 'empty-function-call'
  | 'content-not-json'

/**
 * A repair or a skipped event of the decoder, with where it happened.
 *
 * @example
 * ```ts
 * import { GeminiChunkStream, type GeminiQuirk } from '@sluice/gemini'
 *
 * const chunks = new GeminiChunkStream({ onQuirk: (quirk) => console.warn(quirk.code, quirk.message) })
 * const log = (quirk: GeminiQuirk) => console.warn(quirk.eventIndex, quirk.message)
 * ```
 */
export interface GeminiQuirk extends Quirk {
  code: GeminiQuirkCode
  /** 0-based index of the server-sent event. */
  eventIndex: number
  /** The input line that ended the event, where an SSE stage shares the record. */
  line?: number
}
