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
import type { ContentPart, ModelResponse, OutputItem, ResponseEvent, ResponseQuirkCode as Code } from './types.ts'

/**
 * A response as a stream assembles it: the lifecycle events' response with the output
 * items its events built. Every snapshot is frozen and shares what did not change with the
 * one before.
 *
 * @example
 * ```ts
 * import type { ResponseSnapshot } from '@sluice/responses'
 *
 * const calls = (response: ResponseSnapshot) => response.output.filter((item) => item.type === 'function_call')
 * ```
 */
export type ResponseSnapshot = Readonly<ModelResponse> & { readonly output: readonly Readonly<OutputItem>[] }

/** The string field a delta event of each type appends to, on the item (`item`) or on a part (`content`, `summary`). */
const DELTAS: Record<string, { on: 'item' | 'content' | 'summary'; field: string; done: string }> = {
  'response.output_text': { on: 'content', field: 'text', done: 'text' },
  'response.refusal': { on: 'content', field: 'refusal', done: 'refusal' },
  'response.reasoning_text': { on: 'content', field: 'text', done: 'text' },
  'response.reasoning_summary_text': { on: 'summary', field: 'text', done: 'text' },
  'response.function_call_arguments': { on: 'item', field: 'arguments', done: 'arguments' },
  'response.mcp_call_arguments': { on: 'item', field: 'arguments', done: 'arguments' },
  'response.custom_tool_call_input': { on: 'item', field: 'input', done: 'input' },
  'response.code_interpreter_call_code': { on: 'item', field: 'code', done: 'code' },
}

/** The type of a part a delta creates when its `…part.added` never came. */
const PART_TYPES: Record<string, string> = {
  'response.output_text': 'output_text',
  'response.refusal': 'refusal',
  'response.reasoning_text': 'reasoning_text',
  'response.reasoning_summary_text': 'summary_text',
}

/** Item types whose `arguments` (JSON text) `parseArguments` parses. */
const ARGUMENT_ITEMS = new Set(['function_call', 'mcp_call'])

/**
 * Options of {@link ResponseAccumulator} and {@link ResponseAccumulatorStream}.
 *
 * @example Function call arguments as they stream
 * ```ts
 * import { ResponseAccumulatorStream, ResponseEventStream, type ResponseAccumulatorOptions } from '@sluice/responses'
 * import { partialJSON } from '@sluice/json'
 *
 * const options: ResponseAccumulatorOptions = { parseArguments: partialJSON }
 * const snapshots = response.body!.pipeThrough(new ResponseEventStream()).pipeThrough(new ResponseAccumulatorStream(options))
 * for await (const snapshot of snapshots)
 *   for (const item of snapshot.output) if (item.type === 'function_call') render(item.parsed_arguments)
 * ```
 */
export interface ResponseAccumulatorOptions {
  /**
   * Parses the `arguments` of each `function_call` and `mcp_call` item as they stream, into
   * the item's `parsed_arguments` (openai-node's name): after each delta the value so far
   * (frozen, sharing what did not change), at `….done` the whole value. Each text is read
   * once; arguments sent whole (in `.done` only, or in an item put in place) are read from
   * where the deltas left off, or anew when they differ. Arguments that are not JSON keep
   * the value read before the error, and are a quirk `arguments-not-json`. A
   * `custom_tool_call`'s `input` is free text: not parsed.
   */
  parseArguments?: PartialValueParserFactory
  /**
   * Parses the `text` of each `output_text` part the same way, into the part's `parsed`
   * (openai-node's name), for structured output (`text.format: json_schema`): the stream
   * does not say the text is JSON. A quirk `content-not-json` when it is not.
   */
  parseContent?: PartialValueParserFactory
}

