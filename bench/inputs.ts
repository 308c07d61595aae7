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

/**
 * `pnpm bench --quick`: every row, on smaller inputs, with fewer runs (run.ts caps those).
 * Read at import, since the files build their inputs then.
 */
export const QUICK = process.argv.includes('--quick')

/** `full`, or `quick` with `--quick`. */
export function scaled<T>(full: T, quick: T): T {
  return QUICK ? quick : full
}

export const KiB = 1024
export const MiB = 1024 * KiB

/** Words of the generated replies: mostly English, with accents, emoji and other scripts. */
export const WORDS = [
  'the',
  'stream',
  'token',
  'model',
  'response',
  'delta',
  'chunk',
  'line',
  'event',
  'data',
  'a',
  'of',
  'to',
  'and',
  'is',
  'in',
  'that',
  'it',
  'for',
  'with',
  'as',
  'on',
  'by',
  'café',
  'naïve',
  'é',
  'über',
  'señor',
  'façade',
  '—',
  '…',
  '“quoted”',
  '🦕',
  '🚀',
  '✓',
  '日本語',
  '中文',
  'Ελληνικά',
  'русский',
  'العربية',
  '👍🏽',
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
  const blocks: string[] = []
  const events: string[] = []
  let comments = 0
  let content = ''
  for (const block of chatStreamBlocks(size, options)) {
    blocks.push(block.text)
    if (block.data === undefined) comments++
    else events.push(block.data)
    content += block.content
  }
  return { bytes: new TextEncoder().encode(blocks.join('')), events, comments, content }
}

/** One block of {@link chatStreamBlocks}: an event, or a keep-alive comment. */
export interface ChatStreamBlock {
  /** The block, its blank line included. */
  text: string
  /** The same, UTF-8. */
  bytes: Bytes
  /** The event's data; `undefined` for a comment. */
  data: string | undefined
  /** The event's `choices[0].delta.content`, or `''`. */
  content: string
}

/**
 * The blocks of {@link chatCompletionStream} one at a time, for a stream too long to hold
 * in memory (see {@link generatedSource}): the same bytes, written as they are asked for.
 */
export function* chatStreamBlocks(
  size: number,
  options: ChatStreamOptions = {},
): Generator<ChatStreamBlock, void, undefined> {
  const encoder = new TextEncoder()
  const random = mulberry32(SEED)
  let byteLength = 0
  let eventCount = 0
  const block = (text: string, data: string | undefined, content = ''): ChatStreamBlock => {
    const bytes = encoder.encode(text)
    byteLength += bytes.byteLength
    return { text, bytes, data, content }
  }
  const event = (data: string, content?: string) => {
    eventCount++
    return block(`data: ${data}\n\n`, data, content)
  }
  const choice = (delta: { role?: string; content?: string }, finishReason: string | null) =>
    event(choiceChunk(delta, finishReason), delta.content)
  yield choice({ role: 'assistant', content: '' }, null)
  while (byteLength < size) {
    // Without the option, no random number is drawn for it: the rest of the text is the same.
    if (options.keepAlive === true && random() < 0.01) yield block(': keep-alive\n\n', undefined)
    yield choice({ content: deltaText(random) }, null)
  }
  yield choice({}, 'stop')
  if (options.usage === true) {
    const completionTokens = eventCount - 1
    const usage = { prompt_tokens: 42, completion_tokens: completionTokens, total_tokens: 42 + completionTokens }
    yield event(chunkJSON({ choices: [], usage }))
  }
  yield event('[DONE]')
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
    chunks.push(
      choiceChunk(
        { tool_calls: [{ index, id: call.id, type: call.type, function: { name: call.name, arguments: '' } }] },
        null,
      ),
    )
    // The fragments left are shared out: the first calls get the odd ones.
    const fragments = Math.floor(fragmentCount / callCount) + (index < fragmentCount % callCount ? 1 : 0) - 1
    for (let k = 0; k < fragments; k++) {
      // `{"path":…,"text":"`, the text's words with JSON escapes, `"}`: valid JSON once joined.
      const piece =
        k === 0
          ? `{"path":"notes/${index}.md","text":"`
          : k === fragments - 1
            ? '"}'
            : JSON.stringify(deltaText(random)).slice(1, -1)
      call.arguments += piece
      chunks.push(choiceChunk({ tool_calls: [{ index, function: { arguments: piece } }] }, null))
    }
  }
  chunks.push(choiceChunk({}, 'tool_calls'))
  return { chunks, message, finishReason: 'tool_calls' }
}

/** A reply of {@link chatCompletionChunks} as a chat completion stream, and what a parser makes of it. */
export interface ChatReplyStream {
  /** `data: {chunk}` and a blank line per chunk, then `data: [DONE]`: UTF-8, with the line ending asked for. */
  bytes: Bytes
  /** The reply the stream carries. */
  reply: ChatReply
  /** The line ending of every line. */
  lineEnding: LineEnding
}

/** The line endings a server may send: the SSE rules accept both (and a lone CR). */
export type LineEnding = '\n' | '\r\n'

/**
 * A reply that answers and then calls tools ({@link chatCompletionChunks}: text with
 * non-ASCII characters and escaped newlines, then tool-call arguments, JSON escaped once
 * more inside the chunk's JSON), streamed as OpenAI does, at least `size` bytes long.
 * Deterministic: the same `size` gives the same bytes on every run and every machine.
 */
