import {
  type PartialValueParserFactory,
  type RecordedStage,
  RecordedTransformStream,
  StreamRecord,
  type StreamProgress,
  type StreamTransformer,
  type TransformController,
} from '@sluice/compose'
import { ParsedTexts } from '@sluice/formats'
import { argsOf, PartialArgs } from './partial-args.ts'
import type { GeminiCandidate, GeminiChunk, GeminiFunctionCall, GeminiPart, GeminiQuirkCode } from './types.ts'

/**
 * A candidate as the stream assembles it: its parts joined, its last `finishReason`,
 * `safetyRatings` and `groundingMetadata`, its citations added up.
 *
 * @example
 * ```ts
 * import type { GeminiAssembledCandidate } from '@sluice/gemini'
 *
 * const text = (candidate: GeminiAssembledCandidate) => candidate.content.parts.filter((part) => !part.thought).map((part) => part.text ?? '').join('')
 * ```
 */
export type GeminiAssembledCandidate = Readonly<Without<GeminiCandidate, 'content'>> & {
  readonly index: number
  readonly content: { readonly role?: string; readonly parts: readonly Readonly<GeminiPart>[] }
}

/**
 * The response a stream assembles (`GenerateContentResponse` with the candidates' parts
 * joined): every snapshot is frozen and shares what did not change with the one before.
 *
 * @example
 * ```ts
 * import type { GeminiResponse } from '@sluice/gemini'
 *
 * const finished = (response: GeminiResponse) => response.candidates.every((candidate) => candidate.finishReason !== undefined)
 * ```
 */
export type GeminiResponse = Readonly<Without<GeminiChunk, 'candidates'>> & {
  readonly candidates: readonly GeminiAssembledCandidate[]
}

/**
 * `T` without the key `K`, keeping its other keys and its index signature (`Omit` on a type
 * with an index signature keeps neither: every known field would read as `unknown`).
 *
 * @example
 * ```ts
 * import type { Without, GeminiChunk } from '@sluice/gemini'
 *
 * type Header = Without<GeminiChunk, 'candidates'> // usageMetadata, modelVersion, … still typed
 * ```
 */
export type Without<T, K extends string> = { [P in keyof T as P extends K ? never : P]: T[P] }

/**
 * Options of {@link GeminiAccumulator} and {@link GeminiAccumulatorStream}.
 *
 * @example Structured output as it streams
 * ```ts
 * import { GeminiAccumulatorStream, GeminiChunkStream, type GeminiAccumulatorOptions } from '@sluice/gemini'
 * import { partialJSON } from '@sluice/json'
 *
 * const options: GeminiAccumulatorOptions = { parseContent: partialJSON }
 * const snapshots = response.body!.pipeThrough(new GeminiChunkStream()).pipeThrough(new GeminiAccumulatorStream(options))
 * for await (const snapshot of snapshots) render(snapshot.candidates[0]?.parsed)
 * ```
 */
export interface GeminiAccumulatorOptions {
  /**
   * Parses each candidate's text — its text parts that are not thoughts, joined — as it
   * streams, into the candidate's `parsed`, for structured output (`responseMimeType:
   * 'application/json'` with a `responseSchema`): the stream does not say the text is JSON.
   * After each chunk `parsed` is the value so far (frozen, sharing what did not change), at
   * the candidate's `finishReason` the whole value. Each text is read once (`partialJSON`
   * of `@sluice/json` is such a parser). Text that is not JSON keeps the value read before
   * the error, and is a quirk `content-not-json`. Function calls need no option: their
   * `args` arrive as objects (Vertex's streamed `partialArgs` are built into `args` as
   * they come).
   */
  parseContent?: PartialValueParserFactory
}

/** Whether a part is only text (with its `thought` flag and signature). */
function isText(part: GeminiPart): boolean {
  for (const key of Object.keys(part))
    if (key !== 'text' && key !== 'thought' && key !== 'thoughtSignature') return false
  return typeof part.text === 'string'
}

