/**
 * The accumulator's outcome: what the chunk stage saw, plus the tool calls left with
 * incomplete arguments.
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
  type ChatCompletionChunk,
} from '@sluice/openai'
import { SSEDecoderStream } from '@sluice/sse'
import { bytes, collect, fromChunks, rejection, splitAt } from '@sluice/test-support'
import { DeltaAccumulator, DeltaAccumulatorStream } from '../src/index.ts'
import { chunk, toolDelta } from './fixtures.ts'

const sse = (chunks: ChatCompletionChunk[], end = 'data: [DONE]\n\n') =>
  chunks.map((item) => `data: ${JSON.stringify(item)}\n\n`).join('') + end

/** A call to get_weather whose arguments arrive in two fragments, then finish_reason tool_calls. */
const weatherCall = (secondFragment: string) => [
  chunk({ role: 'assistant', content: null }),
  chunk(
    toolDelta({ index: 0, id: 'call_a', type: 'function', function: { name: 'get_weather', arguments: '{"city":' } }),
  ),
  chunk(toolDelta({ index: 0, function: { arguments: secondFragment } })),
  chunk({}, { finish: 'tool_calls' }),
]

test('DeltaAccumulatorStream outcome: the whole piped chain, linked, is complete with every count', async () => {
  const text = sse(weatherCall('"Paris"}'))
  const lines = new LineSplitterStream()
  const events = new SSEDecoderStream()
  const chunks = new ChunkDecoderStream()
  const accumulator = new DeltaAccumulatorStream()
  const snapshots = await collect(
    fromChunks([bytes(text)])
      .pipeThrough(lines)
      .pipeThrough(events)
      .pipeThrough(chunks)
      .pipeThrough(accumulator),
  )
  assert.is(snapshots.length, 4)
  const outcome = await accumulator.outcome
  assert.equal(outcome, { ...(await chunks.outcome), openToolCalls: [] })
  assert.is(outcome.status, 'complete')
  assert.equal(outcome.counts, { bytes: bytes(text).length, lines: 10, events: 5, chunks: 4 })
})

test('DeltaAccumulator outcome: [DONE] with a tool call whose arguments are not complete JSON is truncated', async () => {
  const stream = new ChatChunkStream()
  const accumulator = new DeltaAccumulatorStream()
  await collect(
    fromChunks([bytes(sse(weatherCall('"Par')))])
      .pipeThrough(stream)
      .pipeThrough(accumulator),
  )
  const outcome = await accumulator.outcome
  assert.is(outcome.status, 'truncated')
  assert.is(outcome.sawDone, true)
  assert.equal(outcome.openToolCalls, [
    { choice: 0, index: 0, id: 'call_a', name: 'get_weather', argumentsLength: '{"city":"Par'.length },
  ])
  assert.is((await stream.outcome).status, 'complete') // the chunk stage alone does not assemble calls
})

test('DeltaAccumulator outcome: empty arguments count as complete', async () => {
  const sent = [
    chunk({
      role: 'assistant',
      ...toolDelta({ index: 0, id: 'call_n', type: 'function', function: { name: 'now', arguments: '' } }),
    }),
    chunk({}, { finish: 'tool_calls' }),
  ]
  const accumulator = new DeltaAccumulatorStream()
  await collect(fromChunks(sent).pipeThrough(accumulator))
  const outcome = await accumulator.outcome
  assert.is(outcome.status, 'complete')
  assert.equal(outcome.openToolCalls, [])
})

test('DeltaAccumulator outcome used alone: complete when every choice has a finish_reason; what it does not count is null', async () => {
  const finished = new DeltaAccumulatorStream()
  await collect(
    fromChunks([chunk({ role: 'assistant', content: 'a' }), chunk({}, { finish: 'stop' })]).pipeThrough(finished),
  )
  const outcome = await finished.outcome
  assert.equal(outcome, {
    sawDone: false,
    finishReasons: { 0: 'stop' },
    unfinishedEvent: null,
    quirks: [],
    lastEventId: '',
    counts: { bytes: null, lines: null, events: null, chunks: 2 },
    status: 'complete',
    openToolCalls: [],
  })
  const cut = new DeltaAccumulatorStream()
  await collect(fromChunks([chunk({ content: 'a' })]).pipeThrough(cut))
  assert.is((await cut.outcome).status, 'truncated')
})

