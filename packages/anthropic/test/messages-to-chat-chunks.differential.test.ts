/**
 * The translation to chat chunks, checked against the anthropic SDK: each complete capture,
 * translated by `MessagesToChatChunksStream` and assembled by `@sluice/accumulator`, gives
 * the chat completion that the SDK's `finalMessage()` maps to (the mapping written out here,
 * from DESIGN.md's table, independently of the translation). At any split of the bytes.
 */
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { accumulate } from '@sluice/accumulator'
import { bytes, fromChunks, splitAt } from '@sluice/test-support'
import { MessageEventStream, MessagesToChatChunksStream } from '../src/index.ts'
import { CAPTURES } from './captures.ts'
import { REQUEST, sdkClientFor } from './sdk-client.ts'

const FINISH: Record<string, string> = {
  end_turn: 'stop',
  stop_sequence: 'stop',
  pause_turn: 'stop',
  max_tokens: 'length',
  model_context_window_exceeded: 'length',
  tool_use: 'tool_calls',
  refusal: 'content_filter',
}

interface Block {
  type: string
  text?: string
  thinking?: string
  id?: string
  name?: string
  input?: unknown
}

/** The SDK's final message, mapped to what a chat completion's choice 0 says. */
async function expectedFromSDK(text: string) {
  const client = sdkClientFor(text)
  const message = await client.messages.stream(REQUEST).finalMessage()
  const blocks = message.content as unknown as Block[]
  const texts = blocks.filter((block) => block.type === 'text').map((block) => block.text ?? '')
  const thinking = blocks
    .filter((block) => block.type === 'thinking')
    .map((block) => block.thinking ?? '')
    .join('')
  const tools = blocks.filter((block) => block.type === 'tool_use')
  const usage = message.usage as unknown as Record<string, number | null | undefined>
  const prompt =
    (usage.input_tokens ?? 0) + (usage.cache_read_input_tokens ?? 0) + (usage.cache_creation_input_tokens ?? 0)
  return {
    id: message.id,
    model: message.model,
    content: texts.join(''),
    reasoning: thinking,
    tools: tools.map((block) => ({ id: block.id, name: block.name, input: block.input })),
    finish: FINISH[String(message.stop_reason)] ?? message.stop_reason,
    usage: { prompt, completion: usage.output_tokens ?? 0 },
  }
}

async function translated(reads: Uint8Array[]) {
  const completion = await accumulate(
    fromChunks(reads).pipeThrough(new MessageEventStream()).pipeThrough(new MessagesToChatChunksStream()),
  )
  const choice = completion.choices[0]!
  return {
    id: completion.id,
    model: completion.model,
    content: choice.message.content ?? '',
    reasoning: (choice.message as { reasoning_content?: string }).reasoning_content ?? '',
    tools: (choice.message.tool_calls ?? []).map((call) => ({
      id: call.id,
      name: call.function.name,
      input: JSON.parse(call.function.arguments),
    })),
    finish: choice.finish_reason,
    usage: { prompt: completion.usage?.prompt_tokens, completion: completion.usage?.completion_tokens },
  }
}

const INCOMPLETE = ['duplicate-', 'error-', 'max-tokens-', 'spliced-']

for (const [name, text] of Object.entries(CAPTURES)) {
  if (INCOMPLETE.some((prefix) => name.startsWith(prefix))) continue
  test(`${name}: the chat completion of the translated chunks is the SDK's message, mapped`, async () => {
    const expected = await expectedFromSDK(text)
    const data = bytes(text)
    assert.equal(await translated([data]), expected)
    const cuts = [1, 2, 3].map((part) => Math.floor((part * data.length) / 4) + part)
    assert.equal(await translated(splitAt(data, cuts)), expected, 'split in four')
  })
}

test.run()
