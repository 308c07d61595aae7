/**
 * Generated Gemini streams of every shape (the mocks in `format: 'gemini'`: text, reasoning,
 * one and several function calls, usage or none, an error chunk, a cut at every chunk) read
 * by the official `@google/genai` SDK (`models.generateContentStream()`, through a custom
 * fetch) and by `@sluice/gemini`: the same chunks. Where they differ, the test says how: cut
 * at any chunk, sluice says `truncated` (`TruncatedGeminiError`); the SDK ends quietly with
 * the chunks it had. An error chunk: both fail, after the same chunks.
 */
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { GeminiChunkStream, ProviderError, TruncatedGeminiError } from '@sluice/gemini'
import { bytes, fromChunks, readToEnd, splitAt } from '@sluice/test-support'
import { sdkChunks } from '../../gemini/test/sdk-client.ts'
import { mockChatBody, type MockChatOptions } from '../src/index.ts'
import { SHAPES } from './answers.ts'

const body = (options: MockChatOptions) => new TextDecoder().decode(mockChatBody({ ...options, format: 'gemini' }))

async function sluice(reads: Uint8Array[]) {
  const stream = new GeminiChunkStream()
  const { items, error } = await readToEnd(fromChunks(reads).pipeThrough(stream))
  return {
    chunks: JSON.parse(JSON.stringify(items)) as Record<string, unknown>[],
    error,
    outcome: await stream.outcome,
  }
}

for (const [shape, options] of Object.entries({
  ...SHAPES,
  'no usage, cut short': { text: 'A long answer that', finishReason: 'length', usage: false },
} satisfies Record<string, MockChatOptions>)) {
  test(`${shape}: the SDK's chunks and sluice's are the same, whole and split`, async () => {
    const data = bytes(body(options))
    for (const reads of [[data], splitAt(data, [5, Math.floor(data.length / 3), Math.floor(data.length / 2) + 1])]) {
      const [theirs, ours] = await Promise.all([sdkChunks(reads), sluice(reads)])
      assert.is(theirs.error, undefined, String(theirs.error))
      assert.is(ours.error, undefined, String(ours.error))
      assert.equal(ours.chunks, theirs.chunks)
      assert.is(ours.outcome.status, 'complete')
    }
  })

  test(`${shape}: cut at every chunk, sluice says truncated; the SDK ends quietly with the same chunks`, async () => {
    const text = body(options)
    const ends = [...text.matchAll(/\r\n\r\n/g)].map((match) => match.index + 4).slice(0, -1)
    assert.ok(ends.length >= 1)
    for (const end of ends) {
      const reads = [bytes(text.slice(0, end))]
      const [theirs, ours] = await Promise.all([sdkChunks(reads), sluice(reads)])
      assert.is(theirs.error, undefined, `cut at ${end}: ${String(theirs.error)}`)
      assert.equal(ours.chunks, theirs.chunks, `cut at ${end}`)
      assert.instance(ours.error, TruncatedGeminiError)
      assert.is(ours.outcome.status, 'truncated', `cut at ${end}`)
    }
  })
}

test('an error chunk: both fail, after the same chunks', async () => {
  const text = body({ text: 'a b c d e', faults: [{ kind: 'provider-error', afterChunks: 3, code: 429 }] })
  const reads = [bytes(text)]
  const [theirs, ours] = await Promise.all([sdkChunks(reads), sluice(reads)])
  assert.ok(theirs.error instanceof Error, 'the SDK fails')
  assert.instance(ours.error, ProviderError)
  assert.is((ours.error as ProviderError).providerCode, 429)
  assert.is(ours.outcome.status, 'error')
  assert.equal(ours.chunks, theirs.chunks)
  assert.is(ours.chunks.length, 2, 'the role chunk has no Gemini form: two text chunks')
})

test.run()
