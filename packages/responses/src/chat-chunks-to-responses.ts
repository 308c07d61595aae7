import { OrderedTransformStream, type StreamTransformer, type TransformController } from '@sluice/compose'
import type { ChatCompletionChunk, ChatCompletionToolCallDelta, CompletionUsage, FinishReason } from '@sluice/openai'
import { SSEEncoder, type SSEMessage } from '@sluice/sse'
import type { ContentPart, ModelResponse, OutputItem, ResponseEvent, ResponseUsage } from './types.ts'

/**
 * Responses usage from chat usage: the reverse of `chatUsageOfResponse`.
 *
 * @example
 * ```ts
 * import { responseUsageOf } from '@sluice/responses'
 *
 * responseUsageOf({ prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 })
 * // { input_tokens: 10, output_tokens: 5, total_tokens: 15, input_tokens_details: { cached_tokens: 0 }, output_tokens_details: { reasoning_tokens: 0 } }
 * ```
 */
export function responseUsageOf(usage: CompletionUsage): ResponseUsage {
  return {
    input_tokens: usage.prompt_tokens,
    input_tokens_details: { cached_tokens: usage.prompt_tokens_details?.cached_tokens ?? 0 },
    output_tokens: usage.completion_tokens,
    output_tokens_details: { reasoning_tokens: usage.completion_tokens_details?.reasoning_tokens ?? 0 },
    total_tokens: usage.total_tokens,
  }
}

/**
 * The `incomplete_details.reason` of a chat `finish_reason` that ends a response as
 * `incomplete` (`length` → `max_output_tokens`, `content_filter` → `content_filter`), or
 * `undefined` for one that completes it (`stop`, `tool_calls`, …).
 *
 * @example
 * ```ts
 * import { incompleteReasonOf } from '@sluice/responses'
 *
 * incompleteReasonOf('length') // 'max_output_tokens'
 * ```
 */
export function incompleteReasonOf(reason: FinishReason): string | undefined {
  if (reason === 'length') return 'max_output_tokens'
  if (reason === 'content_filter') return 'content_filter'
  return undefined
}

/** An output item being written: its index, its item as it grows, and what it is. */
interface OpenItem {
  index: number
  item: OutputItem & { content?: ContentPart[] }
  kind: 'message' | 'reasoning' | 'function_call'
  /** For a message: the part being written (`output_text` or `refusal`). */
  part: ContentPart | undefined
}

/**
 * Translates chat `ChatCompletionChunk`s (choice 0) into Responses {@link ResponseEvent}s,
 * for a gateway that serves the Responses API in front of an OpenAI-compatible provider:
 * `response.created` and `response.in_progress` at the first chunk; a `message` item for
 * `content` (an `output_text` part) and `refusal` (a `refusal` part); a `reasoning` item
 * (a `reasoning_text` part) for `reasoning_content` (or `reasoning`); a `function_call`
 * item per tool call, its arguments as `response.function_call_arguments.delta`s; then, at
 * the end of the input, every item done and `response.completed` (or `response.incomplete`
 * for `length` and `content_filter`, see {@link incompleteReasonOf}) with the usage
 * ({@link responseUsageOf}). Every event has a `sequence_number` from 0.
 *
 * - A stream with no `finish_reason` ends without a terminal event, so the client sees a
 *   cut-off response, as it was.
 * - A response has one choice: a chunk for a choice other than 0 is a `TypeError`.
 * - Ids: the response's is the chat completion's; items get `msg_`, `rs_`, `fc_` and the
 *   response id with their output index (a chat stream has none); a function call's
 *   `call_id` is the tool call's id, as received (`''` when a proxy sent none).
 * - A message or reasoning item is done when another item starts; function calls stay
 *   open (their arguments may interleave) until the end.
 *
 * @example Serve the Responses API from a chat stream
 * ```ts
 * import { ChatChunksToResponsesStream, ResponseEventEncoderStream } from '@sluice/responses'
 * import { ChatChunkStream } from '@sluice/openai'
 *
 * const body = response.body!
 *   .pipeThrough(new ChatChunkStream())
 *   .pipeThrough(new ChatChunksToResponsesStream())
 *   .pipeThrough(new ResponseEventEncoderStream())
 *   .pipeThrough(new TextEncoderStream())
 * ```
 */
