/**
 * `@sluice/gemini` against the official `@google/genai` SDK's `models.generateContentStream()`
 * and eventsource-parser with `JSON.parse`: bytes of a Gemini `streamGenerateContent?alt=sse`
 * stream in, typed chunks out (issue #21), and the same bytes to chat chunks.
 *
 * Run: `pnpm bench gemini`. Same input for every row of a group: a generated Gemini stream
 * built on the chunk shapes of real captures
 * (`packages/gemini/test/fixtures/thinking-gemini35flash.sse` for the thought chunks, the text
 * chunks and the empty-text `STOP` chunk that carries the last `thoughtSignature`,
 * `function-call-parallel-split-chunks-ids-gemini35flash.sse` for the function call): CRLF
 * framing (`data: {json}\r\n\r\n`) and the server's JSON spacing (`{"a": 1,"b": 2}`), thought
 * parts (a tenth of the size), text parts with non-ASCII text, a function call with an `id`
 * and a `thoughtSignature` in a chunk of its own, then an empty text part with `STOP`;
 * `usageMetadata` (running totals), `modelVersion` and `responseId` on every chunk. It is
 * sliced into reads once before timing and served from a pull stream. Every case parses every
 * chunk and tallies the chunks, the answer's text length (parts without `thought`), the
 * thoughts' length and the function call's arguments; the tallies are checked against what
 * the generator wrote, before timing and after every run.
 */
import { iterate, type TransformController } from '@sluice/compose'
import {
  type GeminiChunk,
  GeminiChunkParser,
  GeminiChunkStream,
  GeminiToChatChunks,
  GeminiToChatChunksStream,
} from '@sluice/gemini'
import type { ChatCompletionChunk } from '@sluice/openai'
import { GoogleGenAI } from '@google/genai'
import { EventSourceParserStream } from 'eventsource-parser/stream'
import type { BenchGroup } from './harness.ts'
import { formatSize, fromChunks, KiB, readEach, scaled, slice, type Bytes } from './inputs.ts'

const WORDS = ['stream', 'événement', 'chunk', 'données', '🦕', '日本語', 'delta', 'Ärger', 'naïve', 'candidate']
const SIGNATURE =
  'EvsDCvgDAQw51sfOm202VhDM/fOzDucl3NeMekkiE7gOacjnPJ069JpRTXprcfTE6Ax6MyY7VejmY9ddNZBua89/SdYPZ/TqAemzbhsA48yRrmbWlm5R/B4xDO6mjmDtMUrDfN6ZT8MLZbem3it8aALrWE4bSHqEGxzU4G3TQh4+EEwke2iq9uo12ax3ud2MIteByts1WSAnRxv4b0M8Usn8R3oi05q/lTFVYbUetSquNGoaE6pQKRuB1BI/wpsrU0GIlFGPEhlNmSAH9StVFZdZ1SacmiEAEr8TdNJ2R5Peg8xX9TqEbo1VzxeiPe+gLXk2qTZnwJ5U0gdA657I6M/iQR2UgBvV3eWSDbamBvXWilVRS4IOpdnBh38z/tCZTwiJjB03qvPTotN4SbjqALxUTKKlHC7CDORu0KJHk1I9ieLBwVCHNBP1jgAZAruSYojAy19i5NjKgXIMSiBEZUt1d4QKCOjFcqC6dPm0DgCJY9j9N8M8VmVrxayq3a8HUHl6mYQC'
const MODEL = 'gemini-3.5-flash'
const RESPONSE_ID = 'iCUhao2zJ-LHjuMP1vvH2Qk'
const PROMPT_TOKENS = 71
const CALL = { name: 'get_weather', args: { location: 'Boston', unit: 'celsius' }, id: 'dv8szvqe' }

