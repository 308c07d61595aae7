import type { ChatCompletion, DeltaAccumulator } from '@sluice/accumulator'
import type { ChatCompletionChunk } from '@sluice/openai'
import type { ServerSentEvent } from '@sluice/sse'

/** A keep-alive comment, as `toSSEResponse()` passes it on (a class, to tell it from a chunk). */
export class KeepAliveComment {
  readonly text: string
  constructor(text: string) {
    this.text = text
  }
}

/**
 * What a reading takes out of the pass, each item as the reading hands it on (no wrapper
 * per item): chunks (`for await`, `textStream()`), snapshots (`snapshots()`), raw events
 * (`events()`), chunks and {@link KeepAliveComment}s (`toSSEResponse()`), or nothing
 * (`completion()` draining the stream itself).
 */
export type ChatItemSelection = 'chunks' | 'snapshots' | 'events' | 'chunks-and-comments' | 'none'

/** What the tap puts out, by selection. */
export type ChatItem = ChatCompletionChunk | ChatCompletion | ServerSentEvent | KeepAliveComment

/**
 * The last stage of a `ChatReader`'s pass, after `ChatChunkParser`: it adds each chunk to the
 * {@link DeltaAccumulator} (so the completion and the outcome are built on the same pass,
 * whatever is read) and puts out what the reading selected. Events and comments come from
 * the parser's `onEvent` and `onComment` hooks, in input order with the chunks: the hooks
 * run inside the parser's `transform`, and this stage's controller is the composition's
 * output. `ChatReader` builds it as `new ChatItemTap(accumulator)`, calls
 * `tap.select('snapshots')` (or another selection) when a reading starts, and pulls
 * `iterate(body, compose(parser, tap))`.
 */
export class ChatItemTap implements Transformer<ChatCompletionChunk, ChatItem> {
  readonly #accumulator: DeltaAccumulator
  #controller: TransformStreamDefaultController<ChatItem> | undefined
  #selection: ChatItemSelection = 'none'

  constructor(accumulator: DeltaAccumulator) {
    this.#accumulator = accumulator
  }

  /** Chooses what goes out; called once, before the pass starts. */
  select(selection: ChatItemSelection): void {
    this.#selection = selection
  }

  /** From the parser's `onEvent`. */
  event(event: ServerSentEvent): void {
    if (this.#selection === 'events') this.#controller?.enqueue(event)
  }

  /** From the parser's `onComment`. */
  comment(text: string): void {
    if (this.#selection === 'chunks-and-comments') this.#controller?.enqueue(new KeepAliveComment(text))
  }

  start(controller: TransformStreamDefaultController<ChatItem>): void {
    this.#controller = controller
  }

  transform(chunk: ChatCompletionChunk, controller: TransformStreamDefaultController<ChatItem>): void {
    let snapshot: ChatCompletion
    try {
      snapshot = this.#accumulator.add(chunk)
    } catch (error) {
      // As DeltaAccumulator.transform: the outcome first, then the error goes on.
      this.#accumulator.cancel(error)
      throw error
    }
    const selection = this.#selection
    if (selection === 'chunks' || selection === 'chunks-and-comments') controller.enqueue(chunk)
    else if (selection === 'snapshots') controller.enqueue(snapshot)
  }

  flush(): void {
    this.#accumulator.flush()
  }

  /** The pass was cancelled, its input failed, or a stage before this one threw: settles the outcome. */
  cancel(reason?: unknown): void {
    this.#accumulator.cancel(reason)
  }
}
