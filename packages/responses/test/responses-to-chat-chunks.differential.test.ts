/**
 * The translation to chat chunks, checked against the `openai` SDK: each complete capture,
 * translated by `ResponsesToChatChunksStream` and assembled by `@sluice/accumulator`, gives
 * the chat completion that the SDK's `finalResponse()` maps to (the mapping written out here,
 * from docs/responses.md's table, independently of the translation). At any split of the bytes.
 */
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import fc from 'fast-check'
import { accumulate } from '@sluice/accumulator'
import { bytes, fromChunks, splitAt } from '@sluice/test-support'
import { ResponseEventStream, ResponsesToChatChunksStream } from '../src/index.ts'
import { CAPTURES } from './captures.ts'
import { eventsOf, sseOf, streamShape } from './generated-streams.ts'
import { REQUEST, sdkClientFor } from './sdk-client.ts'

type Item = Record<string, unknown> & { type: string }
type Part = { type: string; text?: string; refusal?: string }

/** The SDK's final response, mapped to what a chat completion's choice 0 says. */
async function expectedFromSDK(text: string) {
  const response = await sdkClientFor(text).responses.stream(REQUEST).finalResponse()
  const output = response.output as unknown as Item[]
  const parts = (type: string) =>
    output.flatMap((item) =>
      item.type === 'message' ? (item.content as Part[]).filter((part) => part.type === type) : [],
    )
  const reasoning = output
    .filter((item) => item.type === 'reasoning')
    .map(
      (item) =>
        ((item.summary as Part[] | undefined) ?? []).map((part) => part.text).join('\n\n') +
        ((item.content as Part[] | undefined) ?? []).map((part) => part.text).join(''),
    )
    .join('')
  const calls = output.filter((item) => item.type === 'function_call')
  const usage = response.usage
  const incomplete = response.status === 'incomplete'
  const reason = response.incomplete_details?.reason
  return {
    id: response.id,
    model: response.model,
    content: parts('output_text')
      .map((part) => part.text)
      .join(''),
    refusal: parts('refusal')
      .map((part) => part.refusal)
      .join(''),
    reasoning,
    tools: calls.map((call) => ({ id: call.call_id, name: call.name, arguments: call.arguments })),
    finish: incomplete
      ? reason === 'max_output_tokens'
        ? 'length'
        : reason
      : calls.length > 0
        ? 'tool_calls'
        : 'stop',
    usage: usage ? { prompt: usage.input_tokens, completion: usage.output_tokens } : undefined,
  }
}

async function translated(reads: Uint8Array[]) {
  const completion = await accumulate(
    fromChunks(reads).pipeThrough(new ResponseEventStream()).pipeThrough(new ResponsesToChatChunksStream()),
  )
  const choice = completion.choices[0]!
  return {
    id: completion.id,
    model: completion.model,
    content: choice.message.content ?? '',
    refusal: choice.message.refusal ?? '',
    reasoning: (choice.message as { reasoning_content?: string }).reasoning_content ?? '',
    tools: (choice.message.tool_calls ?? []).map((call) => ({
      id: call.id,
      name: call.function.name,
      arguments: call.function.arguments,
    })),
    finish: choice.finish_reason,
    usage: completion.usage
      ? { prompt: completion.usage.prompt_tokens, completion: completion.usage.completion_tokens }
      : undefined,
  }
}

// The resumed replay is not read by the SDK; the error capture has no final response.
const SKIPPED = [
  'background-resume-starting-after-gpt-4o.sse',
  'error-then-failed-insufficient-quota-gpt-5-nano-reconstructed.sse',
]

for (const [name, text] of Object.entries(CAPTURES)) {
  if (SKIPPED.includes(name)) continue
  test(`${name}: the chat completion of the translated chunks is the SDK's response, mapped`, async () => {
    const expected = await expectedFromSDK(text)
    const data = bytes(text)
    const cuts = [1, 2, 3].map((part) => Math.floor((part * data.length) / 4) + part)
    for (const reads of [[data], splitAt(data, cuts)]) {
      const got = await translated(reads)
      // The Copilot capture's ids were made unique per event upstream: the chunks carry the
      // first event's response id, the SDK the last one's.
      if (name.startsWith('id-rotation-')) got.id = expected.id
      assert.equal(got, expected)
    }
  })
}

test('generated streams that complete or stop incomplete: the translation is the SDK response, mapped', async () => {
  await fc.assert(
    fc.asyncProperty(
      streamShape.filter((shape) => shape.ending === 'completed'),
      async (shape) => {
        const text = sseOf(eventsOf(shape))
        assert.equal(await translated([bytes(text)]), await expectedFromSDK(text))
      },
    ),
    { numRuns: 60 },
  )
})

test('an incomplete response finishes with length; its usage is mapped', async () => {
  const shape = {
    items: [{ kind: 'message' as const, parts: [{ type: 'output_text' as const, deltas: ['Hi', '!'] }] }],
    ending: 'incomplete' as const,
    cutAt: 0,
    sequence: true,
  }
  const got = await translated([bytes(sseOf(eventsOf(shape)))])
  assert.is(got.finish, 'length')
  assert.is(got.content, 'Hi!')
  assert.equal(got.usage, { prompt: 11, completion: 7 })
})

test.run()
