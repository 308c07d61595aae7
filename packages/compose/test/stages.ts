/**
 * Small synchronous transformers to compose in the tests: each exercises one thing a real
 * stage does (split, map, drop, hold back until flush, terminate, error).
 */
import fc from 'fast-check'

export type Stage = Transformer<string, string>

/** Splits each chunk into single characters (one in, many out). */
export const splitter = (): Stage => ({
  transform(chunk, controller) {
    for (const character of chunk) controller.enqueue(character)
  },
})

/** Upper-cases (one in, one out). */
export const upper = (): Stage => ({
  transform: (chunk, controller) => controller.enqueue(chunk.toUpperCase()),
})

/** Drops chunks that are `-` (one in, none out). */
export const dropDashes = (): Stage => ({
  transform(chunk, controller) {
    if (chunk !== '-') controller.enqueue(chunk)
  },
})

/** Joins chunks in pairs and emits the odd one out at flush (holds state, emits at flush). */
export const pairs = (): Stage => {
  let held: string | undefined
  return {
    transform(chunk, controller) {
      if (held === undefined) {
        held = chunk
      } else {
        controller.enqueue(held + chunk)
        held = undefined
      }
    },
    flush(controller) {
      if (held !== undefined) controller.enqueue(`${held}|end`)
    },
  }
}

/** Emits a marker at start and at flush. */
export const bookends = (): Stage => ({
  start: (controller) => controller.enqueue('<'),
  flush: (controller) => controller.enqueue('>'),
})

/** Terminates at a chunk containing `!` (as the chunk decoder does at [DONE]). */
export const stopAtBang = (): Stage => ({
  transform(chunk, controller) {
    if (chunk.includes('!')) controller.terminate()
    else controller.enqueue(chunk)
  },
})

/** Throws at a chunk containing `#`. */
export const throwAtHash = (): Stage => ({
  transform(chunk, controller) {
    if (chunk.includes('#')) throw new RangeError(`hash in ${JSON.stringify(chunk)}`)
    controller.enqueue(chunk)
  },
})

/** Calls controller.error at a chunk containing `~`, then keeps going (its output is dropped). */
export const errorAtTilde = (): Stage => ({
  transform(chunk, controller) {
    if (chunk.includes('~')) controller.error(new TypeError(`tilde in ${JSON.stringify(chunk)}`))
    controller.enqueue(chunk)
  },
})

/** A transformer without transform: the identity. */
export const identity = (): Stage => ({})

export const factories = {
  splitter,
  upper,
  dropDashes,
  pairs,
  bookends,
  stopAtBang,
  throwAtHash,
  errorAtTilde,
  identity,
}

/** 1 to 4 stage factories, and input chunks drawn from letters and the special characters. */
export const pipelines = fc.array(fc.constantFrom(...Object.values(factories)), { minLength: 1, maxLength: 4 })
export const inputs = fc.array(fc.string({ unit: fc.constantFrom('a', 'b', 'c', '-', '!', '#', '~'), maxLength: 5 }), {
  maxLength: 8,
})

/**
 * Whether piped stages may end in more than one way for the same input: a stage that errors
 * does so at once, ahead of the items still in flight further down, so when a pipeline has
 * two different kinds of ending stage (error at `~`, throw at `#`, terminate at `!`), which
 * one ends a chain of streams is a race between promise jobs, and implementations settle it
 * differently (for `['aa#', '~']` through error-at-`~`, split, throw-at-`#`, split, Node's
 * streams report the RangeError and Bun's the TypeError).
 * A composition has no such race: the first ending in data order wins.
 */
export function endsRacing(stages: readonly (() => Stage)[]): boolean {
  const kinds = new Set(stages.filter((make) => make === stopAtBang || make === throwAtHash || make === errorAtTilde))
  return kinds.size > 1
}

/** An error one of the stages raises on purpose (not a crash of the composition). */
export const stageError = /^(TypeError: tilde in|RangeError: hash in) /
