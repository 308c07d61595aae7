import { type Quirk, SluiceError } from '@sluice/compose'
import { missingParts, type StreamOutcome } from './outcome.ts'
import type { ForeignFormat } from './types.ts'

/**
 * Where in the input an error happened.
 *
 * @example Say where a skipped event was
 * ```ts
 * import { ChatChunkStream, type EventPosition } from '@sluice/openai'
 *
 * const where = ({ eventIndex, line }: EventPosition) => `event ${eventIndex}${line === undefined ? '' : ` (line ${line})`}`
 * const chunks = new ChatChunkStream({ invalidJSON: 'skip', onInvalidJSON: (error) => console.warn(`skipped ${where(error)}`) })
 * ```
 */
export interface EventPosition {
  /** 0-based index of the server-sent event. */
  eventIndex: number
  /**
   * 1-based number of the input line that ended the event (the blank line that dispatched
   * it), when the stage knows it (`ChatChunkStream` does).
   */
  line?: number | undefined
}

const where = ({ eventIndex, line }: EventPosition) =>
  `event ${eventIndex}${line === undefined ? '' : ` (ending at line ${line})`}`

/** Quotes the start of a payload for an error message. */
const quote = (text: string) => JSON.stringify(text.length > 80 ? `${text.slice(0, 80)}…` : text)

/**
 * Base class of every error `@sluice/openai` raises. Branch on the subclass with
 * `instanceof`, or on the stable `code` string.
 *
 * @example Branch on the code
 * ```ts
 * import { ChatChunkStream, ChunkStreamError } from '@sluice/openai'
 *
 * try {
 *   for await (const chunk of response.body!.pipeThrough(new ChatChunkStream())) render(chunk)
 * } catch (error) {
 *   if (!(error instanceof ChunkStreamError)) throw error
 *   if (error.code === 'SLUICE_TRUNCATED_STREAM') console.warn('cut off: ask again')
 *   else console.error(error.code, error.message)
 * }
 * ```
 */
export abstract class ChunkStreamError extends SluiceError {}

/**
 * Thrown when an event's data is not valid JSON. The raw text is kept in `data`.
 *
 * @example Skip events that are not JSON, and log them
 * ```ts
 * import { ChatChunkStream, type ChunkParseError } from '@sluice/openai'
 *
 * const chunks = new ChatChunkStream({
 *   invalidJSON: 'skip',
 *   onInvalidJSON: (error: ChunkParseError) => console.warn(`event ${error.eventIndex}, line ${error.line}: ${error.data}`),
 * })
 * ```
 */
export class ChunkParseError extends ChunkStreamError {
  readonly code = 'SLUICE_CHUNK_PARSE'
  /** The event's data, as received. */
  declare readonly data: string
  /** 0-based index of the server-sent event. */
  declare readonly eventIndex: number
  /** The input line that ended the event, where the stage knows it (see {@link EventPosition}). */
  declare readonly line: number | undefined

  constructor(data: string, position: EventPosition, options?: ErrorOptions) {
    super(`${where(position)}: data is not a JSON chunk: ${quote(data)}`, options)
    this.data = data
    this.eventIndex = position.eventIndex
    this.line = position.line
    this.name = 'ChunkParseError'
  }
}

/**
 * Thrown when the provider reports an error mid-stream: an `event: error`, or a chunk
 * with a top-level `error` object. The provider's fields are kept, and the raw data.
 *
 * @example Show what the provider said
 * ```ts
 * import { ChatChunkStream, ProviderError } from '@sluice/openai'
 *
 * try {
 *   for await (const chunk of response.body!.pipeThrough(new ChatChunkStream())) render(chunk)
 * } catch (error) {
 *   if (!(error instanceof ProviderError)) throw error
 *   console.error(error.type, error.providerCode, error.message) // e.g. server_error 502 the provider sent an error at event 3: …
 * }
 * ```
 */
