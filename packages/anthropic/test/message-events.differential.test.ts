/**
 * Differential test against the official `@anthropic-ai/sdk` (1.17.0): each capture is
 * served to the SDK's `client.messages.stream()` through a custom `fetch`, and the events it
 * yields (each cloned when yielded: the SDK's accumulation mutates the blocks of earlier
 * events) must equal the events `MessageEventStream` emits, `ping` left out (the SDK does
 * not yield it). Where the two differ, the difference is asserted here and documented in
 * DESIGN.md:
 * - a second `message_start` with the same id (a gateway repeats it): the SDK throws
 *   "Unexpected event order"; sluice drops it with a `duplicate-message-start` quirk;
 * - events with `data:` and no `event:` line: the SDK skips them; sluice takes them by their
 *   data's type (`missing-event-type` quirk);
 * - `message_stop` as the last line with no newline after it: the SDK never sees it and
 *   rejects with "stream ended without producing a Message"; sluice takes it
 *   (`unterminated-message-stop`) and the message is complete.
 */
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { bytes, fromChunks } from '@sluice/test-support'
import {
  accumulateMessage,
  type Message,
  MessageEventStream,
  type MessageEvent,
  type MessageOutcome,
} from '../src/index.ts'
import { CAPTURES } from './captures.ts'
import { REQUEST, sdkClientFor } from './sdk-client.ts'

/** What the SDK yields for `text`, and how it ended. */
async function sdkRead(text: string): Promise<{ events: unknown[]; error: unknown }> {
  const client = sdkClientFor(text)
  const events: unknown[] = []
  try {
    const stream = client.messages.stream(REQUEST)
    for await (const event of stream) events.push(structuredClone(event))
    await stream.finalMessage()
    return { events, error: undefined }
  } catch (error) {
    return { events, error }
  }
}

/** What sluice emits for `text`, `ping` left out, and its outcome. */
async function sluiceRead(text: string): Promise<{ events: MessageEvent[]; error: unknown; outcome: MessageOutcome }> {
  const stream = new MessageEventStream()
  const events: MessageEvent[] = []
  let error: unknown
  try {
    for await (const event of fromChunks([bytes(text)]).pipeThrough(stream)) {
      if (event.type !== 'ping') events.push(structuredClone(event))
    }
  } catch (caught) {
    error = caught
  }
  return { events, error, outcome: await stream.outcome }
}

const DIFFERENT = new Set([
  'duplicate-message-start-handwritten-reconstructed.sse',
  'error-overloaded-midstream-handwritten.sse',
  'max-tokens-unterminated-tool-input.sse',
])

for (const [name, text] of Object.entries(CAPTURES)) {
  if (DIFFERENT.has(name)) continue
  test(`${name}: the same events as the anthropic SDK, and the same ending`, async () => {
    const [sdk, ours] = await Promise.all([sdkRead(text), sluiceRead(text)])
    assert.equal(ours.events, sdk.events)
    assert.is(
      ours.error === undefined,
      sdk.error === undefined,
      `sdk: ${String(sdk.error)}; sluice: ${String(ours.error)}`,
    )
  })
}

test('a repeated message_start (same id): the SDK throws, sluice drops it and reports a quirk', async () => {
  const text = CAPTURES['duplicate-message-start-handwritten-reconstructed.sse']!
  const [sdk, ours] = await Promise.all([sdkRead(text), sluiceRead(text)])
  assert.match(String(sdk.error), /Unexpected event order/)
  assert.is(ours.error, undefined)
  assert.is(ours.outcome.status, 'complete')
  assert.equal(
    ours.outcome.quirks.map((quirk) => quirk.code),
    ['duplicate-message-start'],
  )
})

test('events without an event: line: the SDK skips them, sluice takes them by their type; both raise the error event', async () => {
  const text = CAPTURES['error-overloaded-midstream-handwritten.sse']!
  const [sdk, ours] = await Promise.all([sdkRead(text), sluiceRead(text)])
  assert.equal(sdk.events, [])
  assert.match(String(sdk.error), /overloaded_error/)
  assert.equal(
    ours.events.map((event) => event.type),
    ['message_start', 'content_block_start', 'content_block_delta'],
  )
  assert.is((ours.error as { type?: string }).type, 'overloaded_error')
  assert.is((ours.error as { retryable?: boolean }).retryable, true)
})