/** JSON as the Gemini API writes it: a space after `:`, none after `,`. */
function serverJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(serverJson).join(',')}]`
  if (typeof value === 'object' && value !== null)
    return `{${Object.entries(value)
      .map(([key, field]) => `${JSON.stringify(key)}: ${serverJson(field)}`)
      .join(',')}}`
  return JSON.stringify(value)
}

/** What a stream carries: the checks of every case. */
interface Tally {
  chunks: number
  text: number
  thoughts: number
  arguments: string
}

/** A Gemini stream of at least `size` bytes, and what it carries. */
function geminiStream(size: number): { bytes: Bytes } & Tally {
  const parts: string[] = []
  let length = 0
  let thoughtsTokens = 0
  let candidatesTokens = 0
  let text = 0
  let thoughts = 0
  const chunk = (candidateParts: object[], finishReason?: string) => {
    const usage: Record<string, unknown> = { promptTokenCount: PROMPT_TOKENS }
    if (candidatesTokens > 0) usage.candidatesTokenCount = candidatesTokens
    usage.totalTokenCount = PROMPT_TOKENS + candidatesTokens + thoughtsTokens
    usage.promptTokensDetails = [{ modality: 'TEXT', tokenCount: PROMPT_TOKENS }]
    if (thoughtsTokens > 0) usage.thoughtsTokenCount = thoughtsTokens
    usage.serviceTier = 'standard'
    const candidate: Record<string, unknown> = { content: { parts: candidateParts, role: 'model' } }
    if (finishReason) candidate.finishReason = finishReason
    candidate.index = 0
    const data = { candidates: [candidate], usageMetadata: usage, modelVersion: MODEL, responseId: RESPONSE_ID }
    const part = `data: ${serverJson(data)}\r\n\r\n`
    parts.push(part)
    length += part.length
  }
  // Thought summaries: a tenth of the size, a few hundred characters each.
  for (let index = 0; length < size / 10; index++) {
    let summary = `**${WORDS[index % WORDS.length]} ${WORDS[(index * 3) % WORDS.length]}**\n\n`
    for (let word = 0; summary.length < 300; word++) summary += `${WORDS[(index + word * 7) % WORDS.length]} `
    summary += '\n\n\n'
    thoughts += summary.length
    thoughtsTokens += Math.ceil(summary.length / 4)
    chunk([{ text: summary, thought: true }])
  }
  // The answer: text parts of 40 to 200 characters up to the size.
  for (let index = 0; length < size; index++) {
    let piece = ''
    const target = 40 + ((index * 37) % 160)
    for (let word = 0; piece.length < target; word++) piece += `${WORDS[(index * 3 + word) % WORDS.length]} `
    if (index % 9 === 8) piece += '\n\n'
    text += piece.length
    candidatesTokens += Math.ceil(piece.length / 4)
    chunk([{ text: piece }])
  }
  // A function call with its id and signature, then the empty text part that ends the turn.
  candidatesTokens += 16
  chunk([{ functionCall: CALL, thoughtSignature: SIGNATURE }])
  chunk([{ text: '', thoughtSignature: SIGNATURE.slice(0, 120) }], 'STOP')
  return {
    bytes: new TextEncoder().encode(parts.join('')),
    chunks: parts.length,
    text,
    thoughts,
    arguments: JSON.stringify(CALL.args),
  }
}

/** Tallies one chunk (sluice's, the SDK's or `JSON.parse`'s: the same shape). */
function add(tally: Tally, chunk: GeminiChunk): void {
  tally.chunks++
  for (const part of chunk.candidates?.[0]?.content?.parts ?? []) {
    if (typeof part.text === 'string') {
      if (part.thought) tally.thoughts += part.text.length
      else tally.text += part.text.length
    }
    if (part.functionCall) tally.arguments += JSON.stringify(part.functionCall.args)
  }
}

const newTally = (): Tally => ({ chunks: 0, text: 0, thoughts: 0, arguments: '' })

async function readAll(stream: ReadableStream<GeminiChunk>): Promise<Tally> {
  const tally = newTally()
  await readEach(stream, (value) => add(tally, value))
  return tally
}

/** What a chat chunk path carries: the text, the reasoning, the tool call's arguments. */
interface ChatTally {
  text: number
  thoughts: number
  arguments: string
  finish: string | null
}

function addChunk(tally: ChatTally, chunk: ChatCompletionChunk): void {
  const choice = chunk.choices[0]
  if (!choice) return
  tally.text += choice.delta.content?.length ?? 0
  tally.thoughts += choice.delta.reasoning_content?.length ?? 0
  for (const call of choice.delta.tool_calls ?? []) tally.arguments += call.function?.arguments ?? ''
  if (choice.finish_reason) tally.finish = choice.finish_reason
}

const SIZE = scaled(4 * 1024 * KiB, 256 * KiB)
const input = geminiStream(SIZE)

/** The SDK, answered by a custom `fetch` with `source()`'s bytes. */
function sdkClient(source: () => ReadableStream<Bytes>): GoogleGenAI {
  return new GoogleGenAI({
    apiKey: 'x',
    httpOptions: {
      fetch: async () => new Response(source(), { headers: { 'content-type': 'text/event-stream' } }),
    },
  })
}

function group(readSize: number): BenchGroup {
  const reads = slice(input.bytes, readSize)
  const source = () => fromChunks(reads)
  // The SDK may take (detach) the buffers it reads: it gets copies, made in its run.
  const copies = () => fromChunks(reads.map((read) => read.slice()))
  return {
    name: `gemini, ${formatSize(readSize)} reads`,
    input: `${formatSize(input.bytes.byteLength)} Gemini stream (alt=sse), ${input.chunks} chunks (thought parts, text parts, a function call, usageMetadata on each), CRLF, in ${reads.length} reads of ${readSize} B`,
    bytes: input.bytes.byteLength,
    expected: { chunks: input.chunks, text: input.text, thoughts: input.thoughts, arguments: input.arguments },
    references: [{ label: 'eventsource-parser stream', case: 'eventsource-parser stream + JSON.parse' }],
    cases: [
      {
        name: 'sluice GeminiChunkStream (fused)',
        run: () => readAll(source().pipeThrough(new GeminiChunkStream())),
      },
      {
        name: 'sluice iterate(GeminiChunkParser)',
        run: async () => {
          const tally = newTally()
          for await (const chunk of iterate(source(), new GeminiChunkParser())) add(tally, chunk)
          return tally
        },
      },
      {
        name: 'eventsource-parser stream + JSON.parse',
        run: async () => {
          const tally = newTally()
          const reader = source()
            .pipeThrough(new TextDecoderStream())
            .pipeThrough(new EventSourceParserStream())
            .getReader()
          for (;;) {
            const { done, value } = await reader.read()
            if (done) return tally
            add(tally, JSON.parse(value.data) as GeminiChunk)
          }
        },
      },
      {
        name: '@google/genai models.generateContentStream()',
        run: async () => {
          const tally = newTally()
          const stream = await sdkClient(copies).models.generateContentStream({
            model: MODEL,
            contents: 'hi',
            config: { automaticContinuation: false },
          })
          for await (const chunk of stream) add(tally, chunk as unknown as GeminiChunk) // the same JSON, typed by the SDK
          return tally
        },
        note: '@google/genai 3.3.0: `models.generateContentStream()` with `httpOptions.fetch` answering with a copy of the reads (the copies are timed: about 2 ms with 16 KiB reads, 14 ms with 64 B reads), automatic continuation off, iterated with `for await`: its SSE parsing, `JSON.parse`, and the `GenerateContentResponse` object it makes of each chunk (with `sdkHttpResponse`).',
      },
    ],
  }
}

/** The same bytes to chat chunks: what `chatStream()`, the chat accumulator and the CLI read. */
function chatGroup(readSize: number): BenchGroup {
  const reads = slice(input.bytes, readSize)
  const source = () => fromChunks(reads)
  const chunksOnly = 'sluice GeminiChunkStream (fused), chunks only'
  const newChatTally = (): ChatTally => ({ text: 0, thoughts: 0, arguments: '', finish: null })
  return {
    name: `gemini → chat chunks, ${formatSize(readSize)} reads`,
    input: `the ${formatSize(input.bytes.byteLength)} Gemini stream above, in ${reads.length} reads of ${readSize} B, to chat chunks`,
    bytes: input.bytes.byteLength,
    expected: { text: input.text, thoughts: input.thoughts, arguments: input.arguments, finish: 'tool_calls' },
    references: [{ label: 'chunks only', case: chunksOnly }],
    cases: [
      {
        name: 'sluice GeminiChunkStream → GeminiToChatChunksStream',
        run: async () => {
          const tally = newChatTally()
          await readEach(
            source().pipeThrough(new GeminiChunkStream()).pipeThrough(new GeminiToChatChunksStream()),
            (value) => addChunk(tally, value),
          )
          return tally
        },
      },
      {
        name: 'sluice iterate(GeminiChunkParser) + GeminiToChatChunks',
        run: async () => {
          const tally = newChatTally()
          const translate = new GeminiToChatChunks()
          const controller: TransformController<ChatCompletionChunk> = {
            desiredSize: 1,
            enqueue: (chunk) => addChunk(tally, chunk!),
            error() {},
            terminate() {},
          }
          for await (const chunk of iterate(source(), new GeminiChunkParser())) translate.transform(chunk, controller)
          translate.flush(controller)
          return tally
        },
        note: '`GeminiToChatChunks.transform` called for each chunk of `iterate()`, with a plain object as the controller: no stream for the translation.',
      },
      {
        name: chunksOnly,
        run: async () => {
          const tally = newChatTally()
          const reader = source().pipeThrough(new GeminiChunkStream()).getReader()
          for (;;) {
            const { done, value } = await reader.read()
            if (done) return tally
            for (const candidate of value.candidates ?? []) {
              for (const part of candidate.content?.parts ?? []) {
                if (part.functionCall) tally.arguments += JSON.stringify(part.functionCall.args)
                else if (part.thought) tally.thoughts += part.text?.length ?? 0
                else tally.text += part.text?.length ?? 0
              }
              if (candidate.finishReason) tally.finish = 'tool_calls'
            }
          }
        },
        note: 'the first row of the groups above, tallied as chat chunks: the cost the translation adds is the gap to it.',
      },
    ],
  }
}

export const groups: BenchGroup[] = [group(16 * KiB), group(KiB), group(64), chatGroup(16 * KiB)]
