import { OrderedTransformStream, type StreamTransformer, type TransformController } from '@sluice/compose'
import type { ChatCompletionChunk, ChatCompletionDelta, CompletionUsage, FinishReason } from '@sluice/openai'
import type { ModelResponse, OutputItem, ResponseEvent, ResponseUsage } from './types.ts'

/**
 * The chat `finish_reason` of a finished response (see docs/responses.md's mapping table):
 * `completed` → `tool_calls` when its output has a function call, else `stop`; `incomplete`
 * → `length` for `max_output_tokens` (and when no reason is given), `content_filter` for
 * `content_filter`, another reason as itself.
 *
 * @example
 * ```ts
 * import { finishReasonOfResponse } from '@sluice/responses'
 *
 * finishReasonOfResponse({ status: 'incomplete', incomplete_details: { reason: 'max_output_tokens' }, output: [] }) // 'length'
 * ```
 */
export function finishReasonOfResponse(
  response: Pick<ModelResponse, 'status' | 'incomplete_details' | 'output'>,
  sawFunctionCall = false,
): FinishReason {
  if (response.status === 'incomplete') {
    const reason = response.incomplete_details?.reason
    if (reason === 'max_output_tokens') return 'length'
    return reason ?? 'length'
  }
  const calls = sawFunctionCall || (response.output ?? []).some((item) => item.type === 'function_call')
  return calls ? 'tool_calls' : 'stop'
}

/**
 * Chat usage from a response's usage: `input_tokens` → `prompt_tokens`, `output_tokens` →
 * `completion_tokens`, cached and reasoning tokens into their details.
 *
 * @example
 * ```ts
 * import { chatUsageOfResponse } from '@sluice/responses'
 *
 * chatUsageOfResponse({ input_tokens: 10, output_tokens: 5, total_tokens: 15 }).prompt_tokens // 10
 * ```
 */
export function chatUsageOfResponse(usage: ResponseUsage): CompletionUsage {
  const prompt = usage.input_tokens ?? 0
  const completion = usage.output_tokens ?? 0
  const chat: CompletionUsage = {
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens: usage.total_tokens ?? prompt + completion,
  }
  const cached = usage.input_tokens_details?.cached_tokens
  if (typeof cached === 'number') chat.prompt_tokens_details = { cached_tokens: cached }
  const reasoning = usage.output_tokens_details?.reasoning_tokens
  if (typeof reasoning === 'number') chat.completion_tokens_details = { reasoning_tokens: reasoning }
  return chat
}

/** A function call item being translated: its chat tool call index and whether arguments were sent. */
interface CallState {
  call: number
  sent: boolean
}

/**
 * Translates typed Responses {@link ResponseEvent}s into sluice `ChatCompletionChunk`s (one
 * choice, index 0), so that `@sluice/accumulator`, the front door and the CLI read a
 * Responses stream as a chat stream:
 * - the first event carrying the response: a chunk with `role: 'assistant'`, the response's
 *   `id`, `model` and `created_at` as `created`;
 * - `response.output_text.delta`: `delta.content`; `response.refusal.delta`: `delta.refusal`;
 *   `response.reasoning_text.delta` and `response.reasoning_summary_text.delta`:
 *   `delta.reasoning_content` (summary parts after the first begin with a blank line);
 *   a text, refusal or summary that comes only in its `….done` is sent there;
 * - a `function_call` item: a tool call (its `index` counts function calls from 0) with the
 *   item's `call_id` and `name`, then its arguments deltas (or, when none came, the
 *   arguments of `response.function_call_arguments.done` or of the done item);
 * - `response.completed` / `response.incomplete`: `finish_reason`
 *   ({@link finishReasonOfResponse}) and `usage` ({@link chatUsageOfResponse}), then the end of
 *   the output (`terminate()`, as `[DONE]` does).
 *
 * What has no chat field (annotations, encrypted reasoning, hosted tool calls, images) is not
 * translated: read it from the events or the `ResponseAccumulator`.
 *
 * @example
 * ```ts
 * import { DeltaAccumulatorStream } from '@sluice/accumulator'
 * import { ResponseEventStream, ResponsesToChatChunksStream } from '@sluice/responses'
 *
 * const completions = response.body!.pipeThrough(new ResponseEventStream()).pipeThrough(new ResponsesToChatChunksStream()).pipeThrough(new DeltaAccumulatorStream())
 * ```
 */
export class ResponsesToChatChunks implements StreamTransformer<ResponseEvent, ChatCompletionChunk> {
  #started = false
  #id = ''
  #model = ''
  #created = 0
  /** Function call items by output index. */
  readonly #calls = new Map<number, CallState>()
  #toolCalls = 0
  /** The parts (`output_index:content_index`, `output_index:summary:summary_index`) whose text came in deltas. */
  readonly #streamed = new Set<string>()

