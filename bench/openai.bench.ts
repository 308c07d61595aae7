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
 *
 * The last group, "openai, empty data: events", checks a claim rather than races the
 * alternatives: an event with empty data (`data: `, the keep-alive of some gateways) is
 * skipped without an error and costs no more than a comment. Its two rows read 100,000
 * such events, or 100,000 comments of the same length (`: ping`), then one chunk and
 * `[DONE]`, through `ChatChunkStream`, in the same 16 KiB reads.
 */
import { ChatChunkStream, ChunkDecoderStream } from '@sluice/openai'
import { SSEStream } from '@sluice/sse'
import {
  feedLoop,
  handWrittenLoop,
  parserLoop,
  sdkFromSSEResponse,
  tallyStream,
  type ChunkTally,
} from './chat-cases.ts'
import type { BenchGroup } from './harness.ts'
import { chatStreamGroups, EVENT_READS, fromChunks, KiB, scaled, slice, type Bytes, type ChatReader } from './inputs.ts'

/** Empty-data events (or comments) in the last group: 100,000 (10,000 with `--quick`). */
const FILLER_EVENTS = scaled(100_000, 10_000)

const streamGroups = chatStreamGroups('openai', EVENT_READS, {
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
      run: (source) => sdkFromSSEResponse(source()),
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

export const groups: BenchGroup[] = [...streamGroups, emptyDataGroup()]

/** The chunks the generator wrote: every event but `[DONE]`, and the reply they carry. */
function expectedChunks(input: ChatReader): ChunkTally {
  return { chunks: input.events.length - 1, content: input.content }
}

/**
 * `FILLER_EVENTS` empty `data: ` events against as many comments of the same 8 bytes, each
 * followed by one chunk and `[DONE]`: the empty events must cost no more than the comments.
 */
function emptyDataGroup(): BenchGroup {
  const last = `data: ${JSON.stringify({ id: 'chatcmpl-1', object: 'chat.completion.chunk', created: 0, model: 'm', choices: [{ index: 0, delta: { content: 'x' }, finish_reason: 'stop' }] })}\n\ndata: [DONE]\n\n`
  const reads = (block: string): Bytes[] =>
    slice(new TextEncoder().encode(block.repeat(FILLER_EVENTS) + last), 16 * KiB)
  const empty = reads('data: \n\n')
  const comments = reads(': ping\n\n')
  return {
    name: 'openai, empty data: events',
    input:
      `${FILLER_EVENTS} events \`data: \` (empty data), or ${FILLER_EVENTS} comments \`: ping\`, 8 bytes each, then one chunk and ` +
      `\`[DONE]\`: ${empty.length} reads of 16 KiB each way`,
    items: { count: FILLER_EVENTS, unit: 'event' },
    expected: { chunks: 1, content: 'x' } satisfies ChunkTally,
    cases: [
      {
        name: 'sluice ChatChunkStream, empty data: events',
        run: () => tallyStream(fromChunks(empty).pipeThrough(new ChatChunkStream())),
        note: 'each event with empty data is skipped without an error (and reported as the quirk `empty-data`).',
      },
      {
        name: 'sluice ChatChunkStream, comments',
        run: () => tallyStream(fromChunks(comments).pipeThrough(new ChatChunkStream())),
        note: 'the same number of comments, the same bytes a block: what the empty events should cost no more than.',
      },
    ],
  }
}
