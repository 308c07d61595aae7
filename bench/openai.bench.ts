/**
 * `@sluice/openai` against the official `openai` SDK, eventsource-parser with
 * `JSON.parse`, and the loop people write by hand: bytes in, `ChatCompletionChunk`
 * objects out.
 *
 * Run: `pnpm bench` from the repository root (builds the packages, then runs every
 * `*.bench.ts`), or `pnpm bench openai` for this file only. `@sluice/openai` is imported
 * by package name, so this measures the built `dist` users install, not the sources.
 *
 * Why the method is sound:
 * - Same input for every row of a group: one OpenAI-style chat completion SSE stream
 *   (`data: {json}` events, the usage chunk with `choices: []`, `data: [DONE]` last),
 *   built by inputs.ts from a seeded generator, with non-ASCII text (é, 🦕, 日本語 …) so
 *   UTF-8 decoding across chunk boundaries is exercised.
 * - Same chunking for every row: the bytes are sliced into `Uint8Array`s once, before
 *   timing, and every case reads them from a `new ReadableStream({ pull })` that enqueues
 *   one chunk per pull, as a response body does. The SDK row gets that stream as the body
 *   of a `new Response(…)`: the object `fetch` hands the SDK, without the network.
 * - Every run parses every event's JSON and reads every chunk, concatenating
 *   `choices[0].delta.content`, so no case can win by leaving work undone.
 * - Results are checked before timing: every case must produce exactly the chunks the
 *   generator wrote (same count, usage chunk included, and the same concatenated
 *   content). A parser that computes the wrong thing fast is not a win. The input uses
 *   LF only, because the hand-written loop does not handle CRLF or a lone CR.
 * - All rows run in one process, round-robin after warm-up, and the median is reported
 *   (see harness.ts).
 */
import { ChatChunkParser, ChatChunkStream, ChunkDecoderStream } from '@sluice/openai'
import { SSEStream } from '@sluice/sse'
import { createParser } from 'eventsource-parser'
import { Stream } from 'openai/streaming'
import type { ChatCompletionChunk as SDKChatCompletionChunk } from 'openai/resources/chat/completions'
import type { BenchGroup } from './harness.ts'
import {
  chatStreamGroups,
  EVENT_READS,
  readEach,
  readLinesNaively,
  readText,
  transformFromReader,
  type Bytes,
  type ChatStream,
} from './inputs.ts'

/** What every case must compute. */
interface ChunkTally {
  /** Chunks produced: every event but `[DONE]`. */
  chunks: number
  /** `choices[0].delta.content` of every chunk, concatenated: the reply. */
  content: string
}

/** What the tally reads of a chunk: sluice's `ChatCompletionChunk` and the SDK's both have it. */
interface ContentChunk {
  choices: readonly { delta: { content?: string | null | undefined } }[]
}

const DONE = '[DONE]'