test('message_stop with no newline after it: the SDK loses it and rejects, sluice takes it', async () => {
  const text = CAPTURES['max-tokens-unterminated-tool-input.sse']!
  const [sdk, ours] = await Promise.all([sdkRead(text), sluiceRead(text)])
  assert.match(String(sdk.error), /stream ended without producing a Message/)
  assert.equal(ours.events.slice(0, sdk.events.length), sdk.events, 'the same events up to where the SDK stopped')
  assert.is(ours.events.at(-1)?.type, 'message_stop')
  assert.is(ours.outcome.status, 'complete')
  assert.is(ours.outcome.stopReason, 'max_tokens')
})

/** The SDK's `finalMessage()` for `text`, without `parsed_output` (its structured-output helper's field), or `undefined` if it rejects. */
async function sdkFinal(text: string): Promise<Record<string, unknown> | undefined> {
  const client = sdkClientFor(text)
  try {
    const stream = client.messages.stream(REQUEST)
    const { parsed_output: _helper, ...message } = (await stream.finalMessage()) as unknown as Record<string, unknown>
    return JSON.parse(JSON.stringify(message)) // the SDK sets stop_details: undefined where the delta has none
  } catch {
    return undefined
  }
}

/**
 * What sluice keeps and the SDK drops, removed from sluice's message for the comparison (and
 * checked to be what the stream sent): `usage.iterations`; a `compaction` block's content
 * from its `compaction_delta`; an `mcp_tool_use` block's input from its `input_json_delta`s.
 */
function withoutWhatTheSDKDrops(message: Message, text: string): Record<string, unknown> {
  const copy = JSON.parse(JSON.stringify(message)) as Record<string, unknown> & {
    usage?: Record<string, unknown>
    content: Record<string, unknown>[]
  }
  if (copy.usage?.iterations !== undefined) {
    assert.ok(text.includes('"iterations":['), 'iterations came in the stream')
    delete copy.usage.iterations
  }
  for (const block of copy.content) {
    if (block.type === 'compaction' && typeof block.content === 'string') {
      assert.ok(text.includes('"compaction_delta"'))
      block.content = null
    }
    if (block.type === 'mcp_tool_use' && Object.keys(block.input as object).length > 0) {
      assert.ok(text.includes('"input_json_delta"'))
      block.input = {}
    }
  }
  return copy
}

for (const [name, text] of Object.entries(CAPTURES)) {
  if (DIFFERENT.has(name) || name.startsWith('spliced') || name.startsWith('error-')) continue
  test(`${name}: the final message equals the SDK's finalMessage(), but for what the SDK drops`, async () => {
    const [sdk, ours] = await Promise.all([
      sdkFinal(text),
      accumulateMessage(fromChunks([bytes(text)]).pipeThrough(new MessageEventStream())),
    ])
    assert.ok(sdk && ours)
    assert.equal(withoutWhatTheSDKDrops(ours, text), sdk)
  })
}

test('every snapshot is frozen, and a block that did not change is the same object in the next snapshot', async () => {
  const text = CAPTURES['text-then-tool-use-with-args-sonnet37.sse']!
  const snapshots: Message[] = []
  const { MessageAccumulatorStream } = await import('../src/index.ts')
  for await (const snapshot of fromChunks([bytes(text)])
    .pipeThrough(new MessageEventStream())
    .pipeThrough(new MessageAccumulatorStream()))
    snapshots.push(snapshot)
  assert.ok(snapshots.length > 5)
  let shared = 0
  for (let index = 1; index < snapshots.length; index++) {
    const [before, after] = [snapshots[index - 1]!, snapshots[index]!]
    assert.ok(Object.isFrozen(after) && after.content.every((block) => Object.isFrozen(block)))
    for (let block = 0; block < before.content.length - 1; block++) {
      assert.is(after.content[block], before.content[block], `snapshot ${index}: block ${block} is shared`)
      shared++
    }
  }
  assert.ok(shared > 0)
})

test.run()
