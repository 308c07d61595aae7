import { readEach } from './reader-loops.ts'

/** The note of every "direct calls" row. */
export const DIRECT_CALLS_NOTE =
  'no stream at all: `transform(chunk, controller)` per chunk, then `flush`, with a plain ' +
  'object as the controller. The gap to the first row is the cost of the Web Streams machinery.'

/** What {@link transformDirectly} and {@link transformFromReader} call: a sluice `Transformer`. */
export interface ChunkTransformer<I, O> {
  transform(chunk: I, controller: TransformStreamDefaultController<O>): void
  flush(controller: TransformStreamDefaultController<O>): void
}

/**
 * No stream at all: `transformer.transform(chunk, controller)` for each chunk, then
 * `flush`, with a plain object as the controller that hands each output to `onOutput`.
 */
export function transformDirectly<I, O>(
  transformer: ChunkTransformer<I, O>,
  chunks: readonly I[],
  onOutput: (output: O) => void,
): void {
  const controller = plainController(onOutput)
  for (const chunk of chunks) transformer.transform(chunk, controller)
  transformer.flush(controller)
}

/**
 * The transformer in a reader loop: `source` read to the end with a reader, each chunk to
 * `transform` with a plain object as the controller, then `flush`. One stream, the source.
 */
export async function transformFromReader<I, O>(
  transformer: ChunkTransformer<I, O>,
  source: ReadableStream<I>,
  onOutput: (output: O) => void,
): Promise<void> {
  const controller = plainController(onOutput)
  await readEach(source, (chunk) => transformer.transform(chunk, controller))
  transformer.flush(controller)
}

/**
 * A stand-in for a stream controller. `terminate` does nothing: a transformer that ends
 * its output early (sluice's chunk decoder at `[DONE]`) discards what comes after.
 */
function plainController<O>(enqueue: (output: O) => void): TransformStreamDefaultController<O> {
  return { desiredSize: 1, enqueue, error() {}, terminate() {} }
}
