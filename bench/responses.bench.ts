/**
 * `@sluice/responses` against the official `openai` SDK's `client.responses.stream()` and
 * eventsource-parser with `JSON.parse`: bytes of an OpenAI Responses stream in, typed events
 * out (issue #20), and the same bytes to chat chunks.
 *
 * Run: `pnpm bench responses`. Same input for every row of a group: a generated Responses
 * stream built on the event shapes of a real capture
 * (`packages/responses/test/fixtures/text-then-function-call-phase-gpt-5.5.sse` for the
 * lifecycle, message and function call events, `reasoning-summary-multipart-o3-mini.sse`
 * for the reasoning summary): `response.created`, `response.in_progress`, a reasoning item
 * with two summary parts, a message of text deltas with non-ASCII text (`logprobs: []` and
 * an `obfuscation` pad on each, as the API sends them), a function call whose arguments
 * arrive in fragments, then `response.completed` with the whole output and the usage; every
 * event has a `sequence_number`. It is sliced into reads once before timing and served from
 * a pull stream. Every case parses every event and tallies the events, the text length (the
 * `response.output_text.delta`s) and the function call's arguments; the tallies are checked
 * against what the generator wrote, before timing and after every run.
 */
import { iterate, type TransformController } from '@sluice/compose'
import type { ChatCompletionChunk } from '@sluice/openai'
import {
  ResponseEventParser,
  ResponseEventStream,
  ResponsesToChatChunks,
  ResponsesToChatChunksStream,
} from '@sluice/responses'
import { EventSourceParserStream } from 'eventsource-parser/stream'
import OpenAI from 'openai'
import type { BenchGroup } from './harness.ts'
import { formatSize, fromChunks, KiB, readEach, scaled, slice, type Bytes } from './inputs.ts'

const WORDS = ['stream', 'événement', 'chunk', 'données', '🦕', '日本語', 'delta', 'Ärger', 'naïve', 'item']
const ARGUMENT_FRAGMENTS = ['{"', 'country', '":"', 'Pot', 'ato', 'Land', '"}']
const PAD = 'RvoJ43TaUvnCS8eMH6kpuS15K3BS'

/** What a stream carries: the checks of every case. */
interface Tally {
  events: number
  text: number
  arguments: string
}