/**
 * Assembles Responses {@link ResponseEvent}s into {@link ResponseSnapshot}s, one per event
 * that changes the response (not `keepalive`, not the hosted tools' progress events),
 * frozen and structurally shared: a renderer can compare items by identity.
 *
 * - The first event carrying the response (`response.created`, `…queued`, `…in_progress`)
 *   starts it; items are keyed by `output_index`, parts by `content_index` (reasoning
 *   summaries by `summary_index`).
 * - Deltas append (`output_text`, `refusal`, `reasoning_text`, `reasoning_summary_text`,
 *   `function_call_arguments`, `mcp_call_arguments`, `custom_tool_call_input`,
 *   `code_interpreter_call_code`); their `….done` sets the whole value (a backend that
 *   sends the arguments only in `.done` is read the same); annotations are set at
 *   `annotation_index`; `response.output_item.done` and `response.content_part.done` put
 *   the finished item or part in place.
 * - A terminal event (`response.completed`, `…incomplete`, `…failed`) sets the response's
 *   fields (status, usage, `incomplete_details`, `error`); its `output`, when not empty,
 *   is the final one (the API's own), else the assembled output stays.
 * - A resumed replay (no `response.created`) is assembled from the first lifecycle event
 *   it carries: events before it have no response to go into.
 * - With `parseArguments` and `parseContent`, function calls carry `parsed_arguments` and
 *   `output_text` parts `parsed` (see {@link ResponseAccumulatorOptions}).
 *
 * @example The final response of a stream
 * ```ts
 * import { ResponseAccumulatorStream, ResponseEventStream } from '@sluice/responses'
 *
 * let final
 * for await (const snapshot of response.body!.pipeThrough(new ResponseEventStream()).pipeThrough(new ResponseAccumulatorStream())) final = snapshot
 * ```
 */
export class ResponseAccumulator implements StreamTransformer<ResponseEvent, ResponseSnapshot>, RecordedStage {
  #response: ResponseSnapshot | undefined
  /** With `parseArguments`: the arguments of each call, by `output_index`. */
  readonly #arguments: ParsedTexts<number> | undefined
  /** With `parseContent`: each `output_text` part, by `output_index` and `content_index` (`'0.1'`). */
  readonly #texts: ParsedTexts<string> | undefined
  #record = new StreamRecord()
  #stage = 0

  constructor(options: ResponseAccumulatorOptions = {}) {
    const { parseArguments, parseContent } = options
    if (parseArguments)
      this.#arguments = new ParsedTexts(parseArguments, this, 'arguments-not-json' satisfies Code, 'output')
    if (parseContent)
      this.#texts = new ParsedTexts(parseContent, this, 'content-not-json' satisfies Code, 'output_text')
  }

