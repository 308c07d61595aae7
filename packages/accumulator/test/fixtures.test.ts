/**
 * Captured tool-call streams (test/fixtures/*.sse; each file opens with comment lines saying
 * which provider behaviour it reproduces), through the whole chain — bytes, lines, events,
 * chunks, snapshots — in three ways that must agree: `ChatChunkStream` then
 * `DeltaAccumulatorStream`, the piped chain of separate stages, and `iterate` over
 * `compose(ChatChunkParser, DeltaAccumulator)`. The accumulator is linked to the chunk stage
 * (`upstream`), so its verdict holds what every stage saw, and the tool calls left open.
 * The expected values are written out from reading the files.
 */
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import fc from 'fast-check'
import { compose, iterate } from '@sluice/compose'
import { LineSplitterStream } from '@sluice/lines'
import {
  ChatChunkParser,
  ChatChunkStream,
  ChunkDecoderStream,
  TruncatedStreamError,
  type FinishReason,
  type OpenToolCall,
  type ChunkQuirkCode,
  type StreamOutcome,
  type StreamStatus,
} from '@sluice/openai'
import { SSEDecoderStream, type SSEQuirkCode } from '@sluice/sse'
import { bytes, fromChunks, readToEnd, splitAt } from '@sluice/test-support'
import { finishReasonTwice } from '@sluice/test-support/captured-streams'
import {
  type AccumulatorQuirkCode,
  DeltaAccumulator,
  DeltaAccumulatorStream,
  type ChatCompletion,
  type ChatCompletionMessage,
} from '../src/index.ts'
import bedrockToolCallIndexFrom1 from './fixtures/bedrock-tool-call-index-from-1.sse'
import geminiMissingToolCallIndex from './fixtures/gemini-missing-tool-call-index.sse'
import ollamaReusedToolCallIndex from './fixtures/ollama-reused-tool-call-index.sse'
import proxyEmptyToolCallIdAndType from './fixtures/proxy-empty-tool-call-id-and-type.sse'
import openaiParallelToolCalls from './fixtures/openai-parallel-tool-calls.sse'
import openaiToolCallLength from './fixtures/openai-tool-call-length.sse'
import toolCallConnectionCut from './fixtures/tool-call-connection-cut.sse'

/** The chunk stage's truncation rule: `'close'` lets the accumulator flush and judge. */
interface RunOptions {
  truncated?: 'error' | 'close'
}

/** What one way of running the chain gave. */
interface Run {
  /** Snapshots read, one per chunk. */
  snapshots: number
  /** The last snapshot read: the assembled completion. */
  completion: ChatCompletion | undefined
  error: unknown
  /** The accumulator's outcome. */
  outcome: StreamOutcome
  /** The chunk stage's verdict, which knows nothing of tool calls. */
  chunkOutcome: StreamOutcome
}

type Way = (parts: Uint8Array[], options: RunOptions) => Promise<Run>

/** The three ways of turning bytes into snapshots, which must agree. */
const ways: Record<string, Way> = {
  'ChatChunkStream → DeltaAccumulatorStream': async (parts, options) => {
    const chunks = new ChatChunkStream(options)
    const accumulator = new DeltaAccumulatorStream()
    const { items, error } = await readToEnd(fromChunks(parts).pipeThrough(chunks).pipeThrough(accumulator))
    return {
      snapshots: items.length,
      completion: items.at(-1),
      error,
      outcome: await accumulator.outcome,
      chunkOutcome: await chunks.outcome,
    }
  },
  'LineSplitterStream → SSEDecoderStream → ChunkDecoderStream → DeltaAccumulatorStream': async (parts, options) => {
    const lines = new LineSplitterStream()
    const events = new SSEDecoderStream()
    const chunks = new ChunkDecoderStream(options)
    const accumulator = new DeltaAccumulatorStream()
    const { items, error } = await readToEnd(
      fromChunks(parts).pipeThrough(lines).pipeThrough(events).pipeThrough(chunks).pipeThrough(accumulator),
    )
    return {
      snapshots: items.length,
      completion: items.at(-1),
      error,
      outcome: await accumulator.outcome,
      chunkOutcome: await chunks.outcome,
    }
  },
  'iterate(compose(ChatChunkParser, DeltaAccumulator))': async (parts, options) => {
    const parser = new ChatChunkParser(options)
    const accumulator = new DeltaAccumulator()
    const items: ChatCompletion[] = []
    let error: unknown
    try {
      for await (const snapshot of iterate(fromChunks(parts), compose(parser, accumulator))) items.push(snapshot)
    } catch (reason) {
      error = reason
    }
    return {
      snapshots: items.length,
      completion: items.at(-1),
      error,
      outcome: await accumulator.outcome,
      chunkOutcome: await parser.outcome,
    }
  },
}