export class ChatChunksToResponses implements StreamTransformer<ChatCompletionChunk, ResponseEvent> {
  #response: ModelResponse | undefined
  #sequence = 0
  readonly #items: OpenItem[] = []
  /** The message or reasoning item being written. */
  #open: OpenItem | undefined
  /** The function call item of each tool call, by `id:<id>` and by `index:<index>`. */
  readonly #calls = new Map<string, OpenItem>()
  #lastCall: OpenItem | undefined
  #finish: FinishReason | null = null
  #usage: CompletionUsage | undefined

  transform(chunk: ChatCompletionChunk, controller: TransformController<ResponseEvent>): void {
    // Azure's first chunk (prompt filter results) has no id, no model and no choices: the response starts after it.
    if (!this.#response && chunk.id === '' && chunk.choices.length === 0) return
    if (!this.#response) {
      this.#response = {
        id: chunk.id,
        object: 'response',
        created_at: chunk.created,
        status: 'in_progress',
        model: chunk.model,
        output: [],
        usage: null,
        incomplete_details: null,
        error: null,
      }
      this.#emit(controller, { type: 'response.created', response: { ...this.#response } })
      this.#emit(controller, { type: 'response.in_progress', response: { ...this.#response } })
    }
    if (chunk.usage) this.#usage = chunk.usage
    for (const choice of chunk.choices) {
      if (choice.index !== 0) {
        throw new TypeError(`ChatChunksToResponses: choice ${choice.index}: a response has one choice (ask for n: 1)`)
      }
      const delta = choice.delta as ChatCompletionChunk['choices'][number]['delta'] & { reasoning?: unknown }
      const reasoning = delta.reasoning_content ?? delta.reasoning
      if (typeof reasoning === 'string' && reasoning !== '')
        this.#text('reasoning', 'reasoning_text', reasoning, controller)
      if (typeof delta.content === 'string' && delta.content !== '')
        this.#text('message', 'output_text', delta.content, controller)
      if (typeof delta.refusal === 'string' && delta.refusal !== '')
        this.#text('message', 'refusal', delta.refusal, controller)
      for (const call of delta.tool_calls ?? []) this.#toolCall(call, controller)
      if (choice.finish_reason) this.#finish = choice.finish_reason
    }
  }

