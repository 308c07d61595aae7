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
import adaptiveThinkingLeadingTextBlockOpus46 from './fixtures/adaptive-thinking-leading-text-block-opus46.sse'
import advisorToolIterations from './fixtures/advisor-tool-iterations.sse'
import codeExecutionBash from './fixtures/code-execution-bash.sse'
import compactionDelta from './fixtures/compaction-delta.sse'
import duplicateMessageStartHandwrittenReconstructed from './fixtures/duplicate-message-start-handwritten-reconstructed.sse'
import errorOverloadedMidstreamHandwritten from './fixtures/error-overloaded-midstream-handwritten.sse'
import maxTokensUnterminatedToolInput from './fixtures/max-tokens-unterminated-tool-input.sse'
import mcpToolUseAndResult from './fixtures/mcp-tool-use-and-result.sse'
import pauseTurnWebSearchLarge from './fixtures/pause-turn-web-search-large.sse'
import redactedThinking from './fixtures/redacted-thinking.sse'
import refusalStopDetailsSanitized from './fixtures/refusal-stop-details-sanitized.sse'
import splicedMessageStartHandwrittenReconstructed from './fixtures/spliced-message-start-handwritten-reconstructed.sse'
import stopSequenceHaiku45 from './fixtures/stop-sequence-haiku45.sse'
import textBasicHaiku45 from './fixtures/text-basic-haiku45.sse'
import textPingAfterDeltasSonnet45 from './fixtures/text-ping-after-deltas-sonnet45.sse'
import textThenToolUseWithArgsSonnet37 from './fixtures/text-then-tool-use-with-args-sonnet37.sse'
import thinkingLongSonnet4 from './fixtures/thinking-long-sonnet4.sse'
import thinkingThenTextHaiku45 from './fixtures/thinking-then-text-haiku45.sse'
import thinkingThenToolUse from './fixtures/thinking-then-tool-use.sse'
import toolSearchThenToolUse from './fixtures/tool-search-then-tool-use.sse'
import toolUseParallelEmptyInputHaiku45 from './fixtures/tool-use-parallel-empty-input-haiku45.sse'
import webFetch from './fixtures/web-fetch.sse'
import webSearchCitationsNoPing from './fixtures/web-search-citations-no-ping.sse'

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
    text: adaptiveThinkingLeadingTextBlockOpus46,
    events: 29,
    status: 'complete',
    stopReason: 'end_turn',
    quirks: [],
  },
  {
    name: 'advisor-tool-iterations',
    text: advisorToolIterations,
    events: 21,
    status: 'complete',
    stopReason: 'end_turn',
    quirks: [],
  },
  {
    name: 'code-execution-bash',
    text: codeExecutionBash,
    events: 35,
    status: 'complete',
    stopReason: 'end_turn',
    quirks: [],
  },
  {
    name: 'compaction-delta',
    text: compactionDelta,
    events: 12,
    status: 'complete',
    stopReason: 'end_turn',
    quirks: [],
  },
  {
    name: 'mcp-tool-use-and-result',
    text: mcpToolUseAndResult,
    events: 63,
    status: 'complete',
    stopReason: 'end_turn',
    quirks: [],
  },
  {
    name: 'pause-turn-web-search-large',
    text: pauseTurnWebSearchLarge,
    events: 168,
    status: 'complete',
    stopReason: 'pause_turn',
    quirks: [],
  },
  {
    name: 'redacted-thinking',
    text: redactedThinking,
    events: 27,
    status: 'complete',
    stopReason: 'end_turn',
    quirks: [],
  },
  {
    name: 'refusal-stop-details-sanitized',
    text: refusalStopDetailsSanitized,
    events: 14,
    status: 'complete',
    stopReason: 'refusal',
    quirks: [],
  },
  {
    name: 'stop-sequence-haiku45',
    text: stopSequenceHaiku45,
    events: 10,
    status: 'complete',
    stopReason: 'stop_sequence',
    quirks: [],
  },
  {
    name: 'text-basic-haiku45',
    text: textBasicHaiku45,
    events: 7,
    status: 'complete',
    stopReason: 'end_turn',
    quirks: [],
  },
  {
    name: 'text-ping-after-deltas-sonnet45',
    text: textPingAfterDeltasSonnet45,
    events: 48,
    status: 'complete',
    stopReason: 'end_turn',
    quirks: [],
  },
  {
    name: 'text-then-tool-use-with-args-sonnet37',
    text: textThenToolUseWithArgsSonnet37,
    events: 25,
    status: 'complete',
    stopReason: 'tool_use',
    quirks: [],
  },
  {
    name: 'thinking-long-sonnet4',
    text: thinkingLongSonnet4,
    events: 118,
    status: 'complete',
    stopReason: 'end_turn',
    quirks: [],
  },
  {
    name: 'thinking-then-text-haiku45',
    text: thinkingThenTextHaiku45,
    events: 17,
    status: 'complete',
    stopReason: 'end_turn',
    quirks: [],
  },
  {
    name: 'thinking-then-tool-use',
    text: thinkingThenToolUse,
    events: 13,
    status: 'complete',
    stopReason: 'tool_use',
    quirks: [],
  },
  {
    name: 'tool-search-then-tool-use',
    text: toolSearchThenToolUse,
    events: 36,
    status: 'complete',
    stopReason: 'tool_use',
    quirks: [],
  },
  {
    name: 'tool-use-parallel-empty-input-haiku45',
    text: toolUseParallelEmptyInputHaiku45,
    events: 10,
    status: 'complete',
    stopReason: 'tool_use',
    quirks: [],
  },
  { name: 'web-fetch', text: webFetch, events: 52, status: 'complete', stopReason: 'end_turn', quirks: [] },
  {
    name: 'web-search-citations-no-ping',
    text: webSearchCitationsNoPing,
    events: 120,
    status: 'complete',
    stopReason: 'end_turn',
    quirks: [],
  },
  {
    name: 'duplicate-message-start-handwritten-reconstructed',
    text: duplicateMessageStartHandwrittenReconstructed,
    events: 6,
    status: 'complete',
    stopReason: 'end_turn',
    quirks: ['duplicate-message-start'],
  },
  {
    name: 'max-tokens-unterminated-tool-input',
    text: maxTokensUnterminatedToolInput,
    events: 16,
    status: 'complete',
    stopReason: 'max_tokens',
    quirks: ['unclosed-block', 'unterminated-message-stop'],
  },
  {
    name: 'spliced-message-start-handwritten-reconstructed',
    text: splicedMessageStartHandwrittenReconstructed,
    events: 7,
    status: 'error',
    stopReason: null,
    quirks: [],
    error: UnexpectedEventError,
  },
  {
    name: 'error-overloaded-midstream-handwritten',
    text: errorOverloadedMidstreamHandwritten,
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
  const text = textBasicHaiku45
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
