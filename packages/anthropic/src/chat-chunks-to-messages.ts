import { OrderedTransformStream, type StreamTransformer, type TransformController } from '@sluice/compose'
import type { ChatCompletionChunk, CompletionUsage, FinishReason } from '@sluice/openai'
import { SSEEncoder, type SSEMessage } from '@sluice/sse'
import type { MessageEvent, MessageUsage, StopReason } from './types.ts'

/**
 * The Anthropic `stop_reason` of each chat `finish_reason`: the reverse of `finishReasonOf`
 * (`stop` → `end_turn`, `length` → `max_tokens`, `tool_calls` → `tool_use`,
 * `content_filter` → `refusal`); another reason passes through.
 *
 * @example
 * ```ts
 * import { stopReasonOf } from '@sluice/anthropic'
 *
 * stopReasonOf('length') // 'max_tokens'
 * ```
 */
export function stopReasonOf(reason: FinishReason): StopReason {
  switch (reason) {
    case 'stop':
      return 'end_turn'
    case 'length':
      return 'max_tokens'
    case 'tool_calls':
    case 'function_call':
      return 'tool_use'
    case 'content_filter':
      return 'refusal'
    default:
      return reason
  }
}

/**
 * Anthropic usage from chat usage: cached prompt tokens become `cache_read_input_tokens`,
 * reasoning tokens `output_tokens_details.thinking_tokens`.
 *
 * @example
 * ```ts
 * import { messageUsageOf } from '@sluice/anthropic'
 *
 * messageUsageOf({ prompt_tokens: 100, completion_tokens: 5, total_tokens: 105, prompt_tokens_details: { cached_tokens: 90 } })
 * // { input_tokens: 10, cache_read_input_tokens: 90, output_tokens: 5 }
 * ```
 */
export function messageUsageOf(usage: CompletionUsage): MessageUsage {
  const cached = usage.prompt_tokens_details?.cached_tokens ?? 0
  const result: MessageUsage = { input_tokens: usage.prompt_tokens - cached, output_tokens: usage.completion_tokens }
  if (cached > 0) result.cache_read_input_tokens = cached
  const reasoning = usage.completion_tokens_details?.reasoning_tokens
  if (typeof reasoning === 'number') result.output_tokens_details = { thinking_tokens: reasoning }
  return result
}

/** The block being streamed: its index, its kind and, for a tool use, the chat tool call it carries. */
interface OpenBlock {
  index: number
  kind: 'text' | 'thinking' | 'tool_use'
}

/**
 * Translates chat `ChatCompletionChunk`s (choice 0) into Anthropic {@link MessageEvent}s,
 * for a gateway that serves the Messages API in front of an OpenAI-compatible provider:
 * `message_start` at the first chunk, a `text` block for `content`, a `thinking` block for
 * `reasoning_content` (or `reasoning`), a `tool_use` block per tool call (its `arguments`
 * as `input_json_delta`s), then at the end of the input `message_delta` (the stop reason by
 * {@link stopReasonOf}, the usage by {@link messageUsageOf}) and `message_stop`.
 *
 * - A stream with no `finish_reason` ends without `message_delta` and `message_stop`, so
 *   the client sees a cut-off message, as it was.
 * - Anthropic messages have one choice and their blocks follow each other: a chunk for a
 *   choice other than 0, or arguments for a tool call whose block was closed by a later
 *   one (interleaved tool calls), is a `TypeError` saying so.
 * - The chat stream has no thinking signature: a `thinking` block gets `signature: ''`.
 *
 * @example Serve the Messages API from a chat stream
 * ```ts
 * import { ChatChunksToMessagesStream, MessageEventEncoderStream } from '@sluice/anthropic'
 * import { ChatChunkStream } from '@sluice/openai'
 *
 * const body = response.body!
 *   .pipeThrough(new ChatChunkStream())
 *   .pipeThrough(new ChatChunksToMessagesStream())
 *   .pipeThrough(new MessageEventEncoderStream())
 *   .pipeThrough(new TextEncoderStream())
 * ```
 */
