/** Thrown when a composed or iterated stage returns a promise: stages must be synchronous. */
export class AsyncStageError extends Error {
  readonly code = 'SLUICE_ASYNC_STAGE'
  /** 0-based position of the stage in the composition. */
  readonly stage: number
  readonly method: 'start' | 'transform' | 'flush'

  constructor(stage: number, method: 'start' | 'transform' | 'flush') {
    super(`stage ${stage}'s ${method}() returned a promise: composed stages must be synchronous (use a TransformStream of its own for an asynchronous step)`)
    this.name = 'AsyncStageError'
    this.stage = stage
    this.method = method
  }
}