  /** The last snapshot, or `undefined` before the first event carrying the response. */
  get response(): ResponseSnapshot | undefined {
    return this.#response
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

  transform(event: ResponseEvent, controller: TransformController<ResponseSnapshot>): void {
    let next = this.#apply(event as ResponseEvent & Record<string, unknown>)
    if (next === undefined || next === this.#response) return
    // A delta fed its parser as it was applied; other events put whole texts in place.
    if ((this.#arguments || this.#texts) && !event.type.endsWith('.delta')) next = this.#withValues(event, next)
    this.#response = next
    controller.enqueue(next)
  }

  #apply(event: ResponseEvent & Record<string, unknown>): ResponseSnapshot | undefined {
    const type = event.type
    const current = this.#response
    const carried = event.response as ModelResponse | undefined
    if (carried && typeof carried === 'object' && type.startsWith('response.')) {
      if (!current)
        return freezeResponse({ ...carried, output: (carried.output ?? []).map((item) => freeze({ ...item })) })
      const output =
        isTerminal(type) && Array.isArray(carried.output) && carried.output.length > 0
          ? carried.output.map((item) => freeze({ ...item }))
          : current.output
      return freezeResponse({ ...carried, output })
    }
    if (!current) return undefined
    const outputIndex = event.output_index as number
    switch (type) {
      case 'response.output_item.added':
      case 'response.output_item.done':
        return withItem(current, outputIndex, freeze({ ...(event.item as OutputItem) }))
      case 'response.content_part.added':
      case 'response.content_part.done':
        return this.#withPart(current, outputIndex, 'content', event.content_index as number, () => ({
          ...(event.part as ContentPart),
        }))
      case 'response.reasoning_summary_part.added':
      case 'response.reasoning_summary_part.done':
        return this.#withPart(current, outputIndex, 'summary', event.summary_index as number, () => ({
          ...(event.part as ContentPart),
        }))
      case 'response.output_text.annotation.added':
        return this.#withPart(current, outputIndex, 'content', event.content_index as number, (part) => {
          const annotations = [...((part?.annotations as unknown[] | undefined) ?? [])]
          annotations[event.annotation_index as number] = event.annotation
          return { ...(part ?? { type: 'output_text', text: '' }), annotations }
        })
    }
    const dot = type.lastIndexOf('.')
    const kind = type.slice(0, dot)
    const step = type.slice(dot + 1)
    const delta = DELTAS[kind]
    if (!delta || (step !== 'delta' && step !== 'done')) return current
    const value = step === 'delta' ? event.delta : event[delta.done]
    if (typeof value !== 'string') return current
    const append = step === 'delta'
    const set = (target: Record<string, unknown> | undefined) => {
      const before = target?.[delta.field]
      return append && typeof before === 'string' ? before + value : value
    }
    if (delta.on === 'item') {
      const item = current.output[outputIndex]
      if (!item) return current
      const next = { ...item, [delta.field]: set(item) }
      if (append && delta.field === 'arguments')
        this.#arguments?.carry(next, 'parsed_arguments', outputIndex, this.#arguments.append(outputIndex, value))
      return withItem(current, outputIndex, freeze(next))
    }
    const partIndex = (delta.on === 'content' ? event.content_index : event.summary_index) as number
    return this.#withPart(current, outputIndex, delta.on, partIndex, (part) => {
      const next = { ...(part ?? { type: PART_TYPES[kind]! }), [delta.field]: set(part) }
      const key = `${outputIndex}.${partIndex}`
      if (append && kind === 'response.output_text')
        this.#texts?.carry(next, 'parsed', key, this.#texts.append(key, value))
      return next
    })
  }

  /**
   * The response after an event that put whole values in place (an item or a part added or
   * done, a `….done`, a lifecycle event), with the values of the texts it touched: each
   * parser reads what it has not read, and a `….done` or the terminal event ends the text.
   */
  #withValues(event: ResponseEvent, response: ResponseSnapshot): ResponseSnapshot {
    const type = event.type
    const end = type.endsWith('.done') || isTerminal(type)
    if (!('response' in event)) {
      const outputIndex = (event as { output_index: number }).output_index
      const item = response.output[outputIndex]
      const next = item && this.#withParsed(item, outputIndex, end)
      return next === item ? response : withItem(response, outputIndex, next!)
    }
    const output = response.output.map((item, index) => this.#withParsed(item, index, end))
    return output.some((item, index) => item !== response.output[index])
      ? freezeResponse({ ...response, output })
      : response
  }

  /** The item with the values of its texts (`end`: they ended): the same item when none changed. */
  #withParsed(item: Readonly<OutputItem>, outputIndex: number, end: boolean): Readonly<OutputItem> {
    const next: OutputItem = { ...item }
    let changed = false
    if (ARGUMENT_ITEMS.has(item.type) && typeof item.arguments === 'string' && this.#arguments)
      changed = this.#arguments.carry(
        next,
        'parsed_arguments',
        outputIndex,
        this.#arguments.set(outputIndex, item.arguments, end),
      )
    const content = item.content as readonly Readonly<ContentPart>[] | undefined
    const texts = this.#texts
    if (Array.isArray(content) && texts) {
      const parts = content.map((part, index) => {
        if (part.type !== 'output_text' || typeof part.text !== 'string') return part
        const key = `${outputIndex}.${index}`
        const parsed = { ...part }
        return texts.carry(parsed, 'parsed', key, texts.set(key, part.text, end)) ? freeze(parsed) : part
      })
      if (parts.some((part, index) => part !== content[index])) {
        next.content = freeze(parts)
        changed = true
      }
    }
    return changed ? freeze(next) : item
  }

  /** The part at `index` of the item's `list` (`content` or `summary`) replaced by `make(part)`. */
  #withPart(
    response: ResponseSnapshot,
    outputIndex: number,
    list: 'content' | 'summary',
    index: number,
    make: (part: Readonly<ContentPart> | undefined) => ContentPart,
  ): ResponseSnapshot {
    const item = response.output[outputIndex]
    if (!item) return response
    const parts = [...((item[list] as readonly Readonly<ContentPart>[] | undefined) ?? [])]
    parts[index] = freeze(make(parts[index]))
    return withItem(response, outputIndex, freeze({ ...item, [list]: freeze(parts) }))
  }
}

