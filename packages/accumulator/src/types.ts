import type { ChatCompletionChoiceLogprobs, CompletionUsage, FinishReason } from '@sluice/openai'

/**
 * The assembled completion: what a non-streaming request would have returned, built from
 * the chunks received so far. Snapshots are frozen; unchanged parts are shared with the
 * previous snapshot, so a UI can compare by reference.
 *
 * @example The final completion
 * ```ts
 * import { accumulate } from '@sluice/accumulator'
 * import { ChatChunkStream } from '@sluice/openai'
 *
 * const completion = await accumulate(response.body!.pipeThrough(new ChatChunkStream()))
 * console.log(completion.model, completion.usage?.total_tokens, completion.choices[0]?.message.content)
 * ```
 */
export interface ChatCompletion {
  readonly id: string
  readonly object: 'chat.completion'
  readonly created: number
  readonly model: string
  readonly system_fingerprint?: string | null
  readonly service_tier?: string | null
  readonly usage?: CompletionUsage | null
  /** One per choice index, in index order. Past 128 choices, a getter: the array is built on first read (see the README). */
  readonly choices: readonly ChatCompletionChoice[]
}

/**
 * One choice of the completion: its message so far and how it ended.
 *
 * @example Every choice (n > 1)
 * ```ts
 * import { accumulate } from '@sluice/accumulator'
 * import { ChatChunkStream } from '@sluice/openai'
 *
 * const completion = await accumulate(response.body!.pipeThrough(new ChatChunkStream()))
 * for (const choice of completion.choices) console.log(choice.index, choice.finish_reason, choice.message.content)
 * ```
 */
export interface ChatCompletionChoice {
  readonly index: number
  readonly message: ChatCompletionMessage
  /** `null` until a chunk sets it; the last one sent is kept. */
  readonly finish_reason: FinishReason | null
  /** `null` unless logprobs were sent. Its arrays are built on first read (see the README). */
  readonly logprobs: ChatCompletionChoiceLogprobs | null
}

/**
 * The message of a choice, assembled from its deltas.
 *
 * @example Re-render only what changed
 * ```ts
 * import { DeltaAccumulatorStream, type ChatCompletionMessage } from '@sluice/accumulator'
 * import { ChatChunkStream } from '@sluice/openai'
 *
 * let shown: ChatCompletionMessage | undefined
 * for await (const snapshot of response.body!.pipeThrough(new ChatChunkStream()).pipeThrough(new DeltaAccumulatorStream())) {
 *   const message = snapshot.choices[0]?.message
 *   if (message !== shown) render(message) // unchanged parts are the same objects
 *   shown = message
 * }
 * ```
 */
export interface ChatCompletionMessage {
  /** From the first delta that has one. */
  readonly role: string
  /** The content deltas joined; `null` while none (or only empty ones) arrived. */
  readonly content: string | null
  /** The refusal deltas joined; `null` while none arrived. */
  readonly refusal: string | null
  /** Present once a tool-call fragment arrived; in order of appearance, without holes. Past 128 calls, a getter (see `choices`). */
  readonly tool_calls?: readonly ChatCompletionToolCall[]
  /** @deprecated The legacy single function call. */
  readonly function_call?: { readonly name: string; readonly arguments: string }
  /** `reasoning_content` deltas joined (DeepSeek, vLLM, …), when sent. */
  readonly reasoning_content?: string
  /** `reasoning` deltas joined (OpenRouter, Groq, …), when sent. */
  readonly reasoning?: string
}

/**
 * A tool call, assembled from its fragments.
 *
 * @example The calls the model asked for
 * ```ts
 * import { accumulate, parseToolArguments } from '@sluice/accumulator'
 * import { ChatChunkStream } from '@sluice/openai'
 *
 * const completion = await accumulate(response.body!.pipeThrough(new ChatChunkStream()))
 * for (const call of completion.choices[0]?.message.tool_calls ?? []) console.log(call.id, call.function.name, parseToolArguments(call))
 * ```
 */
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
