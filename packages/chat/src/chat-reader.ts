import {
  type AccumulatorQuirk,
  attachPartial,
  type ChatCompletion,
  type ChatCompletionMessage,
  type ChatCompletionToolCall,
  DeltaAccumulator,
  EmptyStreamError,
} from '@sluice/accumulator'
import { compose, iterate, type ComposedTransformer, type PartialValueParserFactory } from '@sluice/compose'
import { byteOffsetsFor, type LineSplitterInput } from '@sluice/lines'
import type { ChatChunkStreamOptions, ChatCompletionChunk, ChunkQuirk, StreamOutcome } from '@sluice/openai'
import type { ServerSentEvent, SSEQuirk } from '@sluice/sse'
import { ByteSource, idleTimeout, type ChatSource } from './byte-source.ts'
import { FormatSwitch, formatParser, type WireFormat } from './format-parser.ts'
import { ChatItemTap, type ChatItem, type ChatItemSelection, type KeepAliveComment } from './chat-item-tap.ts'
import { StreamCancelledError, StreamConsumedError } from './errors.ts'
import { streamFrom, type IterableReadableStream } from './iterable-stream.ts'
import { sseFrames } from './sse-frames.ts'

/**
 * Options of {@link chatStream}: those of `ChatChunkStream` (from `@sluice/openai`: the line
 * splitter's, the SSE decoder's and the chunk decoder's; `onQuirk` and `strict` also reach
 * the accumulator), and these.
 *
 * @example Bounds on the whole answer and on silences, and the quirks logged
 * ```ts
 * import { chatStream, type ChatReaderOptions } from '@sluice/chat'
 *
 * const options: ChatReaderOptions = {
 *   signal: AbortSignal.timeout(120_000), // the whole answer within two minutes
 *   idleTimeoutMs: 30_000, // and never 30 s without a byte
 *   onQuirk: (quirk) => console.warn(quirk.code, quirk.message),
 * }
 * const stream = chatStream(response, options)
 * ```
 */
export interface ChatReaderOptions extends Omit<ChatChunkStreamOptions, 'onQuirk'> {
  /** Called for each quirk of the stages: the SSE decoder's, the chunk decoder's and the accumulator's. */
  onQuirk?: (quirk: SSEQuirk | ChunkQuirk | AccumulatorQuirk) => void
  /**
   * Aborting it cancels the stream: the upstream is cancelled, a pending or later read
   * rejects with `signal.reason`, and `outcome` settles (`cancelled` for an `AbortError`
   * or `TimeoutError`, as `AbortSignal.timeout()` gives).
   */
  signal?: AbortSignal | undefined
  /**
   * Error with `StreamIdleError` (and cancel the upstream) when a read waits this long for
   * bytes. Keep-alive comments are bytes: a provider that sends them while it thinks stays
   * alive. Time the consumer spends between reads does not count. `Infinity`: no limit.
   * @default undefined (no limit)
   */
  idleTimeoutMs?: number | undefined
  /**
   * Read a 2xx `Response` as an event stream whatever its `content-type`. Without it, a type
   * other than `text/event-stream` errors with `UnexpectedContentTypeError`.
   * @default false
   */
  allowAnyContentType?: boolean | undefined
  /**
   * Parse each tool call's arguments as they stream (`partialJSON` of `@sluice/json`): the
   * snapshots' tool calls carry `function.parsed_arguments`, and
   * {@link ChatReader.partialToolCalls} reads them. Arguments that turn out not to be JSON
   * are reported (quirk `arguments-not-json`). See `DeltaAccumulatorOptions` in
   * `@sluice/accumulator`; without it, nothing is parsed and no parser is bundled.
   * @default undefined
   */
  parseArguments?: PartialValueParserFactory | undefined
  /**
   * Parse the content as it streams, for structured output (`response_format`, which the
   * stream does not show): the snapshots' messages carry `parsed`, and
   * {@link ChatReader.partialObjects} reads it. Content that turns out not to be JSON is
   * reported (quirk `content-not-json`).
   * @default undefined
   */
  parseContent?: PartialValueParserFactory | undefined
}

