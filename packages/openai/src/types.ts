import type { Quirk } from '@sluice/compose'

/**
 * The chunk types of an OpenAI-compatible chat completion stream. Written here (no
 * dependency on the `openai` package) to be familiar to users of the official SDK: its
 * `ChatCompletionChunk` is assignable to ours. Ours accepts more, because compatible
 * providers send more: unknown finish reasons and roles, reasoning fields, tool-call
 * fragments without an `index`.
 */

/**
 * Why a choice stopped. The known values, and any other string a provider sends
 * (e.g. `'error'` from some gateways).
 *
 * @example Was the answer cut by the token limit?
 * ```ts
 * import type { FinishReason } from '@sluice/openai'
 *
 * const hitTokenLimit = (reason: FinishReason | null) => reason === 'length'
 * ```
 */
export type FinishReason = 'stop' | 'length' | 'content_filter' | 'tool_calls' | 'function_call' | (string & {})

/**
 * One `chat.completion.chunk`: a server-sent event's data, parsed.
 *
 * @example A chunk as a provider sends it
 * ```ts
 * import type { ChatCompletionChunk } from '@sluice/openai'
 *
 * const chunk: ChatCompletionChunk = {
 *   id: 'chatcmpl-1',
 *   object: 'chat.completion.chunk',
 *   created: 1764000000,
 *   model: 'gpt-4o-mini',
 *   choices: [{ index: 0, delta: { role: 'assistant', content: 'Hello' }, finish_reason: null }],
 * }
 * ```
 */
export interface ChatCompletionChunk {
  id: string
  object: 'chat.completion.chunk'
  /** Unix time in seconds. */
  created: number
  /** E.g. `gpt-4o-mini`, or `anthropic/claude-sonnet-4-5` through a gateway. */
  model: string
  system_fingerprint?: string | null
  service_tier?: string | null
  /** Token usage: on the last chunk (with `choices: []`) when `stream_options.include_usage` is set. */
  usage?: CompletionUsage | null
  choices: ChatCompletionChunkChoice[]
}

/**
 * One choice of a chunk: what it adds to the message of choice `index`.
 *
 * @example See each choice end
 * ```ts
 * import { ChatChunkStream } from '@sluice/openai'
 *
 * for await (const chunk of response.body!.pipeThrough(new ChatChunkStream())) {
 *   for (const choice of chunk.choices) {
 *     if (choice.finish_reason !== null) console.log(`choice ${choice.index}: ${choice.finish_reason}`)
 *   }
 * }
 * ```
 */
export interface ChatCompletionChunkChoice {
  index: number
  delta: ChatCompletionDelta
  logprobs?: ChatCompletionChoiceLogprobs | null
  finish_reason: FinishReason | null
}

/**
 * What one chunk adds to a choice's message.
 *
 * @example Reasoning to stderr, the answer to stdout
 * ```ts
 * import { ChatChunkStream } from '@sluice/openai'
 *
 * for await (const chunk of response.body!.pipeThrough(new ChatChunkStream())) {
 *   const delta = chunk.choices[0]?.delta
 *   process.stderr.write(delta?.reasoning_content ?? delta?.reasoning ?? '')
 *   process.stdout.write(delta?.content ?? '')
 * }
 * ```
 */
export interface ChatCompletionDelta {
  role?: 'developer' | 'system' | 'user' | 'assistant' | 'tool' | (string & {})
  content?: string | null
  refusal?: string | null
  tool_calls?: ChatCompletionToolCallDelta[]
  /** @deprecated The legacy single function call; `tool_calls` replaced it. */
  function_call?: { name?: string; arguments?: string }
  /** Reasoning text, as DeepSeek, vLLM and others send it. */
  reasoning_content?: string | null
  /** Reasoning text, as OpenRouter, Groq and others send it. */
  reasoning?: string | null
  /**
   * The content as the provider sent it, when it was an array of parts (Mistral's reasoning
   * models): the chunk decoder joins the text parts into `content` and the thinking parts
   * into `reasoning_content`, and keeps the array here, unknown part types included.
   */
  content_parts?: ContentPart[]
}

/**
 * One part of a `delta.content` array: `{ type: 'text', text }`, `{ type: 'thinking',
 * thinking: [{ type: 'text', text }] }` (Mistral), or a type sluice does not know, kept as sent.
 *
 * @example The kinds of parts a chunk held
 * ```ts
 * import { ChatChunkStream, type ContentPart } from '@sluice/openai'
 *
 * const kinds = (parts: ContentPart[] = []) => parts.map((part) => part.type)
 * for await (const chunk of response.body!.pipeThrough(new ChatChunkStream())) console.debug(kinds(chunk.choices[0]?.delta.content_parts))
 * ```
 */
export interface ContentPart {
  type: 'text' | 'thinking' | (string & {})
  /** A text part's text. */
  text?: string
  /** A thinking part's content: text parts, or a string. */
  thinking?: string | { type: string; text?: string }[]
  [key: string]: unknown
}

/**
 * A fragment of a tool call. `index` says which call of the message it continues; most
 * providers send it, but some (Gemini's OpenAI-compatible API) leave it out, so it is
 * typed as optional: `@sluice/accumulator` correlates fragments by `id` and name too.
 *
 * @example Log the fragments (assemble them with @sluice/accumulator)
 * ```ts
 * import { ChatChunkStream } from '@sluice/openai'
 *
 * for await (const chunk of response.body!.pipeThrough(new ChatChunkStream())) {
 *   for (const fragment of chunk.choices[0]?.delta.tool_calls ?? []) {
 *     console.debug(fragment.index, fragment.id, fragment.function?.name, fragment.function?.arguments)
 *   }
 * }
 * ```
 */