/** The fixture's bytes cut in four: inside the first line, and at a third and two thirds. */
function fewChunks(text: string): Uint8Array[] {
  const data = bytes(text)
  return splitAt(data, [7, Math.floor(data.length / 3), Math.floor((2 * data.length) / 3)])
}

/** The verdict without the error object. */
function facts(outcome: StreamOutcome): Omit<StreamOutcome, 'error'> {
  const { error: _, ...rest } = outcome
  return rest
}

/** A repair as compared here: the accumulator's name their chunk, the chunk stage's their event. */
type QuirkCode = ChunkQuirkCode | AccumulatorQuirkCode | SSEQuirkCode
type ExpectedQuirk = { code: QuirkCode; chunkIndex: number } | { code: QuirkCode; eventIndex: number }

const toolCall = (id: string, name: string, args: string) => ({
  id,
  type: 'function',
  function: { name, arguments: args },
})

/** What a fixture must give, read from the file. */
interface Expected {
  what: string
  text: string
  status: StreamStatus
  sawDone: boolean
  finishReasons: Record<number, FinishReason | null>
  quirks: ExpectedQuirk[]
  lines: number
  events: number
  chunks: number
  openToolCalls: OpenToolCall[]
  /** The message of choice 0 in the last snapshot. */
  message: ChatCompletionMessage
  /** Status `truncated`: why, as `TruncatedStreamError` would say it. */
  missing?: string
}