/**
 * Options of {@link ChatReader.textStream}.
 *
 * @example The model's reasoning, to stderr
 * ```ts
 * import { chatStream, type TextStreamOptions } from '@sluice/chat'
 *
 * const thinking: TextStreamOptions = { reasoning: true }
 * for await (const text of chatStream(response).textStream(thinking)) process.stderr.write(text)
 * ```
 */
export interface TextStreamOptions {
  /**
   * The `index` of the choice to read (requests with `n > 1` stream several).
   * @default 0
   */
  choice?: number
  /**
   * Read the reasoning deltas instead of the content: `reasoning_content` (DeepSeek, vLLM,
   * …) or, in a delta without it, `reasoning` (OpenRouter, Groq, …).
   * @default false
   */
  reasoning?: boolean
}

/** The ways of reading a `ChatReader`, as error messages name them. */
type Reading =
  | 'for await'
  | 'textStream()'
  | 'events()'
  | 'snapshots()'
  | 'partialToolCalls()'
  | 'partialObjects()'
  | 'toSSEResponse()'
  | 'completion()'

/**
 * A streamed chat completion, from an OpenAI-compatible `/chat/completions` response with
 * `stream: true`. One pass over the input parses the chunks (`ChatChunkParser`, pulled with
 * `iterate`, no `TransformStream` in between) and assembles them (`DeltaAccumulator`), so
 * whichever way it is read, {@link ChatReader.completion} and {@link ChatReader.outcome}
 * come with it.
 *
 * Read it one way: `for await` (chunks), {@link ChatReader.textStream},
 * {@link ChatReader.events}, {@link ChatReader.snapshots},
 * {@link ChatReader.partialToolCalls}, {@link ChatReader.partialObjects} or
 * {@link ChatReader.toSSEResponse}; starting a second throws `StreamConsumedError`.
 * `completion()` and `outcome` may be awaited beside any of them.
 *
 * Nothing is read before a reading starts: an HTTP error, a wrong content type or an idle
 * upstream surfaces where the stream is read, and in `completion()` and `outcome`.
 *
 * @example Print the answer, then the token usage
 * ```ts
 * import { chatStream } from '@sluice/chat'
 *
 * const stream = chatStream(response)
 * for await (const chunk of stream) process.stdout.write(chunk.choices[0]?.delta.content ?? '')
 * console.log((await stream.completion()).usage)
 * ```
 */
export class ChatReader implements AsyncIterable<ChatCompletionChunk> {
  readonly #source: ByteSource
  readonly #accumulator: DeltaAccumulator
  readonly #tap: ChatItemTap
  readonly #stages: ComposedTransformer<LineSplitterInput, ChatItem>
  #reading: Reading | undefined
  /** `cancel()` was called: a reading stops putting out what is left of the last read. */
  #cancelled = false
  #completion: Promise<ChatCompletion> | undefined
  #format: WireFormat | undefined
  /** Which of the parsing options were given: `partialToolCalls()` and `partialObjects()` need them. */
  readonly #parses: Record<'parseArguments' | 'parseContent', boolean>

