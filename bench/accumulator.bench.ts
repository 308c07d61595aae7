/**
 * `@sluice/accumulator` against the official `openai` SDK: chat completion chunks in, the
 * assembled completion out, and whether the cost per chunk stays flat as a reply grows.
 *
 * Run: `pnpm bench` from the repository root (builds the packages, then runs every
 * `*.bench.ts`), or `pnpm bench accumulator` for this file only. `@sluice/accumulator` is
 * imported by package name, so this measures the built `dist` users install, not the
 * sources.
 *
 * Why the method is sound:
 * - The claim under test is that a chunk costs time in proportion to the chunk, not to the
 *   snapshot, so the time per chunk must not grow with the length of the reply. Each
 *   series runs the same cases on replies of 1000, 10000 and 100000 chunks, built by
 *   inputs.ts from a seeded generator: a role chunk, content deltas of a few words (with
 *   é, 🦕, 日本語 …), then 3 tool calls streamed as argument fragments (a tenth of the
 *   chunks), and `finish_reason` last. The report divides each case's time per chunk at
 *   100000 chunks by its time at 1000.
 * - Every run processes 100000 chunks, whatever the group: 100 replies of 1000 chunks,
 *   10 of 10000 or 1 of 100000, each with a new accumulator. So every timed run is long
 *   enough for the timer and leaves as much garbage behind; only the length of the
 *   replies differs between the groups of a series.
 * - Two series, so that each pair of rows does the same work. With chunk objects (parsed
 *   once, before timing), `DeltaAccumulator.add` against the SDK's accumulation, which only
 *   runs inside its `ChatCompletionStream`: `client.chat.completions.stream()` with the
 *   request replaced by an SDK `Stream` of the same objects. With bytes, the SDK's
 *   `ChatCompletionStream.fromReadableStream`, which reads newline-delimited JSON (what its
 *   `toReadableStream` writes) and parses it, against sluice parsing the same bytes in the
 *   same 16 KiB reads, each from a `new ReadableStream({ pull })` that enqueues one read
 *   per pull, as a response body does.
 * - Every run assembles every reply to the end (sluice builds a frozen snapshot after
 *   every chunk), and its summary is the final message: no case can win by leaving work
 *   undone.
 * - Results are checked before timing: every case must assemble exactly the message the
 *   generator wrote (role, content, each tool call's id, type, name and arguments, and
 *   the finish reason). An accumulator that computes the wrong thing fast is not a win.
 * - All rows run in one process, round-robin after warm-up, and the median is reported
 *   (see harness.ts).
 *
 * The last two groups ask whether the cost of a chunk stays flat as a snapshot widens: a
 * reply with 20,000 choices (n = 20,000), each started by a chunk of its own and finished
 * by another, and one message with 20,000 tool calls, each streamed as two fragments. Every
 * case must assemble every choice (or call): their count, their joined text and the last
 * one are compared before timing.
 */
import { DeltaAccumulator } from '@sluice/accumulator'
import { LineSplitter } from '@sluice/lines'
import type { ChatCompletionChunk } from '@sluice/openai'
import OpenAI from 'openai'
import { ChatCompletionStream } from 'openai/lib/ChatCompletionStream'
import type { ChatCompletionChunk as SDKChatCompletionChunk } from 'openai/resources/chat/completions'
import { Stream } from 'openai/streaming'
import { summarize, type CompletionLike, type CompletionSummary as Summary } from './chat-cases.ts'
import type { BenchGroup } from './harness.ts'
import {
  chatCompletionChunks,
  formatSize,
  fromChunks,
  KiB,
  scaled,
  slice,
  transformFromReader,
  type Bytes,
  type ChatReply,
} from './inputs.ts'

/** Chunks processed by every run of every case: replies of the group's length, as many as it takes. */
const CHUNKS_PER_RUN = scaled(100_000, 10_000)

/** The reply lengths of each series, shortest first. */
const LENGTHS = scaled([1000, 10_000, 100_000], [100, 1000, 10_000])

const READ_SIZE = 16 * KiB

