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
import { ChatChunkStream, ChunkDecoderStream } from '@sluice/openai'
import { SSEStream } from '@sluice/sse'
import { feedLoop, handWrittenLoop, parserLoop, sdkFromSSEResponse, tallyStream, type ChunkTally } from './chat-cases.ts'
import type { BenchGroup } from './harness.ts'
import { chatStreamGroups, EVENT_READS, type ChatStream } from './inputs.ts'

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

/** The chunks the generator wrote: every event but `[DONE]`, and the reply they carry. */
function expectedChunks(input: ChatStream): ChunkTally {
  return { chunks: input.events.length - 1, content: input.content }
}
