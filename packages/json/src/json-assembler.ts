import type { JSONEvent, JSONPath } from './incremental-json-parser.ts'

/**
 * Builds the value that {@link JSONEvent}s describe, in place: the value so far after each
 * `apply`, and the whole value after the last event. Keys are own properties, `__proto__`
 * included, as `JSON.parse` makes them.
 *
 * @example
 * ```ts
 * import { IncrementalJSONParser, JSONAssembler } from '@sluice/json'
 *
 * const parser = new IncrementalJSONParser()
 * const value = new JSONAssembler()
 * value.apply(parser.feed('{"city": "Pa'))
 * value.value // { city: 'Pa' }
 * ```
 */
export class JSONAssembler {
  #root: { value: unknown } = { value: undefined }

  /** The value so far (`undefined` before the first event). */
  get value(): unknown {
    return this.#root.value
  }

  /** Applies events in order. */
  apply(events: readonly JSONEvent[]): void {
    for (const event of events) {
      if (event.type === 'close') continue
      const { parent, key } = this.#locate(event.path)
      if (event.type === 'set') put(parent, key, event.value)
      else put(parent, key, `${(parent as Record<string | number, string>)[key]}${event.text}`)
    }
  }

  /** The container holding `path`'s last step (the root holder for `[]`). */
  #locate(path: JSONPath): { parent: object; key: string | number } {
    if (path.length === 0) return { parent: this.#root, key: 'value' }
    let node = this.#root.value as Record<string | number, unknown>
    for (let at = 0; at < path.length - 1; at++) node = node[path[at]!] as Record<string | number, unknown>
    return { parent: node, key: path.at(-1)! }
  }
}

function put(parent: object, key: string | number, value: unknown): void {
  if (key === '__proto__')
    Object.defineProperty(parent, key, { value, writable: true, enumerable: true, configurable: true })
  else (parent as Record<string | number, unknown>)[key] = value
}
