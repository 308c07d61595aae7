/** The accumulator and PartialArgs: parts joined, signatures kept, streamed arguments built, snapshots frozen and shared. */
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { bytes, collect, fromChunks } from '@sluice/test-support'
import {
  argsOf,
  accumulateGemini,
  type GeminiChunk,
  GeminiAccumulatorStream,
  GeminiChunkStream,
  PartialArgs,
} from '../src/index.ts'
import { CAPTURES } from './captures.ts'

function snapshotsOf(chunks: GeminiChunk[]) {
  const source = new ReadableStream<GeminiChunk>({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(chunk)
      controller.close()
    },
  })
  return collect(source.pipeThrough(new GeminiAccumulatorStream()))
}

const part = (fields: Record<string, unknown>, extra: Record<string, unknown> = {}, index = 0): GeminiChunk => ({
  candidates: [{ content: { role: 'model', parts: [fields] }, index, ...extra }],
})

test('text of the same kind joins; a signature closes a part; thoughts and answers stay apart', async () => {
  const snapshots = await snapshotsOf([
    part({ text: 'Let me ', thought: true }),
    part({ text: 'think', thought: true, thoughtSignature: 'sig1' }),
    part({ text: 'Hel' }),
    part({ text: 'lo' }),
    part({ text: '', thoughtSignature: 'sig2' }, { finishReason: 'STOP' }),
  ])
  const final = snapshots.at(-1)!
  assert.equal(final.candidates[0]!.content.parts, [
    { text: 'Let me think', thought: true, thoughtSignature: 'sig1' },
    { text: 'Hello', thoughtSignature: 'sig2' },
  ])
  assert.is(final.candidates[0]!.finishReason, 'STOP')
  for (const snapshot of snapshots) {
    assert.ok(Object.isFrozen(snapshot) && Object.isFrozen(snapshot.candidates))
    for (const candidate of snapshot.candidates) assert.ok(Object.isFrozen(candidate.content.parts))
  }
  assert.is(snapshots[2]!.candidates[0]!.content.parts[0], snapshots[4]!.candidates[0]!.content.parts[0], 'shared')
})

test('candidates by index; usage, model and feedback are the last sent; citations add up', async () => {
  const final = (
    await snapshotsOf([
      {
        ...part({ text: 'a' }, { citationMetadata: { citations: [{ uri: 'u1' }] } }),
        usageMetadata: { totalTokenCount: 3 },
      },
      { ...part({ text: 'b' }, {}, 1), usageMetadata: { totalTokenCount: 5 }, modelVersion: 'm' },
      part({ text: 'c' }, { citationMetadata: { citations: [{ uri: 'u2' }] }, finishReason: 'STOP' }),
    ])
  ).at(-1)!
  assert.equal(
    final.candidates.map((candidate) => [candidate.index, candidate.content.parts[0]!.text]),
    [
      [0, 'ac'],
      [1, 'b'],
    ],
  )
  assert.equal(final.usageMetadata, { totalTokenCount: 5 })
  assert.is(final.usageMetadata?.totalTokenCount, 5) // the known fields keep their types
  assert.is(final.candidates[0]!.finishReason, 'STOP')
  assert.is(final.modelVersion, 'm')
  assert.equal((final.candidates[0]!.citationMetadata as { citations: unknown[] }).citations, [
    { uri: 'u1' },
    { uri: 'u2' },
  ])
})

test('a Vertex call whose arguments stream is one part whose args grow, closed without willContinue', async () => {
  const events = await collect(
    fromChunks([bytes(CAPTURES['vertex-partial-args-two-calls-gemini31pro-reconstructed.sse']!)]).pipeThrough(
      new GeminiChunkStream(),
    ),
  )
  const snapshots = await snapshotsOf(events)
  const calls = snapshots.at(-1)!.candidates[0]!.content.parts.map((each) => each.functionCall)
  assert.equal(calls, [
    { name: 'getWeather', args: { location: 'Boston' } },
    { name: 'getWeather', args: { location: 'San Francisco' } },
  ])
  const growing = snapshots[1]!.candidates[0]!.content.parts[0]!.functionCall
  assert.equal(growing, { name: 'getWeather', willContinue: true, args: { location: 'Boston' } })
})

test('a whole Vertex call sent as its pieces gets its args; accumulateGemini gives the last snapshot', async () => {
  const final = await accumulateGemini(
    fromChunks([bytes(CAPTURES['vertex-partial-args-single-chunk-gemini3pro-reconstructed.sse']!)]).pipeThrough(
      new GeminiChunkStream(),
    ),
  )
  assert.equal(final!.candidates[0]!.content.parts[0]!.functionCall, {
    name: 'customDivide',
    args: { denominator: 2, numerator: 100 },
  })
})

test('PartialArgs: paths in every normalized form, strings appended, __proto__ an own key, bad paths named', () => {
  const args = new PartialArgs()
  args.apply([
    { jsonPath: '$.items[0].name', stringValue: 'ap', willContinue: true },
    { jsonPath: '$.items[0].name', stringValue: 'ple' },
    { jsonPath: "$['odd key']", boolValue: true },
    { jsonPath: '$["q"]', nullValue: 'NULL_VALUE' },
    { jsonPath: '$.items[1].price', numberValue: 0.3 },
    { jsonPath: '$.__proto__', stringValue: 'own' },
  ])
  assert.equal(JSON.parse(JSON.stringify(args.value)), {
    items: [{ name: 'apple' }, { price: 0.3 }],
    'odd key': true,
    q: null,
    ['__proto__']: 'own',
  })
  assert.is(Object.getPrototypeOf(args.value), Object.prototype)
  assert.throws(() => new PartialArgs().apply([{ jsonPath: 'items', stringValue: 'x' }]), /is not a JSON path/)
  assert.throws(
    () => new PartialArgs().apply([{ jsonPath: '$..name', stringValue: 'x' }]),
    /cannot follow the JSON path/,
  )
  assert.equal(argsOf({ name: 'f', args: { a: 1 } }), { a: 1 })
})

test.run()
