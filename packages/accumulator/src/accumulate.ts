import type { ChatCompletionChunk } from '@sluice/openai'
import { DeltaAccumulator, type DeltaAccumulatorOptions } from './delta-accumulator.ts'
import { AccumulationError, EmptyStreamError } from './errors.ts'
import type { ChatCompletion } from './types.ts'

/**
 * What {@link accumulate} reads: chunks from an array, a generator, an async generator or a stream.
 *
 * @example Chunks from an array (a recording, a test)
 * ```ts
 * import { accumulate, type ChunkSource } from '@sluice/accumulator'
 *
 * const base = { id: 'chatcmpl-1', object: 'chat.completion.chunk', created: 1764000000, model: 'gpt-4o-mini' } as const
 * const source: ChunkSource = [
 *   { ...base, choices: [{ index: 0, delta: { role: 'assistant', content: 'Hi' }, finish_reason: null }] },
 *   { ...base, choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] },
 * ]
 * const completion = await accumulate(source) // choices[0].message.content: 'Hi'
 * ```
 */
export type ChunkSource =
  | Iterable<ChatCompletionChunk>
  | AsyncIterable<ChatCompletionChunk>
  | ReadableStream<ChatCompletionChunk>

/**
 * Reads every chunk of `source` and resolves the final completion.
 *
 * When the source fails, the promise rejects with the original error, with the last
 * snapshot (or `null`) attached as `error.partial`, so a UI keeps what it already showed.
 * (A failure that cannot carry a property — a string, a frozen object — is wrapped in an
 * `AccumulationError` with the original as `cause`.) A source without a single chunk
 * rejects with `EmptyStreamError`.
 *
 * @example The whole answer, tool calls included
 * ```ts
 * import { accumulate, parseToolArguments } from '@sluice/accumulator'
 * import { ChatChunkStream } from '@sluice/openai'
 *
 * // A Map: an invented name ("constructor") finds nothing, unlike an object's inherited properties.
 * const tools = new Map<string, (args: unknown) => Promise<unknown>>([['get_weather', async (args) => ({ args, celsius: 21 })]])
 * const completion = await accumulate(response.body!.pipeThrough(new ChatChunkStream()))
 * for (const call of completion.choices[0]?.message.tool_calls ?? []) {
 *   await tools.get(call.function.name)?.(parseToolArguments(call))
 * }
 * ```
 */
export async function accumulate(source: ChunkSource, options?: DeltaAccumulatorOptions): Promise<ChatCompletion> {
  const accumulator = new DeltaAccumulator(options)
  try {
    if (isReadableStream(source)) {
      // A reader, not for-await: not every browser makes ReadableStream async-iterable.
      const reader = source.getReader()
      try {
        for (;;) {
          const { done, value } = await reader.read()
          if (done) break
          accumulator.add(value)
        }
      } catch (error) {
        await reader.cancel(error).catch(() => {})
        throw error
      }
    } else {
      // for-of / for-await close the source (`return()`) when the loop body throws.
      for await (const chunk of source) accumulator.add(chunk)
    }
    // The end: parsed texts of choices without a finish_reason end here (see `parseArguments`).
    accumulator.flush()
  } catch (error) {
    throw attachPartial(error, accumulator.snapshot)
  }
  const completion = accumulator.snapshot
  if (!completion) throw new EmptyStreamError()
  return completion
}

function isReadableStream(source: ChunkSource): source is ReadableStream<ChatCompletionChunk> {
  return typeof (source as ReadableStream).getReader === 'function'
}

/**
 * `error` with the last snapshot attached as `error.partial`; an error that cannot carry it
 * (not an object, or frozen) is wrapped: in what `wrap` returns, else in
 * {@link AccumulationError}. What `accumulate()` and `@sluice/chat`'s `completion()` reject with.
 *
 * @example Keep what arrived when a reading fails
 * ```ts
 * import { attachPartial, DeltaAccumulator } from '@sluice/accumulator'
 * import type { ChatCompletionChunk } from '@sluice/openai'
 *
 * declare const chunks: AsyncIterable<ChatCompletionChunk>
 * const accumulator = new DeltaAccumulator()
 * try {
 *   for await (const chunk of chunks) accumulator.add(chunk)
 * } catch (error) {
 *   throw attachPartial(error, accumulator.snapshot) // error.partial: the completion so far
 * }
 * ```
 */
export function attachPartial(
  error: unknown,
  partial: ChatCompletion | null,
  wrap: (error: unknown, partial: ChatCompletion | null) => Error = (cause) =>
    new AccumulationError(partial, { cause }),
): unknown {
  if (typeof error === 'object' && error !== null && Object.isExtensible(error)) {
    Object.defineProperty(error, 'partial', { value: partial, enumerable: false, configurable: true, writable: true })
    return error
  }
  return wrap(error, partial)
}
