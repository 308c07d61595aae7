/**
 * Every way sluice reads a chat stream, and the synchronous model they must all agree with:
 * the plain transformers fed one byte at a time, stopping at the first throw or terminate.
 * Used by the stream-order property test and the fuzzer. Web APIs only.
 */
import { DeltaAccumulator, DeltaAccumulatorStream, accumulate, type ChatCompletion } from '@sluice/accumulator'
import { compose, iterate, OrderedTransformStream } from '@sluice/compose'
import { LineSplitter, LineSplitterStream } from '@sluice/lines'
import {
  ChatChunkParser,
  ChatChunkStream,
  ChunkDecoder,
  ChunkDecoderStream,
  type ChatCompletionChunk,
} from '@sluice/openai'
import { SSEDecoder, SSEDecoderStream, SSEStream } from '@sluice/sse'
import * as assert from 'uvu/assert'
import { fromChunks } from '@sluice/test-support'
import { sniffFormat } from '../src/format-parser.ts'
import { type APIErrorBody, type ChatReaderOptions, chatStream } from '../src/index.ts'
import { errorBody } from '../src/sse-frames.ts'

/** The options every path takes: the chunk stream's, with a hook that hears every stage's quirks. */
type PathOptions = ChatReaderOptions

/** How a reading ended: closed, or failed with an error of this name and code. */
export type Ending = { status: 'closed' } | { status: 'error'; name: string; code: unknown; error: unknown }

/** What a path handed over, in order, then how it ended. */
export interface Run<T = ChatCompletionChunk> {
  items: T[]
  ending: Ending
}

/**
 * The reference: the chunks and the ending of the chunk stages; then, for the paths that
 * also accumulate, the chunks the accumulator took (it may refuse one: its error ends those
 * paths there), a snapshot after each, and their ending.
 */
export interface Reference extends Run {
  accumulated: Run
  snapshots: ChatCompletion[]
}

const ending = (error: unknown): Ending =>
  error === undefined
    ? { status: 'closed' }
    : { status: 'error', name: (error as Error)?.name, code: (error as { code?: unknown })?.code, error }

/** A controller for the model: `enqueue` feeds `next`; `terminate` stops everything. */
function controller<O>(next: (item: O) => void, stop: { terminated: boolean }): TransformStreamDefaultController<O> {
  return {
    desiredSize: 1,
    enqueue: (item?: O) => {
      if (!stop.terminated) next(item as O)
    },
    error: (reason?: unknown) => {
      throw reason
    },
    terminate: () => {
      stop.terminated = true
    },
  }
}

/**
 * The synchronous model: LineSplitter → SSEDecoder → ChunkDecoder, each plain transformer
 * called directly, the input fed one byte at a time; the first throw or terminate ends it.
 * Then the chunks go one by one into a DeltaAccumulator, which may refuse one, and which
 * sees the end of its input when the chunk stages closed. What came out before each ending
 * is the reference for every path.
 */
export function reference(input: Uint8Array, options: PathOptions = {}): Reference {
  const stop = { terminated: false }
  const items: ChatCompletionChunk[] = []
  const lines = new LineSplitter({ ...options, terminators: 'any' })
  const events = new SSEDecoder(options)
  const chunks = new ChunkDecoder({ ...options, afterDone: 'cancel' })
  // One record for the three stages, as compose() links them.
  events.useRecord(lines.record)
  chunks.useRecord(lines.record)
  const toItems = controller<ChatCompletionChunk>((item) => items.push(item), stop)
  const toChunks = controller<import('@sluice/sse').ServerSentEvent>((event) => chunks.transform(event, toItems), stop)
  const toEvents = controller<string>((line) => events.transform(line, toChunks), stop)
  let error: unknown
  try {
    for (let index = 0; index < input.length && !stop.terminated; index++)
      lines.transform(input.subarray(index, index + 1), toEvents)
    if (!stop.terminated) lines.flush(toEvents)
    if (!stop.terminated) events.flush(toChunks)
    if (!stop.terminated) chunks.flush()
  } catch (thrown) {
    error = thrown
  }
  // The accumulator, linked to the chunk stage as the front door links it.
  const accumulator = new DeltaAccumulator()
  accumulator.useRecord(lines.record)
  const snapshots: ChatCompletion[] = []
  const taken: ChatCompletionChunk[] = []
  let accumulatorError: unknown
  try {
    for (const item of items) {
      snapshots.push(accumulator.add(item))
      taken.push(item)
    }
    // At the end of its input (the chunk stages closed, at [DONE] or at the end): its outcome.
    if (error === undefined) accumulator.flush()
  } catch (thrown) {
    accumulatorError = thrown
  }
  return {
    items,
    ending: ending(error),
    accumulated: { items: taken, ending: ending(accumulatorError ?? error) },
    snapshots,
  }
}