export class ProviderError extends ChunkStreamError {
  readonly code = 'SLUICE_PROVIDER_ERROR'
  /** The provider's error type, e.g. `server_error`, when it sent one. */
  declare readonly type: string | undefined
  /** The provider's error code (a string or a number, e.g. `502`), when it sent one. */
  declare readonly providerCode: string | number | undefined
  /** The request parameter the error is about, when the provider named one. */
  declare readonly param: string | undefined
  /** The event's data, as received. */
  declare readonly payload: string
  /** 0-based index of the server-sent event. */
  declare readonly eventIndex: number
  /** The input line that ended the event, where the stage knows it (see {@link EventPosition}). */
  declare readonly line: number | undefined
  /**
   * Whether sending the request again may succeed, from the provider's error type and code:
   * `true` for an overload, a rate limit, a timeout or a server error (`overloaded_error`,
   * `server_error`, `api_error`, `rate_limit_error`, `rate_limit_exceeded`, `timeout`,
   * `service_unavailable`, a code 408, 409, 429 or ≥ 500); `false` otherwise, also when the
   * provider named neither (an invalid request, a refused key or a content filter fails again).
   */
  declare readonly retryable: boolean

  constructor(
    fields: {
      message: string
      type?: string | undefined
      code?: string | number | undefined
      param?: string | undefined
    },
    payload: string,
    position: EventPosition,
  ) {
    const details = [fields.type && `type ${fields.type}`, fields.code !== undefined && `code ${fields.code}`]
      .filter(Boolean)
      .join(', ')
    super(`the provider sent an error at ${where(position)}: ${fields.message}${details ? ` (${details})` : ''}`)
    this.type = fields.type
    this.providerCode = fields.code
    this.param = fields.param
    this.payload = payload
    this.eventIndex = position.eventIndex
    this.line = position.line
    this.retryable = isRetryable(fields.type, fields.code)
    this.name = 'ProviderError'
  }
}

/** Error types and codes (lower case) that name a passing condition: overload, rate limit, timeout, server error. */
const RETRYABLE =
  /overload|rate_?limit|too_many_requests|timeout|timed_out|unavailable|server_error|api_error|internal_error|capacity/

function isRetryable(type: string | undefined, code: string | number | undefined): boolean {
  const status = typeof code === 'number' ? code : /^\d{3}$/.test(code ?? '') ? Number(code) : undefined
  if (status !== undefined) return status === 408 || status === 409 || status === 429 || status >= 500
  return RETRYABLE.test(`${type ?? ''} ${code ?? ''}`.toLowerCase())
}

/**
 * Thrown at the end of a stream that was cut off: it ended with neither `[DONE]` nor a
 * `finish_reason` on every choice that appeared (or with no chunk at all), or the SSE
 * stage discarded an unfinished last event. The message says what was missing; `outcome`
 * is the whole outcome. Retrying the request may succeed.
 *
 * @example Retry a stream that was cut off
 * ```ts
 * import { ChatChunkStream, TruncatedStreamError } from '@sluice/openai'
 *
 * try {
 *   for await (const chunk of response.body!.pipeThrough(new ChatChunkStream())) render(chunk)
 * } catch (error) {
 *   if (!(error instanceof TruncatedStreamError)) throw error
 *   // "the stream was cut off: no [DONE]; choice 0 has no finish_reason (after 12 chunks)"
 *   console.warn(error.message, error.outcome.counts)
 *   // error.retryable: send the request again
 * }
 * ```
 */
export class TruncatedStreamError extends ChunkStreamError {
  readonly code = 'SLUICE_TRUNCATED_STREAM'
  /** Always `true`: the same request, sent again, may succeed. */
  readonly retryable = true
  /** The outcome of the stream (status `truncated`). */
  declare readonly outcome: StreamOutcome
  /** Chunks received before the end. */
  declare readonly chunks: number
  /** Indexes of the choices that appeared but got no `finish_reason`. */
  declare readonly unfinishedChoices: number[]

  constructor(outcome: StreamOutcome) {
    const chunks = outcome.counts.chunks ?? 0
    super(
      `the stream was cut off: ${missingParts(outcome, outcome.openToolCalls).join('; ')} (after ${chunks} chunk${chunks === 1 ? '' : 's'})`,
    )
    this.outcome = outcome
    this.chunks = chunks
    this.unfinishedChoices = Object.entries(outcome.finishReasons)
      .filter(([, reason]) => reason === null)
      .map(([index]) => Number(index))
      .sort((a, b) => a - b)
    this.name = 'TruncatedStreamError'
  }
}

const FORMAT_NAMES: Record<ForeignFormat, string> = {
  'anthropic-messages': 'an Anthropic Messages stream',
  'openai-responses': 'an OpenAI Responses API stream',
  'legacy-completions': 'a legacy completions stream (choices[].text)',
}