  constructor(source: ChatSource, options: ChatReaderOptions = {}) {
    const { signal, idleTimeoutMs, allowAnyContentType, parseArguments, parseContent, ...parserOptions } = options
    this.#source = new ByteSource(source, {
      idleTimeoutMs: idleTimeout(idleTimeoutMs, 'chatStream'),
      allowAnyContentType,
    })
    const { onEvent, onComment, onChunk } = options
    const formatOptions = {
      ...parserOptions,
      // Byte offsets cost a pass per line: only the caller's tracing hooks want them, not ours.
      trackByteOffsets: byteOffsetsFor(options.trackByteOffsets, onEvent, onChunk),
      onEvent: (event: ServerSentEvent, info: Parameters<NonNullable<typeof onEvent>>[1]) => {
        onEvent?.(event, info)
        this.#tap.event(event)
      },
      onComment: (text: string) => {
        onComment?.(text)
        this.#tap.comment(text)
      },
    }
    this.#accumulator = new DeltaAccumulator({
      ...(options.onQuirk && { onQuirk: options.onQuirk as (quirk: AccumulatorQuirk) => void }),
      ...(options.strict !== undefined && { strict: options.strict }),
      parseArguments,
      parseContent,
    })
    this.#parses = { parseArguments: parseArguments !== undefined, parseContent: parseContent !== undefined }
    // The format is chosen at the first event; the accumulator then writes to the chosen
    // parser's record, composed after it: one outcome for the stream.
    const formats = new FormatSwitch(
      (format) => formatParser(format, formatOptions),
      (format, parser) => {
        this.#format = format
        this.#accumulator.useRecord(parser.record)
      },
    )
    this.#tap = new ChatItemTap(this.#accumulator)
    this.#stages = compose(formats, this.#tap)
    if (signal) this.#listen(signal)
  }

  /**
   * The outcome of the stream, from the accumulator linked to the parser (see
   * `StreamOutcome` in `@sluice/openai`): `complete`, `truncated`, `error` or `cancelled`,
   * with what every stage saw, bytes to open tool calls. It settles when the stream ends —
   * read to its end, failed, cancelled or aborted — and never rejects. It does not read the
   * stream itself: await it beside a reading or `completion()`.
   *
   * @example
   * ```ts
   * import { chatStream } from '@sluice/chat'
   *
   * const stream = chatStream(response)
   * const text = await new Response(stream.textStream().pipeThrough(new TextEncoderStream())).text()
   * const { status, error } = await stream.outcome
   * ```
   */
  /**
   * The wire format the stream speaks, known once its first event arrived: `'openai-chat'`,
   * `'anthropic-messages'`, `'openai-responses'` or `'gemini'` (the last three translated
   * to chat chunks). `undefined` before.
   */
  get format(): WireFormat | undefined {
    return this.#format
  }

  get outcome(): Promise<StreamOutcome> {
    return this.#accumulator.outcome
  }

  /**
   * The chunks, on the fast pull path: a `for await` over the stream reads the input and
   * parses it with no `TransformStream` in between.
   *
   * @throws {StreamConsumedError} when another reading has started
   * @example
   * ```ts
   * import { chatStream } from '@sluice/chat'
   *
   * for await (const chunk of chatStream(response)) process.stdout.write(chunk.choices[0]?.delta.content ?? '')
   * ```
   */
  [Symbol.asyncIterator](): AsyncIterableIterator<ChatCompletionChunk> {
    return this.#guard(this.#begin<ChatCompletionChunk>('for await', 'chunks'))
  }

  /**
   * The content deltas of one choice as text, skipping empty ones: `delta.content`, or with
   * `reasoning: true` the reasoning deltas (`reasoning_content`, or `reasoning` where a
   * delta has no `reasoning_content`). A refusal is not text: see the completion's
   * `message.refusal`.
   *
   * @throws {StreamConsumedError} when another reading has started
   * @example Answer a browser with plain text
   * ```ts
   * import { chatStream } from '@sluice/chat'
   *
   * function plainText(upstream: Response): Response {
   *   return new Response(chatStream(upstream).textStream().pipeThrough(new TextEncoderStream()), {
   *     headers: { 'content-type': 'text/plain; charset=utf-8' },
   *   })
   * }
   * ```
   */
  textStream(options: TextStreamOptions = {}): IterableReadableStream<string> {
    const { choice = 0, reasoning = false } = options
    if (!Number.isSafeInteger(choice) || choice < 0)
      throw new RangeError(`textStream: choice must be a choice index (an integer >= 0), got ${String(choice)}`)
    return this.#stream(this.#texts(this.#begin<ChatCompletionChunk>('textStream()', 'chunks'), choice, reasoning))
  }

  /**
   * The raw server-sent events, as the SSE decoder dispatched them (`data: [DONE]`
   * included), while the chunks are parsed and assembled on the same pass: an error in a
   * chunk still errors this stream (an `event: error` is yielded, then its `ProviderError`
   * is thrown), and `completion()` still works. A `ReadableStream`, for
   * proxies and UIs; async-iterable in every runtime.
   *
   * @throws {StreamConsumedError} when another reading has started
   * @example
   * ```ts
   * import { chatStream } from '@sluice/chat'
   *
   * for await (const event of chatStream(response).events()) console.debug(event.type, event.data)
   * ```
   */
  events(): IterableReadableStream<ServerSentEvent> {
    return this.#stream(this.#guard(this.#begin<ServerSentEvent>('events()', 'events')))
  }

  /**
   * One snapshot per chunk: the `chat.completion` assembled so far, frozen, sharing what
   * did not change with the previous one (see `DeltaAccumulator` in
   * `@sluice/accumulator`).
   *
   * @throws {StreamConsumedError} when another reading has started
   * @example Render the message as it grows
   * ```ts
   * import { chatStream } from '@sluice/chat'
   *
   * for await (const snapshot of chatStream(response).snapshots()) render(snapshot.choices[0]?.message)
   * ```
   */
  snapshots(): IterableReadableStream<ChatCompletion> {
    return this.#stream(this.#guard(this.#begin<ChatCompletion>('snapshots()', 'snapshots')))
  }

  /**
   * The tool calls of choice 0 as their arguments stream: after each chunk that changed
   * them, the calls so far (a frozen array; a call that did not change is the same object as
   * before), each with `function.parsed_arguments`, its arguments parsed so far. Needs the
   * `parseArguments` option. The tool calls come parsed whatever the wire format: an
   * Anthropic, Responses or Gemini stream is read as chat chunks.
   *
   * @throws {TypeError} without the `parseArguments` option
   * @throws {StreamConsumedError} when another reading has started
   * @example Tool arguments appearing as they stream
   * ```ts
   * import { chatStream } from '@sluice/chat'
   * import { partialJSON } from '@sluice/json'
   *
   * const stream = chatStream(response, { parseArguments: partialJSON })
   * for await (const calls of stream.partialToolCalls()) {
   *   for (const call of calls) render(call.id, call.function.name, call.function.parsed_arguments)
   *   // { city: 'Pa' }, then { city: 'Paris' }, then { city: 'Paris', days: 3 }
   * }
   * const completion = await stream.completion()
   * ```
   */
  partialToolCalls(): IterableReadableStream<readonly ChatCompletionToolCall[]> {
    this.#needs('parseArguments', 'partialToolCalls()')
    return this.#stream(
      this.#changes(this.#begin<ChatCompletion>('partialToolCalls()', 'snapshots'), (message) => message.tool_calls),
    )
  }

  /**
   * The content of choice 0 parsed as it streams (structured output): `message.parsed` each
   * time it changes — frozen, sharing what did not change with the one before. Needs the
   * `parseContent` option (the stream cannot see `response_format`). Only complete numbers
   * and literals appear; strings grow as they arrive.
   *
   * @throws {TypeError} without the `parseContent` option
   * @throws {StreamConsumedError} when another reading has started
   * @example A structured answer, rendered as it fills in
   * ```ts
   * import { chatStream } from '@sluice/chat'
   * import { partialJSON } from '@sluice/json'
   *
   * const stream = chatStream(response, { parseContent: partialJSON })
   * for await (const recipe of stream.partialObjects()) render(recipe) // {}, { title: 'Crê' }, { title: 'Crêpes', steps: [] }, …
   * const { status } = await stream.outcome
   * ```
   */
  partialObjects(): IterableReadableStream<unknown> {
    this.#needs('parseContent', 'partialObjects()')
    return this.#stream(
      this.#changes(this.#begin<ChatCompletion>('partialObjects()', 'snapshots'), (message) => message.parsed),
    )
  }

  /**
   * The assembled completion, tool calls included, when the stream ends without an error
   * (also when it was cut off and `truncated: 'close'` accepted it: see `outcome`).
   *
   * The rule, without timers: the promise reads the stream itself when it is awaited (its
   * `then` called: `await`, `.then()`, `.catch()`) while no reading has started; otherwise
   * it waits for the reading that runs. So `const done = stream.completion()` followed by a
   * `for await` over the stream, then `await done`, reads once; `await stream.completion()`
   * alone reads the whole stream; and a reading started after an awaited `completion()` is
   * refused (`StreamConsumedError`).
   *
   * On failure it rejects with the original error, the last snapshot attached as
   * `error.partial` (`null` when no chunk had arrived). A cancellation without an error as
   * its reason (`cancel()`, `break`) rejects with `StreamCancelledError`, and an error that
   * cannot carry a property (a frozen one) is wrapped in `AccumulationError`, both with
   * `partial`. A stream that ended without a single chunk rejects with `EmptyStreamError`.
   *
   * @example The whole answer, tool calls included
   * ```ts
   * import { chatStream, parseToolArguments } from '@sluice/chat'
   *
   * const completion = await chatStream(response).completion()
   * for (const call of completion.choices[0]?.message.tool_calls ?? []) console.log(call.function.name, parseToolArguments(call))
   * ```
   */
  completion(): Promise<ChatCompletion> {
    if (this.#completion) return this.#completion
    this.#completion = readWhenAwaited(
      this.outcome.then((outcome) => this.#result(outcome)),
      // Awaited while nothing reads the stream: the promise is the reading (see the rule above).
      () => {
        if (this.#reading === undefined) void this.#drain()
      },
    )
    return this.#completion
  }

  /**
   * The chunks re-framed as a server-sent events `Response`, for a proxy (a Cloudflare
   * Worker, a route handler): `data: <chunk JSON>` per chunk, keep-alive comments passed on,
   * then `data: [DONE]`. Headers: `content-type: text/event-stream; charset=utf-8` and
   * `cache-control: no-cache`, unless `init` sets them.
   *
   * The status is decided before the upstream is read: an error met while reading (an
   * HTTP error, a provider error, a cut-off stream, an idle timeout) goes out as a last
   * `event: error` whose data is an OpenAI-style `{ "error": { "message", "type", "code",
   * "param" } }`, then the body closes (no `[DONE]`). To answer an HTTP error with its
   * status, get it first: `createChatCompletionStream` rejects with `HTTPError`. When the
   * client goes away, the upstream is cancelled.
   *
   * @throws {StreamConsumedError} when another reading has started
   * @example A Worker that proxies a chat stream
   * ```ts
   * import { createChatCompletionStream, type ChatCompletionRequest } from '@sluice/chat'
   *
   * export default {
   *   async fetch(request: Request, env: { EDENAI_API_KEY: string }): Promise<Response> {
   *     const stream = await createChatCompletionStream((await request.json()) as ChatCompletionRequest, {
   *       baseURL: 'https://api.edenai.run/v3',
   *       apiKey: env.EDENAI_API_KEY,
   *       signal: request.signal,
   *     })
   *     return stream.toSSEResponse({ headers: { 'access-control-allow-origin': '*' } })
   *   },
   * }
   * ```
   */
  toSSEResponse(init: ResponseInit = {}): Response {
    const frames = sseFrames(
      this.#guard(this.#begin<ChatCompletionChunk | KeepAliveComment>('toSSEResponse()', 'chunks-and-comments')),
    )
    const headers = new Headers(init.headers)
    if (!headers.has('content-type')) headers.set('content-type', 'text/event-stream; charset=utf-8')
    if (!headers.has('cache-control')) headers.set('cache-control', 'no-cache')
    return new Response(this.#stream(frames), { ...init, headers })
  }

  /**
   * Stops the stream: the upstream is cancelled (a fetch body released), `outcome` settles
   * (`cancelled`; `error` when `reason` is an `Error` other than an `AbortError` or
   * `TimeoutError`, as everywhere in sluice), a reading in progress ends (a `for await`
   * loop leaves, a returned `ReadableStream` closes) and `completion()` rejects.
   *
   * @example Stop when the user does
   * ```ts
   * import { chatStream } from '@sluice/chat'
   *
   * const stream = chatStream(response)
   * document.querySelector('#stop')!.addEventListener('click', () => stream.cancel())
   * ```
   */
  async cancel(reason?: unknown): Promise<void> {
    this.#cancelled = true
    this.#stages.cancel(reason)
    await this.#source.close(reason)
  }

  /**
   * Starts the one reading of this stream: what the pass puts out for `selection`, as
   * `iterate` pulls it (typed by the caller: the tap puts out `T`s for that selection).
   */
  #begin<T extends ChatItem>(reading: Reading, selection: ChatItemSelection): AsyncGenerator<T, void, undefined> {
    if (this.#reading !== undefined) throw new StreamConsumedError(this.#reading, reading)
    this.#reading = reading
    this.#tap.select(selection)
    return iterate(this.#source.readable, this.#stages) as AsyncGenerator<T, void, undefined>
  }

  /**
   * `items`, stopped by `cancel()`: what the last read produced may still be queued in
   * `iterate`, and a cancelled stream puts out nothing more. A plain iterator object, not
   * an async generator: it adds no promise per item to the fast path.
   */
  #guard<T>(items: AsyncGenerator<T, void, undefined>): AsyncIterableIterator<T> {
    const guarded: AsyncIterableIterator<T> = {
      next: () => (this.#cancelled ? items.return() : items.next()),
      return: () => items.return(),
      throw: (error?: unknown) => items.throw(error),
      [Symbol.asyncIterator]: () => guarded,
    }
    return guarded
  }

  #stream<T>(items: AsyncIterator<T, void, undefined>): IterableReadableStream<T> {
    return streamFrom(items, (reason) => {
      // The consumer cancelled the ReadableStream: the outcome keeps its reason.
      this.#stages.cancel(reason)
      void this.#source.close(reason)
    })
  }

  async *#texts(
    chunks: AsyncGenerator<ChatCompletionChunk, void, undefined>,
    choice: number,
    reasoning: boolean,
  ): AsyncGenerator<string, void, undefined> {
    for await (const chunk of chunks) {
      if (this.#cancelled) return
      for (const { index, delta } of chunk.choices) {
        if (index !== choice) continue
        const text = reasoning
          ? (nonEmpty(delta.reasoning_content) ?? nonEmpty(delta.reasoning))
          : nonEmpty(delta.content)
        if (text !== undefined) yield text
      }
    }
  }

  /** What `pick` takes from the message of choice 0 in each snapshot, each time it is another value (not `undefined`). */
  async *#changes<T>(
    snapshots: AsyncGenerator<ChatCompletion, void, undefined>,
    pick: (message: ChatCompletionMessage) => T | undefined,
  ): AsyncGenerator<T, void, undefined> {
    let last: T | undefined
    for await (const snapshot of snapshots) {
      if (this.#cancelled) return
      // In index order: choice 0, when it came, is the first.
      const choice = snapshot.choices[0]
      if (choice?.index !== 0) continue
      const value = pick(choice.message)
      if (value !== undefined && value !== last) yield (last = value)
    }
  }

  /** A reading that needs a parsing option throws without it, before it starts. */
  #needs(option: 'parseArguments' | 'parseContent', reading: Reading): void {
    if (!this.#parses[option])
      throw new TypeError(
        `${reading} needs the ${option} option: chatStream(response, { ${option}: partialJSON }), partialJSON from @sluice/json`,
      )
  }

  /** `completion()` reading the stream itself; its failure is the outcome's, read there. */
  async #drain(): Promise<void> {
    try {
      for await (const _ of this.#begin('completion()', 'none'));
    } catch {}
  }

  #result(outcome: StreamOutcome): ChatCompletion {
    const failed =
      outcome.status === 'error' ||
      outcome.status === 'cancelled' ||
      (outcome.status === 'truncated' && outcome.error !== undefined)
    const partial = this.#accumulator.snapshot
    if (failed) throw withPartial(outcome.status, outcome.error, partial)
    if (!partial) throw new EmptyStreamError()
    return partial
  }

  #listen(signal: AbortSignal): void {
    const abort = () => {
      this.#stages.cancel(signal.reason)
      void this.#source.fail(signal.reason)
    }
    if (signal.aborted) return abort()
    signal.addEventListener('abort', abort, { once: true })
    // The stream's end, whichever it is, settles the outcome: the listener goes then.
    void this.outcome.then(() => signal.removeEventListener('abort', abort))
  }
}

