/**
 * The 25 captured Gemini bodies (test/fixtures/, sources in test/fixtures/SOURCES.md)
 * through the three ways of decoding bytes — `GeminiChunkStream`, the piped separate
 * stages, `iterate` over `GeminiChunkParser` — which must give the same chunks and outcome,
 * at any split of the bytes. The expected chunks are the files' `data:` lines, parsed
 * (`grep -c '^data:'`); the JSON-array bodies (`*.json.txt`, no `alt=sse`) and the JSON
 * error body are named at their first line.
 */
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import fc from 'fast-check'
import { iterate } from '@sluice/compose'
import { LineSplitterStream } from '@sluice/lines'
import { NotEventStreamError, SSEDecoderStream } from '@sluice/sse'
import { bytes, fromChunks, readToEnd, splitAt } from '@sluice/test-support'
import {
  type GeminiChunk,
  GeminiChunkDecoderStream,
  GeminiChunkParser,
  GeminiChunkStream,
  type GeminiOutcome,
} from '../src/index.ts'
import { CAPTURES } from './captures.ts'

interface Run {
  chunks: GeminiChunk[]
  error: unknown
  outcome: GeminiOutcome
}

const WAYS: Record<string, (reads: Uint8Array[]) => Promise<Run>> = {
  async fused(reads) {
    const stream = new GeminiChunkStream()
    const { items, error } = await readToEnd(fromChunks(reads).pipeThrough(stream))
    return { chunks: items, error, outcome: await stream.outcome }
  },
  async piped(reads) {
    const decoder = new GeminiChunkDecoderStream()
    const { items, error } = await readToEnd(
      fromChunks(reads)
        .pipeThrough(new LineSplitterStream())
        .pipeThrough(new SSEDecoderStream({ requireEventStream: true }))
        .pipeThrough(decoder),
    )
    return { chunks: items, error, outcome: await decoder.outcome }
  },
  async iterated(reads) {
    const parser = new GeminiChunkParser()
    const chunks: GeminiChunk[] = []
    let error: unknown
    try {
      for await (const chunk of iterate(fromChunks(reads), parser)) chunks.push(chunk)
    } catch (caught) {
      error = caught
    }
    return { chunks, error, outcome: await parser.outcome }
  },
}

const STREAMS = Object.entries(CAPTURES).filter(([name]) => name.endsWith('.sse') && !name.startsWith('error-'))
const NOT_STREAMS = Object.entries(CAPTURES).filter(([name]) => !STREAMS.some(([stream]) => stream === name))

function check(run: Run, name: string, text: string, way: string): void {
  const at = `${name} (${way})`
  const data = [...text.matchAll(/^data: ?(.*?)\r?$/gm)].map((match) => JSON.parse(match[1]!))
  assert.equal(JSON.parse(JSON.stringify(run.chunks)), data, `${at}: chunks`)
  assert.is(run.error, undefined, `${at}: no error`)
  assert.is(run.outcome.status, 'complete', `${at}: status`)
  assert.equal(run.outcome.quirks, [], `${at}: quirks`)
  const last = data.at(-1) as GeminiChunk
  assert.ok(
    last.candidates?.every((candidate) => candidate.finishReason !== undefined),
    `${at}: the last chunk finishes`,
  )
}

for (const [name, text] of STREAMS) {
  test(`${name}: every way decodes the file's chunks, complete`, async () => {
    for (const [way, run] of Object.entries(WAYS)) check(await run([bytes(text)]), name, text, way)
  })
}

for (const [name, text] of NOT_STREAMS) {
  test(`${name}: not an event stream, named at its first line`, async () => {
    for (const [way, run] of Object.entries(WAYS)) {
      const { chunks, error, outcome } = await run([bytes(text)])
      assert.equal(chunks, [], way)
      assert.instance(error, NotEventStreamError, way)
      assert.is((error as NotEventStreamError).likelyCause, name.endsWith('.json.txt') ? 'json-array' : 'json', way)
      assert.is(outcome.status, 'error')
    }
  })
}

test('any split of any capture gives the same chunks and outcome as one read', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.constantFrom(...STREAMS),
      fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 12 }),
      fc.constantFrom(...Object.keys(WAYS)),
      async ([name, text], fractions, way) => {
        const data = bytes(text)
        const cuts = fractions.map((fraction) => Math.floor(fraction * data.length)).sort((a, b) => a - b)
        check(await WAYS[way]!(splitAt(data, cuts)), name, text, way)
      },
    ),
    { numRuns: 150 },
  )
})

test('a cut at every chunk boundary before the last is truncated, with the chunks before it', async () => {
  for (const name of [
    'thinking-thought-parts-gemini25pro.sse',
    'vertex-partial-args-two-calls-gemini31pro-reconstructed.sse',
  ]) {
    const text = CAPTURES[name]!
    const ends = [...text.matchAll(/\r\n\r\n/g)].map((match) => match.index + 4)
    for (const [count, end] of ends.slice(0, -1).entries()) {
      const run = await WAYS.fused!([bytes(text.slice(0, end))])
      assert.is(run.chunks.length, count + 1)
      assert.is(run.outcome.status, 'truncated', `${name}: cut at ${end}`)
      assert.is((run.error as Error).name, 'TruncatedGeminiError')
      assert.match((run.error as Error).message, 'candidate 0 has no finishReason')
    }
  }
})

test('a Vertex call cut while its arguments stream is named', async () => {
  const text = CAPTURES['vertex-partial-args-two-calls-gemini31pro-reconstructed.sse']!
  const ends = [...text.matchAll(/\r\n\r\n/g)].map((match) => match.index + 4)
  const run = await WAYS.fused!([bytes(text.slice(0, ends[1]))])
  assert.equal(
    run.outcome.candidates.map((candidate) => candidate.streamingCall),
    [true],
  )
  assert.match((run.error as Error).message, 'candidate 0 has a function call still streaming')
})

test.run()