/**
 * Thrown at the first event of a stream in another wire format: Anthropic Messages
 * (`event: message_start`, `content_block_delta`, …), the OpenAI Responses API
 * (`response.output_text.delta`, …) or legacy completions (`choices[].text`).
 *
 * @example The wrong endpoint
 * ```ts
 * import { ChatChunkStream, UnsupportedFormatError } from '@sluice/openai'
 *
 * try {
 *   for await (const chunk of response.body!.pipeThrough(new ChatChunkStream())) render(chunk)
 * } catch (error) {
 *   if (!(error instanceof UnsupportedFormatError)) throw error
 *   if (error.format === 'openai-responses') console.error('call /chat/completions, not /responses')
 * }
 * ```
 */
export class UnsupportedFormatError extends ChunkStreamError {
  readonly code = 'SLUICE_UNSUPPORTED_FORMAT'
  /** The wire format recognised. */
  declare readonly format: ForeignFormat
  /** 0-based index of the server-sent event. */
  declare readonly eventIndex: number
  /** The input line that ended the event, where the stage knows it (see {@link EventPosition}). */
  declare readonly line: number | undefined

  constructor(format: ForeignFormat, evidence: string, position: EventPosition) {
    super(
      `${where(position)}: this is ${FORMAT_NAMES[format]}, not an OpenAI chat completion stream (${evidence}); call the provider's chat completions endpoint with stream: true`,
    )
    this.format = format
    this.eventIndex = position.eventIndex
    this.line = position.line
    this.name = 'UnsupportedFormatError'
  }
}

/**
 * Thrown when an event's data is JSON but not a chat completion chunk (no `choices`, not an object, …).
 *
 * @example Log the JSON that is not a chunk
 * ```ts
 * import { ChatChunkStream, UnexpectedChunkError } from '@sluice/openai'
 *
 * try {
 *   for await (const chunk of response.body!.pipeThrough(new ChatChunkStream())) render(chunk)
 * } catch (error) {
 *   if (!(error instanceof UnexpectedChunkError)) throw error
 *   console.error(`event ${error.eventIndex}: ${error.data}`)
 * }
 * ```
 */
export class UnexpectedChunkError extends ChunkStreamError {
  readonly code = 'SLUICE_UNEXPECTED_CHUNK'
  /** The event's data, as received. */
  declare readonly data: string
  /** 0-based index of the server-sent event. */
  declare readonly eventIndex: number
  /** The input line that ended the event, where the stage knows it (see {@link EventPosition}). */
  declare readonly line: number | undefined

  constructor(data: string, reason: string, position: EventPosition) {
    super(`${where(position)}: ${reason}: ${quote(data)}`)
    this.data = data
    this.eventIndex = position.eventIndex
    this.line = position.line
    this.name = 'UnexpectedChunkError'
  }
}

/**
 * Thrown with `strict: true` where the decoder would otherwise repair or skip something (see `Quirk`).
 *
 * @example Refuse every repair
 * ```ts
 * import { ChatChunkStream, StrictModeError } from '@sluice/openai'
 *
 * try {
 *   for await (const chunk of response.body!.pipeThrough(new ChatChunkStream({ strict: true }))) render(chunk)
 * } catch (error) {
 *   if (!(error instanceof StrictModeError)) throw error
 *   console.error(error.quirk.code, error.quirk.message) // e.g. missing-separator …
 * }
 * ```
 */
export class StrictModeError extends ChunkStreamError {
  readonly code = 'SLUICE_STRICT'
  /** The quirk that `strict` refused. */
  declare readonly quirk: Quirk

  constructor(quirk: Quirk) {
    const at =
      quirk.eventIndex !== undefined
        ? `, event ${quirk.eventIndex}`
        : quirk.chunkIndex !== undefined
          ? `, chunk ${quirk.chunkIndex}`
          : ''
    super(`strict mode: ${quirk.message} (${quirk.code}${at})`)
    this.quirk = quirk
    this.name = 'StrictModeError'
  }
}

/**
 * The codes of `@sluice/openai`'s errors (each a `SluiceError`).
 *
 * @example
 * ```ts
 * import { TruncatedStreamError, type ChunkErrorCode } from '@sluice/openai'
 *
 * const code: ChunkErrorCode = 'SLUICE_TRUNCATED_STREAM'
 * console.log(code, TruncatedStreamError.name)
 * ```
 */
export type ChunkErrorCode =
  | ChunkParseError['code']
  | ProviderError['code']
  | TruncatedStreamError['code']
  | UnsupportedFormatError['code']
  | UnexpectedChunkError['code']
  | StrictModeError['code']
