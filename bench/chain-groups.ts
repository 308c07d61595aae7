/**
 * The cases and groups of the chain benchmark, whose method chain.bench.ts describes. A
 * module of its own, in Web APIs only, so that `pnpm bench` (chain.bench.ts, in Node) and
 * the bundle of `pnpm bench --runtime <name>` (runtimes/chain-bundle.ts, in Deno, Bun,
 * workerd and the browsers) run the same cases on the same kind of input.
 */
import { accumulate, DeltaAccumulatorStream, type ChatCompletion } from '@sluice/accumulator'
import { parseJsonEventStream } from '@ai-sdk/provider-utils'
import { iterate } from '@sluice/compose'
import { LineSplitterStream } from '@sluice/lines'
import { ChatChunkParser, ChatChunkStream, ChunkDecoderStream } from '@sluice/openai'
import { SSEDecoderStream } from '@sluice/sse'
import { EventSourceParserStream } from 'eventsource-parser/stream'
import OpenAI from 'openai'
import type { ChatCompletionChunk as SDKChatCompletionChunk } from 'openai/resources/chat/completions'
import { z } from 'zod'
import {
  addChunk,
  DONE,
  emptyTally,
  feedLoop,
  handWrittenLoop,
  summarize,
  tallyIterable,
  tallyStream,
  type ChunkTally,
  type CompletionSummary,
  type ContentChunk,
} from './chat-cases.ts'
import type { BenchCase, BenchGroup } from './harness-core.ts'
import {
  chatReplyStream,
  formatSize,
  fromChunks,
  KiB,
  readEach,
  readText,
  slice,
  sliceEvents,
  type Bytes,
  type ChatReplyStream,
  type LineEnding,
} from './inputs.ts'

/** The reference rows: every row's ratio to each is a column of the table. */
const ESP_STREAM = 'eventsource-parser stream + JSON.parse'
const FLOOR = 'floor: reader loop, indexOf, JSON.parse'

/** One way to read the stream: its line ending, and the size of its reads (`'event'`: one event per read). */
interface ReadPlan {
  lineEnding: LineEnding
  readSize: number | 'event'
}

const PLANS: readonly ReadPlan[] = [
  { lineEnding: '\n', readSize: 16 * KiB },
  { lineEnding: '\n', readSize: 1 * KiB },
  { lineEnding: '\n', readSize: 64 },
  { lineEnding: '\n', readSize: 'event' },
  { lineEnding: '\r\n', readSize: 16 * KiB },
]

/** A case of this file: it gets a new stream of the group's reads, and the group's line ending. */
interface ChainCase extends Omit<BenchCase, 'run'> {
  run: (source: ReadableStream<Bytes>, lineEnding: LineEnding) => Promise<unknown>
  /** Whether it assembles the completion (else it yields chunks). */
  completion?: true
  /** Whether it reads LF-only streams only. */
  lfOnly?: true
}

const MODEL = 'anthropic/claude-sonnet-4-5'

/**
 * The AI SDK validates every chunk with a schema (`@ai-sdk/openai-compatible` passes one
 * like this); without one, `parseJsonEventStream` does not type-check.
 */
const CHUNK_SCHEMA = z.object({
  id: z.string().nullish(),
  created: z.number().nullish(),
  model: z.string().nullish(),
  choices: z.array(
    z.object({
      delta: z.object({
        role: z.enum(['assistant']).nullish(),
        content: z.string().nullish(),
        tool_calls: z
          .array(
            z.object({
              index: z.number(),
              id: z.string().nullish(),
              function: z.object({ name: z.string().nullish(), arguments: z.string().nullish() }),
            }),
          )
          .nullish(),
      }),
      finish_reason: z.string().nullish(),
    }),
  ),
})

