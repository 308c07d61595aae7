/**
 * `chatStream()` reads an Anthropic Messages stream as a chat stream (issue #19): it tells the
 * format from the first event, says which it read, and every reading gives what the
 * translation path (`MessageEventStream` → `MessagesToChatChunksStream` → the accumulator)
 * gives.
 */
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { accumulate } from '@sluice/accumulator'
import { MessageEventStream, MessagesToChatChunksStream } from '@sluice/anthropic'
import { bytes, fromChunks, splitAt } from '@sluice/test-support'
import textThenToolUse from '../../anthropic/test/fixtures/text-then-tool-use-with-args-sonnet37.sse'
import thinkingThenText from '../../anthropic/test/fixtures/thinking-then-text-haiku45.sse'
import overloaded from '../../anthropic/test/fixtures/error-overloaded-midstream-handwritten.sse'
import { chatStream } from '../src/index.ts'
import { openaiCompleteWithUsage } from '@sluice/test-support/captured-streams'

const translated = (text: string) =>
  accumulate(
    fromChunks([bytes(text)])
      .pipeThrough(new MessageEventStream())
      .pipeThrough(new MessagesToChatChunksStream()),
  )

for (const [name, text] of [
  ['text then tool use', textThenToolUse],
  ['thinking then text', thinkingThenText],
] as const) {
  test(`${name}: chatStream() reads the Anthropic stream, says so, and completes as the translation does`, async () => {
    const data = bytes(text)
    const stream = chatStream(fromChunks(splitAt(data, [7, 100, Math.floor(data.length / 2)])))
    assert.is(stream.format, undefined, 'not known before the first event')
    let texts = ''
    for await (const piece of stream.textStream()) texts += piece
    assert.is(stream.format, 'anthropic-messages')
    const completion = await stream.completion()
    assert.equal(completion, await translated(text))
    assert.is(texts, completion.choices[0]!.message.content ?? '')
    assert.is((await stream.outcome).status, 'complete')
  })
}

test('toSSEResponse() re-serves an Anthropic stream as a chat completion stream, ending with [DONE]', async () => {
  const response = chatStream(fromChunks([bytes(textThenToolUse)])).toSSEResponse()
  const text = await response.text()
  const data = [...text.matchAll(/^data: (.*)$/gm)].map((match) => match[1]!)
  assert.is(data.at(-1), '[DONE]')
  const chunks = data.slice(0, -1).map((line) => JSON.parse(line))
  assert.ok(chunks.every((chunk) => chunk.object === 'chat.completion.chunk'))
  const content = chunks.map((chunk) => chunk.choices[0]?.delta.content ?? '').join('')
  assert.is(content, (await translated(textThenToolUse)).choices[0]!.message.content)
})

test('an OpenAI-compatible stream is still read as chat chunks, and says so', async () => {
  const stream = chatStream(fromChunks([bytes(openaiCompleteWithUsage)]))
  await stream.completion()
  assert.is(stream.format, 'openai-chat')
})

test("an Anthropic error event fails the stream with the provider's error", async () => {
  const stream = chatStream(fromChunks([bytes(overloaded)]))
  const error = await stream.completion().catch((caught: unknown) => caught)
  assert.is((error as { type?: string }).type, 'overloaded_error')
  assert.is((await stream.outcome).status, 'error')
})

test.run()
