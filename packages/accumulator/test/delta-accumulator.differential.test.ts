/**
 * The accumulator against the official `openai` SDK (6.30.1, a dev dependency used only
 * here): `client.chat.completions.stream(...)` is driven by a custom `fetch` that returns
 * our generated SSE bytes (no network), and its `finalChatCompletion()` is compared with
 * ours on random well-formed streams (text, tool calls, parallel calls, n > 1, usage).
 *
 * Fields where sluice differs on purpose (none of them occurs in these streams):
 * - `reasoning_content` / `reasoning`: sluice joins the deltas; the SDK keeps the last one.
 * - A choice that never gets a `finish_reason` or a `role`, or a tool call without `id`:
 *   the SDK throws at the end; sluice returns the completion (reporting the repair), and
 *   leaves judging the stream to the chunk decoder.
 * - Tool calls: the SDK places them by `index` (holes for gaps, fragments without index
 *   lost); sluice correlates them by id, index and name, in order of appearance.
 * - The SDK adds `parsed: null` to each message (structured outputs); sluice does not.
 */
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import fc from 'fast-check'
import OpenAI from 'openai'
import type { ChatCompletionChunk } from '@sluice/openai'
import { DeltaAccumulator } from '../src/index.ts'
import { completionPlan, offsets, order, toChunks } from './arbitraries.ts'

/** What the SDK assembles from `chunks`, streamed to it as SSE by a fake fetch. */
async function sdkCompletion(chunks: ChatCompletionChunk[]): Promise<unknown> {
  const body = `${chunks.map((chunk) => `data: ${JSON.stringify(chunk)}\n\n`).join('')}data: [DONE]\n\n`
  const client = new OpenAI({
    apiKey: 'test-key',
    baseURL: 'http://127.0.0.1:9/v1',
    dangerouslyAllowBrowser: true,
    maxRetries: 0,
    fetch: async () => new Response(body, { headers: { 'content-type': 'text/event-stream' } }),
  })
  const stream = client.chat.completions.stream({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] })
  return stream.finalChatCompletion()
}

/** JSON form, without the SDK's structured-output `parsed` fields. */
function normalize(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value), (key, field) => (key === 'parsed' ? undefined : field))
}

function ours(chunks: ChatCompletionChunk[]): unknown {
  const accumulator = new DeltaAccumulator()
  for (const chunk of chunks) accumulator.add(chunk)
  return accumulator.snapshot
}

test('DeltaAccumulator assembles the same completion as the openai SDK on random well-formed streams', async () => {
  await fc.assert(
    fc.asyncProperty(completionPlan, offsets, order, async (plan, cuts, picks) => {
      const chunks = toChunks(plan, cuts, picks)
      assert.equal(normalize(ours(chunks)), normalize(await sdkCompletion(chunks)))
    }),
    { numRuns: 60 },
  )
})

test.run()
