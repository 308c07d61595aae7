import { IncrementalJSONParser, type IncrementalJSONParserOptions, type JSONEvent } from './incremental-json-parser.ts'

/**
 * Options of {@link JSONEventDecoder} and {@link JSONEventDecoderStream}: the parser's limits.
 *
 * @example
 * ```ts
 * import { JSONEventDecoderStream, type JSONEventDecoderOptions } from '@sluice/json'
 *
 * const options: JSONEventDecoderOptions = { maxDepth: 64 }
 * const events = new JSONEventDecoderStream(options)
 * ```
 */
export type JSONEventDecoderOptions = Pick<IncrementalJSONParserOptions, 'maxDepth' | 'maxLength'>

/**
 * JSON text in fragments → {@link JSONEvent}s (`set`, `append`, `close` at paths), with an
 * {@link IncrementalJSONParser}. Text that is not JSON errors the stream with a
 * `JSONTextError` after the events read before it.
 *
 * @example Render the keys of an object as they stream
 * ```ts
 * import { JSONEventDecoder } from '@sluice/json'
 *
 * declare const fragments: ReadableStream<string> // a tool call's arguments, say
 * const events = fragments.pipeThrough(new TransformStream(new JSONEventDecoder()))
 * for await (const event of events) if (event.type === 'set') console.log(event.path.join('.'), event.value)
 * ```
 */
export class JSONEventDecoder implements Transformer<string, JSONEvent> {
  readonly #parser: IncrementalJSONParser

  constructor(options: JSONEventDecoderOptions = {}) {
    this.#parser = new IncrementalJSONParser({ ...options, events: true, snapshots: false, tolerant: false })
  }

  /** Parses the next fragment and enqueues what it completed. */
  transform(fragment: string, controller: TransformStreamDefaultController<JSONEvent>): void {
    this.#run(() => this.#parser.feed(fragment), controller)
  }

  /** The end of the text: enqueues the last, or errors unless the text was one whole JSON value. */
  flush(controller: TransformStreamDefaultController<JSONEvent>): void {
    this.#run(() => this.#parser.end(), controller)
  }

  #run(step: () => readonly JSONEvent[], controller: TransformStreamDefaultController<JSONEvent>): void {
    let events: readonly JSONEvent[]
    try {
      events = step()
    } catch (error) {
      for (const event of this.#parser.takeEvents()) controller.enqueue(event)
      throw error
    }
    for (const event of events) controller.enqueue(event)
  }
}

/**
 * {@link JSONEventDecoder} as a `TransformStream`, for `pipeThrough` and Node's `stream.pipeline`.
 *
 * @example
 * ```ts
 * import { JSONEventDecoderStream } from '@sluice/json'
 *
 * declare const fragments: ReadableStream<string>
 * for await (const event of fragments.pipeThrough(new JSONEventDecoderStream())) console.log(event)
 * ```
 */
export class JSONEventDecoderStream extends TransformStream<string, JSONEvent> {
  constructor(
    options?: JSONEventDecoderOptions,
    writableStrategy?: QueuingStrategy<string>,
    readableStrategy?: QueuingStrategy<JSONEvent>,
  ) {
    super(new JSONEventDecoder(options), writableStrategy, readableStrategy)
  }
}
