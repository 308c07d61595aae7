import {
  type PartialValueParserFactory,
  type RecordedStage,
  RecordedTransformStream,
  StreamRecord,
  type StreamProgress,
  type StreamTransformer,
  type TransformController,
} from '@sluice/compose'
import { ParsedTexts } from '@sluice/formats'
import type {
  ContentBlock,
  MessageEvent,
  MessageQuirkCode as Code,
  MessageStartMessage,
  MessageUsage,
} from './types.ts'

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
 * Options of {@link MessageAccumulator} and {@link MessageAccumulatorStream}.
 *
 * @example Tool input as it streams
 * ```ts
 * import { MessageAccumulatorStream, MessageEventStream, type MessageAccumulatorOptions } from '@sluice/anthropic'
 * import { partialJSON } from '@sluice/json'
 *
 * const options: MessageAccumulatorOptions = { parseArguments: partialJSON }
 * const snapshots = response.body!.pipeThrough(new MessageEventStream()).pipeThrough(new MessageAccumulatorStream(options))
 * for await (const message of snapshots)
 *   for (const block of message.content) if (block.type === 'tool_use') render(block.input)
 * ```
 */
export interface MessageAccumulatorOptions {
  /**
   * Parses the `input` of each tool block (`tool_use`, `server_tool_use`, `mcp_tool_use`)
   * as its `input_json_delta`s stream, as the anthropic SDK's `MessageStream` shows it: after
   * each delta `input` is the value so far (frozen, sharing what did not change), at the
   * block's stop the whole value. Each text is read once (`partialJSON` of `@sluice/json`
   * is such a parser). Input that is not JSON keeps the value read before the error in
   * `input`, its text in `partial_json`, and is a quirk `arguments-not-json`. Without it,
   * `input` is parsed once at the block's stop.
   */
  parseArguments?: PartialValueParserFactory
  /**
   * Parses each text block's `text` as it streams, into the block's `parsed_output` (the
   * anthropic SDK's name for a text block's structured output), for structured output
   * (`output_config.format`): the stream does not say the text is JSON. Text that is not
   * JSON keeps the value read before the error, and is a quirk `content-not-json`.
   */
  parseContent?: PartialValueParserFactory
}

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
 *   and the text received in `partial_json`, so nothing is lost. With `parseArguments`,
 *   `input` grows with each delta (see {@link MessageAccumulatorOptions}); with
 *   `parseContent`, text blocks carry `parsed_output`.
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
  /** With `parseArguments`: each tool block's input, by index. */
  readonly #inputs: ParsedTexts<number> | undefined
  /** With `parseContent`: each text block's text, by index. */
  readonly #texts: ParsedTexts<number> | undefined
  #record = new StreamRecord()
  #stage = 0

  constructor(options: MessageAccumulatorOptions = {}) {
    const { parseArguments, parseContent } = options
    if (parseArguments)
      this.#inputs = new ParsedTexts(parseArguments, this, 'arguments-not-json' satisfies Code, 'block')
    if (parseContent) this.#texts = new ParsedTexts(parseContent, this, 'content-not-json' satisfies Code, 'block')
  }

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
        this.#inputs?.delete(index)
        this.#texts?.delete(index)
        return this.#withBlock(message, index, { ...block })
      }
      case 'content_block_delta': {
        const { index, delta } = event as { index: number; delta: Record<string, unknown> & { type: string } }
        const block = message.content[index]
        if (!block) return message
        if (delta.type === 'input_json_delta' && typeof delta.partial_json === 'string') {
          this.#json.set(index, (this.#json.get(index) ?? '') + delta.partial_json)
          if (!this.#inputs || !TOOL_INPUT_BLOCKS.has(block.type)) return message
          const input = this.#inputs.append(index, delta.partial_json)
          return input === undefined || input === block.input
            ? message
            : this.#withBlock(message, index, { ...block, input })
        }
        const next = applyDelta(block, delta)
        if (this.#texts && delta.type === 'text_delta')
          this.#texts.carry(next, 'parsed_output', index, this.#texts.append(index, String(delta.text ?? '')))
        return this.#withBlock(message, index, next)
      }
      case 'content_block_stop':
        return this.#close(message, (event as { index: number }).index)
      case 'message_delta': {
        let closed = message
        for (const index of this.#openBlocks()) closed = this.#close(closed, index)
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

  /** The blocks whose text has not ended: tool blocks with `partial_json`, text blocks being parsed. */
  #openBlocks(): number[] {
    return [...this.#json.keys(), ...(this.#texts?.open() ?? [])]
  }

  /** The block at `index` stopped: the `partial_json` of a tool block parsed into its `input`, a parsed text ended. */
  #close(message: Message, index: number): Message {
    const json = this.#json.get(index)
    this.#json.delete(index)
    const block = message.content[index]
    if (!block) return message
    if (this.#texts?.get(index)) {
      const next = { ...block }
      return this.#texts.carry(next, 'parsed_output', index, this.#texts.end(index))
        ? this.#withBlock(message, index, next)
        : message
    }
    if (json === undefined || !TOOL_INPUT_BLOCKS.has(block.type) || json.trim() === '') {
      this.#inputs?.delete(index) // an empty buffer is the block's input ({}), as without parsing
      return message
    }
    if (this.#inputs) {
      const input = this.#inputs.end(index)
      if (!this.#inputs.get(index)?.error)
        return input === block.input ? message : this.#withBlock(message, index, { ...block, input })
      return this.#withBlock(message, index, {
        ...block,
        input: input === undefined ? block.input : input,
        partial_json: json,
      })
    }
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
  constructor(
    options?: MessageAccumulatorOptions,
    writableStrategy?: QueuingStrategy<MessageEvent>,
    readableStrategy?: QueuingStrategy<Message>,
  ) {
    super(new MessageAccumulator(options), writableStrategy, readableStrategy)
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
 * @param options See {@link MessageAccumulatorOptions}.
 */
export async function accumulateMessage(
  events: ReadableStream<MessageEvent>,
  options?: MessageAccumulatorOptions,
): Promise<Message | undefined> {
  let last: Message | undefined
  const reader = events.pipeThrough(new MessageAccumulatorStream(options)).getReader()
  for (;;) {
    const { done, value } = await reader.read()
    if (done) return last
    last = value
  }
}
