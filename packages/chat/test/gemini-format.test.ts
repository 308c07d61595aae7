/**
 * `chatStream()` reads a Google Gemini stream (`streamGenerateContent?alt=sse`) as a chat
 * stream (issue #21): it tells the format from the first chunk, says which it read, and every
 * reading gives what the translation path (`GeminiChunkStream` → `GeminiToChatChunksStream`
 * → the accumulator) gives. A body that is one JSON array (no `alt=sse`) is named.
 */
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { accumulate } from '@sluice/accumulator'
import { GeminiChunkStream, GeminiToChatChunksStream } from '@sluice/gemini'
import { bytes, fromChunks, splitAt } from '@sluice/test-support'
import { openaiCompleteWithUsage } from '@sluice/test-support/captured-streams'
import { CAPTURES } from '../../gemini/test/captures.ts'
import { chatStream, sniffFormat } from '../src/index.ts'

const translated = (text: string) =>
  accumulate(
    fromChunks([bytes(text)])
      .pipeThrough(new GeminiChunkStream())
      .pipeThrough(new GeminiToChatChunksStream()),
  )

const capture = (name: string) => CAPTURES[name]!

for (const name of [
  'text-gemini20flashexp.sse',
  'text-usage-every-chunk-gemini25flash.sse',
  'function-call-gemini20flash.sse',
  'function-call-parallel-split-chunks-ids-gemini35flash.sse',
  'thinking-thought-parts-gemini25pro.sse',
  'grounding-google-search-gemini25pro.sse',
  'vertex-text-gemini25flash.sse',
  'vertex-partial-args-two-calls-gemini31pro-reconstructed.sse',
  'max-tokens-turn-token-gemini25flash-reconstructed.sse',
]) {
  test(`${name}: chatStream() reads the Gemini stream, says so, and completes as the translation does`, async () => {
    const text = capture(name)
    const data = bytes(text)
    const stream = chatStream(fromChunks(splitAt(data, [7, 100, Math.floor(data.length / 2)])))
    assert.is(stream.format, undefined, 'not known before the first chunk')
    let texts = ''
    for await (const piece of stream.textStream()) texts += piece
    assert.is(stream.format, 'gemini')
    const completion = await stream.completion()
    assert.equal(completion, await translated(text))
    assert.is(texts, completion.choices[0]!.message.content ?? '')
    assert.is((await stream.outcome).status, 'complete')
  })
}

test('the function calls of a Gemini stream reach the completion: names, arguments, finish_reason tool_calls, usage', async () => {
  const completion = await chatStream(
    fromChunks([bytes(capture('function-call-parallel-split-chunks-ids-gemini35flash.sse'))]),
  ).completion()
  const calls = completion.choices[0]!.message.tool_calls ?? []
  assert.ok(calls.length >= 2, 'parallel calls')
  for (const call of calls) {
    assert.ok(call.function.name.length > 0)
    assert.type(JSON.parse(call.function.arguments), 'object')
  }
  assert.is(completion.choices[0]!.finish_reason, 'tool_calls')
  assert.ok((completion.usage?.total_tokens ?? 0) > 0, 'the last usageMetadata')
})