  /** The end of the chat stream: with a finish reason, every item is done and the response ends. */
  flush(controller: TransformController<ResponseEvent>): void {
    const response = this.#response
    if (!response || this.#finish === null) return
    this.#closeOpen(controller)
    for (const item of this.#items) if (item.kind === 'function_call') this.#closeCall(item, controller)
    const reason = incompleteReasonOf(this.#finish)
    const final: ModelResponse = {
      ...response,
      status: reason === undefined ? 'completed' : 'incomplete',
      output: this.#items.map((item) => item.item),
      usage: this.#usage ? responseUsageOf(this.#usage) : null,
      incomplete_details: reason === undefined ? null : { reason },
    }
    this.#emit(controller, {
      type: reason === undefined ? 'response.completed' : 'response.incomplete',
      response: final,
    })
  }

  /** Text of a message or reasoning item: the open item if it is of `kind`, else a new one. */
  #text(
    kind: 'message' | 'reasoning',
    partType: 'output_text' | 'refusal' | 'reasoning_text',
    text: string,
    controller: TransformController<ResponseEvent>,
  ): void {
    let open = this.#open
    if (open?.kind !== kind) {
      this.#closeOpen(controller)
      const index = this.#items.length
      const id = `${kind === 'message' ? 'msg' : 'rs'}_${this.#response!.id}_${index}`
      const item: OpenItem['item'] =
        kind === 'message'
          ? { id, type: 'message', status: 'in_progress', role: 'assistant', content: [] }
          : { id, type: 'reasoning', summary: [], content: [] }
      open = { index, item, kind, part: undefined }
      this.#items.push(open)
      this.#open = open
      this.#emit(controller, {
        type: 'response.output_item.added',
        output_index: index,
        item: { ...item, content: [] },
      })
    }
    const fields = this.#itemFields(open)
    if (open.part?.type !== partType) {
      this.#closePart(open, controller)
      open.part =
        partType === 'output_text'
          ? { type: partType, text: '', annotations: [] }
          : { type: partType, [field(partType)]: '' }
      this.#emit(controller, {
        type: 'response.content_part.added',
        ...fields,
        content_index: open.item.content!.length,
        part: { ...open.part },
      })
    }
    const part = open.part
    part[field(partType)] = `${part[field(partType)] as string}${text}`
    const content_index = open.item.content!.length
    if (partType === 'output_text') {
      this.#emit(controller, {
        type: 'response.output_text.delta',
        ...fields,
        content_index,
        delta: text,
        logprobs: [],
      })
    } else if (partType === 'refusal') {
      this.#emit(controller, { type: 'response.refusal.delta', ...fields, content_index, delta: text })
    } else {
      this.#emit(controller, { type: 'response.reasoning_text.delta', ...fields, content_index, delta: text })
    }
  }

  #toolCall(call: ChatCompletionToolCallDelta, controller: TransformController<ResponseEvent>): void {
    const item = this.#callItem(call, controller)
    const partial = call.function?.arguments
    if (typeof partial !== 'string' || partial === '') return
    item.item.arguments = `${item.item.arguments as string}${partial}`
    this.#emit(controller, {
      type: 'response.function_call_arguments.delta',
      ...this.#itemFields(item),
      delta: partial,
    })
  }

  /**
   * The item of a tool call fragment, added when the call is new. Calls are told apart as
   * the chat accumulator does: by `id` when the fragment has one, else by `index`; a
   * fragment without either continues the last call.
   */
  #callItem(call: ChatCompletionToolCallDelta, controller: TransformController<ResponseEvent>): OpenItem {
    const id = call.id ?? ''
    const key = id !== '' ? `id:${id}` : call.index !== undefined ? `index:${call.index}` : undefined
    const known = key === undefined ? this.#lastCall : this.#calls.get(key)
    if (known) return known
    this.#closeOpen(controller)
    const index = this.#items.length
    const item: OpenItem = {
      index,
      kind: 'function_call',
      part: undefined,
      item: {
        id: `fc_${this.#response!.id}_${index}`,
        type: 'function_call',
        status: 'in_progress',
        call_id: id,
        name: call.function?.name ?? '',
        arguments: '',
      },
    }
    this.#items.push(item)
    if (key !== undefined) this.#calls.set(key, item)
    if (call.index !== undefined && id !== '') this.#calls.set(`index:${call.index}`, item)
    this.#lastCall = item
    this.#emit(controller, { type: 'response.output_item.added', output_index: index, item: { ...item.item } })
    return item
  }

  /** The message or reasoning item being written is done. */
  #closeOpen(controller: TransformController<ResponseEvent>): void {
    const open = this.#open
    if (!open) return
    this.#open = undefined
    this.#closePart(open, controller)
    if (open.kind === 'message') open.item.status = 'completed'
    this.#emit(controller, {
      type: 'response.output_item.done',
      output_index: open.index,
      item: { ...open.item, content: [...open.item.content!] },
    })
  }

  /** The part being written is done: its `….done` and `response.content_part.done`. */
  #closePart(open: OpenItem, controller: TransformController<ResponseEvent>): void {
    const part = open.part
    if (!part) return
    open.part = undefined
    const fields = { ...this.#itemFields(open), content_index: open.item.content!.length }
    if (part.type === 'output_text')
      this.#emit(controller, { type: 'response.output_text.done', ...fields, text: part.text ?? '', logprobs: [] })
    else if (part.type === 'refusal')
      this.#emit(controller, { type: 'response.refusal.done', ...fields, refusal: part.refusal ?? '' })
    else this.#emit(controller, { type: 'response.reasoning_text.done', ...fields, text: part.text ?? '' })
    this.#emit(controller, { type: 'response.content_part.done', ...fields, part: { ...part } })
    open.item.content!.push(part)
  }

  #closeCall(call: OpenItem, controller: TransformController<ResponseEvent>): void {
    call.item.status = 'completed'
    this.#emit(controller, {
      type: 'response.function_call_arguments.done',
      ...this.#itemFields(call),
      name: call.item.name as string,
      arguments: call.item.arguments as string,
    })
    this.#emit(controller, { type: 'response.output_item.done', output_index: call.index, item: { ...call.item } })
  }

  #itemFields(item: OpenItem): { output_index: number; item_id: string } {
    return { output_index: item.index, item_id: item.item.id! }
  }

  /** Enqueues `event` with the next `sequence_number`. */
  #emit(controller: TransformController<ResponseEvent>, event: ResponseEvent): void {
    controller.enqueue({ ...event, sequence_number: this.#sequence++ } as ResponseEvent)
  }
}