const CASES: readonly ChainCase[] = [
  { name: 'sluice ChatChunkStream (fused)', run: (source) => tallyStream(source.pipeThrough(new ChatChunkStream())) },
  {
    name: 'sluice iterate(ChatChunkParser)',
    run: (source) => tallyIterable(iterate(source, new ChatChunkParser())),
    note:
      '`for await (const chunk of iterate(body, new ChatChunkParser()))` from `@sluice/compose`: the same parser ' +
      'as `ChatChunkStream`, pulled with a reader, no `TransformStream`.',
  },
  {
    name: 'sluice 3 stages, pipeThrough',
    run: (source) =>
      tallyStream(
        source
          .pipeThrough(new LineSplitterStream())
          .pipeThrough(new SSEDecoderStream())
          .pipeThrough(new ChunkDecoderStream()),
      ),
    note:
      '`LineSplitterStream`, `SSEDecoderStream`, `ChunkDecoderStream`, each its own `TransformStream`, piped as ' +
      'the READMEs show: `pipeThrough` fuses them (each stage runs inside the enqueue of the one before).',
  },
  {
    name: ESP_STREAM,
    run: (source) => eventSourceParserStream(source),
    note:
      'eventsource-parser 3.1.1 as its README shows it, `TextDecoderStream` then `EventSourceParserStream`, ' +
      'and `JSON.parse` of each event read from it until `[DONE]`. The first reference.',
  },
  {
    name: 'eventsource-parser callback + JSON.parse',
    run: (source) => feedLoop(source),
    note:
      'its callback API, `createParser({ onEvent })`, fed by a reader loop with a streaming `TextDecoder`; ' +
      '`onEvent` parses the JSON.',
  },
  {
    name: 'openai SDK create({ stream: true })',
    run: (source) => sdkCreate(source),
    note:
      'openai 6.30.1: `client.chat.completions.create({ stream: true })` on a client whose `fetch` returns a ' +
      "`Response` over the group's stream (no network), iterated with `for await`: the SDK's `Stream`, its SSE " +
      'parsing and `JSON.parse`.',
  },
  {
    name: '@ai-sdk parseJsonEventStream',
    run: (source) => aiSdkStream(source),
    note:
      '@ai-sdk/provider-utils 4.0.66 (the AI SDK 6 line, with zod 4.6.7): `parseJsonEventStream({ stream, schema })`, ' +
      'which pipes `TextDecoderStream`, `EventSourceParserStream` and a `TransformStream` that parses each ' +
      "event's JSON (its `secureJsonParse`) and validates it, with a zod schema of the chunk like the one " +
      '`@ai-sdk/openai-compatible` passes.',
  },
  {
    name: 'hand-rolled loop (README)',
    run: (source) => handWrittenLoop(source),
    lfOnly: true,
    note:
      "the loop the repository README describes: `TextDecoder`, `buffer.split('\\n')`, `data: ` lines, " +
      '`JSON.parse`, stop at `[DONE]`. Not in the CRLF group: there it throws a SyntaxError at `[DONE]\\r`.',
  },
  {
    name: FLOOR,
    run: (source, lineEnding) => floor(source, lineEnding + lineEnding),
    note:
      'the second reference, the least work that reads this stream: a reader loop, a streaming `TextDecoder`, ' +
      "`indexOf` of the blank line, and `JSON.parse` of what follows `data: `. It knows the input's line " +
      'ending and that every event is one `data:` line: not a parser.',
  },
  {
    name: 'sluice ChatChunkStream + accumulate()',
    completion: true,
    run: async (source) => summarize(await accumulate(source.pipeThrough(new ChatChunkStream()))),
    note: '`accumulate(body.pipeThrough(new ChatChunkStream()))`: a `DeltaAccumulator` snapshot after every chunk, the final one kept.',
  },
  {
    name: 'sluice iterate() + accumulate()',
    completion: true,
    run: async (source) => summarize(await accumulate(iterate(source, new ChatChunkParser()))),
    note: '`accumulate(iterate(body, new ChatChunkParser()))`.',
  },
  {
    name: 'sluice 4 stages, pipeThrough',
    completion: true,
    run: (source) => lastSnapshot(source),
    note: 'the 3 stages, then `DeltaAccumulatorStream`: a snapshot per chunk out of a fourth `TransformStream` (fused like the others), the last one kept.',
  },
  {
    name: 'openai SDK stream() + finalChatCompletion()',
    completion: true,
    run: (source) => sdkFinal(source),
    note:
      'openai 6.30.1: `client.chat.completions.stream(params)`, then `finalChatCompletion()`, on the same ' +
      "client: the SDK's parsing, then its accumulation (one snapshot mutated in place, events emitted per chunk).",
  },
]