test("DeltaAccumulator outcome: the accumulator's repairs follow the chunk stage's", async () => {
  const sent = [
    chunk({
      role: 'assistant',
      ...toolDelta({ id: 'call_g', type: 'function', function: { name: 'f', arguments: '{}' } }),
    }),
    chunk({}, { finish: 'tool_calls' }),
  ]
  const parser = new ChatChunkParser()
  const accumulator = new DeltaAccumulator()
  const text = `data: ${JSON.stringify(sent[0])}\ndata: ${JSON.stringify(sent[1])}\n\ndata: [DONE]\n\n`
  for await (const _ of iterate(fromChunks([bytes(text)]), compose(parser, accumulator))) {
    // drain
  }
  const outcome = await accumulator.outcome
  assert.equal(
    outcome.quirks.map((quirk) => quirk.code),
    ['missing-separator', 'missing-tool-call-index'],
  )
  assert.is(outcome.status, 'complete')
})

test('DeltaAccumulator outcome: a TruncatedStreamError from the chunk stage keeps the truncated outcome in every runtime', async () => {
  const stream = new ChatChunkStream()
  const accumulator = new DeltaAccumulatorStream()
  const error = await rejection(
    collect(
      fromChunks([bytes(sse(weatherCall('"Paris"}').slice(0, 3), ''))])
        .pipeThrough(stream)
        .pipeThrough(accumulator),
    ),
  )
  assert.instance(error, TruncatedStreamError)
  // The accumulator's stream hears of the error through its aborted input: it calls the hook itself.
  const outcome = await accumulator.outcome
  assert.is(outcome.status, 'truncated')
  assert.is(outcome.error, error)
  assert.equal(outcome.finishReasons, { 0: null })
})

test('property: fused, composed-and-pulled and piped, any split gives the same outcome', async () => {
  const fragments = fc.array(fc.string({ unit: 'grapheme', maxLength: 4 }), { minLength: 1, maxLength: 4 })
  await fc.assert(
    fc.asyncProperty(fragments, fc.boolean(), fc.array(fc.nat(), { maxLength: 5 }), async (parts, withDone, splits) => {
      const args = JSON.stringify({ q: parts.join('') })
      const cutAt = Math.floor(args.length / 2)
      const sent = [
        ...weatherCall('').slice(0, 2),
        chunk(toolDelta({ index: 0, function: { arguments: args.slice(0, cutAt) } })),
        chunk(toolDelta({ index: 0, function: { arguments: args.slice(cutAt) } })),
        chunk({}, { finish: 'tool_calls' }),
      ]
      sent[1] = chunk(
        toolDelta({ index: 0, id: 'call_a', type: 'function', function: { name: 'search', arguments: '' } }),
      )
      const data = bytes(sse(sent, withDone ? 'data: [DONE]\n\n' : ''))
      const input = () => fromChunks(splitAt(data, splits))

      const fusedStream = new ChatChunkStream()
      const fusedAccumulator = new DeltaAccumulatorStream()
      const fusedSnapshots = await collect(input().pipeThrough(fusedStream).pipeThrough(fusedAccumulator))

      const parser = new ChatChunkParser()
      const pulledAccumulator = new DeltaAccumulator()
      let last: (typeof fusedSnapshots)[number] | undefined
      for await (const snapshot of iterate(input(), compose(parser, pulledAccumulator))) last = snapshot

      const lines = new LineSplitterStream()
      const events = new SSEDecoderStream()
      const chunks = new ChunkDecoderStream()
      const pipedAccumulator = new DeltaAccumulatorStream()
      await collect(input().pipeThrough(lines).pipeThrough(events).pipeThrough(chunks).pipeThrough(pipedAccumulator))

      assert.equal(last, fusedSnapshots.at(-1))
      assert.equal(last?.choices[0]?.message.tool_calls?.[0]?.function.arguments, args)
      const outcomes = await Promise.all([
        fusedAccumulator.outcome,
        pulledAccumulator.outcome,
        pipedAccumulator.outcome,
      ])
      assert.equal(outcomes[1], outcomes[0])
      assert.equal(outcomes[2], outcomes[0])
      assert.is(outcomes[0].status, 'complete')
      assert.is(outcomes[0].sawDone, withDone)
      assert.is(outcomes[0].counts.bytes, data.length)
    }),
    { numRuns: 60 },
  )
})

test.run()