const fixtures: Record<string, Expected> = {
  'openai-parallel-tool-calls.sse': {
    what: 'two parallel calls, arguments in fragments: complete, no repair',
    text: openaiParallelToolCalls,
    status: 'complete',
    sawDone: true,
    finishReasons: { 0: 'tool_calls' },
    quirks: [],
    // 4 comment lines and a blank line; 12 events of 2 lines (11 chunks, [DONE]).
    lines: 29,
    events: 12,
    chunks: 11,
    openToolCalls: [],
    message: {
      role: 'assistant',
      content: null,
      refusal: null,
      tool_calls: [
        toolCall('call_Kx8mQ2rVt5LwN9pZs3YbE1cJ', 'get_weather', '{"city": "Paris"}'),
        toolCall('call_Fh4TnW7kPq0ZxR2vMb9LsC6e', 'get_weather', '{"city": "Tokyo"}'),
      ],
    },
  },
  'gemini-missing-tool-call-index.sse': {
    what: 'fragments without index correlated by id, and as the continuation of the last call',
    text: geminiMissingToolCallIndex,
    status: 'complete',
    sawDone: true,
    finishReasons: { 0: 'stop' },
    // Chunk 1: a new id without index; chunk 2: neither id nor index, the last call goes on; chunk 3: a new id.
    quirks: [
      { code: 'missing-tool-call-index', chunkIndex: 1 },
      { code: 'missing-tool-call-index', chunkIndex: 2 },
      { code: 'missing-tool-call-index', chunkIndex: 3 },
    ],
    lines: 18,
    events: 6,
    chunks: 5,
    openToolCalls: [],
    message: {
      role: 'assistant',
      content: "I'll look up both cities.",
      refusal: null,
      tool_calls: [
        toolCall('function-call-11735446390893478461', 'get_weather', '{"city":"Paris"}'),
        toolCall('function-call-2794318347823489013', 'get_weather', '{"city":"Tokyo"}'),
      ],
    },
  },
  'ollama-reused-tool-call-index.sse': {
    what: 'index 0 reused with a new id starts a second call',
    text: ollamaReusedToolCallIndex,
    status: 'complete',
    sawDone: true,
    finishReasons: { 0: 'tool_calls' },
    quirks: [{ code: 'reused-tool-call-index', chunkIndex: 1 }],
    // A reused index is not also a gap (it once was reported as both).
    lines: 12,
    events: 4,
    chunks: 3,
    openToolCalls: [],
    message: {
      role: 'assistant',
      content: null, // only empty content deltas arrived
      refusal: null,
      tool_calls: [
        toolCall('call_k2v9x4qe', 'file_write', '{"content":"print(\\"hello\\")","filePath":"hello.py"}'),
        toolCall('call_8m3ptz1r', 'file_write', '{"content":"print(\\"world\\")","filePath":"world.py"}'),
      ],
    },
  },
  'bedrock-tool-call-index-from-1.sse': {
    what: 'indexes 1 and 2 become calls 0 and 1, one index-gap repair',
    text: bedrockToolCallIndexFrom1,
    status: 'complete',
    sawDone: true,
    finishReasons: { 0: 'tool_calls' },
    quirks: [{ code: 'tool-call-index-gap', chunkIndex: 3 }],
    // 4 comment lines and a blank line; 11 events of 2 lines (10 chunks, [DONE]).
    lines: 27,
    events: 11,
    chunks: 10,
    openToolCalls: [],
    message: {
      role: 'assistant',
      content: "I'll check the weather in New York for you.",
      refusal: null,
      tool_calls: [
        toolCall('tooluse_2ZNq3xR8TfWv1kLmQp9sYa', 'get_weather', '{"city": "New York"}'),
        toolCall('tooluse_Hc7Jd0Ue4GbXo2NrVt6KwZ', 'get_time', '{"timezone": "America/New_York"}'),
      ],
    },
  },
  'proxy-empty-tool-call-id-and-type.sse': {
    what: 'fragments with "id": "" and "type": "" and no index: one call, without id, of type "function"',
    text: proxyEmptyToolCallIdAndType,
    status: 'complete',
    sawDone: true,
    finishReasons: { 0: 'tool_calls' },
    // Chunk 0: no index, no id, a name: a new call, without id; chunk 1: neither, the last call goes on.
    quirks: [
      { code: 'missing-tool-call-index', chunkIndex: 0 },
      { code: 'missing-tool-call-id', chunkIndex: 0 },
      { code: 'missing-tool-call-index', chunkIndex: 1 },
    ],
    // An empty "type" keeps 'function' (it once replaced it: not a call the API takes back).
    lines: 13,
    events: 4,
    chunks: 3,
    openToolCalls: [],
    message: {
      role: 'assistant',
      content: null,
      refusal: null,
      tool_calls: [toolCall('', 'memory_save', '{"content":"likes green tea","tags":"preference"}')],
    },
  },
  'openai-tool-call-length.sse': {
    what: '[DONE] came, but max_tokens cut the arguments: truncated, one open call',
    text: openaiToolCallLength,
    status: 'truncated',
    sawDone: true,
    finishReasons: { 0: 'length' },
    quirks: [],
    lines: 21,
    events: 8,
    chunks: 7,
    // {"path":"notes (14) + /todo.md","content":"# TODO\n (29) + - buy milk\n- call (18), each \n two characters.
    openToolCalls: [
      { choice: 0, index: 0, id: 'call_Yb3LrN8wQe5TzK1vXo7HmP2d', name: 'write_file', argumentsLength: 61 },
    ],
    message: {
      role: 'assistant',
      content: null,
      refusal: null,
      tool_calls: [
        toolCall(
          'call_Yb3LrN8wQe5TzK1vXo7HmP2d',
          'write_file',
          '{"path":"notes/todo.md","content":"# TODO\\n- buy milk\\n- call',
        ),
      ],
    },
    missing: 'tool call 0 of choice 0 (write_file) has incomplete arguments (61 chars)',
  },
  'tool-call-connection-cut.sse': {
    what: "cut inside the second call's arguments: truncated, no [DONE], no finish_reason, one open call",
    text: toolCallConnectionCut,
    status: 'truncated',
    sawDone: false,
    finishReasons: { 0: null },
    quirks: [],
    lines: 15,
    events: 5,
    chunks: 5,
    openToolCalls: [
      {
        choice: 0,
        index: 1,
        id: 'call_Dn6HsQ1mWk8ZrT4yVb0XfJ5u',
        name: 'get_time',
        argumentsLength: '{"timezone":"Eu'.length,
      },
    ],
    message: {
      role: 'assistant',
      content: null,
      refusal: null,
      tool_calls: [
        toolCall('call_Pq4VxZ9nRb2LwE7tYs1KcM3h', 'get_weather', '{"city":"Paris"}'),
        toolCall('call_Dn6HsQ1mWk8ZrT4yVb0XfJ5u', 'get_time', '{"timezone":"Eu'),
      ],
    },
    missing:
      'no [DONE]; choice 0 has no finish_reason; tool call 1 of choice 0 (get_time) has incomplete arguments (15 chars)',
  },
  'finish-reason-twice.sse (from @sluice/openai)': {
    what: 'the same finish_reason sent again in the usage chunk is no repair',
    text: finishReasonTwice,
    status: 'complete',
    sawDone: true,
    finishReasons: { 0: 'stop' },
    quirks: [],
    lines: 13,
    events: 4,
    chunks: 3,
    openToolCalls: [],
    message: { role: 'assistant', content: 'Hi there!', refusal: null },
  },
}

/** The outcome a fixture must give (the repairs are compared on their own). */
function expectedVerdict(expected: Expected): Omit<StreamOutcome, 'error'> {
  return {
    sawDone: expected.sawDone,
    finishReasons: expected.finishReasons,
    unfinishedEvent: null,
    quirks: [],
    lastEventId: '',
    counts: {
      bytes: bytes(expected.text).length,
      lines: expected.lines,
      events: expected.events,
      chunks: expected.chunks,
    },
    status: expected.status,
    openToolCalls: expected.openToolCalls,
  }
}

