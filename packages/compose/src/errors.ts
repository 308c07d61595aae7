/**
 * Thrown when a composed or iterated stage returns a promise: stages must be synchronous.
 *
 * @example An asynchronous stage
 * ```ts
 * import { AsyncStageError, iterate } from '@sluice/compose'
 *
 * const upperCase: Transformer<string, string> = {
 *   async transform(text, controller) {
 *     controller.enqueue(text.toUpperCase())
 *   },
 * }
 * try {
 *   for await (const text of iterate(new Response('hi').body!.pipeThrough(new TextDecoderStream()), upperCase)) console.log(text)
 * } catch (error) {
 *   if (!(error instanceof AsyncStageError)) throw error
 *   console.error(error.stage, error.method) // 0 'transform': give it a TransformStream of its own
 * }
 * ```
 */
export class AsyncStageError extends Error {
  readonly code = 'SLUICE_ASYNC_STAGE'
  /** 0-based position of the stage in the composition. */
  readonly stage: number
  /** The method that returned a promise. */
  readonly method: 'start' | 'transform' | 'flush'

  constructor(stage: number, method: 'start' | 'transform' | 'flush') {
    super(
      `stage ${stage}'s ${method}() returned a promise: composed stages must be synchronous (use a TransformStream of its own for an asynchronous step)`,
    )
    this.name = 'AsyncStageError'
    this.stage = stage
    this.method = method
  }
}
