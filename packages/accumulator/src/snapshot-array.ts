/**
 * Entries up to which the arrays of a snapshot (`choices`, a message's `tool_calls`) are
 * copied whole into every snapshot that changes them, as plain properties: up to 128
 * (OpenAI's largest `n`) the copy costs less than a getter, which V8 makes about as dear
 * as copying a few hundred entries.
 */
export const PLAIN_ARRAY_LENGTH = 128

/**
 * An array of the snapshots whose entries change a few at a time (`choices`, a message's
 * `tool_calls`), frozen, one version per snapshot. Up to {@link PLAIN_ARRAY_LENGTH} entries
 * each version is a copy. Past that, copying the whole array into every snapshot would make
 * each chunk cost the length of the array (20,000 choices took 7 s): a version is then the
 * last checkpoint plus the changes since it, copied on first read, and a new checkpoint is
 * taken once the changes are as many as its entries. Each change is copied O(1) times
 * amortized, and a version never read is never copied.
 */
export class SnapshotArray<T> {
  /** The entries at the last checkpoint, by position (the order in which they came). */
  #checkpoint: readonly T[] = NO_ENTRIES
  /** The changes since: entry `#positions[i]` became `#values[i]`. A version reads a prefix of them. */
  #positions: number[] = []
  #values: T[] = []
  #current: readonly T[] | (() => readonly T[]) | undefined
  /** The order of the copies, when it can differ from the order in which entries came (choices by index). */
  readonly #order: ((a: T, b: T) => number) | undefined

  constructor(order?: (a: T, b: T) => number) {
    this.#order = order
  }

  /** Entry `position` is `value` now; a new entry comes at the next position. */
  set(position: number, value: T): void {
    this.#positions.push(position)
    this.#values.push(value)
    this.#current = undefined
  }

  /** The array as it is now, of `length` entries: the array, or past {@link PLAIN_ARRAY_LENGTH} a function that copies it on first call. */
  current(length: number): readonly T[] | (() => readonly T[]) {
    if (this.#current) return this.#current
    const changes = this.#positions.length
    if (length <= PLAIN_ARRAY_LENGTH || changes >= this.#checkpoint.length) {
      this.#checkpoint = apply(this.#checkpoint, this.#positions, this.#values, changes)
      this.#positions = []
      this.#values = []
      if (length <= PLAIN_ARRAY_LENGTH) return (this.#current = this.#ordered(this.#checkpoint))
    }
    const checkpoint = this.#checkpoint
    const positions = this.#positions
    const values = this.#values
    const read = positions.length
    let array: readonly T[] | undefined
    return (this.#current = () => (array ??= this.#ordered(apply(checkpoint, positions, values, read))))
  }

  #ordered(array: readonly T[]): readonly T[] {
    return this.#order ? Object.freeze([...array].sort(this.#order)) : array
  }
}

const NO_ENTRIES: readonly never[] = Object.freeze([])

/** `entries` after the first `length` changes, frozen. */
function apply<T>(
  entries: readonly T[],
  positions: readonly number[],
  values: readonly T[],
  length: number,
): readonly T[] {
  if (length === 0) return entries
  // Spread, not slice(): V8 slices a frozen array on a slow path, 4× dearer.
  const array = [...entries]
  for (let index = 0; index < length; index++) array[positions[index]!] = values[index]!
  return Object.freeze(array)
}

/** Adds `key` to `object`: the array, or a getter of the array a {@link SnapshotArray} copies on first read. */
export function withArray<O extends object>(
  object: O,
  key: string,
  array: readonly unknown[] | (() => readonly unknown[]),
): O {
  if (typeof array === 'function') return Object.defineProperty(object, key, { get: array, enumerable: true })
  ;(object as Record<string, unknown>)[key] = array // not defineProperty, 5× dearer in V8
  return object
}
