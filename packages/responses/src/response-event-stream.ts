import { RecordedTransformStream } from '@sluice/compose'
import type { LineSplitterInput } from '@sluice/lines'
import { EventParser } from '@sluice/formats'
import type { SSEQuirk, SSEStreamOptions } from '@sluice/sse'
import type { ResponseOutcome, ResponseProgress } from './outcome.ts'
import { checkAfterTerminal, ResponseEventDecoder, type ResponseEventDecoderOptions } from './response-event-decoder.ts'
import type { ResponseEvent, ResponseQuirk } from './types.ts'

/**
 * Options of {@link ResponseEventParser} and {@link ResponseEventStream}: those of the SSE stage and of the decoder.
 *
 * @example
 * ```ts
 * import { ResponseEventStream, type ResponseEventStreamOptions } from '@sluice/responses'
 *
 * const options: ResponseEventStreamOptions = { onQuirk: (quirk) => console.warn(quirk.code, quirk.message) }
 * const events = response.body!.pipeThrough(new ResponseEventStream(options))
 * ```
 */
export interface ResponseEventStreamOptions
  extends Omit<SSEStreamOptions, 'onQuirk' | 'trailingEvent'>,
    Omit<ResponseEventDecoderOptions, 'onQuirk'> {
  /** Called for each quirk of the SSE stage and of the decoder. */
  onQuirk?: (quirk: SSEQuirk | ResponseQuirk) => void
}

/**
 * Bytes in, typed Responses {@link ResponseEvent}s out: the line splitter, the SSE decoder and
 * {@link ResponseEventDecoder} composed into one transformer (`EventParser` from `@sluice/formats`).
 *
 * @example Pull it without a stream, then read the outcome
 * ```ts
 * import { iterate } from '@sluice/compose'
 * import { ResponseEventParser } from '@sluice/responses'
 *
 * const parser = new ResponseEventParser()
 * for await (const event of iterate(response.body!, parser)) console.log(event.type)
 * console.log((await parser.outcome).status)
 * ```
 */
export class ResponseEventParser extends EventParser<ResponseEvent, ResponseProgress, ResponseOutcome> {
  constructor(options: ResponseEventStreamOptions = {}) {
    super(new ResponseEventDecoder(options), options)
  }
}

/**
 * Bytes in, typed Responses {@link ResponseEvent}s out, in one stream ({@link ResponseEventParser}
 * as an `OrderedTransformStream`): the events before an error are read before it, and the
 * output closes at the terminal event.
 *
 * @example Print a streamed answer from the Responses API
 * ```ts
 * import { ResponseEventStream } from '@sluice/responses'
 *
 * for await (const event of response.body!.pipeThrough(new ResponseEventStream())) {
 *   if (event.type === 'response.output_text.delta') process.stdout.write(event.delta)
 * }
 * ```
 */
export class ResponseEventStream extends RecordedTransformStream<
  LineSplitterInput,
  ResponseEvent,
  ResponseProgress,
  ResponseEventParser
> {
  constructor(
    options: ResponseEventStreamOptions = {},
    writableStrategy?: QueuingStrategy<LineSplitterInput>,
    readableStrategy?: QueuingStrategy<ResponseEvent>,
  ) {
    const afterTerminal = checkAfterTerminal(options.afterTerminal, 'ResponseEventStream')
    // The parser always ends the output at the terminal event; the stream drains or cancels its input.
    const parser = new ResponseEventParser({ ...options, afterTerminal: 'cancel' })
    super(parser, writableStrategy, readableStrategy, { afterTerminate: afterTerminal })
  }

  /** See {@link ResponseEventDecoder.outcome}. */
  get outcome(): Promise<ResponseOutcome> {
    return this.stage.outcome
  }
}