/** A Responses stream of at least `size` bytes, and what it carries. */
function responsesStream(size: number): { bytes: Bytes } & Tally {
  const parts: string[] = []
  let sequence = 0
  let text = 0
  let length = 0
  const event = (data: { type: string } & Record<string, unknown>) => {
    const part = `event: ${data.type}\ndata: ${JSON.stringify({ ...data, sequence_number: sequence++ })}\n\n`
    parts.push(part)
    length += part.length
  }
  const response = {
    id: 'resp_bench0049006a691dfdab8881a1a75f2db7ff78cb83',
    object: 'response',
    created_at: 1785273853,
    status: 'in_progress',
    background: false,
    error: null,
    incomplete_details: null,
    instructions: null,
    max_output_tokens: null,
    model: 'gpt-5.5-2026-04-23',
    output: [] as object[],
    parallel_tool_calls: true,
    reasoning: { effort: 'medium', summary: 'auto' },
    store: true,
    temperature: 1,
    text: { format: { type: 'text' }, verbosity: 'medium' },
    tool_choice: 'auto',
    tools: [
      {
        type: 'function',
        description: null,
        name: 'get_capital',
        parameters: {
          additionalProperties: false,
          properties: { country: { type: 'string' } },
          required: ['country'],
          type: 'object',
        },
        strict: true,
      },
    ],
    top_p: 0.98,
    truncation: 'disabled',
    usage: null as object | null,
    user: null,
    metadata: {},
  }
  event({ type: 'response.created', response })
  event({ type: 'response.in_progress', response })

  // A reasoning item with two summary parts (a tenth of the size).
  const reasoningId = 'rs_bench0049006a691dfe60b081a1baa444d3cf19afba'
  event({
    type: 'response.output_item.added',
    item: { id: reasoningId, type: 'reasoning', summary: [] },
    output_index: 0,
  })
  const summaries: string[] = []
  for (let summaryIndex = 0; summaryIndex < 2; summaryIndex++) {
    const at = { item_id: reasoningId, output_index: 0, summary_index: summaryIndex }
    event({ type: 'response.reasoning_summary_part.added', ...at, part: { type: 'summary_text', text: '' } })
    let summary = ''
    for (let index = 0; length < ((summaryIndex + 1) * size) / 20; index++) {
      const piece = `${WORDS[(index * 3) % WORDS.length]} `
      summary += piece
      event({ type: 'response.reasoning_summary_text.delta', ...at, delta: piece, obfuscation: PAD.slice(0, 10) })
    }
    event({ type: 'response.reasoning_summary_text.done', ...at, text: summary })
    event({ type: 'response.reasoning_summary_part.done', ...at, part: { type: 'summary_text', text: summary } })
    summaries.push(summary)
  }
  const reasoning = {
    id: reasoningId,
    type: 'reasoning',
    summary: summaries.map((summary) => ({ type: 'summary_text', text: summary })),
  }
  event({ type: 'response.output_item.done', item: reasoning, output_index: 0 })

  // The message: text deltas up to the size.
  const messageId = 'msg_bench0049006a691dfebdc881a1ae18d027c313d8ce'
  const message = { id: messageId, type: 'message', status: 'in_progress', content: [] as object[], role: 'assistant' }
  event({ type: 'response.output_item.added', item: message, output_index: 1 })
  const at = { content_index: 0, item_id: messageId, output_index: 1 }
  event({ type: 'response.content_part.added', ...at, part: { type: 'output_text', annotations: [], text: '' } })
  const textPieces: string[] = []
  for (let index = 0; length < size; index++) {
    const piece = `${WORDS[index % WORDS.length]} ${WORDS[(index * 7) % WORDS.length]} `
    textPieces.push(piece)
    text += piece.length
    event({
      type: 'response.output_text.delta',
      ...at,
      delta: piece,
      logprobs: [],
      obfuscation: PAD.slice(0, 4 + (index % 13)),
    })
  }
  const whole = textPieces.join('')
  const part = { type: 'output_text', annotations: [], text: whole }
  event({ type: 'response.output_text.done', ...at, logprobs: [], text: whole })
  event({ type: 'response.content_part.done', ...at, part })
  const messageDone = { ...message, status: 'completed', content: [part] }
  event({ type: 'response.output_item.done', item: messageDone, output_index: 1 })

  // A function call, its arguments in fragments.
  const callId = 'fc_bench0049006a691dff0c1481a1b4a0eec7e3c753bb'
  const call = {
    id: callId,
    type: 'function_call',
    status: 'in_progress',
    arguments: '',
    call_id: 'call_LabG58Uhrq9kZvR52BYKjToD',
    name: 'get_capital',
  }
  event({ type: 'response.output_item.added', item: call, output_index: 2 })
  for (const fragment of ARGUMENT_FRAGMENTS)
    event({
      type: 'response.function_call_arguments.delta',
      delta: fragment,
      item_id: callId,
      obfuscation: PAD.slice(0, 14),
      output_index: 2,
    })
  const args = ARGUMENT_FRAGMENTS.join('')
  event({ type: 'response.function_call_arguments.done', arguments: args, item_id: callId, output_index: 2 })
  const callDone = { ...call, status: 'completed', arguments: args }
  event({ type: 'response.output_item.done', item: callDone, output_index: 2 })
  event({
    type: 'response.completed',
    response: {
      ...response,
      status: 'completed',
      output: [reasoning, messageDone, callDone],
      usage: {
        input_tokens: 81,
        input_tokens_details: { cached_tokens: 0 },
        output_tokens: 1200,
        output_tokens_details: { reasoning_tokens: 300 },
        total_tokens: 1281,
      },
    },
  })
  return { bytes: new TextEncoder().encode(parts.join('')), events: sequence, text, arguments: args }
}

function add(tally: Tally, event: { type: string; delta?: unknown }): void {
  tally.events++
  if (event.type === 'response.output_text.delta') tally.text += (event.delta as string).length
  else if (event.type === 'response.function_call_arguments.delta') tally.arguments += event.delta as string
}

async function readAll(stream: ReadableStream<{ type: string }>): Promise<Tally> {
  const tally = { events: 0, text: 0, arguments: '' }
  await readEach(stream, (value) => add(tally, value))
  return tally
}

/** What a chat chunk path carries: the text and the tool call's arguments. */
interface ChatTally {
  text: number
  arguments: string
  finish: string | null
}

function addChunk(tally: ChatTally, chunk: ChatCompletionChunk): void {
  const choice = chunk.choices[0]
  if (!choice) return
  tally.text += choice.delta.content?.length ?? 0
  for (const call of choice.delta.tool_calls ?? []) tally.arguments += call.function?.arguments ?? ''
  if (choice.finish_reason) tally.finish = choice.finish_reason
}

const SIZE = scaled(4 * 1024 * KiB, 256 * KiB)
const input = responsesStream(SIZE)

function sdkClient(source: () => ReadableStream<Bytes>): OpenAI {
  return new OpenAI({
    apiKey: 'bench',
    maxRetries: 0,
    fetch: async () => new Response(source(), { headers: { 'content-type': 'text/event-stream' } }),
  })
}