test('sniffFormat: a first data: line whose JSON object has a Gemini field and no chat field', () => {
  assert.is(sniffFormat('data: {"candidates": [{"content": {"parts": [{"text": "Hi"}]}}]}\r\n', false), 'gemini')
  assert.is(sniffFormat('data:{"promptFeedback":{"blockReason":"SAFETY"}}\n', false), 'gemini')
  assert.is(sniffFormat('data: {"usageMetadata": {"promptTokenCount": 3}, "modelVersion": "m"}\n', false), 'gemini')
  assert.is(sniffFormat('\uFEFFdata: {"candidates": []}\n', false), 'gemini')
  assert.is(sniffFormat('data: {"candidates": [{"content": {"parts": [{"text": "Hi', false), undefined, 'not ended')
  // A chat chunk that quotes a Gemini chunk, or carries a Gemini field beside its choices, is a chat chunk.
  const quoting = 'data: {"choices":[{"index":0,"delta":{"content":"{\\"candidates\\": []}"}}]}\n'
  assert.is(sniffFormat(quoting, false), 'openai-chat')
  const both = 'data: {"object":"chat.completion.chunk","usageMetadata":{},"choices":[]}\n'
  assert.is(sniffFormat(both, false), 'openai-chat')
  // A Gemini chunk whose text names another format's events is still a Gemini chunk.
  const talking =
    'data: {"candidates": [{"content": {"parts": [{"text": "event: message_start and \\"type\\":\\"response.created\\""}]}}]}\n'
  assert.is(sniffFormat(talking, false), 'gemini')
  // A line too long to be whole here: its first key decides.
  assert.is(
    sniffFormat(`data: {"candidates": [{"content": {"parts": [{"text": "${'x'.repeat(70_000)}`, false),
    'gemini',
  )
  // A JSON array (no alt=sse) is Gemini's: its parser names it.
  assert.is(sniffFormat('[{\n  "candidates": [\n', false), 'gemini')
  assert.is(sniffFormat('data: {"type":"message_start","message":{}}\n', false), 'anthropic-messages')
  assert.is(sniffFormat('data: {"type":"response.created"}\n', false), 'openai-responses')
})

test('an OpenAI-compatible stream is still read as chat chunks, and says so', async () => {
  const stream = chatStream(fromChunks([bytes(openaiCompleteWithUsage)]))
  await stream.completion()
  assert.is(stream.format, 'openai-chat')
})

test('a Gemini stream cut before its finishReason raises TruncatedGeminiError, with the partial answer', async () => {
  const text = capture('text-long-gemini20flash.sse')
  const cut = text.slice(0, text.lastIndexOf('data: '))
  const stream = chatStream(fromChunks([bytes(cut)]))
  const error = (await stream.completion().catch((caught: unknown) => caught)) as Error & {
    code?: string
    partial?: { choices: { message: { content: string | null } }[] }
  }
  assert.is(error.name, 'TruncatedGeminiError')
  assert.is(error.code, 'SLUICE_TRUNCATED_GEMINI')
  assert.ok((error.partial?.choices[0]?.message.content ?? '').length > 0, 'the text before the cut')
  assert.is(stream.format, 'gemini')
  assert.is((await stream.outcome).status, 'truncated')
})

test("an error chunk fails the stream with the provider's error, after the text before it", async () => {
  const first = capture('text-gemini20flashexp.sse').split('\r\n\r\n')[0]!
  const body = `${first}\r\n\r\ndata: {"error": {"code": 503, "message": "The model is overloaded. Please try again later.", "status": "UNAVAILABLE"}}\r\n\r\n`
  const stream = chatStream(fromChunks([bytes(body)]))
  let texts = ''
  const error = await (async () => {
    for await (const piece of stream.textStream()) texts += piece
  })().catch((caught: unknown) => caught)
  assert.is((error as Error).name, 'ProviderError')
  assert.match((error as Error).message, /overloaded/)
  assert.is(texts, 'The')
  assert.is((await stream.outcome).status, 'error')
})

test('a blocked prompt completes with finish_reason content_filter', async () => {
  const body =
    'data: {"promptFeedback": {"blockReason": "PROHIBITED_CONTENT"}, "usageMetadata": {"promptTokenCount": 7, "totalTokenCount": 7}, "modelVersion": "gemini-2.5-flash"}\r\n\r\n'
  const stream = chatStream(fromChunks([bytes(body)]))
  const completion = await stream.completion()
  assert.is(stream.format, 'gemini')
  assert.is(completion.choices[0]!.finish_reason, 'content_filter')
  assert.is(completion.usage?.prompt_tokens, 7)
})

for (const name of Object.keys(CAPTURES).filter((name) => name.endsWith('.json.txt'))) {
  test(`${name}: a JSON-array body (no alt=sse) is named at its first line`, async () => {
    const stream = chatStream(fromChunks([bytes(capture(name))]))
    const error = (await stream.completion().catch((caught: unknown) => caught)) as Error & {
      likelyCause?: string
      line?: number
    }
    assert.is(error.name, 'NotEventStreamError')
    assert.is(error.likelyCause, 'json-array')
    assert.is(error.line, 1)
    assert.match(error.message, /alt=sse/)
    assert.is(stream.format, 'gemini')
  })
}

test.run()
