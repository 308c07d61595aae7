import { OrderedTransformStream, type StreamTransformer, type TransformController } from '@sluice/compose'
import type { ChatCompletionChunk, ChatCompletionDelta, CompletionUsage, FinishReason } from '@sluice/openai'
import { argsOf, PartialArgs } from './partial-args.ts'
import type { GeminiChunk, GeminiFinishReason, GeminiFunctionCall, GeminiUsage } from './types.ts'

/** The finish reasons that mean a filter stopped the candidate. */
const FILTERED = new Set([
  'SAFETY',
  'RECITATION',
  'BLOCKLIST',
  'PROHIBITED_CONTENT',
  'SPII',
  'IMAGE_SAFETY',
  'IMAGE_PROHIBITED_CONTENT',
  'IMAGE_RECITATION',
  'LANGUAGE',
  'MODEL_ARMOR',
])

/**
 * The chat `finish_reason` of a Gemini `finishReason` (see docs/gemini.md's mapping table):
 * `STOP` → `tool_calls` when the candidate called a function (Gemini says `STOP` then too),
 * else `stop`; `MAX_TOKENS` → `length`; the filters (`SAFETY`, `RECITATION`, `BLOCKLIST`,
 * `PROHIBITED_CONTENT`, `SPII`, `IMAGE_SAFETY`, `MODEL_ARMOR`, …) → `content_filter`; another
 * reason in lower case (`malformed_function_call`, `other`). (`CONTINUATION` is no finish:
 * {@link GeminiToChatChunks} sends none for it.)
 *
 * @example
 * ```ts
 * import { finishReasonOfGemini } from '@sluice/gemini'
 *
 * finishReasonOfGemini('STOP', true) // 'tool_calls'
 * ```
 */
export function finishReasonOfGemini(reason: GeminiFinishReason, calledFunctions = false): FinishReason {
  if (reason === 'STOP') return calledFunctions ? 'tool_calls' : 'stop'
  if (reason === 'MAX_TOKENS') return 'length'
  if (FILTERED.has(reason)) return 'content_filter'
  return reason.toLowerCase()
}

/**
 * Chat usage from Gemini's `usageMetadata`: the prompt counts include cached tokens and
 * tool-use prompt tokens; the completion counts the candidates' and the thoughts' tokens
 * (`thoughtsTokenCount` is also `completion_tokens_details.reasoning_tokens`).
 *
 * @example
 * ```ts
 * import { chatUsageOfGemini } from '@sluice/gemini'
 *
 * chatUsageOfGemini({ promptTokenCount: 8, candidatesTokenCount: 4, thoughtsTokenCount: 10, totalTokenCount: 22 }).completion_tokens // 14
 * ```
 */
export function chatUsageOfGemini(usage: GeminiUsage): CompletionUsage {
  const prompt = (usage.promptTokenCount ?? 0) + (usage.toolUsePromptTokenCount ?? 0)
  const thoughts = usage.thoughtsTokenCount ?? 0
  const completion = (usage.candidatesTokenCount ?? 0) + thoughts
  const chat: CompletionUsage = {
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens: usage.totalTokenCount ?? prompt + completion,
  }
  if (typeof usage.cachedContentTokenCount === 'number')
    chat.prompt_tokens_details = { cached_tokens: usage.cachedContentTokenCount }
  if (typeof usage.thoughtsTokenCount === 'number') chat.completion_tokens_details = { reasoning_tokens: thoughts }
  return chat
}

/** What the translation knows of one candidate. */
interface CandidateState {
  calls: number
  /** The streaming function call (Vertex): its tool call index and arguments. */
  streaming: { call: number; args: PartialArgs } | undefined
}

/**
 * Translates {@link GeminiChunk}s into sluice `ChatCompletionChunk`s (a choice per
 * candidate, by its `index`), so that `@sluice/accumulator`, the front door and the CLI
 * read a Gemini stream as a chat stream:
 * - a candidate's first chunk: `role: 'assistant'`; `id` is the `responseId` (or `''`),
 *   `model` the `modelVersion`, `created` the `createTime` in seconds (or 0);
 * - a text part: `delta.content`; a thought (`thought: true`): `delta.reasoning_content`;
 * - a function call: a tool call (its `index` counts the candidate's calls from 0) with the
 *   call's `id` (or `''`: the Gemini API sends none) and `name`, and its `args` as JSON; a
 *   Vertex call whose arguments stream is opened at once and given its arguments, as JSON,
 *   when it ends;
 * - `finishReason`: the choice's `finish_reason` ({@link finishReasonOfGemini});
 *   `promptFeedback.blockReason`: `content_filter` for choice 0;
 * - at the end of the input, the last `usageMetadata` ({@link chatUsageOfGemini}) on a chunk
 *   with no choices, as OpenAI's `include_usage` sends it.
 *
 * What has no chat field (thought signatures, code execution, images, grounding, safety
 * ratings) is not translated: read it from the chunks or the `GeminiAccumulator`.
 *
 * @example
 * ```ts
 * import { DeltaAccumulatorStream } from '@sluice/accumulator'
 * import { GeminiChunkStream, GeminiToChatChunksStream } from '@sluice/gemini'
 *
 * const completions = response.body!.pipeThrough(new GeminiChunkStream()).pipeThrough(new GeminiToChatChunksStream()).pipeThrough(new DeltaAccumulatorStream())
 * ```
 */