/** How fast the consumer reads: at once, or yielding to the event loop before each read. */
export type Pace = 'fast' | 'slow'

const pause = (pace: Pace) => (pace === 'slow' ? new Promise<void>((resolve) => setTimeout(resolve, 0)) : undefined)

/** Reads a stream with a reader to its end or its error. */
async function read<T>(stream: ReadableStream<T>, pace: Pace): Promise<Run<T>> {
  const reader = stream.getReader()
  const items: T[] = []
  try {
    for (;;) {
      await pause(pace)
      const { done, value } = await reader.read()
      if (done) return { items, ending: ending(undefined) }
      items.push(value)
    }
  } catch (error) {
    return { items, ending: ending(error) }
  }
}

/** Reads an async iterable to its end or its error. */
async function drain<T>(iterable: AsyncIterable<T>, pace: Pace): Promise<Run<T>> {
  const items: T[] = []
  try {
    for await (const item of iterable) {
      items.push(item)
      await pause(pace)
    }
    return { items, ending: ending(undefined) }
  } catch (error) {
    return { items, ending: ending(error) }
  }
}

type Body = () => ReadableStream<Uint8Array>

/** The paths that hand over chunks. */
export const chunkPaths: Record<string, (body: Body, options: PathOptions, pace: Pace) => Promise<Run>> = {
  'LineSplitterStream → SSEDecoderStream → ChunkDecoderStream': (body, options, pace) => {
    const lines = new LineSplitterStream({ ...options, terminators: 'any' })
    const events = new SSEDecoderStream(options)
    return read(body().pipeThrough(lines).pipeThrough(events).pipeThrough(new ChunkDecoderStream(options)), pace)
  },
  'SSEStream → ChunkDecoderStream': (body, options, pace) => {
    const events = new SSEStream(options)
    return read(body().pipeThrough(events).pipeThrough(new ChunkDecoderStream(options)), pace)
  },
  ChatChunkStream: (body, options, pace) => read(body().pipeThrough(new ChatChunkStream(options)), pace),
  'OrderedTransformStream(compose(…))': (body, options, pace) => {
    const lines = new LineSplitter({ ...options, terminators: 'any' })
    const events = new SSEDecoder(options)
    const chunks = new ChunkDecoder(options)
    return read(body().pipeThrough(new OrderedTransformStream(compose(lines, events, chunks))), pace)
  },
  'iterate(ChatChunkParser)': (body, options, pace) => drain(iterate(body(), new ChatChunkParser(options)), pace),
}

/** The paths that hand over chunks and accumulate them on the same pass: the accumulator may end them. */
export const accumulatingChunkPaths: Record<string, (body: Body, options: PathOptions, pace: Pace) => Promise<Run>> = {
  'chatStream() for await': (body, options, pace) => drain(chatStream(body(), options), pace),
}

/** A path's snapshots (and the chunk count they stand for), for the accumulating paths. */
export const snapshotPaths: Record<
  string,
  (body: Body, options: PathOptions, pace: Pace) => Promise<Run<ChatCompletion>>
> = {
  DeltaAccumulatorStream: (body, options, pace) => {
    const chunks = new ChatChunkStream(options)
    return read(body().pipeThrough(chunks).pipeThrough(new DeltaAccumulatorStream()), pace)
  },
  'chatStream().snapshots()': (body, options, pace) => read(chatStream(body(), options).snapshots(), pace),
}

