/**
 * The input every benchmark reads, and the ways its cases read it. One module, so that
 * the rows of every file get the same bytes in the same chunks, read the same way: a
 * difference between two rows is then the difference between the parsers.
 *
 * - {@link chatCompletionStream} writes a seeded OpenAI-style chat completion stream,
 *   {@link slice} cuts it into reads once, before timing, and {@link fromChunks} hands
 *   them out one per pull, as a response body does. {@link chatCompletionChunks} writes
 *   the chunks of a reply of a given length, text then tool calls, for the accumulator.
 * - {@link chatStreamGroups} makes the benchmark groups of such a stream, one per read size.
 * - {@link readEach}, {@link readText} and {@link readLinesNaively} are the reader loops
 *   of the cases without a transform stream; {@link transformDirectly} and
 *   {@link transformFromReader} call a sluice `Transformer` without one.
 */

import type { BenchCase, BenchGroup } from './harness.ts'

/** A chunk of the input: a `Uint8Array` with its own `ArrayBuffer`, as a response body reads. */
export type Bytes = Uint8Array<ArrayBuffer>

export const KiB = 1024
export const MiB = 1024 * KiB

/** Words of the generated replies: mostly English, with accents, emoji and other scripts. */
export const WORDS = [
  'the', 'stream', 'token', 'model', 'response', 'delta', 'chunk', 'line', 'event', 'data',
  'a', 'of', 'to', 'and', 'is', 'in', 'that', 'it', 'for', 'with', 'as', 'on', 'by',
  'café', 'naïve', 'é', 'über', 'señor', 'façade', '—', '…', '“quoted”', '🦕', '🚀', '✓',
  '日本語', '中文', 'Ελληνικά', 'русский', 'العربية', '👍🏽',
]

/** Options of {@link chatCompletionStream}. Each adds to the stream; none changes the rest of it. */
export interface ChatStreamOptions {
  /**
   * A `: keep-alive` comment block before about one event in a hundred, as proxies such
   * as OpenRouter send while a model is slow.
   * @default false
   */
  keepAlive?: boolean
  /**
   * A usage chunk (`choices: []`, `usage: {…}`) between the `finish_reason` chunk and
   * `[DONE]`, as OpenAI sends with `stream_options: { include_usage: true }`.
   * @default false
   */
  usage?: boolean
}

/** A generated stream, and what a correct parser makes of it. */
export interface ChatStream {
  /** The whole stream, UTF-8, LF line endings only. */
  bytes: Bytes
  /** The data of every event, in order; the last one is `[DONE]`. */
  events: string[]
  /** Keep-alive comment blocks (none without the `keepAlive` option). */
  comments: number
  /** The reply: `choices[0].delta.content` of every chunk, concatenated. */
  content: string
}

/**
 * Chat completion chunks as OpenAI-compatible APIs send them, `data: {json}` and a blank
 * line each, ending with `data: [DONE]`, until the stream is at least `size` bytes long.
 * Deterministic: every run of the benchmark, on every machine, uses the same text.
 */
export function chatCompletionStream(size: number, options: ChatStreamOptions = {}): ChatStream {
  const encoder = new TextEncoder()
  const random = mulberry32(SEED)
  const blocks: string[] = []
  const events: string[] = []
  let comments = 0
  let content = ''
  let byteLength = 0
  const block = (text: string) => {
    blocks.push(text)
    byteLength += encoder.encode(text).byteLength
  }
  const event = (data: string) => {
    block(`data: ${data}\n\n`)
    events.push(data)
  }
  const choice = (delta: { role?: string; content?: string }, finishReason: string | null) => {
    content += delta.content ?? ''
    event(choiceChunk(delta, finishReason))
  }
  choice({ role: 'assistant', content: '' }, null)
  while (byteLength < size) {
    // Without the option, no random number is drawn for it: the rest of the text is the same.
    if (options.keepAlive === true && random() < 0.01) {
      block(': keep-alive\n\n')
      comments++
    }
    choice({ content: deltaText(random) }, null)
  }
  choice({}, 'stop')
  if (options.usage === true) {
    const completionTokens = events.length - 1
    const usage = { prompt_tokens: 42, completion_tokens: completionTokens, total_tokens: 42 + completionTokens }
    event(chunkJSON({ choices: [], usage }))
  }
  event('[DONE]')
  return { bytes: encoder.encode(blocks.join('')), events, comments, content }
}