export class ChatChunksToMessages implements StreamTransformer<ChatCompletionChunk, MessageEvent> {
  #started = false
  #blocks = 0
  #open: OpenBlock | undefined
  /** The block of each tool call, by `id:<id>` and by `index:<index>`. */
  readonly #callBlocks = new Map<string, OpenBlock>()
  #finish: FinishReason | null = null
  #usage: CompletionUsage | undefined

  transform(chunk: ChatCompletionChunk, controller: TransformController<MessageEvent>): void {
    // Azure's first chunk (prompt filter results) has no id, no model and no choices: the message starts after it.
    if (!this.#started && chunk.id === '' && chunk.choices.length === 0) return
    if (!this.#started) {
      this.#started = true
      controller.enqueue({
        type: 'message_start',
        message: {
          id: chunk.id,
          type: 'message',
          role: 'assistant',
          model: chunk.model,
          content: [],
          stop_reason: null,
          stop_sequence: null,
          usage: { input_tokens: 0, output_tokens: 0 },
        },
      })
    }
    if (chunk.usage) this.#usage = chunk.usage
    for (const choice of chunk.choices) {
      if (choice.index !== 0) {
        throw new TypeError(
          `ChatChunksToMessages: choice ${choice.index}: an Anthropic message has one choice (ask for n: 1)`,
        )
      }
      const delta = choice.delta as ChatCompletionChunk['choices'][number]['delta'] & {
        reasoning_content?: unknown
        reasoning?: unknown
      }
      const thinking = delta.reasoning_content ?? delta.reasoning
      if (typeof thinking === 'string' && thinking !== '') {
        const index = this.#block('thinking', controller)
        controller.enqueue({ type: 'content_block_delta', index, delta: { type: 'thinking_delta', thinking } })
      }
      if (typeof delta.content === 'string' && delta.content !== '') {
        const index = this.#block('text', controller)
        controller.enqueue({ type: 'content_block_delta', index, delta: { type: 'text_delta', text: delta.content } })
      }
      for (const call of delta.tool_calls ?? []) this.#toolCall(call, controller)
      if (choice.finish_reason) this.#finish = choice.finish_reason
    }
  }

  /** The end of the chat stream: the last block closes; with a finish reason, the message ends. */
  flush(controller: TransformController<MessageEvent>): void {
    if (!this.#started || this.#finish === null) return
    this.#close(controller)
    const usage = this.#usage ? messageUsageOf(this.#usage) : { output_tokens: 0 }
    controller.enqueue({
      type: 'message_delta',
      delta: { stop_reason: stopReasonOf(this.#finish), stop_sequence: null },
      usage,
    })
    controller.enqueue({ type: 'message_stop' })
  }

  /** The open block if it is of `kind` (and not a tool use), or a new one: its index. */
  #block(kind: 'text' | 'thinking', controller: TransformController<MessageEvent>): number {
    if (this.#open?.kind === kind) return this.#open.index
    this.#close(controller)
    const index = this.#blocks++
    this.#open = { index, kind }
    const content_block =
      kind === 'text' ? { type: 'text', text: '' } : { type: 'thinking', thinking: '', signature: '' }
    controller.enqueue({ type: 'content_block_start', index, content_block })
    return index
  }

  #toolCall(
    call: NonNullable<ChatCompletionChunk['choices'][number]['delta']['tool_calls']>[number],
    controller: TransformController<MessageEvent>,
  ): void {
    const block = this.#toolBlock(call, controller)
    const partial = call.function?.arguments
    if (typeof partial === 'string' && partial !== '') {
      controller.enqueue({
        type: 'content_block_delta',
        index: block,
        delta: { type: 'input_json_delta', partial_json: partial },
      })
    }
  }

  /**
   * The block of a tool call fragment, opened when the call is new. Calls are told apart as
   * the chat accumulator does: by `id` when the fragment has one (Gemini sends no `index`,
   * Ollama reuses one), else by `index`; a fragment without either continues the open call.
   */
  #toolBlock(
    call: NonNullable<ChatCompletionChunk['choices'][number]['delta']['tool_calls']>[number],
    controller: TransformController<MessageEvent>,
  ): number {
    const id = call.id ?? ''
    const key = id !== '' ? `id:${id}` : call.index !== undefined ? `index:${call.index}` : undefined
    const known =
      key === undefined ? (this.#open?.kind === 'tool_use' ? this.#open : undefined) : this.#callBlocks.get(key)
    if (known) {
      if (this.#open !== known) {
        throw new TypeError(
          `ChatChunksToMessages: arguments for the tool call of block ${known.index} after another block began: Anthropic blocks cannot interleave`,
        )
      }
      return known.index
    }
    // An index seen before with another id is a new call (the index was reused).
    this.#close(controller)
    const index = this.#blocks++
    const block: OpenBlock = { index, kind: 'tool_use' }
    if (key !== undefined) this.#callBlocks.set(key, block)
    if (call.index !== undefined && id !== '') this.#callBlocks.set(`index:${call.index}`, block)
    this.#open = block
    const content_block = { type: 'tool_use', id, name: call.function?.name ?? '', input: {} }
    controller.enqueue({ type: 'content_block_start', index, content_block })
    return index
  }

  #close(controller: TransformController<MessageEvent>): void {
    if (!this.#open) return
    controller.enqueue({ type: 'content_block_stop', index: this.#open.index })
    this.#open = undefined
  }
}

/**
 * {@link ChatChunksToMessages} as a `TransformStream`: chat chunks in, Anthropic events out.
 *
 * @example
 * ```ts
 * import { ChatChunksToMessagesStream } from '@sluice/anthropic'
 * import { ChatChunkStream } from '@sluice/openai'
 *
 * const events = response.body!.pipeThrough(new ChatChunkStream()).pipeThrough(new ChatChunksToMessagesStream())
 * ```
 */
export class ChatChunksToMessagesStream extends OrderedTransformStream<ChatCompletionChunk, MessageEvent> {
  constructor(
    writableStrategy?: QueuingStrategy<ChatCompletionChunk>,
    readableStrategy?: QueuingStrategy<MessageEvent>,
  ) {
    super(new ChatChunksToMessages(), writableStrategy, readableStrategy)
  }
}

/**
 * Anthropic events as server-sent event messages (`event:` = the event's `type`, `data:`
 * its JSON), for `@sluice/sse`'s `SSEEncoder`: {@link MessageEventEncoderStream} does both.
 *
 * @example
 * ```ts
 * import { sseMessageOf } from '@sluice/anthropic'
 *
 * sseMessageOf({ type: 'message_stop' }) // { type: 'message_stop', data: '{"type":"message_stop"}' }
 * ```
 */
export function sseMessageOf(event: MessageEvent): SSEMessage {
  return { type: event.type, data: JSON.stringify(event) }
}

/**
 * Anthropic events in, the text of a Messages API event stream out (`event:` and `data:`
 * lines, a blank line after each).
 *
 * @example
 * ```ts
 * import { ChatChunksToMessagesStream, MessageEventEncoderStream } from '@sluice/anthropic'
 * import { ChatChunkStream } from '@sluice/openai'
 *
 * const text = response.body!.pipeThrough(new ChatChunkStream()).pipeThrough(new ChatChunksToMessagesStream()).pipeThrough(new MessageEventEncoderStream())
 * ```
 */
export class MessageEventEncoderStream extends OrderedTransformStream<MessageEvent, string> {
  constructor(writableStrategy?: QueuingStrategy<MessageEvent>, readableStrategy?: QueuingStrategy<string>) {
    // SSEEncoder refuses a type that cannot be written safely (a CR or LF in it).
    const encoder = new SSEEncoder()
    super(
      { transform: (event, controller) => controller.enqueue(encoder.encode(sseMessageOf(event))) },
      writableStrategy,
      readableStrategy,
    )
  }
}
