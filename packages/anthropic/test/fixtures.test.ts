/**
 * The 23 captured Anthropic Messages streams (test/fixtures/, sources in
 * test/fixtures/SOURCES.md) through the three ways of decoding bytes — `MessageEventStream`,
 * the piped separate stages, `iterate` over `MessageEventParser` — which must give the same
 * events and outcome, at any split of the bytes. The expected counts, stop reasons and
 * quirks were read from the files (`grep -c '^data:'`, the last `stop_reason`).
 */
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import fc from 'fast-check'
import { iterate } from '@sluice/compose'
import { LineSplitterStream } from '@sluice/lines'
import { SSEDecoderStream } from '@sluice/sse'
import { bytes, fromChunks, readToEnd, splitAt } from '@sluice/test-support'
import {
  MessageEventDecoderStream,
  MessageEventParser,
  MessageEventStream,
  type MessageEvent,
  type MessageOutcome,
  type MessageQuirkCode,
  type MessageStatus,
  ProviderError,
  UnexpectedEventError,
} from '../src/index.ts'
import { CAPTURES } from './captures.ts'

interface Case {
  name: string
  text: string
  /** Events emitted (a dropped duplicate message_start not counted; an unterminated message_stop counted). */
  events: number
  status: MessageStatus
  stopReason: string | null
  quirks: MessageQuirkCode[]
  error?: abstract new (...args: never[]) => Error
}

const CASES: Case[] = [
  {
    name: 'adaptive-thinking-leading-text-block-opus46',
    text: CAPTURES['adaptive-thinking-leading-text-block-opus46.sse']!,
    events: 29,
    status: 'complete',
    stopReason: 'end_turn',
    quirks: [],
  },
  {
    name: 'advisor-tool-iterations',
    text: CAPTURES['advisor-tool-iterations.sse']!,
    events: 21,
    status: 'complete',
    stopReason: 'end_turn',
    quirks: [],
  },
  {
    name: 'code-execution-bash',
    text: CAPTURES['code-execution-bash.sse']!,
    events: 35,
    status: 'complete',
    stopReason: 'end_turn',
    quirks: [],
  },
  {
    name: 'compaction-delta',
    text: CAPTURES['compaction-delta.sse']!,
    events: 12,
    status: 'complete',
    stopReason: 'end_turn',
    quirks: [],
  },
  {
    name: 'mcp-tool-use-and-result',
    text: CAPTURES['mcp-tool-use-and-result.sse']!,
    events: 63,
    status: 'complete',
    stopReason: 'end_turn',
    quirks: [],
  },
  {
    name: 'pause-turn-web-search-large',
    text: CAPTURES['pause-turn-web-search-large.sse']!,
    events: 168,
    status: 'complete',
    stopReason: 'pause_turn',
    quirks: [],
  },
  {
    name: 'redacted-thinking',
    text: CAPTURES['redacted-thinking.sse']!,
    events: 27,
    status: 'complete',
    stopReason: 'end_turn',
    quirks: [],
  },
  {
    name: 'refusal-stop-details-sanitized',
    text: CAPTURES['refusal-stop-details-sanitized.sse']!,
    events: 14,
    status: 'complete',
    stopReason: 'refusal',
    quirks: [],
  },
  {
    name: 'stop-sequence-haiku45',
    text: CAPTURES['stop-sequence-haiku45.sse']!,
    events: 10,
    status: 'complete',
    stopReason: 'stop_sequence',
    quirks: [],
  },
  {
    name: 'text-basic-haiku45',
    text: CAPTURES['text-basic-haiku45.sse']!,
    events: 7,
    status: 'complete',
    stopReason: 'end_turn',
    quirks: [],
  },
  {
    name: 'text-ping-after-deltas-sonnet45',
    text: CAPTURES['text-ping-after-deltas-sonnet45.sse']!,
    events: 48,
    status: 'complete',
    stopReason: 'end_turn',
    quirks: [],
  },
  {
    name: 'text-then-tool-use-with-args-sonnet37',
    text: CAPTURES['text-then-tool-use-with-args-sonnet37.sse']!,
    events: 25,
    status: 'complete',
    stopReason: 'tool_use',
    quirks: [],
  },
  {
    name: 'thinking-long-sonnet4',
    text: CAPTURES['thinking-long-sonnet4.sse']!,
    events: 118,
    status: 'complete',
    stopReason: 'end_turn',
    quirks: [],
  },
  {
    name: 'thinking-then-text-haiku45',
    text: CAPTURES['thinking-then-text-haiku45.sse']!,
    events: 17,
    status: 'complete',
    stopReason: 'end_turn',
    quirks: [],
  },
  {
    name: 'thinking-then-tool-use',
    text: CAPTURES['thinking-then-tool-use.sse']!,
    events: 13,
    status: 'complete',
    stopReason: 'tool_use',
    quirks: [],
  },
  {
    name: 'tool-search-then-tool-use',
    text: CAPTURES['tool-search-then-tool-use.sse']!,
    events: 36,
    status: 'complete',
    stopReason: 'tool_use',
    quirks: [],
  },
  {
    name: 'tool-use-parallel-empty-input-haiku45',
    text: CAPTURES['tool-use-parallel-empty-input-haiku45.sse']!,
    events: 10,
    status: 'complete',
    stopReason: 'tool_use',
    quirks: [],
  },
  {
    name: 'web-fetch',
    text: CAPTURES['web-fetch.sse']!,
    events: 52,
    status: 'complete',
    stopReason: 'end_turn',
    quirks: [],
  },
  {
    name: 'web-search-citations-no-ping',
    text: CAPTURES['web-search-citations-no-ping.sse']!,
    events: 120,
    status: 'complete',
    stopReason: 'end_turn',
    quirks: [],
  },
  {
    name: 'duplicate-message-start-handwritten-reconstructed',
    text: CAPTURES['duplicate-message-start-handwritten-reconstructed.sse']!,
    events: 6,
    status: 'complete',
    stopReason: 'end_turn',
    quirks: ['duplicate-message-start'],
  },
  {
    name: 'max-tokens-unterminated-tool-input',
    text: CAPTURES['max-tokens-unterminated-tool-input.sse']!,
    events: 16,
    status: 'complete',
    stopReason: 'max_tokens',
    quirks: ['unclosed-block', 'unterminated-message-stop'],
  },
  {
    name: 'spliced-message-start-handwritten-reconstructed',
    text: CAPTURES['spliced-message-start-handwritten-reconstructed.sse']!,
    events: 7,
    status: 'error',
    stopReason: null,
    quirks: [],
    error: UnexpectedEventError,
  },
  {
    name: 'error-overloaded-midstream-handwritten',
    text: CAPTURES['error-overloaded-midstream-handwritten.sse']!,
    events: 3,
    status: 'error',
    stopReason: null,
    quirks: ['missing-event-type', 'missing-event-type', 'missing-event-type'],
    error: ProviderError,
  },
]

