/** The mock server's POST /v1/messages (issue #19): the anthropic SDK streams the scripted answer, faults included. */
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import Anthropic from '@anthropic-ai/sdk'
import { startMockServer, type MockServerOptions } from '../src/node/index.ts'

async function withServer(options: MockServerOptions, body: (baseURL: string) => Promise<void>): Promise<void> {
  const server = await startMockServer(options)
  try {
    // The anthropic SDK appends /v1/messages to its base URL.
    await body(server.url.replace(/\/v1$/, ''))
  } finally {
    await server.close()
  }
}

const ask = (baseURL: string, text: string) =>
  new Anthropic({ apiKey: 'test', baseURL, maxRetries: 0 }).messages
    .stream({ model: 'claude-test', max_tokens: 100, messages: [{ role: 'user', content: text }] })
    .finalMessage()

test('the anthropic SDK streams the answer from POST /v1/messages', async () => {
  await withServer({ answer: () => ({ text: 'Bonjour, tout le monde.' }) }, async (baseURL) => {
    const message = await ask(baseURL, 'Say hello')
    assert.is(
      message.content.map((block) => (block.type === 'text' ? block.text : '')).join(''),
      'Bonjour, tout le monde.',
    )
    assert.is(message.stop_reason, 'end_turn')
  })
})

test('a provider-error fault reaches the anthropic SDK as its overloaded error', async () => {
  await withServer(
    { answer: () => ({ text: 'a b c d' }), faults: [{ kind: 'provider-error', afterChunks: 2 }] },
    async (baseURL) => {
      const error = await ask(baseURL, 'hi').catch((caught: unknown) => caught)
      assert.match(String(error), /overloaded_error/)
    },
  )
})

test('POST /v1/messages without stream: true is refused with a 400 that says why', async () => {
  await withServer({}, async (baseURL) => {
    const response = await fetch(`${baseURL}/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'm', max_tokens: 1, messages: [{ role: 'user', content: 'hi' }] }),
    })
    assert.is(response.status, 400)
    assert.match(await response.text(), /stream: true/)
  })
})

test.run()