/** A generated reply as chunks, and what a correct accumulator makes of it. */
export interface ChatReply {
  /** The JSON of each chunk, in order, as a `data:` field or an NDJSON line carries it. */
  chunks: string[]
  /** The assembled message, from the generator's account: not from an accumulator. */
  message: ReplyMessage
  /** `finish_reason` of the last chunk. */
  finishReason: string
}

/** The parts of an assembled message the accumulator benchmark compares. */
export interface ReplyMessage {
  role: string
  /** Every `delta.content`, concatenated. */
  content: string
  /** Every call's fragments, assembled. */
  toolCalls: { id: string; type: string; name: string; arguments: string }[]
}

/** Options of {@link chatCompletionChunks}. */
export interface ChatReplyOptions {
  /**
   * Parallel tool calls after the text, each streamed as a first fragment with its `id`
   * and function name, then fragments of its JSON arguments.
   * @default 3
   */
  toolCalls?: number
  /**
   * The share of the chunks that are tool-call fragments; the rest (but the first and the
   * last chunk) are content deltas.
   * @default 0.1
   */
  toolCallShare?: number
}

/**
 * Exactly `count` chat completion chunks of one reply, as a model that answers and then
 * calls tools streams them: `role` in the first; content deltas of a few words (the same
 * text as {@link chatCompletionStream}); the tool calls one after the other, each opened
 * by a fragment with its `id`, `type` and function name and continued by fragments of its
 * arguments, a JSON object; `finish_reason: 'tool_calls'` in the last. Deterministic.
 */
export function chatCompletionChunks(count: number, options: ChatReplyOptions = {}): ChatReply {
  const random = mulberry32(SEED)
  const callCount = options.toolCalls ?? 3
  const fragmentCount = Math.round(count * (options.toolCallShare ?? 0.1))
  // Each call needs its opening fragment and at least the `{…` and `…}` argument fragments.
  if (fragmentCount < 3 * callCount || count - 2 - fragmentCount < 0) {
    throw new Error(`${count} chunks cannot hold ${callCount} tool calls`)
  }
  const chunks: string[] = []
  const message: ReplyMessage = { role: 'assistant', content: '', toolCalls: [] }
  chunks.push(choiceChunk({ role: 'assistant', content: '' }, null))
  for (let i = 2 + fragmentCount; i < count; i++) {
    const text = deltaText(random)
    message.content += text
    chunks.push(choiceChunk({ content: text }, null))
  }
  for (let index = 0; index < callCount; index++) {
    const call = { id: `call_${index}`, type: 'function', name: 'write_note', arguments: '' }
    message.toolCalls.push(call)
    chunks.push(choiceChunk({ tool_calls: [{ index, id: call.id, type: call.type, function: { name: call.name, arguments: '' } }] }, null))
    // The fragments left are shared out: the first calls get the odd ones.
    const fragments = Math.floor(fragmentCount / callCount) + (index < fragmentCount % callCount ? 1 : 0) - 1
    for (let k = 0; k < fragments; k++) {
      // `{"path":…,"text":"`, the text's words with JSON escapes, `"}`: valid JSON once joined.
      const piece =
        k === 0 ? `{"path":"notes/${index}.md","text":"` : k === fragments - 1 ? '"}' : JSON.stringify(deltaText(random)).slice(1, -1)
      call.arguments += piece
      chunks.push(choiceChunk({ tool_calls: [{ index, function: { arguments: piece } }] }, null))
    }
  }
  chunks.push(choiceChunk({}, 'tool_calls'))
  return { chunks, message, finishReason: 'tool_calls' }
}

/** The seed of every generator: the same text on every run and every machine. */
const SEED = 0x5eed

/** The JSON of a chat completion chunk: the fields every generated chunk has, then `fields`. */
function chunkJSON(fields: object): string {
  return JSON.stringify({
    id: 'chatcmpl-123',
    object: 'chat.completion.chunk',
    created: 1700000000,
    model: 'anthropic/claude-sonnet-4-5',
    ...fields,
  })
}

