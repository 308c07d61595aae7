import type { PartialValueParser, PartialValueParserFactory } from '@sluice/compose'

/** One text being parsed: its parser, the text it read, and whether the text ended. */
interface ParsedText {
  readonly parser: PartialValueParser
  read: string
  ended: boolean
}

/**
 * The texts an accumulator parses as they stream (a tool call's arguments, a text block of
 * structured output), one `PartialValueParser` per text, by key: what the wire formats'
 * accumulators share for their `parseArguments` and `parseContent` options. A text's parser
 * is made at its first non-empty fragment and reads each character once: `append` feeds a
 * delta; `set`, for an event that carries the whole text (a `.done`, an item put in place),
 * feeds only what the parser has not read, or starts a new parser on a text that does not
 * extend what it read. A text that ends with the parser's `error` set goes to `failed`, once.
 *
 * @example The values of a text in three deltas
 * ```ts
 * import { ParsedTexts } from '@sluice/formats'
 * import { partialJSON } from '@sluice/json'
 *
 * const texts = new ParsedTexts<number>(partialJSON, (key, error) => console.warn(key, error.message))
 * texts.append(0, '{"city": "Pa') // { city: 'Pa' }
 * texts.append(0, 'ris"}') // { city: 'Paris' }
 * texts.end(0) // { city: 'Paris' }; a text that was not JSON would call the callback
 * ```
 */
export class ParsedTexts<Key> {
  readonly #make: PartialValueParserFactory
  readonly #failed: (key: Key, error: Error) => void
  readonly #texts = new Map<Key, ParsedText>()

  constructor(make: PartialValueParserFactory, failed: (key: Key, error: Error) => void) {
    this.#make = make
    this.#failed = failed
  }

  /** The parser of the text at `key`: `undefined` until its first non-empty fragment (the snapshot then carries no value). */
  get(key: Key): PartialValueParser | undefined {
    return this.#texts.get(key)?.parser
  }

  /**
   * Puts `value`, the value of the text at `key` (from `append`, `set` or `end`), in
   * `target[field]` once that text has a parser: whether `target` changed. Without a parser
   * the field stays out, so that snapshots are as without parsing.
   */
  carry(target: Record<string, unknown>, field: string, key: Key, value: unknown): boolean {
    if (!this.#texts.has(key) || (field in target && target[field] === value)) return false
    target[field] = value
    return true
  }

  /** `fragment` appended to the text at `key`: the value so far (`undefined` before a value starts). */
  append(key: Key, fragment: string): unknown {
    const text = this.#texts.get(key)
    if (text === undefined || text.ended) return this.set(key, (text?.read ?? '') + fragment)
    text.read += fragment
    text.parser.feed(fragment)
    return text.parser.snapshot()
  }

  /** The text at `key` is now `whole`, and ended with `end`: the value. */
  set(key: Key, whole: string, end = false): unknown {
    let text = this.#texts.get(key)
    // A text that does not extend what was read (or grows after it ended) is read anew.
    if (text === undefined || !whole.startsWith(text.read) || (text.ended && whole.length > text.read.length)) {
      if (text === undefined && whole === '') return undefined
      this.#texts.set(key, (text = { parser: this.#make(), read: '', ended: false }))
    }
    if (whole.length > text.read.length) {
      text.parser.feed(whole.slice(text.read.length))
      text.read = whole
    }
    return end ? this.end(key) : text.parser.snapshot()
  }

  /** The text at `key` ended: its value (`undefined` when it has no parser). */
  end(key: Key): unknown {
    const text = this.#texts.get(key)
    if (text === undefined) return undefined
    if (!text.ended) {
      text.ended = true
      text.parser.end()
      if (text.parser.error) this.#failed(key, text.parser.error)
    }
    return text.parser.snapshot()
  }

  /** Forgets the text at `key` (a text the format reads as empty, a new message). */
  delete(key: Key): void {
    this.#texts.delete(key)
  }

  /** The keys of the texts that have not ended. */
  open(): Key[] {
    return [...this.#texts].filter(([, text]) => !text.ended).map(([key]) => key)
  }
}
