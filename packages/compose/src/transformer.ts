/**
 * What a transformer gets to hand on its output: the part of the Streams
 * `TransformStreamDefaultController` that sluice's transformers use. Declared here so that
 * sluice's types need no DOM library (a Node-only app type-checks them with `@types/node`);
 * every engine's controller, and web-streams-polyfill's, fits it.
 *
 * @example A transformer of your own
 * ```ts
 * import type { TransformController } from '@sluice/compose'
 *
 * const upperCase = {
 *   transform(text: string, controller: TransformController<string>) {
 *     controller.enqueue(text.toUpperCase())
 *   },
 * }
 * ```
 */
export interface TransformController<O> {
  /** How many more items the readable side wants before it is full (`null` once cancelled). */
  readonly desiredSize: number | null
  /** Hands `chunk` on to the readable side. */
  enqueue(chunk?: O): void
  /** Errors both sides with `reason`. */
  error(reason?: unknown): void
  /** Closes the readable side; what is written later is not transformed. */
  terminate(): void
}

/**
 * A Streams `Transformer` as sluice declares it (see {@link TransformController}): what
 * `new TransformStream(transformer)`, `OrderedTransformStream`, `compose()` and `iterate()`
 * take.
 *
 * @example
 * ```ts
 * import type { StreamTransformer } from '@sluice/compose'
 *
 * const trim: StreamTransformer<string, string> = { transform: (line, controller) => controller.enqueue(line.trim()) }
 * ```
 */
export interface StreamTransformer<I, O> {
  /** Called once, before any input. */
  start?(controller: TransformController<O>): void | PromiseLike<void>
  /** Called with each input item. */
  transform?(chunk: I, controller: TransformController<O>): void | PromiseLike<void>
  /** Called at the end of the input. */
  flush?(controller: TransformController<O>): void | PromiseLike<void>
  /** Called when the stream is cancelled or its input fails (the newer Streams spec's hook). */
  cancel?(reason: unknown): void | PromiseLike<void>
}
