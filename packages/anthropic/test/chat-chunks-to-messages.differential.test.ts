/**
 * The translation from chat chunks, checked against the anthropic SDK: each captured chat
 * stream of `@sluice/test-support` that completes with one choice is translated to a
 * Messages event stream (`ChatChunksToMessagesStream`, `MessageEventEncoderStream`), served
 * to the SDK's `client.messages.stream()`, and the SDK's `finalMessage()` must be the chat
 * completion (`@sluice/accumulator`) mapped to a message (written out here from DESIGN.md's
 * table).
 */
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { accumulate, type ChatCompletion } from '@sluice/accumulator'
import { ChatChunkStream } from '@sluice/openai'
import { bytes, collect, fromChunks } from '@sluice/test-support'
import * as captures from '@sluice/test-support/captured-streams'
import { ChatChunksToMessagesStream, MessageEventEncoderStream } from '../src/index.ts'
import { REQUEST, sdkClientFor } from './sdk-client.ts'

const STOP: Record<string, string> = {
  stop: 'end_turn',
  length: 'max_tokens',
  tool_calls: 'tool_use',
  content_filter: 'refusal',
}

/** The message a chat completion maps to: its blocks in the order the translation opens them, its stop reason, its usage. */
function expectedMessage(completion: ChatCompletion) {
  const choice = completion.choices[0]!
  const message = choice.message as ChatCompletion['choices'][number]['message'] & { reasoning_content?: string }
  const content: Record<string, unknown>[] = []
  if (message.reasoning_content) content.push({ type: 'thinking', thinking: message.reasoning_content, signature: '' })
  if (message.content) content.push({ type: 'text', text: message.content })
  for (const call of message.tool_calls ?? []) {
    const input = call.function.arguments.trim() === '' ? {} : JSON.parse(call.function.arguments)
    content.push({ type: 'tool_use', id: call.id, name: call.function.name, input })
  }
  const usage = completion.usage
  return {
    id: completion.id,
    model: completion.model,
    content,
    stop_reason: STOP[String(choice.finish_reason)] ?? choice.finish_reason,
    input_tokens: usage ? usage.prompt_tokens - (usage.prompt_tokens_details?.cached_tokens ?? 0) : 0,
    output_tokens: usage?.completion_tokens ?? 0,
  }
}

async function sdkMessage(text: string) {
  const client = sdkClientFor(text)
  const message = await client.messages.stream(REQUEST).finalMessage()
  return {
    id: message.id,
    model: message.model,
    content: JSON.parse(JSON.stringify(message.content)) as Record<string, unknown>[],
    stop_reason: message.stop_reason,
    input_tokens: message.usage.input_tokens,
    output_tokens: message.usage.output_tokens,
  }
}

function isJSON(text: string): boolean {
  try {
    JSON.parse(text || '{}')
    return true
  } catch {
    return false
  }
}

let checked = 0
for (const [name, text] of Object.entries(captures)) {
  test(`${name}: the SDK reads the translated stream as the chat completion's message`, async () => {
    let completion: ChatCompletion
    try {
      completion = await accumulate(fromChunks([bytes(text as string)]).pipeThrough(new ChatChunkStream()))
    } catch {
      return // a capture that does not complete (cut off, an error) has no final message to compare
    }
    if (completion.choices.length !== 1 || completion.choices[0]!.finish_reason === null) return
    // Arguments cut off by the length limit are not JSON: the SDK's finalMessage() throws on
    // them (as it does on Anthropic's own max_tokens streams), so there is nothing to compare.
    if (!(completion.choices[0]!.message.tool_calls ?? []).every((call) => isJSON(call.function.arguments))) return
    const anthropicText = (
      await collect(
        fromChunks([bytes(text as string)])
          .pipeThrough(new ChatChunkStream())
          .pipeThrough(new ChatChunksToMessagesStream())
          .pipeThrough(new MessageEventEncoderStream()),
      )
    ).join('')
    assert.equal(await sdkMessage(anthropicText), expectedMessage(completion))
    checked++
  })
}

test('enough captures were compared', () => {
  assert.ok(checked >= 5, `only ${checked} captures completed with one choice`)
})

test.run()
