import {
  type RecordedStage,
  RecordedTransformStream,
  StreamRecord,
  type StreamProgress,
  type StreamTransformer,
  type TransformController,
} from '@sluice/compose'
import type { ContentPart, ModelResponse, OutputItem, ResponseEvent } from './types.ts'

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
  #record = new StreamRecord()
  #stage = 0

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
    const next = this.#apply(event as ResponseEvent & Record<string, unknown>)
    if (next === undefined || next === this.#response) return
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
      const final = type === 'response.completed' || type === 'response.incomplete' || type === 'response.failed'
      const output =
        final && Array.isArray(carried.output) && carried.output.length > 0
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
      return withItem(current, outputIndex, freeze({ ...item, [delta.field]: set(item) }))
    }
    const partIndex = (delta.on === 'content' ? event.content_index : event.summary_index) as number
    return this.#withPart(current, outputIndex, delta.on, partIndex, (part) => ({
      ...(part ?? { type: PART_TYPES[kind]! }),
      [delta.field]: set(part),
    }))
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

/** The response with the item at `index` replaced (or added), sharing the others. */
function withItem(response: ResponseSnapshot, index: number, item: Readonly<OutputItem>): ResponseSnapshot {
  const output = [...response.output]
  output[index] = item
  return freezeResponse({ ...response, output })
}

function freezeResponse(
  response: ModelResponse | (Omit<ResponseSnapshot, 'output'> & { output: Readonly<OutputItem>[] }),
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
  constructor(writableStrategy?: QueuingStrategy<ResponseEvent>, readableStrategy?: QueuingStrategy<ResponseSnapshot>) {
    super(new ResponseAccumulator(), writableStrategy, readableStrategy)
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
 */
export async function accumulateResponse(events: ReadableStream<ResponseEvent>): Promise<ResponseSnapshot | undefined> {
  let last: ResponseSnapshot | undefined
  const reader = events.pipeThrough(new ResponseAccumulatorStream()).getReader()
  for (;;) {
    const { done, value } = await reader.read()
    if (done) return last
    last = value
  }
}
