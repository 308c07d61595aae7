import type { ChatCompletionChunk, CompletionUsage, FinishReason } from '@sluice/openai'

/**
 * A tool call the mock answer makes: streamed as fragments, like a provider does.
 *
 * @example
 * ```ts
 * import { mockChatResponse } from '@sluice/testing'
 *
 * mockChatResponse({ toolCalls: [{ name: 'get_weather', arguments: { city: 'Paris' } }] })
 * ```
 */
export interface MockToolCall {
  /** The function's name. */
  name: string
  /** The arguments: a JSON text, or a value that is serialised with `JSON.stringify`. */
  arguments: string | object
  /**
   * The call's id.
   * @default `call_` followed by 24 hex digits derived from the call (deterministic)
   */
  id?: string
}

/**
 * The body ends at byte `atByte` (clamped to its length), with no error: a connection
 * cut by a proxy or a crashed upstream. Events not finished by then are never dispatched.
 *
 * @example
 * ```ts
 * import { mockChatResponse } from '@sluice/testing'
 *
 * mockChatResponse({ faults: [{ kind: 'cut', atByte: 600 }] }) // a decoder raises TruncatedStreamError
 * ```
 */
export interface CutFault {
  kind: 'cut'
  /** Byte offset in the body (after every other fault is applied) where it ends. */
  atByte: number
}

/**
 * After `afterChunks` chunks, an `event: error` whose data is OpenAI's error object
 * (`{"error":{"message","type","param","code"}}`, type `server_error`), then the body
 * ends: a provider that failed mid-answer, after the 200 status was sent.
 *
 * @example
 * ```ts
 * import { mockChatResponse } from '@sluice/testing'
 *
 * mockChatResponse({ faults: [{ kind: 'provider-error', afterChunks: 3, message: 'Overloaded', code: 'overloaded' }] })
 * ```
 */
export interface ProviderErrorFault {
  kind: 'provider-error'
  /** Chunks sent before the error (clamped to the number of chunks). */
  afterChunks: number
  /** @default 'The server had an error while processing your request. Sorry about that!' */
  message?: string
  /** The provider's error code. @default 'server_error' */
  code?: string | number
}

/**
 * After `afterChunks` chunks, an event that is not a chunk; the stream then goes on. By
 * default a `data:` line holding invalid UTF-8 and text that is not JSON; with `bytes`,
 * those bytes exactly (add the blank line yourself if you want the event dispatched).
 *
 * @example
 * ```ts
 * import { mockChatResponse } from '@sluice/testing'
 *
 * mockChatResponse({ faults: [{ kind: 'garbage', afterChunks: 2, bytes: new TextEncoder().encode('data: {"choices":\n\n') }] })
 * ```
 */
export interface GarbageFault {
  kind: 'garbage'
  /** Chunks sent before the garbage (clamped to the number of chunks). */
  afterChunks: number
  /** @default the bytes of `data: \xFF\xFE not JSON` and a blank line */
  bytes?: Uint8Array
}

/**
 * Several chunks in one event: `data:` lines with no blank line between them, as GLM and
 * Kimi send. A decoder joins them with LF (the SSE rules) and must split them again.
 *
 * @example
 * ```ts
 * import { mockChatResponse } from '@sluice/testing'
 *
 * mockChatResponse({ faults: [{ kind: 'missing-separators', chunksPerEvent: 3 }] })
 * ```
 */
export interface MissingSeparatorsFault {
  kind: 'missing-separators'
  /** Chunks per event. @default 2 */
  chunksPerEvent?: number
}

/**
 * No `data: [DONE]` at the end, as many gateways do. The answer is still complete.
 *
 * @example
 * ```ts
 * import { mockChatResponse } from '@sluice/testing'
 *
 * mockChatResponse({ faults: [{ kind: 'no-done' }] })
 * ```
 */
export interface NoDoneFault {
  kind: 'no-done'
}

/**
 * A slow drip: the body in reads of `bytesPerRead` bytes, `delayMs` apart (overrides
 * `readSize` and `delayMs`).
 *
 * @example
 * ```ts
 * import { mockChatResponse } from '@sluice/testing'
 *
 * mockChatResponse({ faults: [{ kind: 'drip', bytesPerRead: 1, delayMs: 5 }] })
 * ```
 */
export interface DripFault {
  kind: 'drip'
  bytesPerRead: number
  delayMs: number
}

/**
 * SSE comments (`: OPENROUTER PROCESSING`) before the first chunk and after every `every`
 * chunks, as OpenRouter sends while a request waits upstream.
 *
 * @example
 * ```ts
 * import { mockChatResponse } from '@sluice/testing'
 *
 * mockChatResponse({ faults: [{ kind: 'keep-alive', every: 5 }] })
 * ```
 */
export interface KeepAliveFault {
  kind: 'keep-alive'
  every: number
  /** The comment's text. @default 'OPENROUTER PROCESSING' */
  comment?: string
}

/**
 * Something that goes wrong in a mock stream. Several may be combined; of one kind, the
 * earliest `cut` and `provider-error` win, every `garbage` is sent, and a later
 * `missing-separators`, `drip` or `keep-alive` replaces an earlier one.
 *
 * @example A slow stream cut off mid-answer
 * ```ts
 * import type { Fault } from '@sluice/testing'
 *
 * const faults: Fault[] = [{ kind: 'drip', bytesPerRead: 16, delayMs: 10 }, { kind: 'cut', atByte: 500 }]
 * ```
 */
