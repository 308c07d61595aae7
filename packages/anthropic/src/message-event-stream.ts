import { RecordedTransformStream } from '@sluice/compose'
import type { LineSplitterInput } from '@sluice/lines'
import { checkAfterEnd, EventParser } from '@sluice/formats'
import type { SSEQuirk, SSEStreamOptions } from '@sluice/sse'
import { MessageEventDecoder, type MessageEventDecoderOptions } from './message-event-decoder.ts'
import type { MessageOutcome, MessageProgress } from './outcome.ts'
import type { MessageEvent, MessageQuirk } from './types.ts'

/**
 * Options of {@link MessageEventParser} and {@link MessageEventStream}: those of the SSE stage and of the decoder.
 *
 * @example
 * ```ts
 * import { MessageEventStream, type MessageEventStreamOptions } from '@sluice/anthropic'
 *
 * const options: MessageEventStreamOptions = { onQuirk: (quirk) => console.warn(quirk.code, quirk.message) }
 * const events = response.body!.pipeThrough(new MessageEventStream(options))
 * ```
 */
export interface MessageEventStreamOptions
  extends Omit<SSEStreamOptions, 'onQuirk' | 'trailingEvent'>,
    Omit<MessageEventDecoderOptions, 'onQuirk'> {
  /** Called for each quirk of the SSE stage and of the decoder. */
  onQuirk?: (quirk: SSEQuirk | MessageQuirk) => void
}

/**
 * Bytes in, typed Anthropic {@link MessageEvent}s out: the line splitter, the SSE decoder and
 * {@link MessageEventDecoder} composed into one transformer (`EventParser` from `@sluice/formats`).
 *
 * @example Pull it without a stream, then read the outcome
 * ```ts
 * import { iterate } from '@sluice/compose'
 * import { MessageEventParser } from '@sluice/anthropic'
 *
 * const parser = new MessageEventParser()
 * for await (const event of iterate(response.body!, parser)) console.log(event.type)
 * console.log((await parser.outcome).status)
 * ```
 */
export class MessageEventParser extends EventParser<MessageEvent, MessageProgress, MessageOutcome> {
  constructor(options: MessageEventStreamOptions = {}) {
    super(new MessageEventDecoder(options), options)
  }
}

/**
 * Bytes in, typed Anthropic {@link MessageEvent}s out, in one stream ({@link MessageEventParser}
 * as an `OrderedTransformStream`): the events before an error are read before it, and the
 * output closes at `message_stop`.
 *
 * @example Print a streamed answer from the Messages API
 * ```ts
 * import { MessageEventStream } from '@sluice/anthropic'
 *
 * for await (const event of response.body!.pipeThrough(new MessageEventStream())) {
 *   if (event.type === 'content_block_delta' && event.delta.type === 'text_delta') process.stdout.write(event.delta.text ?? '')
 * }
 * ```
 */
export class MessageEventStream extends RecordedTransformStream<
  LineSplitterInput,
  MessageEvent,
  MessageProgress,
  MessageEventParser
> {
  constructor(
    options: MessageEventStreamOptions = {},
    writableStrategy?: QueuingStrategy<LineSplitterInput>,
    readableStrategy?: QueuingStrategy<MessageEvent>,
  ) {
    const afterStop = checkAfterEnd(options.afterStop, 'afterStop', 'MessageEventStream')
    // The parser always ends the output at message_stop; the stream drains or cancels its input.
    const parser = new MessageEventParser({ ...options, afterStop: 'cancel' })
    super(parser, writableStrategy, readableStrategy, { afterTerminate: afterStop })
  }

  /** See {@link MessageEventDecoder.outcome}. */
  get outcome(): Promise<MessageOutcome> {
    return this.stage.outcome
  }
}