export class GeminiToChatChunks implements StreamTransformer<GeminiChunk, ChatCompletionChunk> {
  #id = ''
  #model = ''
  #created = 0
  #usage: GeminiUsage | undefined
  readonly #candidates = new Map<number, CandidateState>()

  transform(chunk: GeminiChunk, controller: TransformController<ChatCompletionChunk>): void {
    if (typeof chunk.responseId === 'string' && this.#id === '') this.#id = chunk.responseId
    if (typeof chunk.modelVersion === 'string' && this.#model === '') this.#model = chunk.modelVersion
    if (typeof chunk.createTime === 'string' && this.#created === 0) {
      const time = Date.parse(chunk.createTime)
      if (!Number.isNaN(time)) this.#created = Math.floor(time / 1000)
    }
    if (chunk.usageMetadata) this.#usage = chunk.usageMetadata
    const block = chunk.promptFeedback?.blockReason
    if (typeof block === 'string' && !chunk.candidates?.length) {
      this.#state(0, controller)
      controller.enqueue(this.#chunk(0, {}, 'content_filter'))
    }
    for (const candidate of chunk.candidates ?? []) {
      const index = candidate.index ?? 0
      const state = this.#state(index, controller)
      for (const part of candidate.content?.parts ?? []) {
        const call = part.functionCall
        if (call) {
          this.#functionCall(index, state, call, controller)
          continue
        }
        if (typeof part.text === 'string' && part.text !== '')
          controller.enqueue(
            this.#chunk(index, part.thought ? { reasoning_content: part.text } : { content: part.text }),
          )
      }
      // CONTINUATION pauses the candidate (resume with its continuationToken): not a finish.
      if (typeof candidate.finishReason === 'string' && candidate.finishReason !== 'CONTINUATION')
        controller.enqueue(this.#chunk(index, {}, finishReasonOfGemini(candidate.finishReason, state.calls > 0)))
    }
  }

  /** The end of the input: the last usage. */
  flush(controller: TransformController<ChatCompletionChunk>): void {
    if (!this.#usage) return
    controller.enqueue({ ...this.#base(), choices: [], usage: chatUsageOfGemini(this.#usage) })
  }

  /** A candidate's state; its first chunk says `role: 'assistant'`. */
  #state(index: number, controller: TransformController<ChatCompletionChunk>): CandidateState {
    let state = this.#candidates.get(index)
    if (!state) {
      state = { calls: 0, streaming: undefined }
      this.#candidates.set(index, state)
      controller.enqueue(this.#chunk(index, { role: 'assistant' }))
    }
    return state
  }

  #functionCall(
    index: number,
    state: CandidateState,
    call: GeminiFunctionCall,
    controller: TransformController<ChatCompletionChunk>,
  ): void {
    const streaming = state.streaming
    if (!streaming && Object.keys(call).length === 0) return // a stray end of a streamed call (a quirk of the decoder)
    if (streaming && call.name === undefined) {
      streaming.args.apply(call.partialArgs ?? [])
      if (call.willContinue === true) return
      state.streaming = undefined
      controller.enqueue(
        this.#chunk(index, {
          tool_calls: [{ index: streaming.call, function: { arguments: JSON.stringify(streaming.args.value) } }],
        }),
      )
      return
    }
    const number = state.calls++
    const opens = call.willContinue === true
    let args = ''
    if (opens) {
      const partial = new PartialArgs()
      partial.apply(call.partialArgs ?? [])
      state.streaming = { call: number, args: partial }
    } else {
      args = JSON.stringify(argsOf(call))
    }
    controller.enqueue(
      this.#chunk(index, {
        tool_calls: [
          { index: number, id: call.id ?? '', type: 'function', function: { name: call.name ?? '', arguments: args } },
        ],
      }),
    )
  }

  #base(): Omit<ChatCompletionChunk, 'choices'> {
    return { id: this.#id, object: 'chat.completion.chunk', created: this.#created, model: this.#model }
  }

  #chunk(index: number, delta: ChatCompletionDelta, finishReason: FinishReason | null = null): ChatCompletionChunk {
    return { ...this.#base(), choices: [{ index, delta, finish_reason: finishReason }] }
  }
}

/**
 * {@link GeminiToChatChunks} as a `TransformStream`: Gemini chunks in, chat chunks out.
 *
 * @example
 * ```ts
 * import { GeminiChunkStream, GeminiToChatChunksStream } from '@sluice/gemini'
 *
 * for await (const chunk of response.body!.pipeThrough(new GeminiChunkStream()).pipeThrough(new GeminiToChatChunksStream())) {
 *   process.stdout.write(chunk.choices[0]?.delta.content ?? '')
 * }
 * ```
 */
export class GeminiToChatChunksStream extends OrderedTransformStream<GeminiChunk, ChatCompletionChunk> {
  constructor(
    writableStrategy?: QueuingStrategy<GeminiChunk>,
    readableStrategy?: QueuingStrategy<ChatCompletionChunk>,
  ) {
    super(new GeminiToChatChunks(), writableStrategy, readableStrategy)
  }
}