/** The field of a part that holds its text. */
function field(partType: string): 'text' | 'refusal' {
  return partType === 'refusal' ? 'refusal' : 'text'
}

/**
 * {@link ChatChunksToResponses} as a `TransformStream`: chat chunks in, Responses events out.
 *
 * @example
 * ```ts
 * import { ChatChunksToResponsesStream } from '@sluice/responses'
 * import { ChatChunkStream } from '@sluice/openai'
 *
 * const events = response.body!.pipeThrough(new ChatChunkStream()).pipeThrough(new ChatChunksToResponsesStream())
 * ```
 */
export class ChatChunksToResponsesStream extends OrderedTransformStream<ChatCompletionChunk, ResponseEvent> {
  constructor(
    writableStrategy?: QueuingStrategy<ChatCompletionChunk>,
    readableStrategy?: QueuingStrategy<ResponseEvent>,
  ) {
    super(new ChatChunksToResponses(), writableStrategy, readableStrategy)
  }
}

/**
 * Responses events as server-sent event messages (`event:` = the event's `type`, `data:`
 * its JSON), for `@sluice/sse`'s `SSEEncoder`: {@link ResponseEventEncoderStream} does both.
 *
 * @example
 * ```ts
 * import { sseResponseEventOf } from '@sluice/responses'
 *
 * sseResponseEventOf({ type: 'keepalive', sequence_number: 7 }) // { type: 'keepalive', data: '{"type":"keepalive","sequence_number":7}' }
 * ```
 */
export function sseResponseEventOf(event: ResponseEvent): SSEMessage {
  return { type: event.type, data: JSON.stringify(event) }
}

/**
 * Responses events in, the text of a Responses API event stream out (`event:` and `data:`
 * lines, a blank line after each; no `[DONE]`, as the API sends none).
 *
 * @example
 * ```ts
 * import { ChatChunksToResponsesStream, ResponseEventEncoderStream } from '@sluice/responses'
 * import { ChatChunkStream } from '@sluice/openai'
 *
 * const text = response.body!.pipeThrough(new ChatChunkStream()).pipeThrough(new ChatChunksToResponsesStream()).pipeThrough(new ResponseEventEncoderStream())
 * ```
 */
export class ResponseEventEncoderStream extends OrderedTransformStream<ResponseEvent, string> {
  constructor(writableStrategy?: QueuingStrategy<ResponseEvent>, readableStrategy?: QueuingStrategy<string>) {
    // SSEEncoder refuses a type that cannot be written safely (a CR or LF in it).
    const encoder = new SSEEncoder()
    super(
      { transform: (event, controller) => controller.enqueue(encoder.encode(sseResponseEventOf(event))) },
      writableStrategy,
      readableStrategy,
    )
  }
}