/** Choices of the wide reply, and tool calls of the wide message: 20,000 (2,000 with `--quick`). */
const WIDTH = scaled(20_000, 2000)

/** The fields every chunk of the wide replies shares. */
const base = {
  id: 'chatcmpl-wide',
  object: 'chat.completion.chunk',
  created: 1764072000,
  model: 'gpt-4o-mini',
} as const

/** One reply length, and what its two groups share. */
interface ReplyInput {
  length: number
  /** Replies per run. */
  replies: number
  expected: Summary
  /** `100 replies of 1000 chunks per run (…)`, for the list of inputs under the table. */
  input: string
  /** Bytes of the reply as newline-delimited JSON. */
  ndjsonSize: number
}

// The generator is deterministic: each group's `setUp` writes the same reply again, so the
// chunks (20 MiB of JSON for the longest reply) are in the heap only while its group runs.
const replyInputs: ReplyInput[] = LENGTHS.map((length) => {
  const reply = chatCompletionChunks(length)
  const replies = CHUNKS_PER_RUN / length
  return {
    length,
    replies,
    expected: { ...reply.message, finishReason: reply.finishReason },
    input: `${replies} ${replies === 1 ? 'reply' : 'replies'} of ${length} chunks per run (${describe(reply)})`,
    ndjsonSize: ndjson(reply).byteLength,
  }
})

export const groups: BenchGroup[] = [
  ...replyInputs.map(({ length, replies, expected, input }): BenchGroup => {
    let chunks: ChatCompletionChunk[] = []
    let client: OpenAI | undefined
    return {
      name: `accumulator, ${length} chunks`,
      input: `${input}, as objects parsed before timing`,
      items: { count: CHUNKS_PER_RUN, unit: 'chunk' },
      series: { name: 'accumulator', length: `${length} chunks` },
      expected,
      setUp() {
        chunks = chatCompletionChunks(length).chunks.map((json) => JSON.parse(json) as ChatCompletionChunk)
        client = replayClient(chunks as unknown as SDKChatCompletionChunk[])
      },
      tearDown() {
        chunks = []
        client = undefined
      },
      cases: [
        { name: 'sluice DeltaAccumulator.add', run: () => repeat(replies, async () => addAll(chunks)) },
        {
          name: 'openai SDK chat.completions.stream()',
          run: () => repeat(replies, () => sdkStream(client!)),
          note:
            'openai 6.30.1: `client.chat.completions.stream(params)`, then `finalChatCompletion()`, with the ' +
            "client's `chat.completions.create` replaced by one that resolves to the SDK's own `Stream` of " +
            'the chunk objects: no request, no parsing, the accumulation of `ChatCompletionStream` (one ' +
            'snapshot mutated in place, an event emitted per chunk) and its `for await` over the chunks. ' +
            'Each stream starts its work in a `setTimeout(…, 0)`, at least 1 ms: with 100 replies a run, ' +
            'about 1 µs a chunk of its time at 1000 chunks is that wait.',
        },
      ],
    }
  }),
  ...replyInputs.map(({ length, replies, expected, input, ndjsonSize }): BenchGroup => {
    let reads: Bytes[] = []
    return {
      name: `accumulator, ${length} chunks as NDJSON`,
      input:
        `${input}, as newline-delimited JSON: ${formatSize(ndjsonSize)} a reply, ` +
        `in ${Math.ceil(ndjsonSize / READ_SIZE)} reads of ${formatSize(READ_SIZE)}`,
      items: { count: CHUNKS_PER_RUN, unit: 'chunk' },
      series: { name: 'accumulator, NDJSON', length: `${length} chunks` },
      expected,
      setUp() {
        reads = slice(ndjson(chatCompletionChunks(length)), READ_SIZE)
      },
      tearDown() {
        reads = []
      },
      cases: [
        {
          name: 'sluice LineSplitter + JSON.parse + DeltaAccumulator',
          run: () => repeat(replies, () => parseAndAdd(fromChunks(reads))),
          note:
            'the work of the `fromReadableStream` row, with sluice: the same reads, a reader loop, ' +
            '`LineSplitter.transform` with a plain object as the controller, `JSON.parse` of each line, ' +
            '`DeltaAccumulator.add`.',
        },
        {
          name: 'openai SDK ChatCompletionStream.fromReadableStream',
          run: () => repeat(replies, () => sdkFromBytes(fromChunks(reads))),
          note:
            'openai 6.30.1: `ChatCompletionStream.fromReadableStream(source)` (from `openai/lib/ChatCompletionStream`), ' +
            "then `finalChatCompletion()`: the SDK's line splitting and `JSON.parse`, then the same accumulation " +
            'as `chat.completions.stream()`, and the same 1 ms wait before each stream.',
        },
      ],
    }
  }),
  wideGroup(
    `accumulator, ${WIDTH} choices`,
    `${2 * WIDTH} chunks: one per choice with its role and first text, then one per choice with the rest and its finish_reason`,
    manyChoices,
  ),
  wideGroup(
    `accumulator, ${WIDTH} tool calls`,
    `${2 * WIDTH + 2} chunks of one choice: a role chunk, two fragments per call (id, name and the start of the arguments, then the rest), the finish_reason`,
    manyToolCalls,
  ),
]