/** `message` with its tool calls' `type` left out. */
const quirksOf = (outcome: StreamOutcome) =>
  outcome.quirks.map(({ code, chunkIndex, eventIndex }) =>
    chunkIndex !== undefined ? { code, chunkIndex } : { code, eventIndex },
  )

for (const [name, expected] of Object.entries(fixtures)) {
  test(`${name}: ${expected.what} (three ways agree)`, async () => {
    for (const [way, run] of Object.entries(ways)) {
      const { snapshots, completion, error, outcome, chunkOutcome } = await run(fewChunks(expected.text), {
        truncated: 'close',
      })
      assert.is(error, undefined, `${way}: ${String(error)}`)
      assert.is(snapshots, expected.chunks, way)
      assert.equal(
        completion?.choices.map((choice) => choice.index),
        [0],
        way,
      )
      assert.equal(completion?.choices[0]?.message, expected.message, `${way}: message`)
      assert.is(completion?.choices[0]?.finish_reason, expected.finishReasons[0], way)
      assert.equal({ ...facts(outcome), quirks: [] }, expectedVerdict(expected), `${way}: verdict`)
      assert.equal(quirksOf(outcome), expected.quirks, `${way}: quirks`)
      assert.is(outcome.error, undefined, `${way}: the accumulator judges, it does not throw`)
      if (expected.missing) {
        // The message a TruncatedStreamError would give for this verdict names the open call.
        assert.is(
          new TruncatedStreamError(outcome).message,
          `the stream was cut off: ${expected.missing} (after ${expected.chunks} chunks)`,
          way,
        )
      }
      // The chunk stage saw the same stream, but not the tool calls: complete at [DONE] or
      // when every choice has a finish_reason, open calls or not.
      const finished = expected.sawDone || Object.values(expected.finishReasons).every((reason) => reason !== null)
      const chunkVerdict = {
        ...expectedVerdict(expected),
        openToolCalls: [],
        status: finished ? 'complete' : 'truncated',
      }
      assert.equal({ ...facts(chunkOutcome), quirks: [] }, chunkVerdict, `${way}: chunk stage verdict`)
    }
  })
}

test('openai-tool-call-length.sse: the chunk stage calls it complete ([DONE] came); only the accumulator sees the open call', async () => {
  for (const [way, run] of Object.entries(ways)) {
    const { error, outcome, chunkOutcome } = await run(fewChunks(openaiToolCallLength), {})
    assert.is(error, undefined, way)
    assert.is(chunkOutcome.status, 'complete', way)
    assert.is(outcome.status, 'truncated', way)
    assert.is(outcome.openToolCalls.length, 1, way)
  }
})

test('tool-call-connection-cut.sse: by default the chunk stage errors with TruncatedStreamError, and the accumulator keeps the open call in its outcome', async () => {
  const expected = fixtures['tool-call-connection-cut.sse']!
  for (const [way, run] of Object.entries(ways)) {
    // In every runtime: sluice's streams call their transformer's cancel hook themselves,
    // where a native TransformStream does not (Chromium, Firefox, WebKit).
    const { error, outcome, chunkOutcome } = await run(fewChunks(expected.text), {})
    assert.instance(error, TruncatedStreamError, way)
    const truncated = error as TruncatedStreamError
    // The chunk stage does not assemble calls: its message names what it saw.
    assert.is(
      truncated.message,
      'the stream was cut off: no [DONE]; choice 0 has no finish_reason (after 5 chunks)',
      way,
    )
    assert.equal(truncated.outcome, facts(chunkOutcome), way)
    assert.is(outcome.status, 'truncated', way)
    assert.is(outcome.error, error, way)
    assert.equal({ ...facts(outcome), quirks: [] }, expectedVerdict(expected), `${way}: verdict`)
  }
})

// ---------------------------------------------------------------- properties

test('property: any split of a fixture gives the snapshot and the outcome of the whole, in each of the three ways', async () => {
  const names = Object.keys(fixtures)
  const whole = new Map<string, Run>()
  for (const name of names)
    whole.set(
      name,
      await ways['ChatChunkStream → DeltaAccumulatorStream']!([bytes(fixtures[name]!.text)], { truncated: 'close' }),
    )
  await fc.assert(
    fc.asyncProperty(
      fc.constantFrom(...names),
      fc.constantFrom(...Object.keys(ways)),
      fc.array(fc.nat(), { maxLength: 12 }),
      async (name, way, cuts) => {
        const reference = whole.get(name)!
        const run = await ways[way]!(splitAt(bytes(fixtures[name]!.text), cuts), { truncated: 'close' })
        assert.is(run.snapshots, reference.snapshots)
        assert.equal(run.completion, reference.completion)
        assert.equal(run.outcome, reference.outcome)
        assert.equal(facts(run.chunkOutcome), facts(reference.chunkOutcome))
      },
    ),
    { numRuns: 200 },
  )
})

test.run()
