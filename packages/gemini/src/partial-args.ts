import type { GeminiFunctionCall, PartialArg } from './types.ts'

/**
 * The arguments of a function call as Vertex AI streams them (`partialArgs`), built up
 * piece by piece: each piece sets the value at its JSON path (RFC 9535, in the normalized
 * forms `$.name`, `$['name']` and `$[0]`), and a string piece that follows one with
 * `willContinue: true` at the same path is appended to it.
 *
 * @example
 * ```ts
 * import { PartialArgs } from '@sluice/gemini'
 *
 * const args = new PartialArgs()
 * args.apply([{ jsonPath: '$.city', stringValue: 'Par', willContinue: true }])
 * args.apply([{ jsonPath: '$.city', stringValue: 'is' }, { jsonPath: '$.days', numberValue: 3 }])
 * args.value // { city: 'Paris', days: 3 }
 * ```
 */
export class PartialArgs {
  /** The arguments so far. */
  readonly value: Record<string, unknown> = {}
  /** The path of the string piece that said `willContinue`. */
  #continuing: string | undefined

  /** Applies pieces in order; throws a `TypeError` naming a path it cannot follow. */
  apply(pieces: readonly PartialArg[]): void {
    for (const piece of pieces) {
      const path = piece.jsonPath ?? '$'
      const keys = pathKeys(path)
      let value: unknown
      if (typeof piece.stringValue === 'string') value = piece.stringValue
      else if (typeof piece.numberValue === 'number') value = piece.numberValue
      else if (typeof piece.boolValue === 'boolean') value = piece.boolValue
      else if (piece.nullValue !== undefined) value = null
      else {
        this.#continuing = piece.willContinue === true ? path : undefined
        continue
      }
      const append = this.#continuing === path && typeof value === 'string'
      set(this.value, keys, value, append)
      this.#continuing = piece.willContinue === true && typeof value === 'string' ? path : undefined
    }
  }
}

/** Why this version cannot follow a piece's JSON path, or `undefined` when it can. */
export function unfollowablePath(path: unknown): string | undefined {
  if (typeof path !== 'string') return `jsonPath ${JSON.stringify(path)} is not a string`
  try {
    if (pathKeys(path).length === 0) return 'jsonPath $ names the whole arguments, not a field'
    return undefined
  } catch (error) {
    return (error as Error).message
  }
}

/** The keys of a normalized JSON path: `$.a['b'][0]` → `['a', 'b', 0]`. */
function pathKeys(path: string): (string | number)[] {
  if (!path.startsWith('$')) throw new TypeError(`partialArgs: ${JSON.stringify(path)} is not a JSON path`)
  const keys: (string | number)[] = []
  const pattern = /\.([A-Za-z_$][\w$]*)|\[(\d+)\]|\['((?:[^'\\]|\\.)*)'\]|\["((?:[^"\\]|\\.)*)"\]/y
  let at = 1
  while (at < path.length) {
    pattern.lastIndex = at
    const match = pattern.exec(path)
    if (!match) throw new TypeError(`partialArgs: cannot follow the JSON path ${JSON.stringify(path)} at ${at}`)
    if (match[1] !== undefined) keys.push(match[1])
    else if (match[2] !== undefined) keys.push(Number(match[2]))
    else keys.push((match[3] ?? match[4]!).replace(/\\(.)/g, '$1'))
    at = pattern.lastIndex
  }
  return keys
}

function set(root: Record<string, unknown>, keys: (string | number)[], value: unknown, append: boolean): void {
  if (keys.length === 0) throw new TypeError('partialArgs: a value for the root ($) of the arguments')
  let node: Record<string | number, unknown> = root
  for (const [index, key] of keys.entries()) {
    if (index === keys.length - 1) {
      const before = node[key]
      put(node, key, append && typeof before === 'string' ? before + (value as string) : value)
      return
    }
    let next = node[key]
    if (typeof next !== 'object' || next === null) {
      next = typeof keys[index + 1] === 'number' ? [] : {}
      put(node, key, next)
    }
    node = next as Record<string | number, unknown>
  }
}

/** An own property, also for `__proto__` (as `JSON.parse` makes it). */
function put(node: Record<string | number, unknown>, key: string | number, value: unknown): void {
  Object.defineProperty(node, key, { value, writable: true, enumerable: true, configurable: true })
}

/**
 * The arguments of a whole function call: its `args`, or, when Vertex sent a call with all
 * its pieces at once (`partialArgs`, no `willContinue`), the arguments they build.
 *
 * @example
 * ```ts
 * import { argsOf } from '@sluice/gemini'
 *
 * argsOf({ name: 'divide', partialArgs: [{ jsonPath: '$.numerator', numberValue: 100 }] }) // { numerator: 100 }
 * ```
 */
export function argsOf(call: GeminiFunctionCall): Record<string, unknown> {
  if (call.args !== undefined || call.partialArgs === undefined) return call.args ?? {}
  const args = new PartialArgs()
  args.apply(call.partialArgs)
  return args.value
}
