/**
 * Generated Anthropic Messages streams of every shape (the mocks in `format:
 * 'anthropic-messages'`: text, thinking, one and several tool uses, an error, a cut at every
 * event) read by the official `@anthropic-ai/sdk` and by `@sluice/anthropic`: the same final
 * message, or both fail. Cut at any event, sluice says `truncated`; the SDK's
 * `finalMessage()` rejects too, but its raw iteration (`messages.create({ stream: true })`)
 * ends as if the stream were complete.
 */
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import Anthropic from '@anthropic-ai/sdk'
import { accumulateMessage, MessageEventStream } from '@sluice/anthropic'
import { bytes, fromChunks } from '@sluice/test-support'
import { mockChatBody } from '../src/index.ts'
import { SHAPES } from './answers.ts'

async function sdk(text: string): Promise<{ message?: unknown; error?: unknown }> {
  const client = new Anthropic({
    apiKey: 'test',
    dangerouslyAllowBrowser: true, // the browser runtimes of the suite; the key is a placeholder
    maxRetries: 0,
    fetch: async () => new Response(text, { headers: { 'content-type': 'text/event-stream' } }),
  })
  try {
    const stream = client.messages.stream({ model: 'test', max_tokens: 1, messages: [{ role: 'user', content: 'hi' }] })
    const { parsed_output: _helper, ...message } = (await stream.finalMessage()) as unknown as Record<string, unknown>
    return { message: JSON.parse(JSON.stringify(message)) }
  } catch (error) {
    return { error }
  }
}

/** The SDK's raw iteration (`messages.create({ stream: true })`): whether it ended without an error. */
async function sdkRawEndsQuietly(text: string): Promise<boolean> {
  const client = new Anthropic({
    apiKey: 'test',
    dangerouslyAllowBrowser: true,
    maxRetries: 0,
    fetch: async () => new Response(text, { headers: { 'content-type': 'text/event-stream' } }),
  })
  try {
    const stream = await client.messages.create({
      model: 'test',
      max_tokens: 1,
      messages: [{ role: 'user', content: 'hi' }],
      stream: true,
    })
    for await (const _ of stream);
    return true
  } catch {
    return false
  }
}

async function sluice(text: string): Promise<{ message?: unknown; error?: unknown; status: string }> {
  const events = new MessageEventStream()
  try {
    const message = await accumulateMessage(fromChunks([bytes(text)]).pipeThrough(events))
    return { message: JSON.parse(JSON.stringify(message)), status: (await events.outcome).status }
  } catch (error) {
    return { error, status: (await events.outcome).status }
  }
}

for (const [shape, options] of Object.entries(SHAPES)) {
  test(`${shape}: the SDK's final message and sluice's are the same`, async () => {
    const text = new TextDecoder().decode(mockChatBody({ ...options, format: 'anthropic-messages' }))
    const [theirs, ours] = await Promise.all([sdk(text), sluice(text)])
    assert.ok(theirs.message, String(theirs.error))
    assert.equal(ours.message, theirs.message)
    assert.is(ours.status, 'complete')
  })

  test(`${shape}: cut at every event, sluice says truncated; the SDK's raw iteration ends quietly`, async () => {
    const text = new TextDecoder().decode(mockChatBody({ ...options, format: 'anthropic-messages' }))
    const ends = [...text.matchAll(/\n\n/g)].map((match) => match.index + 2).slice(0, -1)
    assert.ok(ends.length >= 4)
    for (const end of ends) {
      const cut = text.slice(0, end)
      const [final, quiet, ours] = await Promise.all([sdk(cut), sdkRawEndsQuietly(cut), sluice(cut)])
      assert.is(ours.status, 'truncated', `cut at ${end}`)
      assert.ok(ours.error, `cut at ${end}: sluice raises the truncation`)
      // The SDK's finalMessage() rejects a cut stream; its raw iteration ends as if complete.
      assert.ok(final.error, `cut at ${end}: finalMessage() rejects`)
      assert.is(quiet, true, `cut at ${end}: the raw iteration ends without an error`)
    }
  })
}

test('an error event: both fail with the overloaded error', async () => {
  const text = new TextDecoder().decode(
    mockChatBody({
      text: 'a b c d e',
      format: 'anthropic-messages',
      faults: [{ kind: 'provider-error', afterChunks: 3 }],
    }),
  )
  const [theirs, ours] = await Promise.all([sdk(text), sluice(text)])
  assert.match(String(theirs.error), /overloaded_error/)
  assert.is((ours.error as { type?: string }).type, 'overloaded_error')
  assert.is(ours.status, 'error')
})

test.run()