/** The assembled completion, or the failure with the last snapshot as `partial`. */
export const completionPaths: Record<
  string,
  (body: Body, options: PathOptions) => Promise<{ completion: ChatCompletion | null; ending: Ending }>
> = {
  'accumulate(ChatChunkStream)': async (body, options) =>
    settle(accumulate(body().pipeThrough(new ChatChunkStream(options)))),
  'chatStream().completion()': async (body, options) => settle(chatStream(body(), options).completion()),
}

async function settle(
  promise: Promise<ChatCompletion>,
): Promise<{ completion: ChatCompletion | null; ending: Ending }> {
  try {
    return { completion: await promise, ending: ending(undefined) }
  } catch (error) {
    return { completion: (error as { partial?: ChatCompletion | null }).partial ?? null, ending: ending(error) }
  }
}

/** `chatStream().textStream()`: the content deltas of choice 0. */
export const textPath = (body: Body, options: PathOptions, pace: Pace): Promise<Run<string>> =>
  read(chatStream(body(), options).textStream(), pace)

/** The content deltas a reader of choice 0 sees in `items`, as `textStream()` gives them. */
export const texts = (items: readonly ChatCompletionChunk[]): string[] =>
  items
    .flatMap((item) => item.choices.filter((choice) => choice.index === 0).map((choice) => choice.delta.content))
    .filter((text): text is string => typeof text === 'string' && text !== '')

/**
 * `chatStream().toSSEResponse()`: the frames it sent, read back: the chunks, then `[DONE]`
 * or the `event: error` body (as `errorBody` makes it of the failure).
 */
export async function proxyPath(
  body: Body,
  options: PathOptions,
  pace: Pace,
): Promise<{ items: unknown[]; last: unknown }> {
  const response = chatStream(body(), options).toSSEResponse()
  const frames = await read(response.body!.pipeThrough(new SSEStream()), pace)
  if (frames.ending.status !== 'closed')
    throw new Error(`the proxied body itself failed: ${String((frames.ending as { error: unknown }).error)}`)
  const events = frames.items
  const last = events.at(-1)
  const items = events.slice(0, -1).map((event) => JSON.parse(event.data))
  if (last === undefined) return { items, last: undefined }
  if (last.type === 'message' && last.data === '[DONE]') return { items, last: '[DONE]' }
  if (last.type === 'error') return { items, last: JSON.parse(last.data) }
  return { items: [...items, JSON.parse(last.data)], last: undefined }
}

/** What `toSSEResponse()` must end with for the reference's ending. */
export const expectedProxyEnd = (ending: Ending): unknown =>
  ending.status === 'closed' ? '[DONE]' : errorBody(ending.error)

/** `reads` as a body stream, each read one `Uint8Array`. */
export const bodyOf =
  (reads: readonly Uint8Array[]): Body =>
  () =>
    fromChunks(reads.map((read) => read.slice()))

const sameEnding = (actual: Ending, expected: Ending, what: string) => {
  if (expected.status === 'closed') {
    assert.is(
      actual.status,
      'closed',
      `${what}: closed, not ${actual.status === 'error' ? `${actual.name}: ${(actual.error as Error)?.message}` : ''}`,
    )
  } else {
    assert.is(actual.status, 'error', `${what}: fails with ${expected.name}`)
    assert.is(
      (actual as { name: string }).name,
      expected.name,
      `${what}: the same error class (${(actual as { error: Error }).error?.message})`,
    )
    assert.is((actual as { code: unknown }).code, expected.code, `${what}: the same code`)
  }
}

