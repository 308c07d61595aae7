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
 */
export type FinishReason = 'stop' | 'length' | 'content_filter' | 'tool_calls' | 'function_call' | (string & {})

/** One `chat.completion.chunk`: a server-sent event's data, parsed. */
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

export interface ChatCompletionChunkChoice {
  index: number
  delta: ChatCompletionDelta
  logprobs?: ChatCompletionChoiceLogprobs | null
  finish_reason: FinishReason | null
}

/** What one chunk adds to a choice's message. */
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
}

/**
 * A fragment of a tool call. `index` says which call of the message it continues; most
 * providers send it, but some (Gemini's OpenAI-compatible API) leave it out, so it is
 * typed as optional: `@sluice/accumulator` correlates fragments by `id` and name too.
 */
export interface ChatCompletionToolCallDelta {
  index?: number
  id?: string
  type?: 'function' | (string & {})
  function?: { name?: string; arguments?: string }
}

export interface ChatCompletionChoiceLogprobs {
  content?: ChatCompletionTokenLogprob[] | null
  refusal?: ChatCompletionTokenLogprob[] | null
}

export interface ChatCompletionTokenLogprob {
  token: string
  bytes: number[] | null
  logprob: number
  top_logprobs: { token: string; bytes: number[] | null; logprob: number }[]
}

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
 * Kinds of repair or irregularity {@link Quirk} reports. The chunk decoder reports the
 * first group, `@sluice/accumulator` the second, the SSE decoder the last.
 */
export type QuirkCode =
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
  /** A tool-call fragment without `index` (Gemini): correlated by `id`, name, or as the continuation of the last call. */
  | 'missing-tool-call-index'
  /** A tool-call `index` reused with a different `id`: a new call. */
  | 'reused-tool-call-index'
  /** Tool-call indexes starting at 1 or with gaps: the calls keep their order of appearance, without holes. */
  | 'tool-call-index-gap'
  /** A new tool call without an `id`: its `id` is `''`. */
  | 'missing-tool-call-id'
  /** A `finish_reason` sent again for a choice that had one: the last is kept. */
  | 'finish-reason-repeated'
  /** A choice whose first delta had no `role`: `'assistant'` until one arrives. */
  | 'missing-role'
  /** The last event had no closing blank line and was dispatched, its data being whole JSON (SSE decoder, `trailingEvent: 'dispatch-json'`). */
  | 'unterminated-event'

/** A repair a stage made, or an irregularity it skipped, reported through `onQuirk`. */
export interface Quirk {
  code: QuirkCode
  message: string
  /** 0-based index of the server-sent event it concerns (chunk decoder). */
  eventIndex?: number
  /** 0-based index of the chunk it concerns (accumulator). */
  chunkIndex?: number
  /** 1-based input line number, where the stage knows it. */
  line?: number
}

/** The wire formats that are recognised and refused by name. */
export type ForeignFormat = 'anthropic-messages' | 'openai-responses' | 'legacy-completions'