/**
 * Reads `source` — a fetch `Response`, a `ReadableStream` of bytes or an `AsyncIterable` of
 * bytes — as an OpenAI-compatible chat completion stream. Returns at once: nothing is read
 * until the {@link ChatReader} is; a non-2xx response (`HTTPError`) or a wrong content type
 * (`UnexpectedContentTypeError`) surfaces there. A source of another kind, or a response
 * whose body was used, throws a `TypeError` here.
 *
 * @example Text, then the assembled completion and the outcome
 * ```ts
 * import { chatStream } from '@sluice/chat'
 *
 * const stream = chatStream(await fetch('https://api.edenai.run/v3/chat/completions', {
 *   method: 'POST',
 *   headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` },
 *   body: JSON.stringify({ model: 'anthropic/claude-sonnet-4-5', stream: true, messages }),
 * }), { idleTimeoutMs: 30_000 })
 * for await (const text of stream.textStream()) process.stdout.write(text)
 * const completion = await stream.completion()
 * console.log((await stream.outcome).status, completion.usage)
 * ```
 */
export function chatStream(source: ChatSource, options?: ChatReaderOptions): ChatReader {
  return new ChatReader(source, options)
}

/**
 * `promise`, as a promise that calls `onAwait` the first time it is awaited (its `then`
 * called, which `await` does for a promise that is not a plain `Promise`).
 */
