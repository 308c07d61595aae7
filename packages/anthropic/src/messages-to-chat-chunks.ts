import { OrderedTransformStream, type StreamTransformer, type TransformController } from '@sluice/compose'
import type { ChatCompletionChunk, CompletionUsage, FinishReason } from '@sluice/openai'
import type { ContentBlock, MessageEvent, MessageUsage, StopReason } from './types.ts'

/**
 * The chat `finish_reason` of each Anthropic `stop_reason` (see DESIGN.md's mapping table).
 * A reason not listed maps to itself.
 *
 * @example
 * ```ts
 * import { finishReasonOf } from '@sluice/anthropic'
 *
 * finishReasonOf('tool_use') // 'tool_calls'
 * ```
 */
export function finishReasonOf(reason: StopReason): FinishReason {
  switch (reason) {
    case 'end_turn':
    case 'stop_sequence':
    case 'pause_turn':
      return 'stop'
    case 'max_tokens':
    case 'model_context_window_exceeded':
      return 'length'
    case 'tool_use':
      return 'tool_calls'
    case 'refusal':
      return 'content_filter'
    default:
      return reason
  }
}

/**
 * Chat usage from Anthropic's running totals: the prompt counts cache reads and writes too;
 * `output_tokens_details.thinking_tokens` becomes `completion_tokens_details.reasoning_tokens`.
 *
 * @example
 * ```ts
 * import { chatUsageOf } from '@sluice/anthropic'
 *
 * chatUsageOf({ input_tokens: 10, cache_read_input_tokens: 90, output_tokens: 5 }).prompt_tokens // 100
 * ```
 */
export function chatUsageOf(usage: MessageUsage): CompletionUsage {
  const cached = usage.cache_read_input_tokens ?? 0
  const prompt = (usage.input_tokens ?? 0) + cached + (usage.cache_creation_input_tokens ?? 0)
  const completion = usage.output_tokens ?? 0
  const chat: CompletionUsage = {
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens: prompt + completion,
  }
  if (cached > 0) chat.prompt_tokens_details = { cached_tokens: cached }
  const thinking = (usage.output_tokens_details as { thinking_tokens?: unknown } | undefined)?.thinking_tokens
  if (typeof thinking === 'number') chat.completion_tokens_details = { reasoning_tokens: thinking }
  return chat
}

/**
 * Translates typed Anthropic {@link MessageEvent}s into sluice `ChatCompletionChunk`s (one
 * choice, index 0), so that `@sluice/accumulator`, the front door and the CLI read an
 * Anthropic stream as a chat stream:
 * - `message_start`: a chunk with `role: 'assistant'`, the message's `id` and `model`, and
 *   `created: 0` (Anthropic sends no creation time: none is invented);
 * - `text_delta`: `delta.content`; `thinking_delta`: `delta.reasoning_content`;
 * - a `tool_use` block: a tool call (its `index` counts tool uses from 0) with the block's
 *   `id` and `name`, then its `input_json_delta`s as `arguments` fragments (`'{}'` when the
 *   block stops without any);
 * - `message_delta`: `finish_reason` ({@link finishReasonOf}) and `usage` ({@link chatUsageOf});
 * - `message_stop`: the end of the output (`terminate()`, as `[DONE]` does).
 *
 * What has no chat field (signatures, citations, redacted thinking, server tool blocks) is
 * not translated: read it from the events or the `MessageAccumulator`.
 *
 * @example
 * ```ts
 * import { DeltaAccumulatorStream } from '@sluice/accumulator'
 * import { MessageEventStream, MessagesToChatChunksStream } from '@sluice/anthropic'
 *
 * const completions = response.body!.pipeThrough(new MessageEventStream()).pipeThrough(new MessagesToChatChunksStream()).pipeThrough(new DeltaAccumulatorStream())
 * ```
 */
export class MessagesToChatChunks implements StreamTransformer<MessageEvent, ChatCompletionChunk> {
  #id = ''
  #model = ''
  /** The tool call index of each tool_use block, by block index, and whether arguments came. */
  readonly #tools = new Map<number, { call: number; arguments: boolean }>()
  /** Tool uses so far: the next one's tool call index. */
  #toolCalls = 0