interface Run {
  events: MessageEvent[]
  error: unknown
  outcome: MessageOutcome
}

/** The three ways, each reading `reads`. */
const WAYS: Record<string, (reads: Uint8Array[]) => Promise<Run>> = {
  async fused(reads) {
    const stream = new MessageEventStream()
    const { items, error } = await readToEnd(fromChunks(reads).pipeThrough(stream))
    return { events: items, error, outcome: await stream.outcome }
  },
  async piped(reads) {
    const decoder = new MessageEventDecoderStream()
    const { items, error } = await readToEnd(
      fromChunks(reads)
        .pipeThrough(new LineSplitterStream())
        .pipeThrough(new SSEDecoderStream({ requireEventStream: true }))
        .pipeThrough(decoder),
    )
    return { events: items, error, outcome: await decoder.outcome }
  },
  async iterated(reads) {
    const parser = new MessageEventParser()
    const events: MessageEvent[] = []
    let error: unknown
    try {
      for await (const event of iterate(fromChunks(reads), parser)) events.push(event)
    } catch (caught) {
      error = caught
    }
    return { events, error, outcome: await parser.outcome }
  },
}

function check(run: Run, expected: Case, way: string): void {
  const at = `${expected.name} (${way})`
  assert.is(run.events.length, expected.events, `${at}: events`)
  assert.is(run.outcome.status, expected.status, `${at}: status`)
  assert.is(run.outcome.stopReason, expected.stopReason, `${at}: stop reason`)
  assert.equal(
    run.outcome.quirks.map((quirk) => quirk.code),
    expected.quirks,
    `${at}: quirks`,
  )
  if (expected.error) assert.instance(run.error, expected.error, `${at}: error`)
  else assert.is(run.error, undefined, `${at}: no error`)
  if (expected.status === 'complete')
    assert.is(run.events.at(-1)?.type, 'message_stop', `${at}: ends with message_stop`)
}

for (const expected of CASES) {
  test(`${expected.name}: every way decodes the same events and outcome`, async () => {
    const reads = [bytes(expected.text)]
    const runs = await Promise.all(Object.entries(WAYS).map(async ([way, run]) => [way, await run(reads)] as const))
    for (const [way, run] of runs) check(run, expected, way)
    assert.equal(runs[1]![1].events, runs[0]![1].events)
    assert.equal(runs[2]![1].events, runs[0]![1].events)
  })
}

test('any split of any capture gives the same events and outcome as one read', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.constantFrom(...CASES),
      fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 12 }),
      fc.constantFrom(...Object.keys(WAYS)),
      async (expected, fractions, way) => {
        const data = bytes(expected.text)
        const cuts = fractions.map((fraction) => Math.floor(fraction * data.length)).sort((a, b) => a - b)
        const run = await WAYS[way]!(splitAt(data, cuts))
        check(run, expected, way)
        const whole = await WAYS[way]!([data])
        assert.equal(run.events, whole.events)
      },
    ),
    { numRuns: 150 },
  )
})

test('a cut at every event boundary is truncated, with the events before it and the open blocks', async () => {
  const text = CAPTURES['text-basic-haiku45.sse']!
  const ends = [...text.matchAll(/\n\n/g)].map((match) => match.index + 2)
  for (const end of ends.slice(0, -1)) {
    const run = await WAYS.fused!([bytes(text.slice(0, end))])
    assert.is(run.outcome.status, 'truncated', `cut at ${end}`)
    assert.is(run.outcome.sawMessageStop, false)
    assert.ok(
      run.error instanceof Error && run.error.name === 'TruncatedMessageError',
      `cut at ${end}: ${String(run.error)}`,
    )
  }
})

test.run()
