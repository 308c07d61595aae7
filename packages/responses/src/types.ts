import type { Quirk } from '@sluice/compose'

/**
 * Token counts of a response (`response.completed`'s `usage`). Fields the API adds are kept.
 *
 * @example
 * ```ts
 * import type { ResponseUsage } from '@sluice/responses'
 *
 * const usage: ResponseUsage = { input_tokens: 12, output_tokens: 3, total_tokens: 15 }
 * ```
 */
export interface ResponseUsage {
  input_tokens?: number | null
  output_tokens?: number | null
  total_tokens?: number | null
  input_tokens_details?: { cached_tokens?: number | null; [field: string]: unknown } | null
  output_tokens_details?: { reasoning_tokens?: number | null; [field: string]: unknown } | null
  [field: string]: unknown
}

/**
 * An item of a response's `output`: `message`, `function_call`, `reasoning`,
 * `web_search_call`, `file_search_call`, `code_interpreter_call`, `image_generation_call`,
 * `mcp_call`, `custom_tool_call`, and types the API adds.
 *
 * @example
 * ```ts
 * import type { OutputItem } from '@sluice/responses'
 *
 * const call: OutputItem = { type: 'function_call', id: 'fc_1', call_id: 'call_1', name: 'get_weather', arguments: '' }
 * ```
 */
export interface OutputItem {
  type: string
  id?: string
  status?: string
  [field: string]: unknown
}

/**
 * A content part of a `message` item (`output_text`, `refusal`), of a `reasoning` item
 * (`reasoning_text`), or a reasoning summary part (`summary_text`).
 *
 * @example
 * ```ts
 * import type { ContentPart } from '@sluice/responses'
 *
 * const part: ContentPart = { type: 'output_text', text: '', annotations: [] }
 * ```
 */
export interface ContentPart {
  type: string
  text?: string
  refusal?: string
  annotations?: unknown[]
  [field: string]: unknown
}

/**
 * Where a response stands, as its `status` says. Other strings pass through.
 *
 * @example
 * ```ts
 * import type { ResponseStatus } from '@sluice/responses'
 *
 * const status: ResponseStatus = 'incomplete'
 * ```
 */
export type ResponseStatus =
  | 'queued'
  | 'in_progress'
  | 'completed'
  | 'incomplete'
  | 'failed'
  | 'cancelled'
  | (string & {})

/**
 * The response object the lifecycle events carry (`response.created`, `…in_progress`,
 * `…completed`, `…incomplete`, `…failed`). Named `ModelResponse` so as not to hide fetch's
 * `Response`.
 *
 * @example
 * ```ts
 * import type { ModelResponse } from '@sluice/responses'
 *
 * const text = (response: ModelResponse) => response.output.flatMap((item) => (item.type === 'message' ? (item.content as { text?: string }[]) : [])).map((part) => part.text ?? '').join('')
 * ```
 */
export interface ModelResponse {
  id: string
  object?: 'response'
  created_at?: number
  status?: ResponseStatus
  model?: string
  output: OutputItem[]
  usage?: ResponseUsage | null
  incomplete_details?: { reason?: string; [field: string]: unknown } | null
  error?: { code?: string; message?: string; [field: string]: unknown } | null
  [field: string]: unknown
}

/**
 * Fields every event of an output item carries: where the item is in `output`, its id.
 *
 * @example
 * ```ts
 * import type { ItemEventFields } from '@sluice/responses'
 *
 * const at: ItemEventFields = { output_index: 0, item_id: 'fc_1', sequence_number: 5 }
 * ```
 */
export interface ItemEventFields {
  output_index: number
  item_id: string
  sequence_number?: number
}

/**
 * Fields every event of a content part carries: its item's, and where the part is in the
 * item's `content`.
 *
 * @example
 * ```ts
 * import type { PartEventFields } from '@sluice/responses'
 *
 * const at: PartEventFields = { output_index: 0, item_id: 'msg_1', content_index: 0 }
 * ```
 */
export interface PartEventFields extends ItemEventFields {
  content_index: number
}

/**
 * The event types that end a Responses stream: exactly one of them comes last.
 *
 * @example
 * ```ts
 * import type { TerminalEventType } from '@sluice/responses'
 *
 * const type: TerminalEventType = 'response.incomplete'
 * ```
 */
export type TerminalEventType = 'response.completed' | 'response.incomplete' | 'response.failed'

/**
 * One event of an OpenAI Responses stream, typed by `type` (which equals the SSE `event:`
 * name). The events of hosted tools (`response.web_search_call.*`, `…file_search_call.*`,
 * `…code_interpreter_call*`, `…image_generation_call.*`, `…mcp_*`, `…custom_tool_call_input.*`,
 * `…audio*`) and types the API adds pass through unchanged (see
 * {@link UnknownResponseEvent}): test `type` before reading other fields.
 *
 * @example Print the text as it arrives
 * ```ts
 * import { ResponseEventStream } from '@sluice/responses'
 *
 * for await (const event of response.body!.pipeThrough(new ResponseEventStream())) {
 *   if (event.type === 'response.output_text.delta') process.stdout.write(event.delta)
 * }
 * ```
 */