/** What a case must assemble from a wide reply: every choice and every tool call, in order. */
interface WideSummary {
  choices: number
  calls: number
  /** The text of every choice, then the arguments of every call, joined. */
  text: string
}

function summarizeWide(completion: CompletionLike): WideSummary {
  let text = ''
  let calls = 0
  for (const choice of completion.choices) text += choice.message.content ?? ''
  for (const choice of completion.choices) {
    for (const call of choice.message.tool_calls ?? []) {
      text += call.function?.arguments ?? ''
      calls++
    }
  }
  return { choices: completion.choices.length, calls, text }
}

/** {@link WIDTH} choices, each started by a chunk of its own, then each finished by another. */
function manyChoices(): ChatCompletionChunk[] {
  const chunks: ChatCompletionChunk[] = []
  for (let index = 0; index < WIDTH; index++)
    chunks.push({
      ...base,
      choices: [{ index, delta: { role: 'assistant', content: `${index}` }, finish_reason: null }],
    })
  for (let index = 0; index < WIDTH; index++)
    chunks.push({ ...base, choices: [{ index, delta: { content: '.' }, finish_reason: 'stop' }] })
  return chunks
}

/** One choice with {@link WIDTH} tool calls, each streamed as two fragments. */
function manyToolCalls(): ChatCompletionChunk[] {
  const chunks: ChatCompletionChunk[] = [
    { ...base, choices: [{ index: 0, delta: { role: 'assistant', content: null }, finish_reason: null }] },
  ]
  for (let index = 0; index < WIDTH; index++) {
    const start = {
      index,
      id: `call_${index}`,
      type: 'function' as const,
      function: { name: 'get_weather', arguments: '{"i":' },
    }
    chunks.push({ ...base, choices: [{ index: 0, delta: { tool_calls: [start] }, finish_reason: null }] })
    chunks.push({
      ...base,
      choices: [
        { index: 0, delta: { tool_calls: [{ index, function: { arguments: `${index}}` } }] }, finish_reason: null },
      ],
    })
  }
  chunks.push({ ...base, choices: [{ index: 0, delta: {}, finish_reason: 'tool_calls' }] })
  return chunks
}

/** A group of one wide reply, as chunk objects parsed before timing: sluice against the SDK's accumulation. */
function wideGroup(name: string, input: string, build: () => ChatCompletionChunk[]): BenchGroup {
  let chunks: ChatCompletionChunk[] = []
  let client: OpenAI | undefined
  const sample = build()
  return {
    name,
    input: `${input}, as objects (built before timing)`,
    items: { count: sample.length, unit: 'chunk' },
    expected: expectedWide(sample),
    warmup: 2,
    runs: 7,
    setUp() {
      chunks = build()
      client = replayClient(chunks as unknown as SDKChatCompletionChunk[])
    },
    tearDown() {
      chunks = []
      client = undefined
    },
    cases: [
      {
        name: 'sluice DeltaAccumulator.add',
        run: async () => {
          const accumulator = new DeltaAccumulator()
          for (const chunk of chunks) accumulator.add(chunk)
          return summarizeWide(accumulator.snapshot!)
        },
      },
      {
        name: 'openai SDK chat.completions.stream()',
        run: async () =>
          summarizeWide(
            await client!.chat.completions.stream({ model: 'gpt-4o-mini', messages: [] }).finalChatCompletion(),
          ),
        note: 'as in the groups above: `finalChatCompletion()` of `chat.completions.stream()` fed the chunk objects, one snapshot mutated in place.',
      },
    ],
  }
}