/**
 * Assembles {@link GeminiChunk}s into {@link GeminiResponse} snapshots, one per chunk,
 * frozen and structurally shared: a renderer can compare candidates and parts by identity.
 *
 * - Candidates are keyed by `index` (0 when absent), in the order they came.
 * - A text part joins the last part when both are text of the same kind (`thought` or
 *   not) and the last has no `thoughtSignature` yet; the new part's signature is kept on
 *   the joined part. Other parts (whole function calls, code, images) are added as they come.
 * - A Vertex function call whose arguments stream (`willContinue: true`, then
 *   `partialArgs`) is one part whose `args` grow piece by piece ({@link PartialArgs}); it
 *   loses `partialArgs` and `willContinue` when the call ends.
 * - `finishReason`, `safetyRatings`, `groundingMetadata` and other candidate fields: the
 *   last one sent; `citationMetadata.citations`: added up. `usageMetadata`,
 *   `promptFeedback`, `modelVersion`, `responseId`: the last one sent (usage is a running total).
 * - With `parseContent`, each candidate carries `parsed` (see {@link GeminiAccumulatorOptions}).
 *
 * @example The final response of a stream
 * ```ts
 * import { GeminiAccumulatorStream, GeminiChunkStream } from '@sluice/gemini'
 *
 * let final
 * for await (const snapshot of response.body!.pipeThrough(new GeminiChunkStream()).pipeThrough(new GeminiAccumulatorStream())) final = snapshot
 * ```
 */
export class GeminiAccumulator implements StreamTransformer<GeminiChunk, GeminiResponse>, RecordedStage {
  #response: GeminiResponse = Object.freeze({ candidates: Object.freeze([]) }) as GeminiResponse
  #started = false
  /** The streaming function call of each candidate, by index: its part's position and arguments. */
  readonly #calls = new Map<number, { at: number; args: PartialArgs }>()
  /** With `parseContent`: each candidate's text, by index. */
  readonly #texts: ParsedTexts<number> | undefined
  #record = new StreamRecord()
  #stage = 0

  constructor(options: GeminiAccumulatorOptions = {}) {
    const { parseContent } = options
    if (parseContent)
      this.#texts = new ParsedTexts(parseContent, this, 'content-not-json' satisfies GeminiQuirkCode, 'candidate')
  }

  /** The last snapshot, or `undefined` before the first chunk. */
  get response(): GeminiResponse | undefined {
    return this.#started ? this.#response : undefined
  }

  /** The record of the stream (see `StreamRecord`). */
  get record(): StreamRecord {
    return this.#record
  }

  /** Writes to `record` from now on (see `RecordedStage`). */
  useRecord(record: StreamRecord): void {
    this.#stage = record.join(this)
    this.#record = record
  }

  /** What the stages up to this one saw so far. */
  get progress(): StreamProgress {
    return this.#record.progressUpTo(this.#stage)
  }

