import { RecordedTransformStream, type StreamProgress, type TransformController } from '@sluice/compose'
import { FormatEventDecoder, type FormatDecoderOptions } from '@sluice/formats'
import { ProviderError } from '@sluice/openai'
import type { ServerSentEvent } from '@sluice/sse'
import { GeminiChunkParseError, TruncatedGeminiError, UnexpectedGeminiChunkError } from './errors.ts'
import { unfollowablePath } from './partial-args.ts'
import { type CandidateProgress, type GeminiOutcome, type GeminiProgress, geminiMissingParts } from './outcome.ts'
import type { GeminiChunk, GeminiPart, GeminiQuirk, GeminiQuirkCode } from './types.ts'

const FINISH_REASONS = new Set([
  'STOP',
  'MAX_TOKENS',
  'SAFETY',
  'RECITATION',
  'LANGUAGE',
  'OTHER',
  'BLOCKLIST',
  'PROHIBITED_CONTENT',
  'SPII',
  'MALFORMED_FUNCTION_CALL',
  'IMAGE_SAFETY',
  'IMAGE_PROHIBITED_CONTENT',
  'IMAGE_OTHER',
  'IMAGE_RECITATION',
  'NO_IMAGE',
  'UNEXPECTED_TOOL_CALL',
  'TOO_MANY_TOOL_CALLS',
  'MISSING_THOUGHT_SIGNATURE',
  'MALFORMED_RESPONSE',
  'FINISH_REASON_UNSPECIFIED',
  'MODEL_ARMOR',
  'ESCALATION',
  'PUP_LIMITED_DISABLED',
  'CONTINUATION',
])

/** Event types of the formats a Gemini body is sometimes mistaken for, by the `type` of their data. */
const ANTHROPIC_EVENTS = new Set(['message_start', 'content_block_start', 'content_block_delta', 'message_delta'])

/**
 * Options of {@link GeminiChunkDecoder} and its streams.
 *
 * @example A cut-off stream that closes instead of failing
 * ```ts
 * import { GeminiChunkDecoderStream, type GeminiChunkDecoderOptions } from '@sluice/gemini'
 * import { SSEStream } from '@sluice/sse'
 *
 * const options: GeminiChunkDecoderOptions = { truncated: 'close', onTruncated: (error) => console.warn(error.message) }
 * const chunks = response.body!.pipeThrough(new SSEStream()).pipeThrough(new GeminiChunkDecoderStream(options))
 * ```
 */
export interface GeminiChunkDecoderOptions extends FormatDecoderOptions<TruncatedGeminiError> {
  /**
   * What a stream cut off before every candidate's `finishReason` does: `'error'` errors
   * with {@link TruncatedGeminiError}, `'close'` closes and passes it to `onTruncated`.
   * @default 'error'
   */
  truncated?: 'error' | 'close'
  /** Called for each quirk (see {@link GeminiQuirkCode}). */
  onQuirk?: (quirk: GeminiQuirk) => void
  /**
   * Turn every quirk into a `StrictModeError`.
   * @default false
   */
  strict?: boolean
}

/**
 * Turns the server-sent events of a Gemini `streamGenerateContent?alt=sse` stream into
 * typed {@link GeminiChunk}s (each a `GenerateContentResponse`), checking what the API
 * guarantees: there is no `[DONE]`; each candidate's last chunk carries its `finishReason`
 * (`STOP` also when it called functions); a blocked prompt ends the stream with
 * `promptFeedback.blockReason` and no candidate.
 *
 * - An error chunk (`{"error":{"code":500,"status":"INTERNAL","message":…}}`) errors with
 *   `@sluice/openai`'s `ProviderError` (with `retryable`), after every chunk before it.
 * - Data that is not a JSON object errors with {@link GeminiChunkParseError}, which names a
 *   chat completion chunk, an Anthropic or a Responses event; malformed `candidates`,
 *   `index` or `parts` with {@link UnexpectedGeminiChunkError}.
 * - A stream that ends before every candidate sent its `finishReason` errors with
 *   {@link TruncatedGeminiError} (or closes, see `truncated`); a function call whose
 *   arguments are still streaming (Vertex `willContinue`) is named in it.
 * - `usageMetadata` is a running total on every chunk: read the last one.
 *
 * @example Chunks from a response body
 * ```ts
 * import { SSEStream } from '@sluice/sse'
 * import { GeminiChunkDecoderStream } from '@sluice/gemini'
 *
 * const chunks = response.body!.pipeThrough(new SSEStream()).pipeThrough(new GeminiChunkDecoderStream())
 * for await (const chunk of chunks) console.log(chunk.candidates?.[0]?.finishReason)
 * ```
 */
