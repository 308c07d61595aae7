/**
 * The base class of every error sluice throws: `instanceof SluiceError` tells them from
 * the errors of the runtime (a network failure, an abort). Each one has a stable `code`
 * (`SLUICE_…`, listed per package in its `…ErrorCode` type), sets `name`, keeps the facts
 * as fields, and passes `{ cause }` when it wraps another error.
 *
 * @example Tell sluice's errors from the others
 * ```ts
 * import { SluiceError } from '@sluice/compose'
 * import { ChatChunkStream } from '@sluice/openai'
 *
 * try {
 *   for await (const chunk of response.body!.pipeThrough(new ChatChunkStream())) render(chunk)
 * } catch (error) {
 *   if (error instanceof SluiceError) console.error(error.code, error.message)
 *   else throw error
 * }
 * ```
 */
export abstract class SluiceError extends Error {
  /** Stable machine-readable identifier of the error kind: `SLUICE_…`. */
  abstract readonly code: string
}

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
export class AsyncStageError extends SluiceError {
  readonly code = 'SLUICE_ASYNC_STAGE'
  /** 0-based position of the stage in the composition. */
  declare readonly stage: number
  /** The method that returned a promise. */
  declare readonly method: 'start' | 'transform' | 'flush'

  constructor(stage: number, method: 'start' | 'transform' | 'flush') {
    super(
      `stage ${stage}'s ${method}() returned a promise: composed stages must be synchronous (use a TransformStream of its own for an asynchronous step)`,
    )
    this.stage = stage
    this.method = method
    this.name = 'AsyncStageError'
  }
}

/**
 * The codes of `@sluice/compose`'s errors (each a `SluiceError`).
 *
 * @example
 * ```ts
 * import type { ComposeErrorCode } from '@sluice/compose'
 *
 * const code: ComposeErrorCode = 'SLUICE_ASYNC_STAGE'
 * ```
 */
export type ComposeErrorCode = AsyncStageError['code']

/** Throws {@link AsyncStageError} when a stage's method returned a promise: composed and iterated stages are synchronous. */
export function expectSync(result: unknown, position: number, method: 'start' | 'transform' | 'flush'): void {
  if (result !== undefined && typeof (result as PromiseLike<unknown> | null)?.then === 'function') {
    throw new AsyncStageError(position, method)
  }
}