/** The JSON of a chunk with one choice, index 0. */
function choiceChunk(delta: object, finishReason: string | null): string {
  return chunkJSON({ choices: [{ index: 0, delta, finish_reason: finishReason }] })
}

/** The text of one content delta: mostly a token or two, as models stream them; sometimes a longer run of words. */
function deltaText(random: () => number): string {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!
  const words = random() < 0.8 ? 1 + Math.floor(random() * 3) : 4 + Math.floor(random() * 20)
  let text = ''
  for (let i = 0; i < words; i++) text += ' ' + pick(WORDS)
  if (random() < 0.05) text += '\n\n' // escaped as \n inside the JSON: no raw LF in the line
  return text
}

/**
 * A case of {@link chatStreamGroups}. `run` gets `source`, which returns a new stream of
 * the group's chunks at each call (a response body, for the stream cases and the reader
 * loops), and the chunks themselves (for the direct calls).
 */
export interface ChatStreamCase extends Omit<BenchCase, 'run'> {
  run: (source: () => ReadableStream<Bytes>, chunks: readonly Bytes[]) => Promise<unknown>
}

/** One group's input: how long the stream is and how it is read. */
export interface Reads {
  /** The stream is at least this many bytes long. */
  size: number
  /** Bytes per read: the size of every chunk but the last. */
  readSize: number
  /** Warm-up and timed runs, where the harness's defaults would take too long. */
  counts?: Pick<BenchGroup, 'warmup' | 'runs'>
}

/**
 * The groups of sse.bench.ts and openai.bench.ts, the same for both so that their rows
 * compare: large reads, where the cost per event dominates; a typical network read of
 * an LLM stream; and small reads, where the cost per chunk shows (smaller than a
 * typical network read, but LLM tokens often arrive one small write at a time).
 */
export const EVENT_READS: readonly Reads[] = [
  { size: 4 * MiB, readSize: 16 * KiB },
  { size: 1 * MiB, readSize: 256 },
  { size: 256 * KiB, readSize: 64 },
]

/** What {@link chatStreamGroups} builds groups from, besides their reads. */
export interface ChatStreamGroupSpec<Summary> {
  /** What the stream holds besides chat completion chunks. */
  stream?: ChatStreamOptions
  /** What every case must resolve with: computed from the generator's account of the stream, not by a parser. */
  expected: (input: ChatStream) => Summary
  /** What the stream holds, for the list of inputs under the table, e.g. `4858 events and 44 keep-alive comments`. */
  describe: (input: ChatStream, expected: Summary) => string
  /** The cases; the first is the reference. */
  cases: readonly ChatStreamCase[]
}

/**
 * One group per entry of `reads`, named `${prefix}, ${readSize} reads`. Its input is
 * {@link chatCompletionStream} of `size` bytes, sliced once into reads of `readSize`
 * bytes: every case reads the same chunks, from a {@link fromChunks} stream of its own.
 */
export function chatStreamGroups<Summary>(
  prefix: string,
  reads: readonly Reads[],
  spec: ChatStreamGroupSpec<Summary>,
): BenchGroup[] {
  return reads.map(({ size, readSize, counts }) => {
    const input = chatCompletionStream(size, spec.stream)
    const chunks = slice(input.bytes, readSize)
    const expected = spec.expected(input)
    const source = () => fromChunks(chunks)
    return {
      name: `${prefix}, ${formatSize(readSize)} reads`,
      input:
        `${formatSize(input.bytes.byteLength)} OpenAI-style SSE stream, ${spec.describe(input, expected)}, ` +
        `LF only, in ${chunks.length} reads of ${formatSize(readSize)}`,
      bytes: input.bytes.byteLength,
      expected,
      ...counts,
      cases: spec.cases.map(({ run, ...rest }) => ({ ...rest, run: () => run(source, chunks) })),
    }
  })
}

/** The note of every "direct calls" row. */
export const DIRECT_CALLS_NOTE =
  'no stream at all: `transform(chunk, controller)` per chunk, then `flush`, with a plain ' +
  'object as the controller. The gap to the first row is the cost of the Web Streams machinery.'