/** What {@link chainGroups} builds. */
export interface ChainOptions {
  /** The length of every group's stream, in bytes: at least this (the generator ends at a chunk). */
  size: number
}

/**
 * The groups of the chain benchmark: `pnpm bench` runs them on 8 MiB in Node, `pnpm bench
 * --runtime <name>` on a shorter stream in the runtime named, from one bundle.
 */
export function chainGroups({ size }: ChainOptions): BenchGroup[] {
  // The stream of each line ending, built once (the groups slice it in their setUp).
  const streams = new Map<LineEnding, { stream: ChatReplyStream; chunks: ChunkTally; completion: CompletionSummary }>()
  for (const lineEnding of new Set(PLANS.map((plan) => plan.lineEnding))) {
    const stream = chatReplyStream(size, lineEnding)
    const { message, finishReason, chunks } = stream.reply
    streams.set(lineEnding, {
      stream: { ...stream, reply: { chunks: [], message, finishReason } },
      chunks: { chunks: chunks.length, content: message.content },
      completion: { ...message, finishReason },
    })
  }
  return PLANS.map((plan) => chainGroup(plan, streams.get(plan.lineEnding)!))
}

/** The group of one plan, reading `stream`, whose chunks and completion are known. */
function chainGroup(
  plan: ReadPlan,
  { stream, chunks, completion }: { stream: ChatReplyStream; chunks: ChunkTally; completion: CompletionSummary },
): BenchGroup {
  let reads: Bytes[] = []
  const cases = CASES.filter((benchCase) => plan.lineEnding === '\n' || benchCase.lfOnly !== true)
  const calls = stream.reply.message.toolCalls
  const ending = plan.lineEnding === '\n' ? 'LF' : 'CRLF'
  return {
    name: `chain, ${planName(plan)}`,
    input:
      `${formatSize(stream.bytes.byteLength)} OpenAI-style SSE stream, ${chunks.chunks} chunks (a reply of ` +
      `${chunks.content.length} characters, then ${calls.length} tool calls of ` +
      `${calls.map((call) => call.arguments.length).join(', ')} characters of arguments), ${ending}, ` +
      `in ${readCount(plan, stream.bytes, chunks.chunks + 1)}`,
    bytes: stream.bytes.byteLength,
    produces: { count: chunks.chunks, unit: 'chunk' },
    references: [
      { label: 'eventsource-parser stream', case: ESP_STREAM },
      { label: 'floor', case: FLOOR },
    ],
    expected: chunks,
    // Every run is checked, the warm-up included, so the check before timing (a run more of
    // every case of 8 MiB) is left out; and 5 runs, not the harness's 15: `pnpm bench` stays
    // near 6 minutes. A case computes its first wrong result in its warm-up run at the latest.
    checkBeforeTiming: false,
    warmup: 1,
    runs: 5,
    setUp() {
      reads = cut(plan, stream.bytes)
    },
    tearDown() {
      reads = []
    },
    cases: cases.map(({ run, completion: assembles, lfOnly: _, ...rest }) => ({
      ...rest,
      ...(assembles ? { expected: completion } : {}),
      run: () => run(fromChunks(reads), plan.lineEnding),
    })),
  }
}

/** `16 KiB reads`, `one event per read`, `CRLF, 16 KiB reads`. */
function planName({ lineEnding, readSize }: ReadPlan): string {
  const reads = readSize === 'event' ? 'one event per read' : `${formatSize(readSize)} reads`
  return lineEnding === '\n' ? reads : `CRLF, ${reads}`
}

/** The stream's bytes cut into the plan's reads. */
function cut({ lineEnding, readSize }: ReadPlan, bytes: Bytes): Bytes[] {
  return readSize === 'event' ? sliceEvents(bytes, lineEnding + lineEnding) : slice(bytes, readSize)
}