/** Whether a lifecycle event ends the response. */
function isTerminal(type: string): boolean {
  return type === 'response.completed' || type === 'response.incomplete' || type === 'response.failed'
}

/** The response with the item at `index` replaced (or added), sharing the others. */
function withItem(response: ResponseSnapshot, index: number, item: Readonly<OutputItem>): ResponseSnapshot {
  const output = [...response.output]
  output[index] = item
  return freezeResponse({ ...response, output })
}

function freezeResponse(
  response: ModelResponse | (Omit<ResponseSnapshot, 'output'> & { output: readonly Readonly<OutputItem>[] }),
): ResponseSnapshot {
  Object.freeze(response.output)
  return Object.freeze(response) as ResponseSnapshot
}

function freeze<T extends object>(value: T): T {
  return Object.freeze(value)
}

/**
 * {@link ResponseAccumulator} as a `TransformStream`: typed events in, {@link ResponseSnapshot}s out.
 *
 * @example
 * ```ts
 * import { ResponseAccumulatorStream, ResponseEventStream } from '@sluice/responses'
 *
 * const snapshots = response.body!.pipeThrough(new ResponseEventStream()).pipeThrough(new ResponseAccumulatorStream())
 * ```
 */
export class ResponseAccumulatorStream extends RecordedTransformStream<
  ResponseEvent,
  ResponseSnapshot,
  StreamProgress,
  ResponseAccumulator
> {
  constructor(
    options?: ResponseAccumulatorOptions,
    writableStrategy?: QueuingStrategy<ResponseEvent>,
    readableStrategy?: QueuingStrategy<ResponseSnapshot>,
  ) {
    super(new ResponseAccumulator(options), writableStrategy, readableStrategy)
  }

  /** The last snapshot, or `undefined` before the first event carrying the response. */
  get response(): ResponseSnapshot | undefined {
    return this.stage.response
  }
}

/**
 * The final response of a stream of events (or bytes through {@link ResponseEventStream}):
 * resolves with the last snapshot, rejects with the stream's error.
 *
 * @example
 * ```ts
 * import { accumulateResponse, ResponseEventStream } from '@sluice/responses'
 *
 * const final = await accumulateResponse(response.body!.pipeThrough(new ResponseEventStream()))
 * ```
 * @param options See {@link ResponseAccumulatorOptions}.
 */
export async function accumulateResponse(
  events: ReadableStream<ResponseEvent>,
  options?: ResponseAccumulatorOptions,
): Promise<ResponseSnapshot | undefined> {
  let last: ResponseSnapshot | undefined
  const reader = events.pipeThrough(new ResponseAccumulatorStream(options)).getReader()
  for (;;) {
    const { done, value } = await reader.read()
    if (done) return last
    last = value
  }
}