export function chatReplyStream(size: number, lineEnding: LineEnding = '\n'): ChatReplyStream {
  // About 220 bytes a chunk: guess the count, then grow it until the stream is long enough.
  let count = Math.max(100, Math.ceil(size / 210))
  for (;;) {
    const reply = chatCompletionChunks(count)
    const blank = lineEnding + lineEnding
    const bytes = new TextEncoder().encode(
      `${reply.chunks.map((json) => `data: ${json}${blank}`).join('')}data: [DONE]${blank}`,
    )
    if (bytes.byteLength >= size) return { bytes, reply, lineEnding }
    count = Math.ceil((count * size) / bytes.byteLength) + 10
  }
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
 * {@link chatCompletionStream} of `size` bytes (a quarter of it with `--quick`), sliced
 * once into reads of `readSize` bytes: every case reads the same chunks, from a
 * {@link fromChunks} stream of its own.
 */
export function chatStreamGroups<Summary>(
  prefix: string,
  reads: readonly Reads[],
  spec: ChatStreamGroupSpec<Summary>,
): BenchGroup[] {
  return reads.map(({ size, readSize, counts }) => {
    const input = chatCompletionStream(scaled(size, size / 4), spec.stream)
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

/**
 * Copies `bytes` into one chunk per event, each ending with the event's blank line
 * (`separator`): what a server that flushes each event, read as fast as it writes, hands out.
 */
export function sliceEvents(bytes: Bytes, separator: string): Bytes[] {
  const pattern = new TextEncoder().encode(separator)
  const chunks: Bytes[] = []
  let start = 0
  for (let end = indexOfBytes(bytes, pattern, 0); end !== -1; end = indexOfBytes(bytes, pattern, start)) {
    chunks.push(bytes.slice(start, end + pattern.byteLength))
    start = end + pattern.byteLength
  }
  if (start < bytes.byteLength) chunks.push(bytes.slice(start))
  return chunks
}

/** The first index of `pattern` in `bytes` at or after `from`, or -1. */
function indexOfBytes(bytes: Bytes, pattern: Uint8Array, from: number): number {
  for (let at = bytes.indexOf(pattern[0]!, from); at !== -1; at = bytes.indexOf(pattern[0]!, at + 1)) {
    let k = 1
    while (k < pattern.byteLength && bytes[at + k] === pattern[k]) k++
    if (k === pattern.byteLength) return at
  }
  return -1
}

/** What {@link generatedSource} wrote, counted as it went. */
export interface GeneratedAccount {
  bytes: number
  /** Events with a chunk: every event but `[DONE]`. */
  chunks: number
  /** Characters of `choices[0].delta.content`, all chunks together. */
  characters: number
}

/**
 * A chat completion stream too long to hold in memory, written as it is read: each pull
 * writes events until it has `readSize` bytes, and hands out one read of that size, a new
 * array each time. `account` counts what was written, for the check at the end. The rows
 * that read it measure memory, not speed.
 */
export function generatedSource(size: number, readSize: number, account: GeneratedAccount): ReadableStream<Bytes> {
  const blocks = repeatedBlocks(size)
  // What is left of the last block written: the start of the next read.
  let rest: Uint8Array = new Uint8Array(0)
  return new ReadableStream<Bytes>({
    pull(controller) {
      const read = new Uint8Array(readSize)
      let filled = 0
      while (filled < readSize) {
        if (rest.byteLength === 0) {
          const next = blocks.next()
          if (next.done === true) break
          const { bytes, data, content } = next.value
          rest = bytes
          account.bytes += bytes.byteLength
          if (data !== undefined && data !== '[DONE]') account.chunks++
          account.characters += content.length
        }
        const length = Math.min(rest.byteLength, readSize - filled)
        read.set(rest.subarray(0, length), filled)
        filled += length
        rest = rest.subarray(length)
      }
      if (filled === 0) controller.close()
      else controller.enqueue(filled === readSize ? read : read.slice(0, filled))
    },
  })
}

/** The length of {@link chatCompletionStream} that {@link repeatedBlocks} repeats. */
const PERIOD = 1 * MiB

/**
 * A stream of `size` bytes or more, as {@link chatCompletionStream} writes it (its role chunk
 * first, its `stop` chunk and `[DONE]` last), with the content events of its first MiB over
 * and over in between: writing every event anew runs at about 30 MB/s, slower than the
 * parsers that read it, and would make a run of 512 MiB last 20 s.
 */
function* repeatedBlocks(size: number): Generator<ChatStreamBlock, void, undefined> {
  const period = [...chatStreamBlocks(PERIOD)]
  const [first, ...rest] = period
  const middle = rest.slice(0, -2)
  yield first!
  let written = first!.bytes.byteLength
  while (written < size) {
    for (const block of middle) {
      yield block
      written += block.bytes.byteLength
      if (written >= size) break
    }
  }
  yield* rest.slice(-2)
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

/**
 * A byte stream that copies the next `readSize` bytes of `bytes` at each pull, each read
 * with its own buffer, as a response body hands them out: for inputs whose reads would
 * not fit in memory sliced beforehand (10 million reads of 1 byte). Copying costs every
 * case that reads it the same.
 */
export function fromBytes(bytes: Bytes, readSize: number): ReadableStream<Bytes> {
  let next = 0
  return new ReadableStream<Bytes>({
    pull(controller) {
      if (next >= bytes.byteLength) return controller.close()
      controller.enqueue(bytes.slice(next, next + readSize))
      next += readSize
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
