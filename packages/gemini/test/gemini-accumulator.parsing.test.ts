/**
 * GeminiAccumulator's parseContent: a candidate's `parsed` after each chunk is what a fresh
 * parser gives for its text so far (its text parts that are not thoughts, joined), the whole
 * value at its `finishReason`, each character read once; text that is not JSON is a quirk and
 * keeps its text; without the option, snapshots are as they were.
 */
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import fc from 'fast-check'
import { partialJSON } from '@sluice/json'
import { bytes, fromChunks, readToEnd, splitText, stateAfterEach } from '@sluice/test-support'
import { freshValue, recordingParsers } from '@sluice/test-support/partial-values'
import {
  GeminiAccumulator,
  type GeminiAccumulatorOptions,
  type GeminiAssembledCandidate,
  type GeminiChunk,
  GeminiChunkStream,
  type GeminiResponse,
} from '../src/index.ts'
import { CAPTURES } from './captures.ts'
import { type CandidateShape, chunksOf, type PieceShape } from './generated-streams.ts'

/** The response after each chunk, and the accumulator. */
function run(chunks: readonly GeminiChunk[], options?: GeminiAccumulatorOptions) {
  const accumulator = new GeminiAccumulator(options)
  return { responses: stateAfterEach(accumulator, chunks, () => accumulator.response!), accumulator }
}

/** A candidate's text: its text parts that are not thoughts, joined. */
const textOf = (candidate: GeminiAssembledCandidate) =>
  candidate.content.parts
    .filter((part) => typeof part.text === 'string' && !part.thought)
    .map((part) => part.text)
    .join('')

/** Checks `parsed` of each candidate of each snapshot against its text in that snapshot: a fresh parser's value, the ended value once it has a finishReason. */
function checkValues(responses: readonly GeminiResponse[]) {
  for (const [at, response] of responses.entries()) {
    for (const candidate of response.candidates) {
      const text = textOf(candidate)
      const where = `candidate ${candidate.index} after chunk ${at}`
      assert.is('parsed' in candidate, text !== '', where)
      assert.equal(candidate.parsed, freshValue(text, candidate.finishReason !== undefined), where)
    }
  }
}

const part = (fields: Record<string, unknown>, extra: Record<string, unknown> = {}, index = 0): GeminiChunk => ({
  candidates: [{ content: { role: 'model', parts: [fields] }, index, ...extra }],
})

test('GeminiAccumulator with parseContent gives each candidate parsed: its answer, not its thoughts', () => {
  const { responses, accumulator } = run(
    [
      part({ text: '{"draft": true}', thought: true }),
      part({ text: '{"city": "Pa' }),
      part({ functionCall: { name: 'f', args: { x: 1 } } }),
      part({ text: 'ris", "days": [' }),
      part({ text: '1]}', thoughtSignature: 'sig' }, { finishReason: 'STOP' }),
    ],
    { parseContent: partialJSON },
  )
  assert.equal(
    responses.map((response) => response.candidates[0]!.parsed),
    [undefined, { city: 'Pa' }, { city: 'Pa' }, { city: 'Paris', days: [] }, { city: 'Paris', days: [1] }],
  )
  assert.not.ok('parsed' in responses[0]!.candidates[0]!, 'a thought is no text to parse')
  assert.is(responses[2]!.candidates[0]!.parsed, responses[1]!.candidates[0]!.parsed, 'unchanged: the same object')
  assert.ok(Object.isFrozen(responses[4]!.candidates[0]!.parsed))
  assert.equal(accumulator.progress.quirks, [])
})

test('GeminiAccumulator keeps text that is not JSON, with the value read before the error, and a quirk', () => {
  const { responses, accumulator } = run(
    [part({ text: '{"a": [1, 2]' }), part({ text: '} and more' }, { finishReason: 'STOP' })],
    { parseContent: partialJSON },
  )
  const candidate = responses.at(-1)!.candidates[0]!
  assert.is(textOf(candidate), '{"a": [1, 2]} and more')
  assert.equal(candidate.parsed, { a: [1, 2] })
  assert.equal(accumulator.progress.quirks, [
    { code: 'content-not-json', message: 'candidate 0: JSON text at 14: "a" after the value' },
  ])
})

const jsonPieces = fc
  .tuple(fc.json(), fc.array(fc.nat(), { maxLength: 5 }))
  .map(([text, cuts]) => splitText(text, cuts))