export interface ChatCompletionToolCallDelta {
  index?: number
  id?: string
  type?: 'function' | (string & {})
  function?: { name?: string; arguments?: string }
}

/**
 * Log probabilities of the tokens a chunk adds (requested with `logprobs: true`).
 *
 * @example The probability of each token
 * ```ts
 * import { ChatChunkStream } from '@sluice/openai'
 *
 * for await (const chunk of response.body!.pipeThrough(new ChatChunkStream())) {
 *   for (const { token, logprob } of chunk.choices[0]?.logprobs?.content ?? []) console.log(token, Math.exp(logprob))
 * }
 * ```
 */
export interface ChatCompletionChoiceLogprobs {
  content?: ChatCompletionTokenLogprob[] | null
  refusal?: ChatCompletionTokenLogprob[] | null
}

/**
 * One token and its log probability, with the most likely alternatives (`top_logprobs`).
 *
 * @example The alternatives the model weighed
 * ```ts
 * import type { ChatCompletionTokenLogprob } from '@sluice/openai'
 *
 * const alternatives = (entry: ChatCompletionTokenLogprob) => entry.top_logprobs.map(({ token }) => token).join(' | ')
 * ```
 */
export interface ChatCompletionTokenLogprob {
  token: string
  bytes: number[] | null
  logprob: number
  top_logprobs: { token: string; bytes: number[] | null; logprob: number }[]
}

/**
 * Token counts of the request and its answer.
 *
 * @example Token counts (request them with stream_options.include_usage)
 * ```ts
 * import { ChatChunkStream } from '@sluice/openai'
 *
 * for await (const chunk of response.body!.pipeThrough(new ChatChunkStream())) {
 *   if (chunk.usage) console.log(`${chunk.usage.prompt_tokens} tokens in, ${chunk.usage.completion_tokens} out`)
 * }
 * ```
 */
export interface CompletionUsage {
  prompt_tokens: number
  completion_tokens: number
  total_tokens: number
  completion_tokens_details?: {
    accepted_prediction_tokens?: number
    audio_tokens?: number
    reasoning_tokens?: number
    rejected_prediction_tokens?: number
  } | null
  prompt_tokens_details?: { audio_tokens?: number; cached_tokens?: number } | null
}

/**
 * The quirks the chunk decoder meets (see {@link ChunkQuirk}); `@sluice/sse` and
 * `@sluice/accumulator` name their own (`SSEQuirkCode`, `AccumulatorQuirkCode`).
 *
 * @example Collect the quirks a provider needed
 * ```ts
 * import { ChunkDecoderStream, type ChunkQuirkCode } from '@sluice/openai'
 *
 * const seen = new Set<ChunkQuirkCode>()
 * const chunks = new ChunkDecoderStream({ onQuirk: (quirk) => seen.add(quirk.code) })
 * ```
 */
export type ChunkQuirkCode =
  /** Several `data:` lines without a blank line between them, each a whole chunk (GLM, Kimi): split into chunks. */
  | 'missing-separator'
  /** An event with empty data (a keep-alive some gateways send): skipped. */
  | 'empty-data'
  /** A choice without `index`: given its position in `choices`. */
  | 'missing-index'
  /** A choice without `delta` (some providers, on the last chunk): given an empty one. */
  | 'missing-delta'
  /** A chunk with `usage` but no `choices`: given `choices: []`. */
  | 'missing-choices'
  /** An event after `data: [DONE]`: discarded. */
  | 'event-after-done'
  /** `data: [DONE]` ended the input without its closing blank line (the SSE rules discard such an event): taken as `[DONE]` (with the SSE stage linked). */
  | 'unterminated-done'
  /** `delta.content` was an array of parts (Mistral): text parts joined into `content`, thinking parts into `reasoning_content`, the array kept as `content_parts`. */
  | 'content-parts'

/**
 * A quirk the chunk decoder met: a repair it made, or an irregular event it skipped,
 * reported through `onQuirk` and kept in the stream's record.
 *
 * @example Log each quirk with its position
 * ```ts
 * import { ChatChunkStream } from '@sluice/openai'
 *
 * const chunks = new ChatChunkStream({
 *   onQuirk: ({ code, message, eventIndex, line }) => console.warn(`${code} at event ${eventIndex}, line ${line}: ${message}`),
 * })
 * ```
 */
export interface ChunkQuirk extends Quirk {
  /** Which quirk. */
  code: ChunkQuirkCode
  /** 0-based index of the server-sent event it concerns. */
  eventIndex: number
}

/**
 * The wire formats that are recognised and refused by name.
 *
 * @example Point to the right endpoint
 * ```ts
 * import type { ForeignFormat } from '@sluice/openai'
 *
 * const hint: Record<ForeignFormat, string> = {
 *   'anthropic-messages': "this is Anthropic's /v1/messages: use its OpenAI-compatible endpoint",
 *   'openai-responses': 'this is /v1/responses: call /v1/chat/completions',
 *   'legacy-completions': 'this is /v1/completions: call /v1/chat/completions',
 * }
 * ```
 */
export type ForeignFormat = 'anthropic-messages' | 'openai-responses' | 'legacy-completions'
