import type { Quirk } from '@sluice/compose'
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
  /**
   * Only with the accumulator's `parseContent` option (structured output): the content
   * parsed so far, as its parser's snapshot — frozen, the same object while it does not
   * change; `undefined` before a value starts. Text that turns out not to be JSON keeps the
   * value read before it (quirk `content-not-json`).
   */
  readonly parsed?: unknown
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
    /**
     * Only with the accumulator's `parseArguments` option: the arguments parsed so far, as
     * their parser's snapshot — frozen, the same object while they do not change;
     * `undefined` before a value starts. Text that turns out not to be JSON keeps the value
     * read before it (quirk `arguments-not-json`); `arguments` keeps the text.
     */
    readonly parsed_arguments?: unknown
  }
}

/**
 * The quirks the accumulator meets (see {@link AccumulatorQuirk}).
 *
 * @example Count the tool-call quirks a provider needed
 * ```ts
 * import { DeltaAccumulatorStream, type AccumulatorQuirkCode } from '@sluice/accumulator'
 *
 * const seen = new Map<AccumulatorQuirkCode, number>()
 * const completion = new DeltaAccumulatorStream({ onQuirk: ({ code }) => seen.set(code, (seen.get(code) ?? 0) + 1) })
 * ```
 */
export type AccumulatorQuirkCode =
  /** A tool-call fragment without `index` (Gemini): correlated by `id`, name, or as the continuation of the last call. */
  | 'missing-tool-call-index'
  /** A tool-call `index` reused with a different `id`: a new call. */
  | 'reused-tool-call-index'
  /** Tool-call indexes starting at 1 or with gaps: the calls keep their order of appearance, without holes. */
  | 'tool-call-index-gap'
  /** A new tool call without an `id`: its `id` is `''`. */
  | 'missing-tool-call-id'
  /** A different `finish_reason` sent for a choice that had one: the last is kept (the same one again is no quirk). */
  | 'finish-reason-repeated'
  /** A choice whose first delta had no `role`: `'assistant'` until one arrives. */
  | 'missing-role'
  /** Tool-call `arguments` sent as JSON (an object) instead of a string (some Ollama versions): written as a JSON string. */
  | 'tool-arguments-not-string'
  /** With `parseArguments`: a tool call's arguments were not one whole JSON value when its choice ended. The text is kept; `parsed_arguments` keeps what was read before. */
  | 'arguments-not-json'
  /** With `parseContent`: the content was not one whole JSON value when its choice ended. The text is kept; `parsed` keeps what was read before. */
  | 'content-not-json'

/**
 * A quirk the accumulator met: a repair it made to assemble the completion, reported
 * through `onQuirk` and kept in the stream's record.
 *
 * @example Log each quirk with the chunk it concerns
 * ```ts
 * import { DeltaAccumulatorStream } from '@sluice/accumulator'
 *
 * const completion = new DeltaAccumulatorStream({ onQuirk: ({ code, chunkIndex, message }) => console.warn(code, chunkIndex, message) })
 * ```
 */
export interface AccumulatorQuirk extends Quirk {
  /** Which quirk. */
  code: AccumulatorQuirkCode
  /** 0-based index of the chunk it concerns. */
  chunkIndex: number
}
