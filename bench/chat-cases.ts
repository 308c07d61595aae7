/**
 * The ways the cases read a chat completion stream, shared by the files that compare them
 * (openai.bench.ts, accumulator.bench.ts, chain.bench.ts, scaling.bench.ts), and the
 * summaries their runs resolve with. One module, so that a row of the same name does the
 * same work in every file.
 *
 * - Chunks out: each run tallies every chunk ({@link ChunkTally}: how many, and the reply
 *   they carry), whoever parsed it.
 * - A completion out: each run resolves with the final message ({@link CompletionSummary}).
 */
import { createParser } from 'eventsource-parser'
import { ChatChunkParser } from '@sluice/openai'
import type { ChatCompletionChunk as SDKChatCompletionChunk } from 'openai/resources/chat/completions'
import { Stream } from 'openai/streaming'
import { readEach, readLinesNaively, readText, transformFromReader, type Bytes, type ReplyMessage } from './inputs.ts'

/** What every case that yields chunks must compute. */
export interface ChunkTally {
  /** Chunks produced: every event but `[DONE]`. */
  chunks: number
  /** `choices[0].delta.content` of every chunk, concatenated: the reply. */
  content: string
}

/** What the tally reads of a chunk: sluice's `ChatCompletionChunk` and the SDK's both have it. */
export interface ContentChunk {
  choices: readonly { delta: { content?: string | null | undefined } }[]
}

/** The data of the event that ends an OpenAI stream. */
export const DONE = '[DONE]'

/** A plain object, not a class instance: the harness compares summaries with `isDeepStrictEqual`. */
export function emptyTally(): ChunkTally {
  return { chunks: 0, content: '' }
}

export function addChunk(tally: ChunkTally, chunk: ContentChunk): void {
  tally.chunks++
  tally.content += chunk.choices[0]?.delta.content ?? ''
}

/** Reads `chunks` to the end. */
export async function tallyStream(chunks: ReadableStream<ContentChunk>): Promise<ChunkTally> {
  const tally = emptyTally()
  await readEach(chunks, (chunk) => addChunk(tally, chunk))
  return tally
}

/** Iterates `chunks` to the end with `for await`. */
export async function tallyIterable(chunks: AsyncIterable<ContentChunk>): Promise<ChunkTally> {
  const tally = emptyTally()
  for await (const chunk of chunks) addChunk(tally, chunk)
  return tally
}

/** The SDK's parsing, as `client.chat.completions.create({ stream: true })` runs it on the response. */
export async function sdkFromSSEResponse(source: ReadableStream<Bytes>): Promise<ChunkTally> {
  return tallyIterable(Stream.fromSSEResponse<SDKChatCompletionChunk>(new Response(source), new AbortController()))
}

/** eventsource-parser without its stream: read, decode, `feed`; `onEvent` parses the JSON. */
export async function feedLoop(source: ReadableStream<Bytes>): Promise<ChunkTally> {
  const tally = emptyTally()
  let done = false
  const parser = createParser({
    onEvent(event) {
      if (done) return
      if (event.data === DONE) done = true
      else addChunk(tally, JSON.parse(event.data) as SDKChatCompletionChunk)
    },
  })
  await readText(source, (text) => parser.feed(text))
  return tally
}

/** The loop tutorials show: split lines on LF, `JSON.parse` each `data: ` line until `[DONE]`. */
export async function handWrittenLoop(source: ReadableStream<Bytes>): Promise<ChunkTally> {
  const tally = emptyTally()
  let done = false
  await readLinesNaively(source, (line) => {
    if (done || !line.startsWith('data: ')) return
    const data = line.slice(6)
    if (data === DONE) done = true
    else addChunk(tally, JSON.parse(data) as SDKChatCompletionChunk)
  })
  return tally
}

/** `ChatChunkParser` in a reader loop: one stream, the source. */
export async function parserLoop(source: ReadableStream<Bytes>): Promise<ChunkTally> {
  const tally = emptyTally()
  await transformFromReader(new ChatChunkParser(), source, (chunk) => addChunk(tally, chunk))
  return tally
}

/** What every case that assembles the completion must compute: the final message, as the generator wrote it. */
export interface CompletionSummary extends ReplyMessage {
  finishReason: string | null
}

/** What the summary reads of a completion: sluice's `ChatCompletion` and the SDK's both have it. */
export interface CompletionLike {
  choices: readonly {
    message: { role: string; content: string | null; tool_calls?: readonly ToolCallLike[] | undefined }
    finish_reason: string | null
  }[]
}

/** A tool call of either: the SDK's custom tool calls have no `function`. */
interface ToolCallLike {
  id: string
  type: string
  function?: { name: string; arguments: string }
}

/** The final message of choice 0. A plain object: the harness compares summaries with `isDeepStrictEqual`. */
export function summarize(completion: CompletionLike): CompletionSummary {
  const choice = completion.choices[0]
  return {
    role: choice?.message.role ?? '',
    content: choice?.message.content ?? '',
    toolCalls: (choice?.message.tool_calls ?? []).map((call) => ({
      id: call.id,
      type: call.type,
      name: call.function?.name ?? '',
      arguments: call.function?.arguments ?? '',
    })),
    finishReason: choice?.finish_reason ?? null,
  }
}