export type Fault =
  | CutFault
  | ProviderErrorFault
  | GarbageFault
  | MissingSeparatorsFault
  | NoDoneFault
  | DripFault
  | KeepAliveFault

/**
 * Options of `mockChatResponse`, `mockChatStream`, `mockChatChunks` and the mock server's
 * answers: what the answer says, how it is cut into deltas and reads, and what goes wrong.
 *
 * @example
 * ```ts
 * import type { MockChatOptions } from '@sluice/testing'
 *
 * const options: MockChatOptions = { text: 'Paris.', reasoning: 'Capital of France.', chunking: 'char', readSize: 16 }
 * ```
 */
export interface MockChatOptions {
  /**
   * The answer's text (`delta.content`).
   * @default 'Hello! This is a mock answer, streamed by @sluice/testing.' (`''` when `toolCalls` is given)
   */
  text?: string
  /** Reasoning text, streamed as `delta.reasoning_content` before the answer. */
  reasoning?: string
  /** Tool calls, streamed after the text as fragments; the finish reason becomes `'tool_calls'`. */
  toolCalls?: MockToolCall[]
  /** @default 'anthropic/claude-sonnet-4-5' */
  model?: string
  /** The completion id on every chunk. @default `chatcmpl-` followed by 24 hex digits derived from the options (deterministic) */
  id?: string
  /** Unix time in seconds on every chunk. @default 1764072000 (fixed, so that the output is deterministic) */
  created?: number
  /**
   * The usage chunk (`choices: []`) before `[DONE]`: `true` for counts derived from the
   * answer (words as tokens, 12 prompt tokens), an object for those fields (the others
   * counted), `false` for none.
   * @default true
   */
  usage?: boolean | Partial<CompletionUsage>
  /**
   * How text, reasoning and tool-call arguments are cut into deltas: `'word'` (each word
   * with the spaces before it, like tokens), `'char'` (one code point each), or a number
   * of code points.
   * @default 'word'
   */
  chunking?: 'word' | 'char' | number
  /** Bytes per read of the body. @default one event per read */
  readSize?: number
  /** Milliseconds between two reads (with `setTimeout`). @default 0: every read at once */
  delayMs?: number
  /** Aborting it errors the body with the signal's reason, as `fetch` does. */
  signal?: AbortSignal
  /** What ends each line. @default '\n' */
  eol?: '\n' | '\r\n'
  /** @default 'tool_calls' with `toolCalls`, else 'stop' */
  finishReason?: FinishReason
  /**
   * The wire format of the stream: OpenAI-compatible chat chunks, or the same answer as an
   * Anthropic Messages stream (`@sluice/anthropic`'s translation of the chunks) or as an
   * OpenAI Responses stream (`@sluice/responses`'s, every event numbered by
   * `sequence_number` from 0), one event per `event:`/`data:` block. The faults act alike:
   * `cut` at a byte, `provider-error` as an `event: error` (Anthropic: `overloaded_error`
   * unless `code` names a type; Responses: `{ type: 'error', error: { type, code, message,
   * param } }`, `server_error` unless `code` is given), `keep-alive` as a `ping` event
   * (Anthropic) or a `keepalive` event (Responses), `garbage`, `drip`; `no-done` leaves out
   * `message_stop` or `response.completed`; `missing-separators` has no form in either (an
   * error). `mockChatChunks` gives chat chunks only.
   *
   * `'gemini'`: the same answer as a Gemini `streamGenerateContent?alt=sse` stream,
   * `data: {json}` and CRLF line ends (the default `eol`): a chunk per text or reasoning
   * piece (`candidates[0].content.parts`, reasoning as `thought` parts), the tool calls as
   * whole `functionCall` parts in one chunk (their arguments must be JSON objects), then a
   * chunk with the `finishReason` (`STOP`, `MAX_TOKENS`, `SAFETY`, …); `usageMetadata` on
   * every chunk as running totals (words counted; the answer's usage on the last), unless
   * `usage: false`. `provider-error` is Google's error chunk (`{"error":{"code","message",
   * "status"}}`: 500 `INTERNAL` unless `code` is a number or names a status), `no-done`
   * leaves out the `finishReason` chunk (the stream is then cut), `cut`, `garbage` and
   * `drip` act alike; `keep-alive` and `missing-separators` have no Gemini form (an error).
   * @default 'openai-chat'
   */
  format?: 'openai-chat' | 'anthropic-messages' | 'openai-responses' | 'gemini'
  /** What goes wrong, in any combination (see {@link Fault}). */
  faults?: Fault[]
}

/**
 * What an event of a mock stream is.
 *
 * @example
 * ```ts
 * import { mockChatEvents } from '@sluice/testing'
 *
 * mockChatEvents().map((event) => event.kind) // ['chunk', …, 'chunk', 'done']
 * ```
 */
export type MockChatEventKind = 'chunk' | 'done' | 'provider-error' | 'garbage' | 'keep-alive'

/**
 * One event of a mock stream, as `mockChatEvents` gives it.
 *
 * @example
 * ```ts
 * import { mockChatEvents } from '@sluice/testing'
 *
 * const [first] = mockChatEvents({ text: 'Hi' })
 * new TextDecoder().decode(first!.bytes) // 'data: {"id":"chatcmpl-…",…}\n\n'
 * ```
 */
export interface MockChatEvent {
  kind: MockChatEventKind
  /** Its bytes, blank line included. */
  bytes: Uint8Array
  /** The chunks it carries: one, several (`missing-separators`), or none. */
  chunks: ChatCompletionChunk[]
}