export type ResponseEvent =
  | {
      type: 'response.queued' | 'response.created' | 'response.in_progress' | TerminalEventType
      response: ModelResponse
      sequence_number?: number
    }
  | ({ type: 'response.output_item.added' | 'response.output_item.done'; item: OutputItem } & Omit<
      ItemEventFields,
      'item_id'
    >)
  | ({ type: 'response.content_part.added' | 'response.content_part.done'; part: ContentPart } & PartEventFields)
  | ({ type: 'response.output_text.delta'; delta: string; logprobs?: unknown[] } & PartEventFields)
  | ({ type: 'response.output_text.done'; text: string; logprobs?: unknown[] } & PartEventFields)
  | ({
      type: 'response.output_text.annotation.added'
      annotation_index: number
      annotation: Record<string, unknown>
    } & PartEventFields)
  | ({ type: 'response.refusal.delta'; delta: string } & PartEventFields)
  | ({ type: 'response.refusal.done'; refusal: string } & PartEventFields)
  | ({ type: 'response.function_call_arguments.delta'; delta: string } & ItemEventFields)
  | ({ type: 'response.function_call_arguments.done'; arguments: string; name?: string } & ItemEventFields)
  | ({ type: 'response.reasoning_text.delta'; delta: string } & PartEventFields)
  | ({ type: 'response.reasoning_text.done'; text: string } & PartEventFields)
  | ({
      type: 'response.reasoning_summary_part.added' | 'response.reasoning_summary_part.done'
      summary_index: number
      part: ContentPart
    } & ItemEventFields)
  | ({ type: 'response.reasoning_summary_text.delta'; summary_index: number; delta: string } & ItemEventFields)
  | ({ type: 'response.reasoning_summary_text.done'; summary_index: number; text: string } & ItemEventFields)
  | { type: 'keepalive'; sequence_number?: number }

/**
 * An event of a type this version does not know, or of a hosted tool: passed through as
 * received (typed as a `ResponseEvent` in the streams' output, whose `type` it does not list).
 *
 * @example
 * ```ts
 * import type { UnknownResponseEvent } from '@sluice/responses'
 *
 * const event: UnknownResponseEvent = { type: 'response.web_search_call.searching', output_index: 0, item_id: 'ws_1' }
 * ```
 */
export interface UnknownResponseEvent {
  type: string & {}
  [field: string]: unknown
}

/**
 * What the decoder repaired or skipped, and what the accumulator met.
 * - `missing-event-type`: an event without `event:` (SSE type `message`), taken by its data's `type`.
 * - `resumed-stream`: the stream did not start with `response.created`: a
 *   resumed replay (`starting_after`) or a backend that skips it; items it did not see added are taken as they come.
 * - `duplicate-response-created`: a second `response.created` of the same response: dropped.
 * - `response-id-changed`: a lifecycle event naming another response id than the first (a gateway rotating ids): kept.
 * - `item-id-changed`: an event naming another `item_id` than its output item's (GitHub Copilot rotates them): routed by `output_index`.
 * - `sequence-gap`: a `sequence_number` more than one past the last: events are missing (the decoder cannot restore them).
 * - `sequence-not-rising`: a `sequence_number` not past the last (a replay overlapping what was read): kept.
 * - `missing-content-part`: a delta for a content part never added: added there.
 * - `event-after-terminal`: an event after the terminal event (`response.rate_limits.updated`, a second terminal): discarded.
 *   Only the plain decoder or parser with `afterTerminal: 'drain'` reads on: the streams drain what follows unread.
 * - `done-marker`: a `data: [DONE]` before the terminal event (some gateways add it; the Responses API sends none): skipped.
 *   One after it (OpenRouter's) is what follows the end, as above.
 * - `unterminated-terminal-event`: the terminal event ended the input without its closing blank line: taken.
 * - `arguments-not-json`, `content-not-json` (the accumulator's, with `parseArguments` or
 *   `parseContent`; without `eventIndex`): a call's arguments or an `output_text` part that
 *   ended as no JSON value: the parser's message says why and where; the text is kept.
 *
 * @example
 * ```ts
 * import type { ResponseQuirkCode } from '@sluice/responses'
 *
 * const code: ResponseQuirkCode = 'sequence-gap'
 * ```
 */
export type ResponseQuirkCode =
  | 'missing-event-type'
  | 'resumed-stream'
  | 'duplicate-response-created'
  | 'response-id-changed'
  | 'item-id-changed'
  | 'sequence-gap'
  | 'sequence-not-rising'
  | 'missing-content-part'
  | 'event-after-terminal'
  | 'done-marker'
  | 'unterminated-terminal-event'
  | 'arguments-not-json'
  | 'content-not-json'

/**
 * A repair or a skipped event of the decoder, with where it happened.
 *
 * @example
 * ```ts
 * import { ResponseEventDecoderStream, type ResponseQuirk } from '@sluice/responses'
 *
 * const decoder = new ResponseEventDecoderStream({ onQuirk: (quirk: ResponseQuirk) => console.warn(quirk.code, quirk.message) })
 * ```
 */
export interface ResponseQuirk extends Quirk {
  code: ResponseQuirkCode
  /** 0-based index of the server-sent event. */
  eventIndex: number
  /** The input line that ended the event, where an SSE stage shares the record. */
  line?: number
}
