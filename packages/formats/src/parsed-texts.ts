import type { PartialValueParser, PartialValueParserFactory, RecordedStage } from '@sluice/compose'

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
 * extend what it read. A text that ends with the parser's `error` set is a quirk of `stage`,
 * in its record, once: `code`, and a message that names the text (`where` and its key) and
 * quotes the error's.
 *
 * @example The values of a text in two deltas
 * ```ts
 * import { StreamRecord } from '@sluice/compose'
 * import { ParsedTexts } from '@sluice/formats'
 * import { partialJSON } from '@sluice/json'
 *
 * const stage = { record: new StreamRecord(), useRecord() {} }
 * const texts = new ParsedTexts<number>(partialJSON, stage, 'arguments-not-json', 'call')
 * texts.append(0, '{"city": "Pa') // { city: 'Pa' }
 * texts.append(0, 'ris"}') // { city: 'Paris' }
 * texts.end(0) // { city: 'Paris' }; had it not been JSON: a quirk 'call 0: JSON text at …'
 * ```
 */
export class ParsedTexts<Key> {
  readonly #make: PartialValueParserFactory
  readonly #stage: RecordedStage
  readonly #code: string
  readonly #where: string
  readonly #texts = new Map<Key, ParsedText>()

  constructor(make: PartialValueParserFactory, stage: RecordedStage, code: string, where: string) {
    this.#make = make
    this.#stage = stage
    this.#code = code
    this.#where = where
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
      const error = text.parser.error
      if (error) {
        const record = this.#stage.record
        record.addQuirk(
          { code: this.#code, message: `${this.#where} ${key}: ${error.message}` },
          record.members.indexOf(this.#stage),
        )
      }
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
