/**
 * The 29 captured Responses streams (test/fixtures/, sources in test/fixtures/SOURCES.md)
 * through the three ways of decoding bytes — `ResponseEventStream`, the piped separate
 * stages, `iterate` over `ResponseEventParser` — which must give the same events and
 * outcome, at any split of the bytes. The expected event counts are the files' `data:`
 * lines (`grep -c '^data:'`) less a trailing `[DONE]`; the terminal event is the last one.
 */
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import fc from 'fast-check'
import { iterate } from '@sluice/compose'
import { LineSplitterStream } from '@sluice/lines'
import { SSEDecoderStream } from '@sluice/sse'
import { bytes, fromChunks, readToEnd, splitAt } from '@sluice/test-support'
import {
  ProviderError,
  type ResponseEvent,
  ResponseEventDecoderStream,
  ResponseEventParser,
  ResponseEventStream,
  type ResponseOutcome,
  type ResponseQuirkCode,
  type ResponseStreamStatus,
} from '../src/index.ts'
import { CAPTURES } from './captures.ts'

interface Case {
  name: string
  text: string
  /** Events emitted. */
  events: number
  status: ResponseStreamStatus
  /** Quirks by code: how many, or `'some'` for at least one. */
  quirks: Partial<Record<ResponseQuirkCode, number | 'some'>>
  error?: abstract new (...args: never[]) => Error
}

/** Facts of the captures that are not plain completed streams (read from the files and SOURCES.md). */
const SPECIAL: Record<string, Omit<Case, 'name' | 'text'>> = {
  'background-resume-starting-after-gpt-4o.sse': { events: 16, status: 'complete', quirks: { 'resumed-stream': 1 } },
  // error (sequence 2) ends the stream: the response.failed after it repeats its error.
  'error-then-failed-insufficient-quota-gpt-5-nano-reconstructed.sse': {
    events: 2,
    status: 'error',
    quirks: {},
    error: ProviderError,
  },
  // Copilot rotates ids (sanitized upstream to a new id per event): the response's on in_progress and completed.
  'id-rotation-github-copilot-gpt-5.3-codex-reconstructed.sse': {
    events: 69,
    status: 'complete',
    quirks: { 'response-id-changed': 2, 'item-id-changed': 'some' },
  },
  // No event: lines (40 events), then [DONE] after response.completed.
  'reasoning-text-openrouter-gpt-oss-20b.sse': { events: 40, status: 'complete', quirks: { 'missing-event-type': 40 } },
}

const CASES: Case[] = Object.entries(CAPTURES).map(([name, text]) => {
  const special = SPECIAL[name]
  if (special) return { name, text, ...special }
  return { name, text, events: text.match(/^data:/gm)!.length, status: 'complete', quirks: {} }
})

interface Run {
  events: ResponseEvent[]
  error: unknown
  outcome: ResponseOutcome
}

/** The three ways, each reading `reads`. */
const WAYS: Record<string, (reads: Uint8Array[]) => Promise<Run>> = {
  async fused(reads) {
    const stream = new ResponseEventStream()
    const { items, error } = await readToEnd(fromChunks(reads).pipeThrough(stream))
    return { events: items, error, outcome: await stream.outcome }
  },
  async piped(reads) {
    const decoder = new ResponseEventDecoderStream()
    const { items, error } = await readToEnd(
      fromChunks(reads)
        .pipeThrough(new LineSplitterStream())
        .pipeThrough(new SSEDecoderStream({ requireEventStream: true }))
        .pipeThrough(decoder),
    )
    return { events: items, error, outcome: await decoder.outcome }
  },
  async iterated(reads) {
    const parser = new ResponseEventParser()
    const events: ResponseEvent[] = []
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
  const counts: Record<string, number> = {}
  for (const quirk of run.outcome.quirks) counts[quirk.code] = (counts[quirk.code] ?? 0) + 1
  assert.equal(Object.keys(counts).sort(), Object.keys(expected.quirks).sort(), `${at}: quirk codes`)
  for (const [code, count] of Object.entries(expected.quirks))
    if (count !== 'some') assert.is(counts[code], count, `${at}: ${code} quirks`)
  if (expected.error) assert.instance(run.error, expected.error, `${at}: error`)
  else assert.is(run.error, undefined, `${at}: no error`)
  if (expected.status === 'complete') {
    assert.is(run.events.at(-1)?.type, 'response.completed', `${at}: ends with response.completed`)
    assert.is(run.outcome.terminal, 'response.completed', `${at}: terminal`)
    assert.is(run.outcome.responseId, (run.events[0] as { response: { id: string } }).response.id, `${at}: id`)
  }
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

test('the events are the data of the file, in order, unchanged', async () => {
  for (const expected of CASES.filter((each) => each.status === 'complete')) {
    const data = [...expected.text.matchAll(/^data: ?(.*)$/gm)].map((match) => match[1]!).filter((d) => d !== '[DONE]')
    const run = await WAYS.fused!([bytes(expected.text)])
    assert.equal(
      run.events,
      data.map((d) => JSON.parse(d)),
      expected.name,
    )
  }
})

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

test('a cut at every event boundary is truncated, with the events before it, the open items and where to resume', async () => {
  const text = CAPTURES['function-call-gpt-5.5.sse']!
  const ends = [...text.matchAll(/\n\n/g)].map((match) => match.index + 2)
  for (const [count, end] of ends.slice(0, -1).entries()) {
    const run = await WAYS.fused!([bytes(text.slice(0, end))])
    assert.is(run.outcome.status, 'truncated', `cut at ${end}`)
    assert.is(run.outcome.terminal, null)
    assert.is(run.events.length, count + 1)
    assert.is(run.outcome.lastSequenceNumber, (run.events.at(-1) as { sequence_number?: number }).sequence_number)
    assert.ok(
      run.error instanceof Error && run.error.name === 'TruncatedResponseError',
      `cut at ${end}: ${String(run.error)}`,
    )
    const added = run.events.filter((event) => event.type === 'response.output_item.added').length
    const done = run.events.filter((event) => event.type === 'response.output_item.done').length
    assert.is(run.outcome.openItems.length, added - done, `cut at ${end}: open items`)
  }
})

test.run()
