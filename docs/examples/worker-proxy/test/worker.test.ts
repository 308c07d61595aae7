import { test } from 'uvu'
import * as assert from 'uvu/assert'
import OpenAI, { APIError } from 'openai'
import { SSEStream } from '@sluice/sse'
import worker, { type Env } from '../src/worker.ts'

const chunk = (content: string, finish: string | null = null) => ({
  id: 'chatcmpl-1',
  object: 'chat.completion.chunk',
  created: 1,
  model: 'anthropic/claude-sonnet-4-5',
  choices: [{ index: 0, delta: { content }, finish_reason: finish }],
})

/** A clean SSE chat stream of `parts`, keep-alives and a ping included, ending with `[DONE]`. */
const cleanStream = (parts: string[]) =>
  [
    ': OPENROUTER PROCESSING\r\n\r\n',
    'event: ping\r\ndata: {}\r\n\r\n',
    ...parts.map(
      (part, index) => `data: ${JSON.stringify(chunk(part, index === parts.length - 1 ? 'stop' : null))}\r\n\r\n`,
    ),
    'data: [DONE]\r\n\r\n',
  ].join('')

/** Two unfinished content chunks: what arrives before the upstream fails. */
const soFar = `data: ${JSON.stringify(chunk('So'))}\n\ndata: ${JSON.stringify(chunk(' far'))}\n\n`
const overloaded = `${soFar}event: error\ndata: {"error":{"message":"Overloaded","type":"server_error","code":"overloaded"}}\n\n`
const cutOff = soFar // no finish_reason, no [DONE]: the body just ends

/**
 * An upstream that answers with `upstream` in small reads (the parts of a clean chat stream,
 * or the stream's whole text), and records the request.
 */
function mockUpstream(upstream: string[] | string) {
  const seen: { url?: string; body?: Record<string, unknown>; authorization?: string | null } = {}
  const text = typeof upstream === 'string' ? upstream : cleanStream(upstream)
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

/**
 * An upstream that sends one content chunk (`Hel`), then waits until the test calls `finish()`
 * before it sends the rest (`lo`, `[DONE]`). `cancelled` resolves with the reason its body's
 * `cancel` was called with.
 */
function gatedUpstream() {
  let finish!: () => void
  const finished = new Promise<void>((resolve) => {
    finish = resolve
  })
  let onCancel!: (reason: unknown) => void
  const cancelled = new Promise<unknown>((resolve) => {
    onCancel = resolve
  })
  const encode = (text: string) => new TextEncoder().encode(text)
  let pulls = 0
  let isCancelled = false
  const env: Env = {
    UPSTREAM_URL: 'https://api.edenai.run/v3',
    UPSTREAM_KEY: 'test-key',
    UPSTREAM: {
      fetch: (async () => {
        const body = new ReadableStream<Uint8Array>({
          async pull(controller) {
            pulls += 1
            if (pulls === 1) return controller.enqueue(encode(`data: ${JSON.stringify(chunk('Hel'))}\n\n`))
            await finished
            if (isCancelled) return
            controller.enqueue(encode(`data: ${JSON.stringify(chunk('lo', 'stop'))}\n\ndata: [DONE]\n\n`))
            controller.close()
          },
          cancel: (reason) => {
            isCancelled = true
            onCancel(reason)
          },
        })
        return new Response(body, { headers: { 'content-type': 'text/event-stream' } })
      }) as typeof fetch,
    },
  }
  return { env, finish, cancelled }
}

/** `promise`, or a failure naming what did not happen within `ms`; the timer never outlives the race. */
async function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms)
  })
  try {
    return await Promise.race([promise, timeout])
  } finally {
    clearTimeout(timer)
  }
}

const WAIT_MS = 2_000

/** The content of the chunk in one `data:` message of a `?format=sse` body. */
const sseContent = (message: string) => JSON.parse(message.replace(/^data: /, '')).choices[0].delta.content

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
  const received = await events(response)
  assert.equal(received.at(-1), { type: 'message', data: '[DONE]', lastEventId: '' })
  assert.equal(contents(received.slice(0, -1)), ['Hola', ' mundo']) // keep-alives and the ping are gone
})

/** The SSE events of a response body, to its end. */
async function events(response: Response) {
  const events = []
  const reader = response.body!.pipeThrough(new SSEStream()).getReader()
  for (;;) {
    const { done, value } = await reader.read()
    if (done) return events
    events.push(value)
  }
}

/** The text of a response body until it ends or its read rejects, and how it stopped. */
async function readText(response: Response): Promise<{ text: string; rejected: boolean; error?: unknown }> {
  const reader = response.body!.getReader()
  const decoder = new TextDecoder()
  let text = ''
  try {
    for (;;) {
      const { done, value } = await reader.read()
      if (done) return { text: text + decoder.decode(), rejected: false }
      text += decoder.decode(value, { stream: true })
    }
  } catch (error) {
    return { text: text + decoder.decode(), rejected: true, error }
  }
}

const contents = (events: { data: string }[]) => events.map((event) => JSON.parse(event.data).choices[0].delta.content)