export class GeminiChunkDecoder extends FormatEventDecoder<GeminiChunk, GeminiProgress, TruncatedGeminiError> {
  #responseId: string | null = null
  #modelVersion: string | null = null
  #blockReason: string | null = null
  readonly #candidates = new Map<number, CandidateProgress>()

  constructor(options: GeminiChunkDecoderOptions = {}) {
    super('GeminiChunkDecoder', options)
  }

  /** The outcome of the stream, settled once when it ends. Never rejects. */
  override get outcome(): Promise<GeminiOutcome> {
    return super.outcome
  }

  protected formatProgress(progress: StreamProgress): GeminiProgress {
    return {
      ...progress,
      responseId: this.#responseId,
      modelVersion: this.#modelVersion,
      candidates: [...this.#candidates.values()].map((candidate) => ({ ...candidate })),
      blockReason: this.#blockReason,
    }
  }

  protected missingParts(progress: GeminiProgress): string[] {
    return geminiMissingParts(progress)
  }

  protected truncatedError(outcome: GeminiOutcome): TruncatedGeminiError {
    return new TruncatedGeminiError(outcome)
  }

  /** Decodes one event and enqueues its chunk. */
  protected decode(event: ServerSentEvent, eventIndex: number, controller: TransformController<GeminiChunk>): void {
    if (event.type !== 'message')
      this.quirk('named-event', `an event named ${JSON.stringify(event.type)} was read by its data`, eventIndex)
    this.#chunk(this.#parse(event.data, eventIndex), eventIndex, controller)
  }

  /** The last chunk without its closing blank line: the SSE rules discard it, but whole JSON is unambiguous. */
  protected override takeDiscarded(controller: TransformController<GeminiChunk>): void {
    const record = this.events.record
    const discarded = record.discardedEvent
    if (discarded === null) return
    let value: unknown
    try {
      value = JSON.parse(discarded.data)
    } catch {
      return
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return
    record.unfinishedEvent = null // taken: nothing was lost
    const eventIndex = this.events.events
    this.quirk(
      'unterminated-last-chunk',
      'the last chunk ended the input without its closing blank line: taken',
      eventIndex,
    )
    this.#chunk(this.#checked(value as GeminiChunk, discarded.data, eventIndex), eventIndex, controller)
  }

  protected override quirk(code: GeminiQuirkCode, message: string, eventIndex: number): void {
    super.quirk(code, message, eventIndex)
  }

  /** Data as a JSON object that is not an error or another format's event. */
  #parse(data: string, eventIndex: number): GeminiChunk {
    let value: unknown
    try {
      value = JSON.parse(data)
    } catch (cause) {
      throw new GeminiChunkParseError(data, 'data is not JSON', this.position(eventIndex), { cause })
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value))
      throw new GeminiChunkParseError(data, 'data is not a JSON object', this.position(eventIndex))
    return this.#checked(value as GeminiChunk, data, eventIndex)
  }

