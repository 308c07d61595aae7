/**
 * `@sluice/anthropic` against the official `@anthropic-ai/sdk` and eventsource-parser with
 * `JSON.parse`: bytes of an Anthropic Messages stream in, typed events out (issue #19's
 * target: the fused stream ≥ 1.2× eventsource-parser's stream at 16 KiB reads).
 *
 * Run: `pnpm bench anthropic`. Same input for every row of a group: a generated Messages
 * stream (text deltas with non-ASCII text, then a tool use whose input arrives in
 * fragments), with the server's habits (a `ping`, spaces before the last `}`), sliced into
 * reads once before timing and served from a pull stream. Every case parses every event and
 * tallies the event count and the text length; the tallies are checked before timing.
 */
import Anthropic from '@anthropic-ai/sdk'
import { iterate } from '@sluice/compose'
import { MessageEventParser, MessageEventStream } from '@sluice/anthropic'
import { EventSourceParserStream } from 'eventsource-parser/stream'
import type { BenchGroup } from './harness.ts'
import { fromChunks, KiB, readEach, scaled, slice, type Bytes } from './inputs.ts'

const WORDS = ['stream', 'événement', 'chunk', 'données', '🦕', '日本語', 'delta', 'Ärger', 'naïve', 'block']

/** A Messages stream of at least `size` bytes, and what it carries. */
function messagesStream(size: number): { bytes: Bytes; events: number; text: number } {
  const lines: string[] = []
  let events = 0
  let text = 0
  const event = (data: object, pad = 0) => {
    const json = JSON.stringify(data)
    lines.push(`event: ${(data as { type: string }).type}\ndata: ${json.slice(0, -1)}${' '.repeat(pad)}}\n\n`)
    events++
  }
  event({
    type: 'message_start',
    message: {
      id: 'msg_bench',
      type: 'message',
      role: 'assistant',
      model: 'claude-bench',
      content: [],
      stop_reason: null,
      stop_sequence: null,
      usage: { input_tokens: 10, output_tokens: 1 },
    },
  })
  event({ type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } })
  lines.push('event: ping\ndata: {"type": "ping"}\n\n')
  events++
  let length = 0
  for (let index = 0; length < size; index++) {
    const piece = `${WORDS[index % WORDS.length]} ${WORDS[(index * 7) % WORDS.length]} `
    text += piece.length
    event({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: piece } }, index % 13)
    length += 110
  }
  event({ type: 'content_block_stop', index: 0 })
  event({
    type: 'content_block_start',
    index: 1,
    content_block: { type: 'tool_use', id: 'toolu_bench', name: 'lookup', input: {} },
  })
  for (const fragment of ['{"query": "wea', 'ther in Par', 'is"}'])
    event({ type: 'content_block_delta', index: 1, delta: { type: 'input_json_delta', partial_json: fragment } })
  event({ type: 'content_block_stop', index: 1 })
  event({
    type: 'message_delta',
    delta: { stop_reason: 'tool_use', stop_sequence: null },
    usage: { output_tokens: 99 },
  })
  event({ type: 'message_stop' })
  return { bytes: new TextEncoder().encode(lines.join('')), events, text }
}

interface Tally {
  events: number
  text: number
}

function add(tally: Tally, event: { type: string; delta?: unknown }): void {
  tally.events++
  const delta = event.delta as { type?: string; text?: string } | undefined
  if (event.type === 'content_block_delta' && delta?.type === 'text_delta') tally.text += delta.text?.length ?? 0
}

async function readAll(stream: ReadableStream<{ type: string }>): Promise<Tally> {
  const tally = { events: 0, text: 0 }
  await readEach(stream, (value) => add(tally, value))
  return tally
}

const SIZE = scaled(4 * 1024 * KiB, 256 * KiB)
const input = messagesStream(SIZE)

function group(readSize: number): BenchGroup {
  const reads = slice(input.bytes, readSize)
  const source = () => fromChunks(reads)
  return {
    name: `anthropic, ${readSize >= KiB ? `${readSize / KiB} KiB` : `${readSize} B`} reads`,
    input: `${(input.bytes.byteLength / KiB / 1024).toFixed(2)} MiB Anthropic Messages stream, ${input.events} events (text deltas, a ping, a tool use in fragments), LF, in ${reads.length} reads of ${readSize} B`,
    bytes: input.bytes.byteLength,
    references: [{ label: 'eventsource-parser stream', case: 'eventsource-parser stream + JSON.parse' }],
    cases: [
      { name: 'sluice MessageEventStream (fused)', run: () => readAll(source().pipeThrough(new MessageEventStream())) },
      {
        name: 'sluice iterate(MessageEventParser)',
        run: async () => {
          const tally = { events: 0, text: 0 }
          for await (const event of iterate(source(), new MessageEventParser())) add(tally, event)
          return tally
        },
      },
      {
        name: 'eventsource-parser stream + JSON.parse',
        run: async () => {
          const tally = { events: 0, text: 0 }
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
        name: 'anthropic SDK messages.stream()',
        run: async () => {
          const client = new Anthropic({
            apiKey: 'bench',
            maxRetries: 0,
            fetch: async () => new Response(source(), { headers: { 'content-type': 'text/event-stream' } }),
          })
          const tally = { events: 1, text: 0 } // the SDK yields no ping: count the one the stream holds
          for await (const event of client.messages.stream({
            model: 'claude-bench',
            max_tokens: 1,
            messages: [{ role: 'user', content: 'hi' }],
          }))
            add(tally, event as never)
          return tally
        },
        note: '@anthropic-ai/sdk 1.17.0: `client.messages.stream()` with a custom `fetch` that answers with the input, iterated with `for await`: its SSE parsing, `JSON.parse` and its accumulation of the message (it has no way to skip it); it yields no `ping`.',
      },
    ],
  }
}

export const groups: BenchGroup[] = [group(16 * KiB), group(64)]
