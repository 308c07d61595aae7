/**
 * `chatStream()` reads an OpenAI Responses stream as a chat stream (issue #20): it tells the
 * format from the first event (with or without `event:` lines, after a comment, with the
 * `event:` line after the `data:` line, a resumed stream), says which it read, and every
 * reading gives what the translation path (`ResponseEventStream` →
 * `ResponsesToChatChunksStream` → the accumulator) gives.
 */
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { accumulate } from '@sluice/accumulator'
import { ResponseEventStream, ResponsesToChatChunksStream } from '@sluice/responses'
import { bytes, fromChunks, splitAt } from '@sluice/test-support'
import textGpt4o from '../../responses/test/fixtures/text-gpt-4o.sse'
import functionCallGpt4o from '../../responses/test/fixtures/function-call-gpt-4o.sse'
import textThenFunctionCall from '../../responses/test/fixtures/text-then-function-call-phase-gpt-5.5.sse'
import reasoningOpenRouter from '../../responses/test/fixtures/reasoning-text-openrouter-gpt-oss-20b.sse'
import functionCallBedrock from '../../responses/test/fixtures/function-call-bedrock-mantle-gpt-5.6-luna.sse'
import reasoningSummary from '../../responses/test/fixtures/reasoning-summary-multipart-o3-mini.sse'
import resumed from '../../responses/test/fixtures/background-resume-starting-after-gpt-4o.sse'
import insufficientQuota from '../../responses/test/fixtures/error-then-failed-insufficient-quota-gpt-5-nano-reconstructed.sse'
import { chatStream, sniffFormat } from '../src/index.ts'
import { openaiCompleteWithUsage } from '@sluice/test-support/captured-streams'

const translated = (text: string) =>
  accumulate(
    fromChunks([bytes(text)])
      .pipeThrough(new ResponseEventStream())
      .pipeThrough(new ResponsesToChatChunksStream()),
  )

for (const [name, text] of [
  ['text (gpt-4o)', textGpt4o],
  ['a function call (gpt-4o)', functionCallGpt4o],
  ['text then a function call (gpt-5.5)', textThenFunctionCall],
  ['reasoning text, OpenRouter: a comment first, no event: lines', reasoningOpenRouter],
  ['a function call, Bedrock: data: before event:', functionCallBedrock],
  ['a multipart reasoning summary (o3-mini)', reasoningSummary],
  ['a resumed stream (starting_after: response.queued first)', resumed],
] as const) {
  test(`${name}: chatStream() reads the Responses stream, says so, and completes as the translation does`, async () => {
    const data = bytes(text)
    const stream = chatStream(fromChunks(splitAt(data, [7, 100, Math.floor(data.length / 2)])))
    assert.is(stream.format, undefined, 'not known before the first event')
    let texts = ''
    for await (const piece of stream.textStream()) texts += piece
    assert.is(stream.format, 'openai-responses')
    const completion = await stream.completion()
    assert.equal(completion, await translated(text))
    assert.is(texts, completion.choices[0]!.message.content ?? '')
    assert.is((await stream.outcome).status, 'complete')
  })
}

test('the tool calls of a Responses stream reach the completion: name, call id, arguments', async () => {
  const completion = await chatStream(fromChunks([bytes(functionCallGpt4o)])).completion()
  const [call] = completion.choices[0]!.message.tool_calls ?? []
  assert.ok(call, 'one tool call')
  assert.match(call.id, /^call_/)
  assert.ok(call.function.name.length > 0)
  JSON.parse(call.function.arguments)
  assert.is(completion.choices[0]!.finish_reason, 'tool_calls')
})

test('sniffFormat: a response. event type in the first data: line or the event: line before it', () => {
  assert.is(sniffFormat('event: response.created\ndata: {"type":"response.created"}\n', false), 'openai-responses')
  assert.is(sniffFormat(': OPENROUTER PROCESSING\n\ndata: {"type":"response.created"}\n', false), 'openai-responses')
  assert.is(
    sniffFormat('data: {"response":{},"type":"response.created"}\nevent: response.created\n', false),
    'openai-responses',
  )
  assert.is(sniffFormat('event: response.in_progress\ndata: {}\n', false), 'openai-responses')
  assert.is(sniffFormat('data: { "type" : "response.queued" }\r\n', false), 'openai-responses')
  assert.is(
    sniffFormat('event: response.created\ndata: {"type":"response.cre', false),
    undefined,
    'the line has not ended',
  )
  // A chat chunk that talks about the Responses API is still a chat chunk.
  const chat = 'data: {"choices":[{"index":0,"delta":{"content":"\\"type\\":\\"response.created\\""}}]}\n'
  assert.is(sniffFormat(chat, false), 'openai-chat')
  assert.is(sniffFormat('data: {"type":"message_start","message":{}}\n', false), 'anthropic-messages')
  // A byte order mark, decoded or as the bytes FormatSwitch sees: the first data: line is still the first.
  const second = 'data: [DONE]\ndata: {"type":"response.created"}\n'
  assert.is(sniffFormat(`\uFEFF${second}`, false), 'openai-chat')
  assert.is(sniffFormat(`\u00EF\u00BB\u00BF${second}`, false), 'openai-chat')
})

test('toSSEResponse() re-serves a Responses stream as a chat completion stream, ending with [DONE]', async () => {
  const response = chatStream(fromChunks([bytes(textThenFunctionCall)])).toSSEResponse()
  const text = await response.text()
  const data = [...text.matchAll(/^data: (.*)$/gm)].map((match) => match[1]!)
  assert.is(data.at(-1), '[DONE]')
  const chunks = data.slice(0, -1).map((line) => JSON.parse(line))
  assert.ok(chunks.every((chunk) => chunk.object === 'chat.completion.chunk'))
  const content = chunks.map((chunk) => chunk.choices[0]?.delta.content ?? '').join('')
  assert.is(content, (await translated(textThenFunctionCall)).choices[0]!.message.content)
})

test('an OpenAI-compatible stream is still read as chat chunks, and says so', async () => {
  const stream = chatStream(fromChunks([bytes(openaiCompleteWithUsage)]))
  await stream.completion()
  assert.is(stream.format, 'openai-chat')
})

test('a Responses stream cut before its terminal event raises TruncatedResponseError, with the partial answer', async () => {
  const cut = textGpt4o.slice(0, textGpt4o.indexOf('event: response.output_text.done'))
  const stream = chatStream(fromChunks([bytes(cut)]))
  const error = (await stream.completion().catch((caught: unknown) => caught)) as Error & {
    partial?: { choices: { message: { content: string | null } }[] }
  }
  assert.is(error.name, 'TruncatedResponseError')
  assert.is((error as { code?: string }).code, 'SLUICE_TRUNCATED_RESPONSE')
  assert.ok((error.partial?.choices[0]?.message.content ?? '').length > 0, 'the text before the cut')
  assert.is(stream.format, 'openai-responses')
  assert.is((await stream.outcome).status, 'truncated')
})

test("an error event fails the stream with the provider's error", async () => {
  const stream = chatStream(fromChunks([bytes(insufficientQuota)]))
  const error = await stream.completion().catch((caught: unknown) => caught)
  assert.is((error as Error).name, 'ProviderError')
  assert.match(String((error as Error).message), /quota/)
  assert.is((await stream.outcome).status, 'error')
})

test.run()
