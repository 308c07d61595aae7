/**
 * A promise settled once, from outside: a stage's `outcome`. Later `settle` calls are
 * ignored, so whichever ending a stage meets first (terminate, flush, error, cancel) stands.
 *
 * @example The outcome of a stage of your own
 * ```ts
 * import { Latch } from '@sluice/compose'
 *
 * const outcome = new Latch<'complete' | 'cancelled'>()
 * outcome.settle('complete')
 * outcome.settle('cancelled') // ignored
 * console.log(await outcome.promise) // 'complete'
 * ```
 */
export class Latch<T> {
  /** Resolves with the first value settled. */
  declare readonly promise: Promise<T>
  #resolve!: (value: T) => void
  #settled = false

  constructor() {
    this.promise = new Promise((resolve) => {
      this.#resolve = resolve
    })
  }

  /** Whether `settle` was called. */
  get settled(): boolean {
    return this.#settled
  }

  /** Resolves the promise with `value`, unless it was settled already. */
  settle(value: T): void {
    if (this.#settled) return
    this.#settled = true
    this.#resolve(value)
  }
}
