// The mock's Gemini form: the answer's chat chunks as Gemini chunks (`GenerateContentResponse`s
// of `streamGenerateContent?alt=sse`). Internal: the issue asks for Gemini → chat only, so
// this knows just the chunks `answerChunks` makes, not every chat stream.
import type { StreamTransformer, TransformController } from '@sluice/compose'
import type { GeminiChunk, GeminiFinishReason, GeminiPart, GeminiUsage } from '@sluice/gemini'
import type { ChatCompletionChunk, CompletionUsage, FinishReason } from '@sluice/openai'
import { splitText } from './answer-chunks.ts'
import { MockOptionsError } from './errors.ts'

/** Gemini's `finishReason` for a chat one: a function call also stops with `STOP`. */
function geminiFinishReason(reason: FinishReason): GeminiFinishReason {
  if (reason === 'stop' || reason === 'tool_calls' || reason === 'function_call') return 'STOP'
  if (reason === 'length') return 'MAX_TOKENS'
  if (reason === 'content_filter') return 'SAFETY'
  return reason.toUpperCase()
}

/** Gemini's `usageMetadata` for a chat usage: reasoning tokens are `thoughtsTokenCount`, not candidates'. */
function geminiUsageOf(usage: CompletionUsage): GeminiUsage {
  const thoughts = usage.completion_tokens_details?.reasoning_tokens
  const gemini: GeminiUsage = {
    promptTokenCount: usage.prompt_tokens,
    candidatesTokenCount: usage.completion_tokens - (thoughts ?? 0),
    totalTokenCount: usage.total_tokens,
  }
  if (thoughts !== undefined) gemini.thoughtsTokenCount = thoughts
  const cached = usage.prompt_tokens_details?.cached_tokens
  if (cached !== undefined) gemini.cachedContentTokenCount = cached
  return gemini
}

/** Tokens of `text`, counted as words (the mock's estimate). */
const tokens = (text: string) => splitText(text, 'word').length

/**
 * Chat chunks in, Gemini chunks out: a chunk per text or reasoning delta (a `thought` part),
 * the tool calls as whole `functionCall` parts in one chunk when the finish reason comes
 * (Gemini sends no argument fragments), and at the end a chunk with the `finishReason`
 * (which the `no-done` fault leaves out). Every chunk carries `usageMetadata` as running
 * totals (the words so far; the answer's usage on the last), `modelVersion` and
 * `responseId` (the chat chunks' `model` and `id`).
 */
export class ChatChunksToGemini implements StreamTransformer<ChatCompletionChunk, GeminiChunk> {
  readonly #usage: CompletionUsage | undefined
  readonly #calls: { id?: string; name: string; arguments: string }[] = []
  #finishReason: FinishReason | undefined
  #text = ''
  #thoughts = ''
  #fields: Pick<GeminiChunk, 'modelVersion' | 'responseId'> = {}

  /** `usage`: the answer's, on the last chunk (and its prompt count on every one); none without. */
  constructor(usage: CompletionUsage | undefined) {
    this.#usage = usage
  }

  transform(chunk: ChatCompletionChunk, controller: TransformController<GeminiChunk>): void {
    // No createTime: the Gemini API sends none (Vertex AI does), and its SDK drops one.
    this.#fields = { modelVersion: chunk.model, responseId: chunk.id }
    const choice = chunk.choices[0]
    if (!choice) return
    const { delta } = choice
    if (typeof delta.reasoning_content === 'string' && delta.reasoning_content !== '') {
      this.#thoughts += delta.reasoning_content
      controller.enqueue(this.#chunk([{ text: delta.reasoning_content, thought: true }]))
    }
    if (typeof delta.content === 'string' && delta.content !== '') {
      this.#text += delta.content
      controller.enqueue(this.#chunk([{ text: delta.content }]))
    }
    for (const call of delta.tool_calls ?? []) {
      const at = call.index ?? 0
      const known = this.#calls[at]
      if (known) known.arguments += call.function?.arguments ?? ''
      else
        this.#calls[at] = {
          ...(call.id !== undefined && { id: call.id }),
          name: call.function?.name ?? '',
          arguments: call.function?.arguments ?? '',
        }
    }
    if (choice.finish_reason) {
      this.#finishReason = choice.finish_reason
      if (this.#calls.length > 0) controller.enqueue(this.#chunk(this.#calls.map(functionCallPart)))
    }
  }

  /** The end of a complete answer: the chunk with the `finishReason` and the answer's usage. */
  flush(controller: TransformController<GeminiChunk>): void {
    if (this.#finishReason === undefined) return
    controller.enqueue(this.#chunk([{ text: '' }], geminiFinishReason(this.#finishReason)))
  }

  #chunk(parts: GeminiPart[], finishReason?: GeminiFinishReason): GeminiChunk {
    const candidate = { content: { parts, role: 'model' }, ...(finishReason && { finishReason }), index: 0 }
    const chunk: GeminiChunk = { candidates: [candidate] }
    const usage = this.#usage
    if (usage) {
      if (finishReason) chunk.usageMetadata = geminiUsageOf(usage)
      else {
        // Running totals: the words so far, as the answer's own count makes them.
        const candidates = tokens(this.#text) + this.#calls.reduce((sum, call) => sum + 1 + tokens(call.arguments), 0)
        const thoughts = tokens(this.#thoughts)
        chunk.usageMetadata = {
          promptTokenCount: usage.prompt_tokens,
          candidatesTokenCount: candidates,
          totalTokenCount: usage.prompt_tokens + candidates + thoughts,
          ...(thoughts > 0 && { thoughtsTokenCount: thoughts }),
        }
      }
    }
    return { ...chunk, ...this.#fields }
  }
}

/** A whole call as a `functionCall` part; its arguments must be a JSON object (Gemini's `args`). */
function functionCallPart(call: { id?: string; name: string; arguments: string }): GeminiPart {
  let args: unknown
  try {
    args = JSON.parse(call.arguments)
  } catch {
    args = undefined
  }
  if (typeof args !== 'object' || args === null || Array.isArray(args))
    throw new MockOptionsError(
      'toolCalls',
      `a Gemini stream sends a call's arguments as a JSON object, got ${JSON.stringify(call.arguments)} for ${call.name}`,
    )
  return {
    functionCall: {
      ...(call.id !== undefined && { id: call.id }),
      name: call.name,
      args: args as Record<string, unknown>,
    },
  }
}
