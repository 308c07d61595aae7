import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { SSEStream } from '@sluice/sse'
import worker, { type Env } from '../src/worker.ts'

const chunk = (content: string, finish: string | null = null) => ({
  id: 'chatcmpl-1',
  object: 'chat.completion.chunk',
  created: 1,
  model: 'anthropic/claude-sonnet-4-5',
  choices: [{ index: 0, delta: { content }, finish_reason: finish }],
})

/** An upstream that answers with an SSE chat stream, keep-alives and a ping included, and records the request. */
function mockUpstream(parts: string[]) {
  const seen: { url?: string; body?: Record<string, unknown>; authorization?: string | null } = {}
  const text = [
    ': OPENROUTER PROCESSING\r\n\r\n',
    'event: ping\r\ndata: {}\r\n\r\n',
    ...parts.map((part, index) => `data: ${JSON.stringify(chunk(part, index === parts.length - 1 ? 'stop' : null))}\r\n\r\n`),
    'data: [DONE]\r\n\r\n',
  ].join('')
  const env: Env = {
    UPSTREAM_URL: 'https://api.edenai.run/v3',
    UPSTREAM_KEY: 'test-key',
    UPSTREAM: {
      fetch: (async (input: RequestInfo | URL, init?: RequestInit) => {
        seen.url = String(input)
        seen.body = JSON.parse(String(init?.body))
        seen.authorization = new Headers(init?.headers).get('authorization')
        const bytes = new TextEncoder().encode(text)
        let offset = 0
        // Small reads that cut lines and characters, as a network does.
        const body = new ReadableStream<Uint8Array>({
          pull(controller) {
            if (offset >= bytes.length) return controller.close()
            controller.enqueue(bytes.slice(offset, (offset += 23)))
          },
        })
        return new Response(body, { headers: { 'content-type': 'text/event-stream' } })
      }) as typeof fetch,
    },
  }
  return { env, seen }
}

const ask = (format: string, env: Env) =>
  worker.fetch(
    new Request(`https://proxy.example/chat?format=${format}`, {
      method: 'POST',
      body: JSON.stringify({ model: 'anthropic/claude-sonnet-4-5', messages: [{ role: 'user', content: 'hi' }] }),
    }),
    env,
  )

test('worker-proxy answers with the content as plain text and asks the upstream to stream', async () => {
  const { env, seen } = mockUpstream(['Crème', ' brûlée', ' 🦕'])
  const response = await ask('text', env)
  assert.is(response.headers.get('content-type'), 'text/plain; charset=utf-8')
  assert.is(await response.text(), 'Crème brûlée 🦕')
  assert.is(seen.url, 'https://api.edenai.run/v3/chat/completions')
  assert.is(seen.body?.stream, true)
  assert.is(seen.authorization, 'Bearer test-key')
})

test('worker-proxy re-frames the chunks as clean SSE ending with [DONE]', async () => {
  const { env } = mockUpstream(['Hola', ' mundo'])
  const response = await ask('sse', env)
  assert.is(response.headers.get('content-type'), 'text/event-stream')
  const events = []
  const reader = response.body!.pipeThrough(new SSEStream()).getReader()
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    events.push(value)
  }
  assert.equal(events.at(-1), { type: 'message', data: '[DONE]', lastEventId: '' })
  const contents = events.slice(0, -1).map((event) => JSON.parse(event.data).choices[0].delta.content)
  assert.equal(contents, ['Hola', ' mundo']) // keep-alives and the ping are gone
})

test('worker-proxy refuses anything but POST', async () => {
  const response = await worker.fetch(new Request('https://proxy.example/chat'), mockUpstream([]).env)
  assert.is(response.status, 405)
})

test.run()
