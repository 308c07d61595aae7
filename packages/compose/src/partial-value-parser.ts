/**
 * A parser of text that arrives in pieces (a tool call's arguments, structured output) that
 * hands over the value so far after each piece. The accumulators' `parseArguments` and
 * `parseContent` options take a function that makes one per text, so that an app that does
 * not parse pays nothing: `partialJSON` of `@sluice/json` is such a function.
 *
 * @example
 * ```ts
 * import type { PartialValueParser } from '@sluice/compose'
 * import { partialJSON } from '@sluice/json'
 *
 * const parser: PartialValueParser = partialJSON()
 * parser.feed('{"city": "Pa')
 * parser.snapshot() // { city: 'Pa' }
 * ```
 */
export interface PartialValueParser {
  /** Reads the next piece of text. */
  feed(fragment: string): unknown
  /** The value so far, frozen and sharing what did not change with the one before; `undefined` before a value starts. */
  snapshot(): unknown
  /** The text ended. */
  end(): unknown
  /** When the text turned out not to be what it should (a tolerant parser does not throw): why and where. */
  readonly error?: Error | undefined
}

/**
 * Makes a {@link PartialValueParser} for each text: the type of the accumulators'
 * `parseArguments` and `parseContent` options.
 *
 * @example
 * ```ts
 * import type { PartialValueParserFactory } from '@sluice/compose'
 * import { partialJSON } from '@sluice/json'
 *
 * const parseArguments: PartialValueParserFactory = partialJSON
 * ```
 */
export type PartialValueParserFactory = () => PartialValueParser