  /** An error chunk throws; a chunk of another format is named. */
  #checked(value: GeminiChunk, data: string, eventIndex: number): GeminiChunk {
    const error = value.error as { code?: unknown; status?: unknown; message?: unknown } | undefined
    if (typeof error === 'object' && error !== null) {
      const fields: { message: string; type?: string; code?: number | string } = {
        message: typeof error.message === 'string' ? error.message : data,
      }
      if (typeof error.status === 'string') fields.type = error.status
      if (typeof error.code === 'number' || typeof error.code === 'string') fields.code = error.code
      throw new ProviderError(fields, data, this.position(eventIndex))
    }
    const other = otherFormat(value)
    if (other)
      throw new GeminiChunkParseError(
        data,
        `this is ${other}, not a Gemini stream: read it with chatStream() from @sluice/chat, which detects the format`,
        this.position(eventIndex),
      )
    return value
  }

  #chunk(chunk: GeminiChunk, eventIndex: number, controller: TransformController<GeminiChunk>): void {
    const at = () => this.position(eventIndex)
    if (typeof chunk.responseId === 'string') this.#responseId = chunk.responseId
    if (typeof chunk.modelVersion === 'string') this.#modelVersion = chunk.modelVersion
    const block = chunk.promptFeedback?.blockReason
    if (typeof block === 'string') this.#blockReason = block
    const candidates = chunk.candidates
    if (candidates !== undefined && !Array.isArray(candidates))
      throw new UnexpectedGeminiChunkError('candidates is not an array', at())
    for (const candidate of candidates ?? []) {
      if (typeof candidate !== 'object' || candidate === null)
        throw new UnexpectedGeminiChunkError('a candidate is not an object', at())
      const index = candidate.index ?? 0
      if (typeof index !== 'number' || !Number.isInteger(index) || index < 0)
        throw new UnexpectedGeminiChunkError(`candidate index ${JSON.stringify(index)} is not an integer >= 0`, at())
      let state = this.#candidates.get(index)
      if (!state) {
        state = { index, finishReason: null, characters: 0, streamingCall: false }
        this.#candidates.set(index, state)
      }
      const parts = candidate.content?.parts
      if (
        parts !== undefined &&
        (!Array.isArray(parts) || parts.some((part) => typeof part !== 'object' || part === null))
      )
        throw new UnexpectedGeminiChunkError(`candidate ${index}: parts is not an array of objects`, at())
      if (parts && parts.length > 0 && state.finishReason !== null)
        this.quirk(
          'content-after-finish',
          `candidate ${index} sent parts after its finishReason ${state.finishReason}: kept`,
          eventIndex,
        )
      for (const part of (parts ?? []) as GeminiPart[]) {
        if (typeof part.text === 'string') state.characters += part.text.length
        const call = part.functionCall
        if (typeof call !== 'object' || call === null) continue
        if (!state.streamingCall && Object.keys(call).length === 0) {
          this.quirk(
            'empty-function-call',
            `candidate ${index}: an empty functionCall with no call streaming: skipped`,
            eventIndex,
          )
          continue
        }
        state.streamingCall = call.willContinue === true
        for (const piece of call.partialArgs ?? []) {
          const why = unfollowablePath(piece?.jsonPath)
          if (why) throw new UnexpectedGeminiChunkError(`candidate ${index}: a partialArgs piece: ${why}`, at())
        }
      }
      const reason = candidate.finishReason
      if (typeof reason === 'string') {
        if (!FINISH_REASONS.has(reason))
          this.quirk(
            'unknown-finish-reason',
            `finishReason ${JSON.stringify(reason)} is not one this version knows: kept`,
            eventIndex,
          )
        if (state.finishReason !== null)
          this.quirk(
            'repeated-finish-reason',
            `candidate ${index} sent finishReason again (${state.finishReason}, then ${reason})`,
            eventIndex,
          )
        state.finishReason = reason
      }
    }
    controller.enqueue(chunk)
  }
}

/** The format a JSON object belongs to, when it is a chunk or an event of another one. */
function otherFormat(value: Record<string, unknown>): string | undefined {
  if (value.object === 'chat.completion.chunk' || Array.isArray(value.choices)) return 'a Chat Completions stream'
  const type = value.type
  if (typeof type !== 'string') return undefined
  if (type.startsWith('response.')) return 'an OpenAI Responses stream'
  if (ANTHROPIC_EVENTS.has(type)) return 'an Anthropic Messages stream'
  return undefined
}

/**
 * {@link GeminiChunkDecoder} as a `TransformStream`: server-sent events in, typed
 * {@link GeminiChunk}s out.
 *
 * @example
 * ```ts
 * import { SSEStream } from '@sluice/sse'
 * import { GeminiChunkDecoderStream } from '@sluice/gemini'
 *
 * const decoder = new GeminiChunkDecoderStream()
 * await response.body!.pipeThrough(new SSEStream()).pipeThrough(decoder).pipeTo(new WritableStream())
 * console.log((await decoder.outcome).status)
 * ```
 */
export class GeminiChunkDecoderStream extends RecordedTransformStream<
  ServerSentEvent,
  GeminiChunk,
  GeminiProgress,
  GeminiChunkDecoder
> {
  constructor(
    options: GeminiChunkDecoderOptions = {},
    writableStrategy?: QueuingStrategy<ServerSentEvent>,
    readableStrategy?: QueuingStrategy<GeminiChunk>,
  ) {
    super(new GeminiChunkDecoder(options), writableStrategy, readableStrategy)
  }

  /** See {@link GeminiChunkDecoder.outcome}. */
  get outcome(): Promise<GeminiOutcome> {
    return this.stage.outcome
  }
}
