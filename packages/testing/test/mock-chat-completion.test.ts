import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { mockChatChunks, mockChatCompletion } from '../src/index.ts'

test('mockChatCompletion is the message the stream adds up to, with the same id and usage', () => {
  const options = { text: 'Paris.', reasoning: 'Easy.', model: 'gpt-4o-mini' }
  const completion = mockChatCompletion(options)
  const chunks = mockChatChunks(options)
  assert.is(completion.object, 'chat.completion')
  assert.is(completion.id, chunks[0]!.id)
  assert.is(completion.model, 'gpt-4o-mini')
  assert.equal(completion.choices, [
    {
      index: 0,
      message: { role: 'assistant', content: 'Paris.', refusal: null, reasoning_content: 'Easy.' },
      logprobs: null,
      finish_reason: 'stop',
    },
  ])
  assert.equal(completion.usage, chunks.at(-1)!.usage!)
})

test('mockChatCompletion gives tool calls whole, and null content without text', () => {
  const completion = mockChatCompletion({ toolCalls: [{ name: 'f', arguments: { a: 1 }, id: 'call_1' }], usage: false })
  const message = completion.choices[0]!.message
  assert.is(message.content, null)
  assert.equal(message.tool_calls, [{ id: 'call_1', type: 'function', function: { name: 'f', arguments: '{"a":1}' } }])
  assert.is(completion.choices[0]!.finish_reason, 'tool_calls')
  assert.is(completion.usage, undefined)
})

test.run()