  transform(event: ResponseEvent, controller: TransformController<ChatCompletionChunk>): void {
    const value = event as ResponseEvent & Record<string, unknown>
    const response = value.response as ModelResponse | undefined
    if (!this.#started && response && typeof response === 'object') {
      this.#started = true
      this.#id = response.id
      this.#model = response.model ?? ''
      this.#created = response.created_at ?? 0
      controller.enqueue(this.#chunk({ role: 'assistant' }))
    }
    switch (value.type) {
      case 'response.output_text.delta':
      case 'response.refusal.delta':
      case 'response.reasoning_text.delta':
        this.#streamed.add(`${value.output_index}:${value.content_index}`)
        return this.#text(value.type, value.delta, controller)
      case 'response.reasoning_summary_text.delta':
        this.#streamed.add(`${value.output_index}:summary:${value.summary_index}`)
        return this.#text(value.type, value.delta, controller)
      case 'response.reasoning_summary_text.done':
        if (!this.#streamed.has(`${value.output_index}:summary:${value.summary_index}`))
          this.#text(value.type, value.text, controller)
        return
      case 'response.reasoning_summary_part.added':
        if ((value.summary_index as number) > 0) this.#text(value.type, '\n\n', controller)
        return
      case 'response.output_text.done':
      case 'response.refusal.done':
      case 'response.reasoning_text.done': {
        const text = value.type === 'response.refusal.done' ? value.refusal : value.text
        if (!this.#streamed.has(`${value.output_index}:${value.content_index}`))
          this.#text(value.type, text, controller)
        return
      }
      case 'response.output_item.added':
      case 'response.output_item.done':
        return this.#item(value.output_index as number, value.item as OutputItem, controller)
      case 'response.function_call_arguments.delta':
      case 'response.function_call_arguments.done': {
        const call = this.#calls.get(value.output_index as number)
        const fragment = value.type === 'response.function_call_arguments.delta' ? value.delta : value.arguments
        if (!call || typeof fragment !== 'string' || fragment === '') return
        if (value.type === 'response.function_call_arguments.done' && call.sent) return
        call.sent = true
        return controller.enqueue(
          this.#chunk({ tool_calls: [{ index: call.call, function: { arguments: fragment } }] }),
        )
      }
      case 'response.completed':
      case 'response.incomplete': {
        const finished = response as ModelResponse
        const chunk = this.#chunk({}, finishReasonOfResponse(finished, this.#toolCalls > 0))
        if (finished.usage) chunk.usage = chatUsageOfResponse(finished.usage)
        controller.enqueue(chunk)
        return controller.terminate()
      }
      default:
    }
  }

  /** A text delta of `type` as the chat delta's field. */
  #text(type: string, text: unknown, controller: TransformController<ChatCompletionChunk>): void {
    if (typeof text !== 'string' || text === '') return
    const delta: ChatCompletionDelta = type.startsWith('response.output_text')
      ? { content: text }
      : type.startsWith('response.refusal')
        ? { refusal: text }
        : { reasoning_content: text }
    controller.enqueue(this.#chunk(delta))
  }

  /** A function call item opens a tool call; when done, its arguments are sent if none were. */
  #item(outputIndex: number, item: OutputItem, controller: TransformController<ChatCompletionChunk>): void {
    if (item.type !== 'function_call') return
    let call = this.#calls.get(outputIndex)
    if (!call) {
      call = { call: this.#toolCalls++, sent: false }
      this.#calls.set(outputIndex, call)
      controller.enqueue(
        this.#chunk({
          tool_calls: [
            {
              index: call.call,
              id: String(item.call_id ?? item.id ?? ''),
              type: 'function',
              function: { name: String(item.name ?? ''), arguments: '' },
            },
          ],
        }),
      )
    }
    const args = item.arguments
    if (!call.sent && typeof args === 'string' && args !== '') {
      call.sent = true
      controller.enqueue(this.#chunk({ tool_calls: [{ index: call.call, function: { arguments: args } }] }))
    }
  }

  #chunk(delta: ChatCompletionDelta, finishReason: FinishReason | null = null): ChatCompletionChunk {
    return {
      id: this.#id,
      object: 'chat.completion.chunk',
      created: this.#created,
      model: this.#model,
      choices: [{ index: 0, delta, finish_reason: finishReason }],
    }
  }
}

/**
 * {@link ResponsesToChatChunks} as a `TransformStream`: typed Responses events in, chat chunks out.
 *
 * @example
 * ```ts
 * import { ResponseEventStream, ResponsesToChatChunksStream } from '@sluice/responses'
 *
 * for await (const chunk of response.body!.pipeThrough(new ResponseEventStream()).pipeThrough(new ResponsesToChatChunksStream())) {
 *   process.stdout.write(chunk.choices[0]?.delta.content ?? '')
 * }
 * ```
 */
export class ResponsesToChatChunksStream extends OrderedTransformStream<ResponseEvent, ChatCompletionChunk> {
  constructor(
    writableStrategy?: QueuingStrategy<ResponseEvent>,
    readableStrategy?: QueuingStrategy<ChatCompletionChunk>,
  ) {
    super(new ResponsesToChatChunks(), writableStrategy, readableStrategy)
  }
}