/** The summary a wide reply must give, computed from its chunks without an accumulator. */
function expectedWide(chunks: readonly ChatCompletionChunk[]): WideSummary {
  const texts = new Map<number, string>()
  const calls = new Map<number, string>()
  for (const chunk of chunks) {
    for (const choice of chunk.choices) {
      if (choice.delta.content) texts.set(choice.index, (texts.get(choice.index) ?? '') + choice.delta.content)
      for (const call of choice.delta.tool_calls ?? [])
        calls.set(call.index!, (calls.get(call.index!) ?? '') + (call.function?.arguments ?? ''))
    }
  }
  const choices = new Set(chunks.flatMap((chunk) => chunk.choices.map((choice) => choice.index)))
  return { choices: choices.size, calls: calls.size, text: [...texts.values()].join('') + [...calls.values()].join('') }
}

/** The reply as newline-delimited JSON, what the SDK's `toReadableStream` writes. */
function ndjson(reply: ChatReply): Bytes {
  return new TextEncoder().encode(reply.chunks.map((json) => `${json}\n`).join(''))
}

/** What a reply holds, for the list of inputs under the table. */
function describe(reply: ChatReply): string {
  const calls = reply.message.toolCalls
  return (
    `${reply.message.content.length} characters of content, ${calls.length} tool calls of ` +
    `${calls.map((call) => call.arguments.length).join(', ')} characters of arguments`
  )
}

/** Assembles `count` replies one after the other; all are the same, so the last one's summary stands for them. */
async function repeat(count: number, assemble: () => Promise<Summary>): Promise<Summary> {
  let summary = await assemble()
  for (let i = 1; i < count; i++) summary = await assemble()
  return summary
}

/** `DeltaAccumulator` on chunks parsed before timing: the accumulator alone. */
function addAll(chunks: readonly ChatCompletionChunk[]): Summary {
  const accumulator = new DeltaAccumulator()
  for (const chunk of chunks) accumulator.add(chunk)
  return summarize(accumulator.snapshot!)
}

/**
 * A client whose `chat.completions.create` resolves to the SDK's `Stream` of `chunks`,
 * what the real one resolves to once the response arrives: `chat.completions.stream()`
 * calls it and accumulates what it yields.
 */
function replayClient(chunks: readonly SDKChatCompletionChunk[]): OpenAI {
  const client = new OpenAI({ apiKey: 'unused' })
  const replay = async () =>
    new Stream(async function* () {
      yield* chunks
    }, new AbortController())
  client.chat.completions.create = replay as unknown as typeof client.chat.completions.create
  return client
}

/** The SDK's accumulation, as an application runs it, without the request. */
async function sdkStream(client: OpenAI): Promise<Summary> {
  const stream = client.chat.completions.stream({ model: 'anthropic/claude-sonnet-4-5', messages: [] })
  return summarize(await stream.finalChatCompletion())
}

/** The SDK's accumulation, fed the NDJSON its `toReadableStream` writes. */
async function sdkFromBytes(source: ReadableStream<Bytes>): Promise<Summary> {
  return summarize(await ChatCompletionStream.fromReadableStream(source).finalChatCompletion())
}

/** The same bytes with sluice: lines split by `LineSplitter`, parsed, and added. */
async function parseAndAdd(source: ReadableStream<Bytes>): Promise<Summary> {
  const accumulator = new DeltaAccumulator()
  await transformFromReader(new LineSplitter(), source, (line) => {
    if (line !== '') accumulator.add(JSON.parse(line) as ChatCompletionChunk)
  })
  return summarize(accumulator.snapshot!)
}
