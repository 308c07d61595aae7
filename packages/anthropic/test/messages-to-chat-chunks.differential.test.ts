/**
 * The translation to chat chunks, checked against the anthropic SDK: each complete capture,
 * translated by `MessagesToChatChunksStream` and assembled by `@sluice/accumulator`, gives
 * the chat completion that the SDK's `finalMessage()` maps to (the mapping written out here,
 * from DESIGN.md's table, independently of the translation). At any split of the bytes.
 */
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import Anthropic from '@anthropic-ai/sdk'
import { accumulate } from '@sluice/accumulator'
import { bytes, fromChunks, splitAt } from '@sluice/test-support'
import { MessageEventStream, MessagesToChatChunksStream } from '../src/index.ts'
import adaptiveThinkingLeadingTextBlockOpus46 from './fixtures/adaptive-thinking-leading-text-block-opus46.sse'
import advisorToolIterations from './fixtures/advisor-tool-iterations.sse'
import codeExecutionBash from './fixtures/code-execution-bash.sse'
import compactionDelta from './fixtures/compaction-delta.sse'
import duplicateMessageStartHandwrittenReconstructed from './fixtures/duplicate-message-start-handwritten-reconstructed.sse'
import errorOverloadedMidstreamHandwritten from './fixtures/error-overloaded-midstream-handwritten.sse'
import maxTokensUnterminatedToolInput from './fixtures/max-tokens-unterminated-tool-input.sse'
import mcpToolUseAndResult from './fixtures/mcp-tool-use-and-result.sse'
import pauseTurnWebSearchLarge from './fixtures/pause-turn-web-search-large.sse'
import redactedThinking from './fixtures/redacted-thinking.sse'
import refusalStopDetailsSanitized from './fixtures/refusal-stop-details-sanitized.sse'
import splicedMessageStartHandwrittenReconstructed from './fixtures/spliced-message-start-handwritten-reconstructed.sse'
import stopSequenceHaiku45 from './fixtures/stop-sequence-haiku45.sse'
import textBasicHaiku45 from './fixtures/text-basic-haiku45.sse'
import textPingAfterDeltasSonnet45 from './fixtures/text-ping-after-deltas-sonnet45.sse'
import textThenToolUseWithArgsSonnet37 from './fixtures/text-then-tool-use-with-args-sonnet37.sse'
import thinkingLongSonnet4 from './fixtures/thinking-long-sonnet4.sse'
import thinkingThenTextHaiku45 from './fixtures/thinking-then-text-haiku45.sse'
import thinkingThenToolUse from './fixtures/thinking-then-tool-use.sse'
import toolSearchThenToolUse from './fixtures/tool-search-then-tool-use.sse'
import toolUseParallelEmptyInputHaiku45 from './fixtures/tool-use-parallel-empty-input-haiku45.sse'
import webFetch from './fixtures/web-fetch.sse'
import webSearchCitationsNoPing from './fixtures/web-search-citations-no-ping.sse'

const CAPTURES: Record<string, string> = {
  'adaptive-thinking-leading-text-block-opus46.sse': adaptiveThinkingLeadingTextBlockOpus46,
  'advisor-tool-iterations.sse': advisorToolIterations,
  'code-execution-bash.sse': codeExecutionBash,
  'compaction-delta.sse': compactionDelta,
  'duplicate-message-start-handwritten-reconstructed.sse': duplicateMessageStartHandwrittenReconstructed,
  'error-overloaded-midstream-handwritten.sse': errorOverloadedMidstreamHandwritten,
  'max-tokens-unterminated-tool-input.sse': maxTokensUnterminatedToolInput,
  'mcp-tool-use-and-result.sse': mcpToolUseAndResult,
  'pause-turn-web-search-large.sse': pauseTurnWebSearchLarge,
  'redacted-thinking.sse': redactedThinking,
  'refusal-stop-details-sanitized.sse': refusalStopDetailsSanitized,
  'spliced-message-start-handwritten-reconstructed.sse': splicedMessageStartHandwrittenReconstructed,
  'stop-sequence-haiku45.sse': stopSequenceHaiku45,
  'text-basic-haiku45.sse': textBasicHaiku45,
  'text-ping-after-deltas-sonnet45.sse': textPingAfterDeltasSonnet45,
  'text-then-tool-use-with-args-sonnet37.sse': textThenToolUseWithArgsSonnet37,
  'thinking-long-sonnet4.sse': thinkingLongSonnet4,
  'thinking-then-text-haiku45.sse': thinkingThenTextHaiku45,
  'thinking-then-tool-use.sse': thinkingThenToolUse,
  'tool-search-then-tool-use.sse': toolSearchThenToolUse,
  'tool-use-parallel-empty-input-haiku45.sse': toolUseParallelEmptyInputHaiku45,
  'web-fetch.sse': webFetch,
  'web-search-citations-no-ping.sse': webSearchCitationsNoPing,
}

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
  const client = new Anthropic({
    apiKey: 'test',
    dangerouslyAllowBrowser: true, // the browser runtimes of the suite; the key is a placeholder
    maxRetries: 0,
    fetch: async () => new Response(text, { headers: { 'content-type': 'text/event-stream' } }),
  })
  const message = await client.messages
    .stream({ model: 'test', max_tokens: 1, messages: [{ role: 'user', content: 'hi' }] })
    .finalMessage()
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
