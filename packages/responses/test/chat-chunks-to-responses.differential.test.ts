/**
 * The translation from chat chunks, checked against the `openai` SDK: each captured chat
 * stream of `@sluice/test-support` that completes with one choice is translated to a
 * Responses event stream (`ChatChunksToResponsesStream`, `ResponseEventEncoderStream`),
 * served to the SDK's `client.responses.stream()`, and the SDK's `finalResponse()` must be
 * the chat completion (`@sluice/accumulator`) mapped to a response (written out here from
 * docs/responses.md's table). sluice's own decoder reads the translation as complete,
 * without a quirk, and assembles the same response; translated back to chat chunks, it is
 * the chat completion again.
 */
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { accumulate, type ChatCompletion } from '@sluice/accumulator'
import { ChatChunkStream } from '@sluice/openai'
import { bytes, collect, fromChunks } from '@sluice/test-support'
import * as captures from '@sluice/test-support/captured-streams'
import {
  accumulateResponse,
  ChatChunksToResponsesStream,
  ResponseEventEncoderStream,
  ResponseEventStream,
  ResponsesToChatChunksStream,
} from '../src/index.ts'
import { REQUEST, sdkClientFor, withoutParsed } from './sdk-client.ts'

type Item = Record<string, unknown> & { type: string }

/** What a chat completion maps to: the output's texts by item type in the translation's order, the status, the usage. */
function expectedResponse(completion: ChatCompletion) {
  const choice = completion.choices[0]!
  const message = choice.message as ChatCompletion['choices'][number]['message'] & { reasoning_content?: string }
  const finish = choice.finish_reason
  const usage = completion.usage
  return {
    id: completion.id,
    model: completion.model,
    reasoning: message.reasoning_content ?? '',
    text: message.content ?? '',
    refusal: message.refusal ?? '',
    calls: (message.tool_calls ?? []).map((call) => ({
      call_id: call.id,
      name: call.function.name,
      arguments: call.function.arguments,
    })),
    status: finish === 'length' || finish === 'content_filter' ? 'incomplete' : 'completed',
    incomplete: finish === 'length' ? 'max_output_tokens' : finish === 'content_filter' ? 'content_filter' : null,
    usage: usage ? { input: usage.prompt_tokens, output: usage.completion_tokens, total: usage.total_tokens } : null,
  }
}

/** A response (the SDK's or sluice's) in the same terms. */
function summary(response: Record<string, unknown>) {
  const output = response.output as Item[]
  const partsOf = (type: string, field: 'text' | 'refusal') =>
    output
      .filter((item) => item.type === (type === 'reasoning_text' ? 'reasoning' : 'message'))
      .flatMap((item) => (item.content as Record<string, string>[]).filter((part) => part.type === type))
      .map((part) => part[field])
      .join('')
  const usage = response.usage as Record<string, number> | null
  return {
    id: response.id,
    model: response.model,
    reasoning: partsOf('reasoning_text', 'text'),
    text: partsOf('output_text', 'text'),
    refusal: partsOf('refusal', 'refusal'),
    calls: output
      .filter((item) => item.type === 'function_call')
      .map((item) => ({ call_id: item.call_id, name: item.name, arguments: item.arguments })),
    status: response.status,
    incomplete: (response.incomplete_details as { reason: string } | null)?.reason ?? null,
    usage: usage ? { input: usage.input_tokens, output: usage.output_tokens, total: usage.total_tokens } : null,
  }
}

let checked = 0
for (const [name, text] of Object.entries(captures)) {
  test(`${name}: the SDK reads the translated stream as the chat completion's response`, async () => {
    let completion: ChatCompletion
    try {
      completion = await accumulate(fromChunks([bytes(text as string)]).pipeThrough(new ChatChunkStream()))
    } catch {
      return // a capture that does not complete (cut off, an error) has no final response to compare
    }
    if (completion.choices.length !== 1 || completion.choices[0]!.finish_reason === null) return
    const responsesText = (
      await collect(
        fromChunks([bytes(text as string)])
          .pipeThrough(new ChatChunkStream())
          .pipeThrough(new ChatChunksToResponsesStream())
          .pipeThrough(new ResponseEventEncoderStream()),
      )
    ).join('')
    const expected = expectedResponse(completion)
    const sdk = withoutParsed(await sdkClientFor(responsesText).responses.stream(REQUEST).finalResponse())
    const events = new ResponseEventStream()
    const ours = await accumulateResponse(fromChunks([bytes(responsesText)]).pipeThrough(events))
    const outcome = await events.outcome
    assert.is(outcome.status, 'complete')
    assert.equal(outcome.quirks, [])
    assert.equal(summary(JSON.parse(JSON.stringify(ours))), expected)
    if (expected.status === 'completed') {
      assert.equal(summary(sdk as unknown as Record<string, unknown>), expected)
      assert.equal(JSON.parse(JSON.stringify(ours)), sdk)
    } else {
      // The SDK's finalResponse() keeps its own snapshot on response.incomplete: the status of
      // response.created, no usage; the texts and arguments it assembled are the same.
      const { status: _status, incomplete: _incomplete, usage: _usage, ...texts } = expected
      const { status, incomplete, usage, ...sdkTexts } = summary(sdk as unknown as Record<string, unknown>)
      assert.equal(sdkTexts, texts)
      assert.equal([status, incomplete, usage], ['in_progress', null, null])
    }
    // And back: the Responses stream translated to chat chunks is the chat completion again.
    const back = await accumulate(
      fromChunks([bytes(responsesText)])
        .pipeThrough(new ResponseEventStream())
        .pipeThrough(new ResponsesToChatChunksStream()),
    )
    assert.equal(roundTripped(back), roundTripped(completion))
    checked++
  })
}

/** What survives chat → Responses → chat: the texts, the tool calls, the finish reason, the token counts. */
function roundTripped(completion: ChatCompletion) {
  const choice = completion.choices[0]!
  const message = choice.message as ChatCompletion['choices'][number]['message'] & { reasoning_content?: string }
  const calls = (message.tool_calls ?? []).map((call) => ({
    id: call.id,
    name: call.function.name,
    arguments: call.function.arguments,
  }))
  // A finish reason the Responses API has no status for reads back as stop or tool_calls.
  const finish = ['length', 'content_filter'].includes(String(choice.finish_reason))
    ? choice.finish_reason
    : calls.length > 0
      ? 'tool_calls'
      : 'stop'
  return {
    id: completion.id,
    model: completion.model,
    content: message.content ?? '',
    refusal: message.refusal ?? '',
    reasoning: message.reasoning_content ?? '',
    calls,
    finish,
    usage: completion.usage && [
      completion.usage.prompt_tokens,
      completion.usage.completion_tokens,
      completion.usage.total_tokens,
    ],
  }
}

test('enough captures were compared', () => {
  assert.ok(checked >= 5, `only ${checked} captures completed with one choice`)
})

test.run()
