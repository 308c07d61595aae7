import { IncrementalJSONParser } from './incremental-json-parser.ts'

/**
 * A tolerant {@link IncrementalJSONParser} with snapshots: what the accumulators'
 * `parseArguments` and `parseContent` options take, to carry the arguments of each tool call
 * (and structured output) parsed as they stream — without parsing the text again on each
 * delta. Text that turns out not to be JSON keeps the value read before it, and the parser's
 * `error` says why.
 *
 * @example Tool arguments as they stream
 * ```ts
 * import { DeltaAccumulatorStream } from '@sluice/accumulator'
 * import { partialJSON } from '@sluice/json'
 * import { ChatChunkStream } from '@sluice/openai'
 *
 * const snapshots = response.body!
 *   .pipeThrough(new ChatChunkStream())
 *   .pipeThrough(new DeltaAccumulatorStream({ parseArguments: partialJSON }))
 * for await (const snapshot of snapshots)
 *   for (const call of snapshot.choices[0]?.message.tool_calls ?? []) render(call.function.parsed_arguments)
 * ```
 */
export function partialJSON(): IncrementalJSONParser {
  return new IncrementalJSONParser({ snapshots: true, tolerant: true })
}
