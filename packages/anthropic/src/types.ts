import type { Quirk } from '@sluice/compose'

/**
 * Why the model stopped, as `message_delta.delta.stop_reason` says. Other strings pass
 * through (the API adds reasons): see {@link MessageQuirkCode} `unknown-stop-reason`.
 *
 * @example
 * ```ts
 * import type { StopReason } from '@sluice/anthropic'
 *
 * const reason: StopReason = 'tool_use'
 * ```
 */
export type StopReason =
  | 'end_turn'
  | 'max_tokens'
  | 'stop_sequence'
  | 'tool_use'
  | 'pause_turn'
  | 'refusal'
  | 'model_context_window_exceeded'
  | (string & {})

/**
 * Token counts. In `message_start` `output_tokens` is a placeholder; in `message_delta` the
 * counts are running totals (overwrite, do not add). Fields the API adds are kept.
 *
 * @example
 * ```ts
 * import type { MessageUsage } from '@sluice/anthropic'
 *
 * const usage: MessageUsage = { input_tokens: 10, output_tokens: 2 }
 * ```
 */
export interface MessageUsage {
  input_tokens?: number | null
  output_tokens?: number | null
  cache_creation_input_tokens?: number | null
  cache_read_input_tokens?: number | null
  [field: string]: unknown
}

/**
 * A content block as `content_block_start` opens it: `text`, `thinking`, `tool_use`,
 * `redacted_thinking`, server tool blocks (`server_tool_use`, `*_tool_result`, …) and
 * types the API adds.
 *
 * @example
 * ```ts
 * import type { ContentBlock } from '@sluice/anthropic'
 *
 * const block: ContentBlock = { type: 'tool_use', id: 'toolu_1', name: 'get_weather', input: {} }
 * ```
 */
export interface ContentBlock {
  type: string
  [field: string]: unknown
}

/**
 * A delta of a content block: `text_delta`, `input_json_delta`, `thinking_delta`,
 * `signature_delta`, `citations_delta`, and types the API adds.
 *
 * @example
 * ```ts
 * import type { BlockDelta } from '@sluice/anthropic'
 *
 * const delta: BlockDelta = { type: 'input_json_delta', partial_json: '{"city": "Sa' }
 * ```
 */
export interface BlockDelta {
  type: string
  text?: string
  partial_json?: string
  thinking?: string
  signature?: string
  citation?: unknown
  [field: string]: unknown
}

/**
 * The message as `message_start` opens it (its `content` is empty).
 *
 * @example
 * ```ts
 * import type { MessageStartMessage } from '@sluice/anthropic'
 *
 * const message: MessageStartMessage = { id: 'msg_1', type: 'message', role: 'assistant', model: 'claude-sonnet-4-5', content: [] }
 * ```
 */
export interface MessageStartMessage {
  id: string
  type: 'message'
  role: 'assistant'
  model: string
  content: ContentBlock[]
  stop_reason?: StopReason | null
  stop_sequence?: string | null
  usage?: MessageUsage
  [field: string]: unknown
}

/**
 * One event of a Messages stream, typed by `type` (which equals the SSE `event:` name).
 * Event types the API adds pass through unchanged (see {@link UnknownMessageEvent}): test
 * `type` before reading other fields.
 *
 * @example Print the text as it arrives
 * ```ts
 * import { MessageEventStream } from '@sluice/anthropic'
 *
 * for await (const event of response.body!.pipeThrough(new MessageEventStream())) {
 *   if (event.type === 'content_block_delta' && event.delta.type === 'text_delta') process.stdout.write(event.delta.text ?? '')
 * }
 * ```
 */
export type MessageEvent =
  | { type: 'message_start'; message: MessageStartMessage }
  | { type: 'content_block_start'; index: number; content_block: ContentBlock }
  | { type: 'content_block_delta'; index: number; delta: BlockDelta }
  | { type: 'content_block_stop'; index: number }
  | {
      type: 'message_delta'
      delta: { stop_reason?: StopReason | null; stop_sequence?: string | null; [field: string]: unknown }
      usage?: MessageUsage
    }
  | { type: 'message_stop' }
  | { type: 'ping' }

/**
 * An event of a type this version does not know: passed through as received (typed as a
 * `MessageEvent` in the streams' output, whose `type` it does not list).
 *
 * @example
 * ```ts
 * import type { UnknownMessageEvent } from '@sluice/anthropic'
 *
 * const event: UnknownMessageEvent = { type: 'message_annotation', note: 'new in the API' }
 * ```
 */
export interface UnknownMessageEvent {
  type: string & {}
  [field: string]: unknown
}

/**
 * What the decoder repaired or skipped, and what the accumulator met.
 * - `missing-event-type`: an event without `event:` (SSE type `message`), taken by its data's `type`.
 * - `duplicate-message-start`: a second `message_start` with the same id (a gateway repeats it): dropped.
 * - `unclosed-block`: a block that had no `content_block_stop` when `message_delta` came (max_tokens mid-block): closed there.
 * - `unknown-stop-reason`: a `stop_reason` this version does not know: kept.
 * - `event-after-stop`: an event after `message_stop`: discarded.
 * - `unterminated-message-stop`: `message_stop` ended the input without its closing blank line: taken.
 * - `arguments-not-json`, `content-not-json` (the accumulator's, with `parseArguments` or
 *   `parseContent`; without `eventIndex`): a tool block's input or a text block's text that
 *   ended as no JSON value: the parser's message says why and where; the text is kept.
 *
 * @example
 * ```ts
 * import type { MessageQuirkCode } from '@sluice/anthropic'
 *
 * const code: MessageQuirkCode = 'duplicate-message-start'
 * ```
 */
export type MessageQuirkCode =
  | 'missing-event-type'
  | 'duplicate-message-start'
  | 'unclosed-block'
  | 'unknown-stop-reason'
  | 'event-after-stop'
  | 'unterminated-message-stop'
  | 'arguments-not-json'
  | 'content-not-json'

/**
 * A repair or a skipped event of the decoder, with where it happened.
 *
 * @example
 * ```ts
 * import { MessageEventDecoderStream, type MessageQuirk } from '@sluice/anthropic'
 *
 * const decoder = new MessageEventDecoderStream({ onQuirk: (quirk: MessageQuirk) => console.warn(quirk.code, quirk.message) })
 * ```
 */
export interface MessageQuirk extends Quirk {
  code: MessageQuirkCode
  /** 0-based index of the server-sent event. */
  eventIndex: number
  /** The input line that ended the event, where an SSE stage shares the record. */
  line?: number
}
