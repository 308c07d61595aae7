import type { JSONTextError } from './errors.ts'
import { IncrementalJSONParser, type IncrementalJSONParserOptions } from './incremental-json-parser.ts'

/**
 * The value of JSON text so far, as {@link PartialJSONDecoder} hands it over: frozen, sharing
 * the containers that did not change with the one before.
 *
 * @example
 * ```ts
 * import type { PartialJSON } from '@sluice/json'
 *
 * const last: PartialJSON = { value: { city: 'Paris', days: 12 }, complete: true }
 * ```
 */
export interface PartialJSON {
  /** The value so far (`undefined` before one starts); the whole value when `complete`. */
  readonly value: unknown
  /** `true` on the last one, when the text was one whole JSON value. */
  readonly complete: boolean
  /** With `tolerant: true`, on the last one, when the text was not JSON: all of it, and why. */
  readonly invalid?: { readonly text: string; readonly error: JSONTextError }
}

/**
 * Options of {@link PartialJSONDecoder} and {@link PartialJSONDecoderStream}.
 *
 * @example
 * ```ts
 * import { PartialJSONDecoderStream, type PartialJSONDecoderOptions } from '@sluice/json'
 *
 * const options: PartialJSONDecoderOptions = { tolerant: true }
 * const values = new PartialJSONDecoderStream(options)
 * ```
 */
export type PartialJSONDecoderOptions = Pick<IncrementalJSONParserOptions, 'maxDepth' | 'maxLength' | 'tolerant'>

/**
 * JSON text in fragments → the value so far after each fragment that changed it
 * ({@link PartialJSON}, frozen snapshots), then the whole value with `complete: true`. Text
 * that is not JSON errors the stream with a `JSONTextError` after the value read before it;
 * with `tolerant: true` the last one carries the raw text instead (models do that).
 *
 * @example A structured answer, rendered as it streams
 * ```ts
 * import { PartialJSONDecoder } from '@sluice/json'
 *
 * declare const fragments: ReadableStream<string> // structured output, say
 * const values = fragments.pipeThrough(new TransformStream(new PartialJSONDecoder()))
 * for await (const { value, complete } of values) render(value, complete)
 * ```
 */
export class PartialJSONDecoder implements Transformer<string, PartialJSON> {
  readonly #parser: IncrementalJSONParser
  #last: unknown

  constructor(options: PartialJSONDecoderOptions = {}) {
    this.#parser = new IncrementalJSONParser({ ...options, snapshots: true })
  }

  /** Parses the next fragment and enqueues what it completed. */
  transform(fragment: string, controller: TransformStreamDefaultController<PartialJSON>): void {
    try {
      this.#parser.feed(fragment)
    } finally {
      // What was read before an error is handed over before it.
      const value = this.#parser.snapshot()
      if (value !== this.#last) controller.enqueue({ value, complete: false })
      this.#last = value
    }
  }

  /** The end of the text: enqueues the last, or errors unless the text was one whole JSON value. */
  flush(controller: TransformStreamDefaultController<PartialJSON>): void {
    const parser = this.#parser
    parser.end()
    const error = parser.error
    if (error !== undefined)
      controller.enqueue({ value: parser.snapshot(), complete: false, invalid: { text: parser.text, error } })
    else controller.enqueue({ value: parser.snapshot(), complete: true })
  }
}

/**
 * {@link PartialJSONDecoder} as a `TransformStream`, for `pipeThrough` and Node's `stream.pipeline`.
 *
 * @example
 * ```ts
 * import { PartialJSONDecoderStream } from '@sluice/json'
 *
 * declare const fragments: ReadableStream<string>
 * for await (const { value } of fragments.pipeThrough(new PartialJSONDecoderStream())) console.log(value)
 * ```
 */
export class PartialJSONDecoderStream extends TransformStream<string, PartialJSON> {
  constructor(
    options?: PartialJSONDecoderOptions,
    writableStrategy?: QueuingStrategy<string>,
    readableStrategy?: QueuingStrategy<PartialJSON>,
  ) {
    super(new PartialJSONDecoder(options), writableStrategy, readableStrategy)
  }
}
