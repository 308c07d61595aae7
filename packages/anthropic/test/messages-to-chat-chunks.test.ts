import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { collect, fromChunks } from '@sluice/test-support'
import { chatUsageOf, finishReasonOf, type MessageEvent, MessagesToChatChunksStream } from '../src/index.ts'

test('finishReasonOf maps every stop reason of the API, and passes an unknown one through', () => {
  const mapped = [
    'end_turn',
    'stop_sequence',
    'pause_turn',
    'max_tokens',
    'model_context_window_exceeded',
    'tool_use',
    'refusal',
    'new_reason',
  ].map((reason) => finishReasonOf(reason))
  assert.equal(mapped, ['stop', 'stop', 'stop', 'length', 'length', 'tool_calls', 'content_filter', 'new_reason'])
})

test('chatUsageOf counts cache reads and writes in the prompt, and reports the reads as cached', () => {
  assert.equal(
    chatUsageOf({ input_tokens: 10, cache_read_input_tokens: 90, cache_creation_input_tokens: 5, output_tokens: 7 }),
    {
      prompt_tokens: 105,
      completion_tokens: 7,
      total_tokens: 112,
      prompt_tokens_details: { cached_tokens: 90 },
    },
  )
  assert.equal(chatUsageOf({ output_tokens: 3 }), { prompt_tokens: 0, completion_tokens: 3, total_tokens: 3 })
})

test('a tool use with no input deltas gets {} as its arguments; tool calls count from 0 across blocks', async () => {
  const events: MessageEvent[] = [
    { type: 'message_start', message: { id: 'msg_1', type: 'message', role: 'assistant', model: 'm', content: [] } },
    { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } },
    { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'Hi' } },
    { type: 'content_block_stop', index: 0 },
    { type: 'content_block_start', index: 1, content_block: { type: 'tool_use', id: 't1', name: 'a', input: {} } },
    { type: 'content_block_stop', index: 1 },
    { type: 'content_block_start', index: 2, content_block: { type: 'tool_use', id: 't2', name: 'b', input: {} } },
    { type: 'content_block_delta', index: 2, delta: { type: 'input_json_delta', partial_json: '{"x":1}' } },
    { type: 'content_block_stop', index: 2 },
    { type: 'message_delta', delta: { stop_reason: 'tool_use' }, usage: { output_tokens: 9 } },
    { type: 'message_stop' },
    { type: 'ping' }, // after message_stop: the output has ended
  ]
  const chunks = await collect(fromChunks(events).pipeThrough(new MessagesToChatChunksStream()))
  const deltas = chunks.map((chunk) => chunk.choices[0]!.delta)
  assert.equal(deltas, [
    { role: 'assistant' },
    { content: 'Hi' },
    { tool_calls: [{ index: 0, id: 't1', type: 'function', function: { name: 'a', arguments: '' } }] },
    { tool_calls: [{ index: 0, function: { arguments: '{}' } }] },
    { tool_calls: [{ index: 1, id: 't2', type: 'function', function: { name: 'b', arguments: '' } }] },
    { tool_calls: [{ index: 1, function: { arguments: '{"x":1}' } }] },
    {},
  ])
  assert.is(chunks.at(-1)!.choices[0]!.finish_reason, 'tool_calls')
  assert.equal(chunks.at(-1)!.usage, { prompt_tokens: 0, completion_tokens: 9, total_tokens: 9 })
  assert.ok(chunks.every((chunk) => chunk.id === 'msg_1' && chunk.created === 0))
})

test.run()