/** Runs every path on `reads` (the reads of `input`) and checks each against the model (uvu assertions). */
export async function checkAllPaths(
  input: Uint8Array,
  reads: Uint8Array[],
  pace: Pace,
  chatOptions: PathOptions,
): Promise<Reference> {
  // The chat decoders require an event stream; the separate stages and the model are told to.
  const options: PathOptions = { requireEventStream: true, ...chatOptions }
  const model = reference(input, options)
  const body = bodyOf(reads)
  for (const [name, path] of Object.entries(chunkPaths)) {
    const run = await path(body, options, pace)
    assert.equal(run.items, model.items, `${name}: the chunks before the ending`)
    sameEnding(run.ending, model.ending, name)
  }
  const accumulated = model.accumulated
  // The front door reads a stream whose first data: line names message_start as Anthropic
  // Messages (packages/chat/test/anthropic-format.test.ts), one that names a response.
  // event type as OpenAI Responses (responses-format.test.ts), and one whose first data:
  // line is a Gemini chunk, or a body that opens a JSON array, as Gemini
  // (gemini-format.test.ts): the chat model is not their model. It still ends with a
  // completion or one of sluice's documented errors.
  const readAsChat = sniffFormat(new TextDecoder().decode(input), true) === 'openai-chat'
  if (!readAsChat) {
    const { ending } = await completionPaths['chatStream().completion()']!(body, options)
    if (ending.status === 'error')
      assert.ok(
        typeof ending.code === 'string' && ending.code.startsWith('SLUICE_'),
        `chatStream() of another format: a documented error, not ${ending.name}: ${(ending.error as Error)?.message}`,
      )
  }
  const chatOnly = <T>(paths: Record<string, T>) =>
    Object.entries(paths).filter(([name]) => readAsChat || !name.startsWith('chatStream'))
  for (const [name, path] of chatOnly(accumulatingChunkPaths)) {
    const run = await path(body, options, pace)
    assert.equal(run.items, accumulated.items, `${name}: the chunks before the ending`)
    sameEnding(run.ending, accumulated.ending, name)
  }
  for (const [name, path] of chatOnly(snapshotPaths)) {
    const run = await path(body, options, pace)
    assert.is(run.items.length, model.snapshots.length, `${name}: one snapshot per chunk`)
    assert.equal(run.items.at(-1), model.snapshots.at(-1), `${name}: the last snapshot`)
    sameEnding(run.ending, accumulated.ending, name)
  }
  for (const [name, path] of chatOnly(completionPaths)) {
    const { completion, ending } = await path(body, options)
    // A stream that closed without a chunk has no completion to give.
    const empty: Ending = { status: 'error', name: 'EmptyStreamError', code: 'SLUICE_EMPTY_STREAM', error: undefined }
    sameEnding(
      ending,
      accumulated.ending.status === 'closed' && model.snapshots.length === 0 ? empty : accumulated.ending,
      name,
    )
    // A completion, or the partial one a failure carries (null before the first chunk).
    if (accumulated.ending.status === 'error' || model.snapshots.length > 0)
      assert.equal(completion, model.snapshots.at(-1) ?? null, `${name}: the completion or partial`)
  }
  if (!readAsChat) return model
  const text = await textPath(body, options, pace)
  assert.equal(text.items, texts(accumulated.items), 'textStream(): the deltas before the ending')
  sameEnding(text.ending, accumulated.ending, 'textStream()')
  const proxied = await proxyPath(body, options, pace)
  assert.equal(
    proxied.items,
    JSON.parse(JSON.stringify(accumulated.items)),
    'toSSEResponse(): the chunks before the ending',
  )
  // [DONE], or the error event of the failure: its type and code (a line-length message
  // counts the characters that had arrived, which depends on the reads), and a provider's message.
  const expectedEnd = expectedProxyEnd(accumulated.ending) as string | APIErrorBody
  if (typeof expectedEnd === 'string') assert.is(proxied.last, expectedEnd, 'toSSEResponse(): [DONE] at the end')
  else {
    const { error } = proxied.last as APIErrorBody
    assert.equal(
      [error?.type, error?.code],
      [expectedEnd.error.type, expectedEnd.error.code],
      'toSSEResponse(): the error event of the failure',
    )
    if (accumulated.ending.status === 'error' && accumulated.ending.name === 'ProviderError')
      assert.is(error.message, expectedEnd.error.message, "toSSEResponse(): the provider's message")
  }
  return model
}
