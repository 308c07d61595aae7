/**
 * What the tests of the accumulators' `parseArguments` and `parseContent` options share: a
 * parser factory that records what its parsers read, and the value a fresh parser shows
 * for a text. Its own entry (`@sluice/test-support/partial-values`) so that only those tests
 * bundle `@sluice/json`.
 */
import type { PartialValueParser, PartialValueParserFactory } from '@sluice/compose'
import { IncrementalJSONParser, partialJSON } from '@sluice/json'

/** `partialJSON`, recording the fragments each parser it made was fed (`fed`, one list per parser) and their length (`read()`). */
export function recordingParsers(): { make: PartialValueParserFactory; fed: string[][]; read: () => number } {
  const fed: string[][] = []
  return {
    fed,
    read: () => fed.flat().join('').length,
    make(): PartialValueParser {
      const parser = partialJSON()
      const pieces: string[] = []
      fed.push(pieces)
      return {
        feed(fragment: string) {
          pieces.push(fragment)
          return parser.feed(fragment)
        },
        snapshot: () => parser.snapshot(),
        end: () => parser.end(),
        get error() {
          return parser.error
        },
      }
    },
  }
}

/**
 * What a fresh parser shows for `text` (`snapshot()`); with `end`, what it keeps once the
 * text ended. Tolerant, so that prose (a capture's text) stops it instead of throwing: on
 * JSON text and its prefixes, the same as `new IncrementalJSONParser({ snapshots: true })`.
 */
export function freshValue(text: string, end = false): unknown {
  const parser = new IncrementalJSONParser({ snapshots: true, tolerant: true })
  parser.feed(text)
  if (end) parser.end()
  return parser.snapshot()
}
