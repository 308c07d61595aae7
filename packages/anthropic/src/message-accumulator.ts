import {
  type RecordedStage,
  RecordedTransformStream,
  StreamRecord,
  type StreamProgress,
  type StreamTransformer,
  type TransformController,
} from '@sluice/compose'
import type { ContentBlock, MessageEvent, MessageStartMessage, MessageUsage } from './types.ts'

/**
 * The message a stream assembles: `message_start`'s message with the blocks its events
 * built, the stop reason and the usage of `message_delta`. Every snapshot is frozen and
 * shares what did not change with the one before.
 *
 * @example
 * ```ts
 * import type { Message } from '@sluice/anthropic'
 *
 * const text = (message: Message) => message.content.map((block) => (block.type === 'text' ? block.text : '')).join('')
 * ```
 */
export type Message = Readonly<MessageStartMessage> & { readonly content: readonly Readonly<ContentBlock>[] }

/** Block types whose `input_json_delta`s build `input` (the SDK's two, and MCP's). */
const TOOL_INPUT_BLOCKS = new Set(['tool_use', 'server_tool_use', 'mcp_tool_use'])

/**
 * Assembles Anthropic {@link MessageEvent}s into {@link Message} snapshots, one per event
 * that changes the message (not `ping`, not unknown event types), frozen and structurally
 * shared: a renderer can compare blocks by identity.
 *
 * - Blocks are keyed by `index`. `text_delta`, `thinking_delta` append; `signature_delta`
 *   sets the signature; `citations_delta` appends to `citations`.
 * - `input_json_delta`s are joined and parsed into `input` when the block stops (or when
 *   `message_delta` closes it): an empty buffer keeps the block's `input` (`{}`); JSON that
 *   does not parse (`max_tokens` in the middle of fine-grained tool streaming) keeps `input`
 *   and the text received in `partial_json`, so nothing is lost.
 * - A delta type this version does not know appends each of its string fields to the
 *   block's field of the same name, or sets it where the block has none (`compaction_delta`
 *   fills a `compaction` block's `content`).
 * - `message_delta` sets `stop_reason`, `stop_sequence` and its other fields (`stop_details`,
 *   `container`, …) and overwrites the usage fields it carries: they are running totals.
 *
 * @example The final message of a stream
 * ```ts
 * import { MessageAccumulatorStream, MessageEventStream } from '@sluice/anthropic'
 *
 * let message
 * for await (const snapshot of response.body!.pipeThrough(new MessageEventStream()).pipeThrough(new MessageAccumulatorStream())) message = snapshot
 * ```
 */
export class MessageAccumulator implements StreamTransformer<MessageEvent, Message>, RecordedStage {
  #message: Message | undefined
  /** The `partial_json` of each tool block, by index, until it stops. */
  readonly #json = new Map<number, string>()
  #record = new StreamRecord()
  #stage = 0

  /** The last snapshot, or `undefined` before `message_start`. */
  get message(): Message | undefined {
    return this.#message
  }

  /** The record of the stream (see `StreamRecord`). */
  get record(): StreamRecord {
    return this.#record
  }

  /** Writes to `record` from now on (see `RecordedStage`). */
  useRecord(record: StreamRecord): void {
    this.#stage = record.join(this)
    this.#record = record
  }

  /** What the stages up to this one saw so far. */
  get progress(): StreamProgress {
    return this.#record.progressUpTo(this.#stage)
  }