/** `513 reads of 16 KiB`, `38000 reads, one event each`, for the list of inputs. */
function readCount({ readSize }: ReadPlan, bytes: Bytes, events: number): string {
  if (readSize === 'event') return `${events} reads, one event each`
  return `${Math.ceil(bytes.byteLength / readSize)} reads of ${formatSize(readSize)}`
}

/** eventsource-parser as its README shows it, with `JSON.parse` of each event. */
async function eventSourceParserStream(source: ReadableStream<Bytes>): Promise<ChunkTally> {
  const tally = emptyTally()
  let done = false
  const events = source.pipeThrough(new TextDecoderStream()).pipeThrough(new EventSourceParserStream())
  await readEach(events, (event) => {
    if (done) return
    if (event.data === DONE) done = true
    else addChunk(tally, JSON.parse(event.data) as SDKChatCompletionChunk)
  })
  return tally
}

/** A client whose every request is answered with `body`, as a chat completion stream. */
function replayClient(body: ReadableStream<Bytes>): OpenAI {
  return new OpenAI({
    apiKey: 'unused',
    baseURL: 'http://127.0.0.1:9/v1',
    maxRetries: 0,
    // The SDK refuses to start in a browser unless told (it would expose the API key); the
    // key here is a dummy and every request is answered locally. No effect elsewhere.
    dangerouslyAllowBrowser: true,
    fetch: async () => new Response(body, { headers: { 'content-type': 'text/event-stream' } }),
  })
}

/** The SDK's `Stream`, as `create({ stream: true })` returns it. */
async function sdkCreate(source: ReadableStream<Bytes>): Promise<ChunkTally> {
  return tallyIterable(await replayClient(source).chat.completions.create({ model: MODEL, messages: [], stream: true }))
}

/** The SDK's accumulation, as an application runs it. */
async function sdkFinal(source: ReadableStream<Bytes>): Promise<CompletionSummary> {
  const stream = replayClient(source).chat.completions.stream({ model: MODEL, messages: [] })
  return summarize(await stream.finalChatCompletion())
}

/** The AI SDK's parsing: every result must be a success. */
async function aiSdkStream(source: ReadableStream<Bytes>): Promise<ChunkTally> {
  const tally = emptyTally()
  await readEach(parseJsonEventStream({ stream: source, schema: CHUNK_SCHEMA }), (result) => {
    if (!result.success) throw result.error
    addChunk(tally, result.value as ContentChunk)
  })
  return tally
}

/** The 3 stages and `DeltaAccumulatorStream`: the last snapshot. */
async function lastSnapshot(source: ReadableStream<Bytes>): Promise<CompletionSummary> {
  let last: ChatCompletion | undefined
  const snapshots = source
    .pipeThrough(new LineSplitterStream())
    .pipeThrough(new SSEDecoderStream())
    .pipeThrough(new ChunkDecoderStream())
    .pipeThrough(new DeltaAccumulatorStream())
  await readEach(snapshots, (snapshot) => {
    last = snapshot
  })
  return summarize(last!)
}

/**
 * The floor: decode, find each event's end (`separator`, its blank line) with `indexOf`,
 * `JSON.parse` what follows `data: `. The search resumes where the last one stopped, so a
 * long event read in many small pieces is not searched again from its start.
 */
async function floor(source: ReadableStream<Bytes>, separator: string): Promise<ChunkTally> {
  const tally = emptyTally()
  const prefix = 'data: '.length
  let buffer = ''
  let searched = 0
  let done = false
  await readText(source, (text) => {
    buffer += text
    let start = 0
    for (let end = buffer.indexOf(separator, searched); end !== -1; end = buffer.indexOf(separator, start)) {
      const data = buffer.slice(start + prefix, end)
      start = end + separator.length
      if (done) continue
      if (data === DONE) done = true
      else addChunk(tally, JSON.parse(data) as SDKChatCompletionChunk)
    }
    buffer = buffer.slice(start)
    searched = Math.max(0, buffer.length - separator.length + 1)
  })
  return tally
}