/** A candidate whose answer is JSON text in pieces, with thoughts and calls among them. */
const candidate: fc.Arbitrary<CandidateShape> = fc
  .tuple(
    jsonPieces,
    fc.array(
      fc.oneof(
        fc.record({ kind: fc.constant('thought' as const), text: fc.string({ minLength: 1, maxLength: 6 }) }),
        fc.constant<PieceShape>({ kind: 'call', name: 'f', args: { x: 1 } }),
      ),
      { maxLength: 2 },
    ),
    fc.array(fc.nat(), { maxLength: 2 }),
    fc.constantFrom('STOP' as const, 'MAX_TOKENS' as const),
  )
  .map(([texts, others, places, finishReason]) => {
    const pieces: PieceShape[] = texts.map((text) => ({ kind: 'text', text }))
    for (const [index, other] of others.entries()) pieces.splice((places[index] ?? 0) % (pieces.length + 1), 0, other)
    return { pieces, finishReason }
  })
const streams = fc.record({
  candidates: fc.array(candidate, { minLength: 1, maxLength: 2 }),
  ending: fc.constantFrom('finished' as const, 'cut' as const),
  cutAt: fc.double({ min: 0, max: 0.99, noNaN: true }),
  usageEveryChunk: fc.boolean(),
})

test('GeminiAccumulator parsed after each chunk is a fresh parser’s on the text so far; finished, JSON.parse', () => {
  fc.assert(
    fc.property(streams, (shape) => {
      const { responses, accumulator } = run(chunksOf(shape) as GeminiChunk[], { parseContent: partialJSON })
      checkValues(responses)
      if (shape.ending === 'finished') {
        for (const each of responses.at(-1)!.candidates) {
          const text = shape.candidates[each.index]!.pieces.map((piece) =>
            piece.kind === 'text' ? piece.text : '',
          ).join('')
          assert.equal(each.parsed, JSON.parse(text))
        }
      }
      assert.equal(accumulator.progress.quirks, [])
    }),
    { numRuns: 150 },
  )
})

test('GeminiAccumulator without parseContent gives the snapshots of the option, less parsed', () => {
  fc.assert(
    fc.property(streams, (shape) => {
      const chunks = chunksOf(shape) as GeminiChunk[]
      const plain = run(chunks).responses
      const parsed = run(chunks, { parseContent: partialJSON }).responses
      for (const [at, response] of plain.entries()) {
        assert.ok(response.candidates.every((each) => !('parsed' in each)))
        const candidates = parsed[at]!.candidates.map(({ parsed: _parsed, ...rest }) => rest)
        assert.equal(response, { ...parsed[at], candidates })
      }
    }),
    { numRuns: 100 },
  )
})

const STREAMS = Object.keys(CAPTURES).filter((name) => name.endsWith('.sse') && !name.startsWith('error-'))

for (const name of STREAMS) {
  test(`${name}: parsed follows each candidate's text, each character read once`, async () => {
    const { items: chunks } = await readToEnd(fromChunks([bytes(CAPTURES[name]!)]).pipeThrough(new GeminiChunkStream()))
    const counted = recordingParsers()
    const { responses, accumulator } = run(chunks, { parseContent: counted.make })
    checkValues(responses)
    const final = responses.at(-1)!
    assert.is(counted.read(), final.candidates.map(textOf).join('').length)
    const plain = run(chunks).responses.at(-1)!
    assert.equal(
      final.candidates.map(({ parsed: _parsed, ...rest }) => rest),
      plain.candidates,
    )
    const prose = final.candidates.filter((each) => textOf(each) !== '').length
    assert.equal(
      accumulator.progress.quirks.map((quirk) => quirk.code),
      Array(prose).fill('content-not-json'),
      'the captures answer in prose',
    )
  })
}

test('thinking-thought-parts-gemini25pro.sse: thoughts are not read; the answer is a content-not-json quirk, its text kept', async () => {
  const text = CAPTURES['thinking-thought-parts-gemini25pro.sse']!
  const { items: chunks } = await readToEnd(fromChunks([bytes(text)]).pipeThrough(new GeminiChunkStream()))
  const { responses, accumulator } = run(chunks, { parseContent: partialJSON })
  const final = responses.at(-1)!.candidates[0]!
  assert.ok(final.content.parts.some((each) => each.thought))
  assert.ok(textOf(final).startsWith('This is a great question!'))
  assert.is(final.parsed, undefined)
  assert.equal(accumulator.progress.quirks, [
    { code: 'content-not-json', message: 'candidate 0: JSON text at 0: "T" where a value was expected' },
  ])
})

test.run()