  transform(event: MessageEvent, controller: TransformController<Message>): void {
    const next = this.#apply(event)
    if (next === undefined || next === this.#message) return
    this.#message = next
    controller.enqueue(next)
  }

  #apply(event: MessageEvent): Message | undefined {
    if (event.type === 'message_start')
      return freeze({ ...(event as { message: MessageStartMessage }).message, content: [] })
    const message = this.#message
    if (!message) return undefined
    switch (event.type) {
      case 'content_block_start': {
        const { index, content_block: block } = event as { index: number; content_block: ContentBlock }
        return this.#withBlock(message, index, { ...block })
      }
      case 'content_block_delta': {
        const { index, delta } = event as { index: number; delta: Record<string, unknown> & { type: string } }
        const block = message.content[index]
        if (!block) return message
        if (delta.type === 'input_json_delta' && typeof delta.partial_json === 'string') {
          this.#json.set(index, (this.#json.get(index) ?? '') + delta.partial_json)
          return message
        }
        return this.#withBlock(message, index, applyDelta(block, delta))
      }
      case 'content_block_stop':
        return this.#closeInput(message, (event as { index: number }).index)
      case 'message_delta': {
        let closed = message
        for (const index of [...this.#json.keys()]) closed = this.#closeInput(closed, index)
        const { delta, usage } = event as { delta?: Record<string, unknown>; usage?: MessageUsage }
        const next: Record<string, unknown> = { ...closed, ...delta }
        if (usage) {
          const merged: Record<string, unknown> = { ...closed.usage }
          for (const [field, value] of Object.entries(usage))
            if (value !== null && value !== undefined) merged[field] = value
          next.usage = freeze(merged)
        }
        return freeze(next) as Message
      }
      default:
        return message
    }
  }

  /** The block at `index` replaced (or added): a new message sharing the other blocks. */
  #withBlock(message: Message, index: number, block: ContentBlock): Message {
    const content = [...message.content]
    content[index] = freeze(block)
    return freeze({ ...message, content }) as Message
  }

  /** Parses the `partial_json` of the tool block at `index` into its `input`. */
  #closeInput(message: Message, index: number): Message {
    const json = this.#json.get(index)
    this.#json.delete(index)
    const block = message.content[index]
    if (json === undefined || !block || !TOOL_INPUT_BLOCKS.has(block.type) || json.trim() === '') return message
    try {
      return this.#withBlock(message, index, { ...block, input: JSON.parse(json) })
    } catch {
      return this.#withBlock(message, index, { ...block, partial_json: json })
    }
  }
}

/** A delta applied to a block: the known types as the API defines them, others field by field. */
function applyDelta(block: Readonly<ContentBlock>, delta: Record<string, unknown> & { type: string }): ContentBlock {
  switch (delta.type) {
    case 'text_delta':
      return { ...block, text: `${(block.text as string | undefined) ?? ''}${String(delta.text ?? '')}` }
    case 'thinking_delta':
      return { ...block, thinking: `${(block.thinking as string | undefined) ?? ''}${String(delta.thinking ?? '')}` }
    case 'signature_delta':
      return { ...block, signature: delta.signature }
    case 'citations_delta':
      return { ...block, citations: [...((block.citations as unknown[] | undefined) ?? []), delta.citation] }
    default: {
      const next: ContentBlock = { ...block }
      for (const [field, value] of Object.entries(delta)) {
        if (field === 'type') continue
        const current = next[field]
        next[field] = typeof value === 'string' && typeof current === 'string' ? current + value : value
      }
      return next
    }
  }
}

function freeze<T extends object>(value: T): T {
  return Object.freeze(value)
}

/**
 * {@link MessageAccumulator} as a `TransformStream`: typed events in, {@link Message} snapshots out.
 *
 * @example
 * ```ts
 * import { MessageAccumulatorStream, MessageEventStream } from '@sluice/anthropic'
 *
 * const snapshots = response.body!.pipeThrough(new MessageEventStream()).pipeThrough(new MessageAccumulatorStream())
 * ```
 */
export class MessageAccumulatorStream extends RecordedTransformStream<
  MessageEvent,
  Message,
  StreamProgress,
  MessageAccumulator
> {
  constructor(writableStrategy?: QueuingStrategy<MessageEvent>, readableStrategy?: QueuingStrategy<Message>) {
    super(new MessageAccumulator(), writableStrategy, readableStrategy)
  }

  /** The last snapshot, or `undefined` before `message_start`. */
  get message(): Message | undefined {
    return this.stage.message
  }
}

/**
 * The final message of a stream of events (or bytes through {@link MessageEventStream}):
 * resolves with the last snapshot, rejects with the stream's error.
 *
 * @example
 * ```ts
 * import { accumulateMessage, MessageEventStream } from '@sluice/anthropic'
 *
 * const message = await accumulateMessage(response.body!.pipeThrough(new MessageEventStream()))
 * ```
 */
export async function accumulateMessage(events: ReadableStream<MessageEvent>): Promise<Message | undefined> {
  let last: Message | undefined
  const reader = events.pipeThrough(new MessageAccumulatorStream()).getReader()
  for (;;) {
    const { done, value } = await reader.read()
    if (done) return last
    last = value
  }
}