test("worker-proxy forwards the chunks, then the provider's event: error, and no [DONE]", async () => {
  const received = await events(await ask('sse', mockUpstream(overloaded).env))
  assert.equal(contents(received.slice(0, -1)), ['So', ' far'])
  const last = received.at(-1)!
  assert.is(last.type, 'error')
  assert.equal(JSON.parse(last.data), {
    error: { message: 'Overloaded', type: 'server_error', code: 'overloaded', param: null },
  })
  assert.not.ok(received.some((event) => event.data === '[DONE]'))
})

test("the openai SDK reads the chunks, then the provider's error as an APIError", async () => {
  const client = new OpenAI({
    apiKey: 'test-key',
    baseURL: 'https://proxy.example/v1',
    dangerouslyAllowBrowser: true,
    maxRetries: 0,
    fetch: async () => ask('sse', mockUpstream(overloaded).env),
  })
  const stream = await client.chat.completions.create({
    model: 'anthropic/claude-sonnet-4-5',
    messages: [{ role: 'user', content: 'hi' }],
    stream: true,
  })
  const chunks: string[] = []
  let error: unknown
  try {
    for await (const chunk of stream) chunks.push(chunk.choices[0]?.delta.content ?? '')
  } catch (caught) {
    error = caught
  }
  assert.equal(chunks, ['So', ' far'])
  assert.instance(error, APIError)
  assert.match((error as Error).message, /Overloaded/)
})

test('worker-proxy ends a cut-off upstream with event: error SLUICE_TRUNCATED_STREAM', async () => {
  const received = await events(await ask('sse', mockUpstream(cutOff).env))
  assert.equal(contents(received.slice(0, -1)), ['So', ' far'])
  const last = received.at(-1)!
  assert.is(last.type, 'error')
  const { error } = JSON.parse(last.data)
  assert.is(error.code, 'SLUICE_TRUNCATED_STREAM')
  assert.is(error.type, 'upstream_error')
  assert.type(error.message, 'string')
  assert.not.ok(received.some((event) => event.data === '[DONE]'))
})

test("worker-proxy in text mode sends the text that arrived, then errors the body with the provider's error", async () => {
  const { text, rejected, error } = await readText(await ask('text', mockUpstream(overloaded).env))
  assert.is(text, 'So far')
  assert.ok(rejected, 'the body must error, not end clean')
  assert.match(String((error as Error | undefined)?.message), /Overloaded/)
})

test('worker-proxy in text mode sends the text that arrived, then errors the body of a cut-off upstream', async () => {
  const { text, rejected, error } = await readText(await ask('text', mockUpstream(cutOff).env))
  assert.is(text, 'So far')
  assert.ok(rejected, 'the body must error, not end clean')
  assert.is((error as { code?: unknown } | undefined)?.code, 'SLUICE_TRUNCATED_STREAM')
})

for (const format of ['text', 'sse']) {
  test(`worker-proxy in ${format} mode answers with headers that turn compression and caching off`, async () => {
    const response = await ask(format, mockUpstream(['Hi']).env)
    const contentType = format === 'sse' ? 'text/event-stream' : 'text/plain; charset=utf-8'
    assert.is(response.headers.get('content-type'), contentType)
    // wrangler dev re-encodes only a body without content-encoding (or gzip, br); the edge
    // leaves a no-transform response uncompressed.
    assert.is(response.headers.get('content-encoding'), 'identity')
    assert.is(response.headers.get('cache-control'), 'no-store, no-transform')
    await response.body!.cancel()
  })

  test(`worker-proxy in ${format} mode sends the first content before the upstream has finished`, async () => {
    const upstream = gatedUpstream()
    const response = await within(ask(format, upstream.env), WAIT_MS, 'the response')
    const reader = response.body!.getReader()
    const decoder = new TextDecoder()
    // The upstream holds its second chunk back until finish(): the first read must not wait for it.
    const first = await within(reader.read(), WAIT_MS, 'the first read while the upstream waits').finally(
      upstream.finish,
    )
    assert.not.ok(first.done)
    const firstText = decoder.decode(first.value)
    assert.is(format === 'sse' ? sseContent(firstText) : firstText, 'Hel')
    let rest = ''
    for (;;) {
      const { done, value } = await within(reader.read(), WAIT_MS, 'the rest of the body')
      if (done) break
      rest += decoder.decode(value, { stream: true })
    }
    if (format === 'sse') {
      const messages = rest.split('\n\n').filter(Boolean)
      assert.equal(
        messages.map((message) => (message === 'data: [DONE]' ? message : sseContent(message))),
        ['lo', 'data: [DONE]'],
      )
    } else {
      assert.is(rest, 'lo')
    }
  })

  test(`worker-proxy in ${format} mode cancels the upstream body when the client goes away`, async () => {
    const upstream = gatedUpstream()
    try {
      const response = await within(ask(format, upstream.env), WAIT_MS, 'the response')
      const reader = response.body!.getReader()
      await within(reader.read(), WAIT_MS, 'the first read') // mid-stream: the upstream waits
      const reason = new Error('the client went away')
      await within(reader.cancel(reason), WAIT_MS, "the cancel of the worker's response body")
      const seen = await within(upstream.cancelled, WAIT_MS, "the upstream body's cancel")
      assert.is(seen, reason)
    } finally {
      upstream.finish() // a failed test leaves no pull waiting
    }
  })
}

test('worker-proxy refuses anything but POST', async () => {
  const response = await worker.fetch(new Request('https://proxy.example/chat'), mockUpstream([]).env)
  assert.is(response.status, 405)
})

test.run()
