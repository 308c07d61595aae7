import type { ChatCompletionChoiceLogprobs, CompletionUsage, FinishReason } from '@sluice/openai'

/**
 * The assembled completion: what a non-streaming request would have returned, built from
 * the chunks received so far. Snapshots are frozen; unchanged parts are shared with the
 * previous snapshot, so a UI can compare by reference.
 */
export interface ChatCompletion {
  readonly id: string
  readonly object: 'chat.completion'
  readonly created: number
  readonly model: string
  readonly system_fingerprint?: string | null
  readonly service_tier?: string | null
  readonly usage?: CompletionUsage | null
  /** One per choice index, in index order. */
  readonly choices: readonly ChatCompletionChoice[]
}

export interface ChatCompletionChoice {
  readonly index: number
  readonly message: ChatCompletionMessage
  /** `null` until a chunk sets it; the last one sent is kept. */
  readonly finish_reason: FinishReason | null
  /** `null` unless logprobs were sent. Its arrays are built on first read (see the README). */
  readonly logprobs: ChatCompletionChoiceLogprobs | null
}

export interface ChatCompletionMessage {
  /** From the first delta that has one. */
  readonly role: string
  /** The content deltas joined; `null` while none (or only empty ones) arrived. */
  readonly content: string | null
  /** The refusal deltas joined; `null` while none arrived. */
  readonly refusal: string | null
  /** Present once a tool-call fragment arrived; in order of appearance, without holes. */
  readonly tool_calls?: readonly ChatCompletionToolCall[]
  /** @deprecated The legacy single function call. */
  readonly function_call?: { readonly name: string; readonly arguments: string }
  /** `reasoning_content` deltas joined (DeepSeek, vLLM, …), when sent. */
  readonly reasoning_content?: string
  /** `reasoning` deltas joined (OpenRouter, Groq, …), when sent. */
  readonly reasoning?: string
}

export interface ChatCompletionToolCall {
  /** `''` if the provider never sent one (reported as a quirk). */
  readonly id: string
  readonly type: 'function' | (string & {})
  readonly function: {
    readonly name: string
    /** The argument fragments joined: a JSON string, as the API sends it (see `parseToolArguments`). */
    readonly arguments: string
  }
}
