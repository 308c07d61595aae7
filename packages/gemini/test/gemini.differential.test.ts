/**
 * The decoder against the official `@google/genai` SDK's `models.generateContentStream()`
 * (served each stream through a custom `fetch`, automatic continuation off): the same
 * chunks, on the captured streams and on generated streams of every shape, at any split.
 * Where the SDK does otherwise, the test says what each does: the SDK ends a cut stream
 * quietly (sluice: `TruncatedGeminiError`), and throws its `ApiError` for an error chunk
 * (sluice: `ProviderError`, after the chunks before it).
 */
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import fc from 'fast-check'
import { bytes, fromChunks, readToEnd, splitAt } from '@sluice/test-support'
import { GeminiChunkStream, type GeminiOutcome, ProviderError, TruncatedGeminiError } from '../src/index.ts'
import { CAPTURES } from './captures.ts'
import { chunksOf, geminiStreamShape, sseOf } from './generated-streams.ts'
import { sdkChunks } from './sdk-client.ts'

async function ours(reads: Uint8Array[]) {
  const stream = new GeminiChunkStream()
  const { items, error } = await readToEnd(fromChunks(reads).pipeThrough(stream))
  const outcome: GeminiOutcome = await stream.outcome
  return { chunks: JSON.parse(JSON.stringify(items)) as Record<string, unknown>[], error, outcome }
}

/**
 * Whether `sdk` is `ours` less what the SDK's converters drop: every field the SDK kept has
 * the same value in sluice's chunk (sluice passes chunks through as received; the SDK drops
 * fields it does not know, e.g. `turnToken`, Vertex's `trafficType`).
 */
function keptBySDK(sdk: unknown, ours: unknown, path = '$'): void {
  if (typeof sdk !== 'object' || sdk === null) {
    assert.equal(ours, sdk, path)
    return
  }
  assert.ok(typeof ours === 'object' && ours !== null, `${path}: sluice has an object`)
  if (Array.isArray(sdk)) {
    assert.ok(Array.isArray(ours) && ours.length === sdk.length, `${path}: same length`)
    for (const [index, item] of sdk.entries()) keptBySDK(item, (ours as unknown[])[index], `${path}[${index}]`)
    return
  }
  for (const [key, value] of Object.entries(sdk))
    keptBySDK(value, (ours as Record<string, unknown>)[key], `${path}.${key}`)
}

for (const [name, text] of Object.entries(CAPTURES)) {
  if (!name.endsWith('.sse')) continue
  test(`${name}: the SDK's chunks (less the fields it drops), whole and split`, async () => {
    const data = bytes(text)
    const cuts = [1, 2, 3].map((part) => Math.floor((part * data.length) / 4) + part)
    for (const reads of [[data], splitAt(data, cuts)]) {
      const [sdk, sluice] = await Promise.all([sdkChunks(reads), ours(reads)])
      assert.is(sluice.chunks.length, sdk.chunks.length, 'chunks')
      for (const [index, chunk] of sdk.chunks.entries()) keptBySDK(chunk, sluice.chunks[index], `chunk ${index}`)
      // Both fail on a body that is not a stream (an HTTP error's JSON); neither on a capture that is one.
      assert.is(sluice.error === undefined, sdk.error === undefined, `${String(sluice.error)} / ${String(sdk.error)}`)
    }
  })
}

test('generated streams of every shape, at any split: the same chunks; endings as documented', async () => {
  await fc.assert(
    fc.asyncProperty(
      geminiStreamShape,
      fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 6 }),
      async (shape, fractions) => {
        const chunks = JSON.parse(JSON.stringify(chunksOf(shape))) as Record<string, unknown>[] // plain objects, as parsed
        const data = bytes(sseOf(chunks))
        const reads = splitAt(
          data,
          fractions.map((fraction) => Math.floor(fraction * data.length)).sort((a, b) => a - b),
        )
        const [sdk, sluice] = await Promise.all([sdkChunks(reads), ours(reads)])
        const whole = await ours([data])
        assert.equal(sluice.chunks, whole.chunks, 'any split gives the chunks of one read')
        switch (shape.ending) {
          case 'finished':
          case 'blocked':
            assert.equal(sluice.chunks, chunks)
            assert.equal(sluice.chunks, sdk.chunks)
            assert.is(sluice.error, undefined)
            assert.is(sdk.error, undefined)
            assert.is(sluice.outcome.status, 'complete')
            break
          case 'cut':
            // The SDK ends quietly; sluice hands over every chunk, then says it was cut.
            assert.equal(sluice.chunks, sdk.chunks)
            assert.is(sdk.error, undefined)
            assert.instance(sluice.error, TruncatedGeminiError)
            assert.is(sluice.outcome.status, 'truncated')
            break
          case 'error':
            assert.equal(sluice.chunks, chunks.slice(0, -1))
            assert.equal(sdk.chunks, sluice.chunks)
            assert.instance(sluice.error, ProviderError)
            assert.is((sluice.error as ProviderError).providerCode, 503)
            assert.is((sluice.error as ProviderError).retryable, true)
            assert.match(String((sdk.error as Error).message), 'The model is overloaded.')
        }
      },
    ),
    { numRuns: 80 },
  )
})

test.run()