  transform(chunk: GeminiChunk, controller: TransformController<GeminiResponse>): void {
    const { candidates: incoming, ...fields } = chunk
    const next: Record<string, unknown> = { ...this.#response }
    for (const [field, value] of Object.entries(fields)) if (value !== undefined) next[field] = value
    let candidates = this.#response.candidates
    for (const candidate of incoming ?? []) candidates = this.#withCandidate(candidates, candidate)
    next.candidates = candidates
    this.#started = true
    this.#response = Object.freeze(next) as GeminiResponse
    controller.enqueue(this.#response)
  }

  #withCandidate(
    candidates: readonly GeminiAssembledCandidate[],
    candidate: GeminiCandidate,
  ): readonly GeminiAssembledCandidate[] {
    const index = candidate.index ?? 0
    const at = candidates.findIndex((each) => each.index === index)
    const before = at === -1 ? undefined : candidates[at]!
    const { content, citationMetadata, ...fields } = candidate
    const next: Record<string, unknown> = { ...before, ...fields, index }
    let parts = before?.content.parts ?? []
    for (const part of content?.parts ?? []) parts = this.#withPart(index, parts, part)
    next.content = Object.freeze({ ...before?.content, ...(content?.role ? { role: content.role } : {}), parts })
    const texts = this.#texts
    if (texts) {
      for (const part of content?.parts ?? [])
        if (typeof part.text === 'string' && !part.thought) texts.append(index, part.text)
      if (fields.finishReason !== undefined) texts.end(index)
      texts.carry(next, 'parsed', index, texts.get(index)?.snapshot())
    }
    if (citationMetadata) {
      const earlier = before?.citationMetadata as { citations?: unknown[] } | undefined
      const citations = [...(earlier?.citations ?? []), ...(citationMetadata.citations ?? [])]
      next.citationMetadata = Object.freeze({
        ...earlier,
        ...citationMetadata,
        citations: Object.freeze(citations),
      })
    }
    const list = [...candidates]
    list[at === -1 ? list.length : at] = Object.freeze(next) as GeminiAssembledCandidate
    return Object.freeze(list)
  }

  #withPart(index: number, parts: readonly Readonly<GeminiPart>[], part: GeminiPart): readonly Readonly<GeminiPart>[] {
    const call = part.functionCall
    const open = this.#calls.get(index)
    if (call && open && call.name === undefined) {
      // A piece of the streaming call: its arguments grow; it ends without willContinue.
      open.args.apply(call.partialArgs ?? [])
      const { partialArgs: _pieces, willContinue: _continues, ...rest } = parts[open.at]!.functionCall!
      const args = structuredClone(open.args.value)
      const functionCall: GeminiFunctionCall =
        call.willContinue === true ? { ...rest, willContinue: true, args } : { ...rest, args }
      if (call.willContinue !== true) this.#calls.delete(index)
      return replaced(parts, open.at, { ...parts[open.at], functionCall: Object.freeze(functionCall) })
    }
    if (call?.willContinue === true) {
      const args = new PartialArgs()
      args.apply(call.partialArgs ?? [])
      this.#calls.set(index, { at: parts.length, args })
      const { partialArgs: _pieces, ...rest } = call
      return replaced(parts, parts.length, {
        ...part,
        functionCall: Object.freeze({ ...rest, args: structuredClone(args.value) }),
      })
    }
    if (call && !open && Object.keys(call).length === 0) return parts // a stray end of a streamed call (a quirk of the decoder)
    if (call?.partialArgs !== undefined && call.args === undefined) {
      // A whole call sent as its pieces (Vertex, one chunk): its arguments built.
      const { partialArgs: _pieces, ...rest } = call
      return replaced(parts, parts.length, { ...part, functionCall: Object.freeze({ ...rest, args: argsOf(call) }) })
    }
    const last = parts.at(-1)
    if (
      last &&
      isText(part) &&
      isText(last) &&
      !!last.thought === !!part.thought &&
      last.thoughtSignature === undefined
    ) {
      const joined: GeminiPart = { ...last, text: `${last.text}${part.text}` }
      if (part.thoughtSignature !== undefined) joined.thoughtSignature = part.thoughtSignature
      return replaced(parts, parts.length - 1, joined)
    }
    return replaced(parts, parts.length, { ...part })
  }
}

function replaced(
  parts: readonly Readonly<GeminiPart>[],
  at: number,
  part: GeminiPart,
): readonly Readonly<GeminiPart>[] {
  const list = [...parts]
  list[at] = Object.freeze(part)
  return Object.freeze(list)
}

/**
 * {@link GeminiAccumulator} as a `TransformStream`: typed chunks in, {@link GeminiResponse} snapshots out.
 *
 * @example
 * ```ts
 * import { GeminiAccumulatorStream, GeminiChunkStream } from '@sluice/gemini'
 *
 * const snapshots = response.body!.pipeThrough(new GeminiChunkStream()).pipeThrough(new GeminiAccumulatorStream())
 * ```
 */
export class GeminiAccumulatorStream extends RecordedTransformStream<
  GeminiChunk,
  GeminiResponse,
  StreamProgress,
  GeminiAccumulator
> {
  constructor(
    options?: GeminiAccumulatorOptions,
    writableStrategy?: QueuingStrategy<GeminiChunk>,
    readableStrategy?: QueuingStrategy<GeminiResponse>,
  ) {
    super(new GeminiAccumulator(options), writableStrategy, readableStrategy)
  }

  /** The last snapshot, or `undefined` before the first chunk. */
  get response(): GeminiResponse | undefined {
    return this.stage.response
  }
}

/**
 * The final response of a stream of chunks (or bytes through {@link GeminiChunkStream}):
 * resolves with the last snapshot, rejects with the stream's error.
 *
 * @example
 * ```ts
 * import { accumulateGemini, GeminiChunkStream } from '@sluice/gemini'
 *
 * const final = await accumulateGemini(response.body!.pipeThrough(new GeminiChunkStream()))
 * ```
 * @param options See {@link GeminiAccumulatorOptions}.
 */
export async function accumulateGemini(
  chunks: ReadableStream<GeminiChunk>,
  options?: GeminiAccumulatorOptions,
): Promise<GeminiResponse | undefined> {
  let last: GeminiResponse | undefined
  const reader = chunks.pipeThrough(new GeminiAccumulatorStream(options)).getReader()
  for (;;) {
    const { done, value } = await reader.read()
    if (done) return last
    last = value
  }
}