  transform(event: MessageEvent, controller: TransformController<ChatCompletionChunk>): void {
    switch (event.type) {
      case 'message_start': {
        const { id, model } = (event as { message: { id: string; model: string } }).message
        this.#id = id
        this.#model = model
        return controller.enqueue(this.#chunk({ role: 'assistant' }))
      }
      case 'content_block_start': {
        const { index, content_block: block } = event as { index: number; content_block: ContentBlock }
        if (block.type === 'text' && typeof block.text === 'string' && block.text !== '')
          return controller.enqueue(this.#chunk({ content: block.text }))
        if (block.type !== 'tool_use') return
        const call = this.#toolCalls++
        this.#tools.set(index, { call, arguments: false })
        return controller.enqueue(
          this.#chunk({
            tool_calls: [
              {
                index: call,
                id: String(block.id ?? ''),
                type: 'function',
                function: { name: String(block.name ?? ''), arguments: '' },
              },
            ],
          }),
        )
      }
      case 'content_block_delta': {
        const { index, delta } = event as { index: number; delta: Record<string, unknown> }
        if (delta.type === 'text_delta' && typeof delta.text === 'string')
          return controller.enqueue(this.#chunk({ content: delta.text }))
        if (delta.type === 'thinking_delta' && typeof delta.thinking === 'string' && delta.thinking !== '')
          return controller.enqueue(this.#chunk({ reasoning_content: delta.thinking }))
        const tool = this.#tools.get(index)
        if (
          tool &&
          delta.type === 'input_json_delta' &&
          typeof delta.partial_json === 'string' &&
          delta.partial_json !== ''
        ) {
          tool.arguments = true
          return controller.enqueue(
            this.#chunk({ tool_calls: [{ index: tool.call, function: { arguments: delta.partial_json } }] }),
          )
        }
        return
      }
      case 'content_block_stop':
        return this.#closeTool((event as { index: number }).index, controller)
      case 'message_delta': {
        for (const index of this.#tools.keys()) this.#closeTool(index, controller)
        const { delta, usage } = event as { delta?: { stop_reason?: StopReason | null }; usage?: MessageUsage }
        const reason = delta?.stop_reason
        const chunk = this.#chunk({}, typeof reason === 'string' ? finishReasonOf(reason) : null)
        if (usage) chunk.usage = chatUsageOf(usage)
        return controller.enqueue(chunk)
      }
      case 'message_stop':
        return controller.terminate()
      default:
    }
  }

  /** A tool block stopped: `'{}'` as its arguments if none came (an empty input is `{}`). */
  #closeTool(index: number, controller: TransformController<ChatCompletionChunk>): void {
    const tool = this.#tools.get(index)
    if (!tool) return
    this.#tools.delete(index)
    if (!tool.arguments)
      controller.enqueue(this.#chunk({ tool_calls: [{ index: tool.call, function: { arguments: '{}' } }] }))
  }

  #chunk(
    delta: ChatCompletionChunk['choices'][number]['delta'],
    finishReason: FinishReason | null = null,
  ): ChatCompletionChunk {
    return {
      id: this.#id,
      object: 'chat.completion.chunk',
      created: 0,
      model: this.#model,
      choices: [{ index: 0, delta, finish_reason: finishReason }],
    }
  }
}

/**
 * {@link MessagesToChatChunks} as a `TransformStream`: typed Anthropic events in, chat chunks out.
 *
 * @example
 * ```ts
 * import { MessageEventStream, MessagesToChatChunksStream } from '@sluice/anthropic'
 *
 * for await (const chunk of response.body!.pipeThrough(new MessageEventStream()).pipeThrough(new MessagesToChatChunksStream())) {
 *   process.stdout.write(chunk.choices[0]?.delta.content ?? '')
 * }
 * ```
 */
export class MessagesToChatChunksStream extends OrderedTransformStream<MessageEvent, ChatCompletionChunk> {
  constructor(
    writableStrategy?: QueuingStrategy<MessageEvent>,
    readableStrategy?: QueuingStrategy<ChatCompletionChunk>,
  ) {
    super(new MessagesToChatChunks(), writableStrategy, readableStrategy)
  }
}