export const groups: BenchGroup[] = chatStreamGroups('openai', EVENT_READS, {
  stream: { usage: true },
  expected: expectedChunks,
  describe: (input, expected) => `${input.events.length} events (${expected.chunks} chunks, the last with usage only)`,
  cases: [
    { name: 'sluice ChatChunkStream', run: (source) => tallyStream(source().pipeThrough(new ChatChunkStream())) },
    {
      name: 'sluice SSEStream + ChunkDecoderStream',
      run: (source) => tallyStream(source().pipeThrough(new SSEStream()).pipeThrough(new ChunkDecoderStream())),
      note:
        'the same parsing as `ChatChunkStream`, in two stream stages: each event is queued between ' +
        'them as a chunk of the stream that connects them.',
    },
    {
      name: 'openai SDK Stream.fromSSEResponse',
      run: (source) => sdkStream(source()),
      note:
        'openai 6.30.1: `Stream.fromSSEResponse(new Response(source), new AbortController())` iterated ' +
        'with `for await`. This is the object `client.chat.completions.create({ stream: true })` ' +
        'returns, and its own SSE parsing and `JSON.parse`; only the HTTP request is left out.',
    },
    {
      name: 'eventsource-parser + JSON.parse',
      run: (source) => feedLoop(source()),
      note:
        'eventsource-parser 3.1.1 without its stream: the source is read with a reader, decoded with a ' +
        'streaming `TextDecoder` and fed to `createParser`, whose `onEvent` calls `JSON.parse` on each ' +
        'event until `[DONE]`.',
    },
    {
      name: 'hand-written loop',
      run: (source) => handWrittenLoop(source()),
      note:
        "the tutorial loop: `TextDecoder`, `buffer.split('\\n')`, lines starting with `data: `, " +
        '`JSON.parse`, stop at `[DONE]`. It takes each `data: ` line for a whole JSON document and knows ' +
        'no other field. On CRLF input it throws a SyntaxError at `[DONE]\\r`; with lone CRs, or with ' +
        '`data:` without a space, it yields no chunk at all and no error; a chunk split over two `data:` ' +
        'lines throws; an `event: error` comes out as a chunk. The SDK and sluice handle all of these.',
    },
    {
      name: 'sluice ChatChunkParser, reader loop',
      run: (source) => parserLoop(source()),
      note:
        'no transform stream: the source is read with a reader, each chunk goes to `ChatChunkParser.transform` ' +
        'with a plain object as the controller, and `flush` ends it. The sluice row to compare with the SDK, ' +
        'eventsource-parser and hand-written rows, which also read the source in a loop: the same reads, ' +
        'no transform stream, a different parser.',
    },
  ],
})

/** The chunks the generator wrote: every event but `[DONE]`, and the reply they carry. */
function expectedChunks(input: ChatStream): ChunkTally {
  return { chunks: input.events.length - 1, content: input.content }
}

/** The SDK's parsing, as `client.chat.completions.create({ stream: true })` runs it on the response. */
async function sdkStream(source: ReadableStream<Bytes>): Promise<ChunkTally> {
  const tally = emptyTally()
  const stream = Stream.fromSSEResponse<SDKChatCompletionChunk>(new Response(source), new AbortController())
  for await (const chunk of stream) add(tally, chunk)
  return tally
}

/** eventsource-parser without its stream: read, decode, `feed`; `onEvent` parses the JSON. */
async function feedLoop(source: ReadableStream<Bytes>): Promise<ChunkTally> {
  const tally = emptyTally()
  let done = false
  const parser = createParser({
    onEvent(event) {
      if (done) return
      if (event.data === DONE) done = true
      else add(tally, JSON.parse(event.data) as SDKChatCompletionChunk)
    },
  })
  await readText(source, (text) => parser.feed(text))
  return tally
}

/** The loop tutorials show: split lines on LF, `JSON.parse` each `data: ` line until `[DONE]`. */
async function handWrittenLoop(source: ReadableStream<Bytes>): Promise<ChunkTally> {
  const tally = emptyTally()
  let done = false
  await readLinesNaively(source, (line) => {
    if (done || !line.startsWith('data: ')) return
    const data = line.slice(6)
    if (data === DONE) done = true
    else add(tally, JSON.parse(data) as SDKChatCompletionChunk)
  })
  return tally
}

/** `ChatChunkParser` in a reader loop: one stream, the source. */
async function parserLoop(source: ReadableStream<Bytes>): Promise<ChunkTally> {
  const tally = emptyTally()
  await transformFromReader(new ChatChunkParser(), source, (chunk) => add(tally, chunk))
  return tally
}

/** Reads `chunks` to the end. */
async function tallyStream(chunks: ReadableStream<ContentChunk>): Promise<ChunkTally> {
  const tally = emptyTally()
  await readEach(chunks, (chunk) => add(tally, chunk))
  return tally
}

/** A plain object, not a class instance: the harness compares summaries with `isDeepStrictEqual`. */
function emptyTally(): ChunkTally {
  return { chunks: 0, content: '' }
}

function add(tally: ChunkTally, chunk: ContentChunk): void {
  tally.chunks++
  tally.content += chunk.choices[0]?.delta.content ?? ''
}