function readWhenAwaited<T>(promise: Promise<T>, onAwait: () => void): Promise<T> {
  const awaited = new AwaitedPromise<T>((resolve, reject) => promise.then(resolve, reject))
  awaited.onAwait = onAwait
  return awaited
}

/** A promise that runs a callback when first awaited; what its methods return are plain promises. */
class AwaitedPromise<T> extends Promise<T> {
  static override get [Symbol.species](): PromiseConstructor {
    return Promise
  }

  onAwait: (() => void) | undefined

  // biome-ignore lint/suspicious/noThenProperty: a Promise subclass overrides then() to see the first await.
  override then<A = T, B = never>(
    onFulfilled?: ((value: T) => A | PromiseLike<A>) | null,
    onRejected?: ((reason: unknown) => B | PromiseLike<B>) | null,
  ): Promise<A | B> {
    const onAwait = this.onAwait
    this.onAwait = undefined
    onAwait?.()
    return super.then(onFulfilled, onRejected)
  }
}

function nonEmpty(text: string | null | undefined): string | undefined {
  return typeof text === 'string' && text !== '' ? text : undefined
}

/** The failure with the last snapshot attached as `partial`, or wrapped when it cannot carry it. */
function withPartial(status: StreamOutcome['status'], error: unknown, partial: ChatCompletion | null): unknown {
  if (status !== 'cancelled') return attachPartial(error, partial)
  return attachPartial(error, partial, (reason) => new StreamCancelledError(reason, partial))
}