/** Copies `bytes` into chunks of `size` bytes (the last one may be shorter), each with its own buffer. */
export function slice(bytes: Bytes, size: number): Bytes[] {
  const chunks: Bytes[] = []
  for (let start = 0; start < bytes.byteLength; start += size) chunks.push(bytes.slice(start, start + size))
  return chunks
}

/** A byte stream that hands out one pre-sliced chunk per pull, as a response body does. */
export function fromChunks(chunks: readonly Bytes[]): ReadableStream<Bytes> {
  let next = 0
  return new ReadableStream<Bytes>({
    pull(controller) {
      const chunk = chunks[next++]
      if (chunk === undefined) controller.close()
      else controller.enqueue(chunk)
    },
  })
}

/** Reads `stream` to the end with a reader, handing each chunk to `onChunk`. */
export async function readEach<T>(stream: ReadableStream<T>, onChunk: (chunk: T) => void): Promise<void> {
  const reader = stream.getReader()
  for (;;) {
    const { done, value } = await reader.read()
    if (done) return
    onChunk(value)
  }
}

/** Passed to every streaming `decode` call, as sluice does. */
const STREAM: TextDecodeOptions = { stream: true }

/** Reads `source` to the end and decodes it with one streaming `TextDecoder`: text as it arrives. */
export async function readText(source: ReadableStream<Bytes>, onText: (text: string) => void): Promise<void> {
  const decoder = new TextDecoder()
  await readEach(source, (chunk) => onText(decoder.decode(chunk, STREAM)))
  const rest = decoder.decode()
  if (rest !== '') onText(rest)
}

/**
 * The line loop people hand-roll (and many tutorials show): decode, append to a buffer,
 * `buffer.split('\n')`, keep the last part for the next read. It ends lines at LF only:
 * a CRLF leaves a CR on each line, and a lone CR does not end one. Like the tutorials,
 * it drops a last line with no LF after it.
 */
export async function readLinesNaively(source: ReadableStream<Bytes>, onLine: (line: string) => void): Promise<void> {
  let buffer = ''
  await readText(source, (text) => {
    buffer += text
    const lines = buffer.split('\n')
    buffer = lines.pop()!
    for (const line of lines) onLine(line)
  })
}

/** What {@link transformDirectly} and {@link transformFromReader} call: a sluice `Transformer`. */
export interface ChunkTransformer<I, O> {
  transform(chunk: I, controller: TransformStreamDefaultController<O>): void
  flush(controller: TransformStreamDefaultController<O>): void
}

/**
 * No stream at all: `transformer.transform(chunk, controller)` for each chunk, then
 * `flush`, with a plain object as the controller that hands each output to `onOutput`.
 */
export function transformDirectly<I, O>(
  transformer: ChunkTransformer<I, O>,
  chunks: readonly I[],
  onOutput: (output: O) => void,
): void {
  const controller = plainController(onOutput)
  for (const chunk of chunks) transformer.transform(chunk, controller)
  transformer.flush(controller)
}

/**
 * The transformer in a reader loop: `source` read to the end with a reader, each chunk to
 * `transform` with a plain object as the controller, then `flush`. One stream, the source.
 */
export async function transformFromReader<I, O>(
  transformer: ChunkTransformer<I, O>,
  source: ReadableStream<I>,
  onOutput: (output: O) => void,
): Promise<void> {
  const controller = plainController(onOutput)
  await readEach(source, (chunk) => transformer.transform(chunk, controller))
  transformer.flush(controller)
}

/**
 * A stand-in for a stream controller. `terminate` does nothing: a transformer that ends
 * its output early (sluice's chunk decoder at `[DONE]`) discards what comes after.
 */
function plainController<O>(enqueue: (output: O) => void): TransformStreamDefaultController<O> {
  return { desiredSize: 1, enqueue, error() {}, terminate() {} }
}

/** `4.00 MiB`, `256 KiB`, `64.4 KiB`, `64 B`. */
export function formatSize(bytes: number): string {
  if (bytes >= MiB) return `${(bytes / MiB).toFixed(2)} MiB`
  if (bytes >= KiB) return `${(bytes / KiB).toFixed(bytes % KiB === 0 ? 0 : 1)} KiB`
  return `${bytes} B`
}

/** A small seeded PRNG, so the input is the same on every run and every machine. */
function mulberry32(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}