function group(readSize: number): BenchGroup {
  const reads = slice(input.bytes, readSize)
  const source = () => fromChunks(reads)
  return {
    name: `responses, ${formatSize(readSize)} reads`,
    input: `${formatSize(input.bytes.byteLength)} OpenAI Responses stream, ${input.events} events (a reasoning summary in 2 parts, text deltas, a function call in fragments, each with sequence_number), LF, in ${reads.length} reads of ${readSize} B`,
    bytes: input.bytes.byteLength,
    expected: { events: input.events, text: input.text, arguments: input.arguments },
    references: [{ label: 'eventsource-parser stream', case: 'eventsource-parser stream + JSON.parse' }],
    cases: [
      {
        name: 'sluice ResponseEventStream (fused)',
        run: () => readAll(source().pipeThrough(new ResponseEventStream())),
      },
      {
        name: 'sluice iterate(ResponseEventParser)',
        run: async () => {
          const tally = { events: 0, text: 0, arguments: '' }
          for await (const event of iterate(source(), new ResponseEventParser())) add(tally, event)
          return tally
        },
      },
      {
        name: 'eventsource-parser stream + JSON.parse',
        run: async () => {
          const tally = { events: 0, text: 0, arguments: '' }
          const reader = source()
            .pipeThrough(new TextDecoderStream())
            .pipeThrough(new EventSourceParserStream())
            .getReader()
          for (;;) {
            const { done, value } = await reader.read()
            if (done) return tally
            add(tally, JSON.parse(value.data))
          }
        },
      },
      {
        name: 'openai SDK responses.stream() + finalResponse()',
        run: async () => {
          const tally = { events: 0, text: 0, arguments: '' }
          const stream = sdkClient(source).responses.stream({ model: 'gpt-5.5', input: 'hi' })
          for await (const event of stream) add(tally, event)
          const final = await stream.finalResponse()
          if (final.output.length !== 3) throw new Error(`the SDK's final response has ${final.output.length} items`)
          return tally
        },
        note: 'openai 6.30.1: `client.responses.stream()` with a custom `fetch` that answers with the input, iterated with `for await`, then `finalResponse()`: its SSE parsing, `JSON.parse`, its accumulation of the response (it has no way to skip it) and the final parse of the output (`output_parsed`, `parsed_arguments`).',
      },
    ],
  }
}

/** The same bytes to chat chunks: what `chatStream()`, the chat accumulator and the CLI read. */
function chatGroup(readSize: number): BenchGroup {
  const reads = slice(input.bytes, readSize)
  const source = () => fromChunks(reads)
  const eventsOnly = 'sluice ResponseEventStream (fused), events only'
  return {
    name: `responses → chat chunks, ${formatSize(readSize)} reads`,
    input: `the ${formatSize(input.bytes.byteLength)} Responses stream above, in ${reads.length} reads of ${readSize} B, to chat chunks`,
    bytes: input.bytes.byteLength,
    expected: { text: input.text, arguments: input.arguments, finish: 'tool_calls' },
    references: [{ label: 'events only', case: eventsOnly }],
    cases: [
      {
        name: 'sluice ResponseEventStream → ResponsesToChatChunksStream',
        run: async () => {
          const tally: ChatTally = { text: 0, arguments: '', finish: null }
          await readEach(
            source().pipeThrough(new ResponseEventStream()).pipeThrough(new ResponsesToChatChunksStream()),
            (value) => addChunk(tally, value),
          )
          return tally
        },
      },
      {
        name: 'sluice iterate(ResponseEventParser) + ResponsesToChatChunks',
        run: async () => {
          const tally: ChatTally = { text: 0, arguments: '', finish: null }
          const translate = new ResponsesToChatChunks()
          const controller: TransformController<ChatCompletionChunk> = {
            desiredSize: 1,
            enqueue: (chunk) => addChunk(tally, chunk!),
            error() {},
            terminate() {},
          }
          for await (const event of iterate(source(), new ResponseEventParser())) translate.transform(event, controller)
          return tally
        },
        note: '`ResponsesToChatChunks.transform` called for each event of `iterate()`, with a plain object as the controller: no stream for the translation.',
      },
      {
        name: eventsOnly,
        run: async () => {
          const tally: ChatTally = { text: 0, arguments: '', finish: null }
          const reader = source().pipeThrough(new ResponseEventStream()).getReader()
          for (;;) {
            const { done, value } = await reader.read()
            if (done) return tally
            if (value.type === 'response.output_text.delta') tally.text += value.delta.length
            else if (value.type === 'response.function_call_arguments.delta') tally.arguments += value.delta
            else if (value.type === 'response.completed') tally.finish = 'tool_calls'
          }
        },
        note: 'the first row of the groups above, tallied as chat chunks: the cost the translation adds is the gap to it.',
      },
    ],
  }
}

export const groups: BenchGroup[] = [group(16 * KiB), group(KiB), group(64), chatGroup(16 * KiB)]
