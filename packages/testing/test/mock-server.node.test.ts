/**
 * The mock server over real loopback HTTP: streamed and JSON answers, errors, replays,
 * and close(). Every server is closed in a `finally`; nothing leaves 127.0.0.1.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import OpenAI from 'openai'
import {
  ChatChunkStream,
  ProviderError,
  TruncatedStreamError,
  type ChatCompletionChunk,
  type StreamOutcome,
} from '@sluice/openai'
import { mockChatBody, mockChatCompletion, type ChatCompletion, type MockChatOptions } from '../src/index.ts'
import {
  defaultAnswer,
  MockOptionsError,
  startMockServer,
  writeRecording,
  type MockServer,
  type MockServerOptions,
} from '../src/node/index.ts'

const decoder = new TextDecoder()

/** Starts a server, runs `body` with it, and always closes it. */
async function withServer(options: MockServerOptions, body: (server: MockServer) => Promise<void>): Promise<void> {
  const server = await startMockServer({ speed: Infinity, ...options })
  try {
    await body(server)
  } finally {
    await server.close()
  }
}

const post = (url: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  })

const request = (content: string, extra: Record<string, unknown> = {}) => ({
  model: 'anthropic/claude-sonnet-4-5',
  stream: true,
  messages: [
    { role: 'system', content: 'Be brief.' },
    { role: 'user', content },
  ],
  ...extra,
})

/** Decodes a streamed response: chunks, error, outcome. */
async function decode(response: Response) {
  const stream = new ChatChunkStream()
  const chunks: ChatCompletionChunk[] = []
  let error: unknown
  const reader = response.body!.pipeThrough(stream).getReader()
  try {
    for (;;) {
      const { done, value } = await reader.read()
      if (done) break
      chunks.push(value)
    }
  } catch (reason) {
    error = reason
  }
  const outcome: StreamOutcome = await stream.outcome
  const text = chunks.map((chunk) => chunk.choices[0]?.delta.content ?? '').join('')
  return { chunks, error, outcome, text }
}

/** Whether something can listen on `port` of 127.0.0.1. */
function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer()
    probe.once('error', () => resolve(false))
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)))
  })
}

async function withTempDir(body: (dir: string) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'sluice-testing-'))
  try {
    await body(dir)
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}

test('startMockServer listens on 127.0.0.1, a free port, with a /v1 base URL', async () => {
  await withServer({}, async (server) => {
    assert.ok(server.port > 0)
    assert.is(server.url, `http://127.0.0.1:${server.port}/v1`)
  })
})

test('startMockServer streams an answer that quotes the last user message, and records the request', async () => {
  await withServer({}, async (server) => {
    const sent = request('What is the capital of France?')
    const response = await post(`${server.url}/chat/completions`, sent, { authorization: 'Bearer sk-test' })
    assert.is(response.status, 200)
    assert.is(response.headers.get('content-type'), 'text/event-stream; charset=utf-8')
    const { text, outcome, error } = await decode(response)
    assert.is(error, undefined)
    assert.is(text, 'You said: "What is the capital of France?". This is a mock answer from @sluice/testing.')
    assert.is(outcome.status, 'complete')
    assert.equal(server.requests, [sent])
  })
})

test('startMockServer serves /chat/completions without /v1 too, and the answer script', async () => {
  await withServer({ answer: (body) => ({ text: `model ${body.model}`, reasoning: 'thinking' }) }, async (server) => {
    const response = await post(
      `http://127.0.0.1:${server.port}/chat/completions`,
      request('hi', { model: 'gpt-4o-mini' }),
    )
    const { text, chunks } = await decode(response)
    assert.is(text, 'model gpt-4o-mini')
    assert.ok(chunks.every((chunk) => chunk.model === 'gpt-4o-mini'))
    assert.ok(chunks.some((chunk) => chunk.choices[0]?.delta.reasoning_content === 'thinking'))
  })
})

test('startMockServer sends the usage chunk only when stream_options.include_usage asks', async () => {
  await withServer({}, async (server) => {
    const without = await decode(await post(`${server.url}/chat/completions`, request('one two')))
    assert.ok(without.chunks.every((chunk) => chunk.usage === undefined))
    const withUsage = await decode(
      await post(`${server.url}/chat/completions`, request('one two', { stream_options: { include_usage: true } })),
    )
    const usage = withUsage.chunks.at(-1)?.usage
    assert.ok(usage && usage.prompt_tokens > 0 && usage.completion_tokens > 0)
  })
})

test('startMockServer answers stream: false with a chat.completion JSON', async () => {
  await withServer({ answer: () => ({ text: 'Paris.' }) }, async (server) => {
    const response = await post(`${server.url}/chat/completions`, request('Capital of France?', { stream: false }))
    assert.is(response.status, 200)
    assert.is(response.headers.get('content-type'), 'application/json')
    const completion = (await response.json()) as ChatCompletion
    assert.is(completion.object, 'chat.completion')
    assert.is(completion.model, 'anthropic/claude-sonnet-4-5')
    assert.is(completion.choices[0]?.message.content, 'Paris.')
    assert.is(completion.choices[0]?.finish_reason, 'stop')
    assert.ok(completion.usage && completion.usage.total_tokens > 0)
  })
})

test('the official openai SDK streams and assembles the mock answer, tool calls and usage included', async () => {
  const reply: MockChatOptions = {
    text: 'Let me check the weather.',
    toolCalls: [
      { name: 'get_weather', arguments: { city: 'Paris', unit: 'celsius' } },
      { name: 'get_time', arguments: '{"zone":"CET"}' },
    ],
  }
  await withServer({ answer: () => reply }, async (server) => {
    const client = new OpenAI({ baseURL: server.url, apiKey: 'sk-test', maxRetries: 0 })
    const messages = [{ role: 'user' as const, content: 'Weather in Paris?' }]
    const stream = client.chat.completions.stream({
      model: 'gpt-4o-mini',
      messages,
      stream_options: { include_usage: true },
    })
    const streamed = await stream.finalChatCompletion()
    const expected = mockChatCompletion({ ...reply, model: 'gpt-4o-mini' })
    assert.is(streamed.choices[0]?.message.content, reply.text)
    assert.equal(streamed.choices[0]?.message.tool_calls, expected.choices[0]?.message.tool_calls)
    assert.is(streamed.choices[0]?.finish_reason, 'tool_calls')
    assert.is(streamed.usage?.completion_tokens, expected.usage?.completion_tokens)

    const created = await client.chat.completions.create({ model: 'gpt-4o-mini', messages })
    assert.is(created.choices[0]?.message.content, reply.text)
    assert.equal(created.choices[0]?.message.tool_calls, expected.choices[0]?.message.tool_calls)
    assert.is(server.requests.length, 2)
  })
})

test('startMockServer applies its faults to every streamed answer', async () => {
  await withServer({ faults: [{ kind: 'provider-error', afterChunks: 2, message: 'overloaded' }] }, async (server) => {
    for (let attempt = 0; attempt < 2; attempt++) {
      const { error, outcome } = await decode(await post(`${server.url}/chat/completions`, request('again')))
      assert.instance(error, ProviderError)
      // Counted by the decoder: chunks read together with the error are discarded with the stream.
      assert.is(outcome.counts.chunks, 2)
      assert.is(outcome.status, 'error')
    }
  })
})

test('startMockServer answers an unknown route with a 404 OpenAI error', async () => {
  await withServer({}, async (server) => {
    for (const [method, path] of [
      ['GET', '/v1/nothing'],
      ['GET', '/v1/chat/completions'],
      ['POST', '/v1/completions'],
    ] as const) {
      const response = await fetch(`http://127.0.0.1:${server.port}${path}`, {
        method,
        ...(method === 'POST' && { body: '{}' }),
      })
      assert.is(response.status, 404)
      const body = (await response.json()) as { error: { type: string; code: string; message: string } }
      assert.is(body.error.type, 'invalid_request_error')
      assert.is(body.error.code, 'unknown_url')
      assert.ok(body.error.message.includes(path))
    }
  })
})

test('startMockServer answers a body that is not JSON, or has no messages, with a 400 OpenAI error', async () => {
  await withServer({}, async (server) => {
    const bad = await post(`${server.url}/chat/completions`, '{"model": ')
    assert.is(bad.status, 400)
    const body = (await bad.json()) as { error: { type: string; message: string } }
    assert.is(body.error.type, 'invalid_request_error')
    assert.ok(body.error.message.includes('JSON'))
    const none = await post(`${server.url}/chat/completions`, { model: 'x', stream: true })
    assert.is(none.status, 400)
    assert.is(((await none.json()) as { error: { param: string } }).error.param, 'messages')
    assert.is(server.requests.length, 1, 'the JSON body is recorded, the broken one is not')
  })
})

test('startMockServer answers 500 when the answer script throws', async () => {
  await withServer(
    {
      answer: () => {
        throw new Error('no script for this')
      },
    },
    async (server) => {
      const response = await post(`${server.url}/chat/completions`, request('x'))
      assert.is(response.status, 500)
      assert.ok(
        ((await response.json()) as { error: { message: string } }).error.message.includes('no script for this'),
      )
    },
  )
})

test('startMockServer lists its model at GET /v1/models', async () => {
  await withServer({ model: 'mock/model-1' }, async (server) => {
    const response = await fetch(`${server.url}/models`)
    assert.equal(await response.json(), {
      object: 'list',
      data: [{ id: 'mock/model-1', object: 'model', created: 1764072000, owned_by: 'sluice-mock' }],
    })
  })
})

test('startMockServer logs a line per request, never the Authorization header', async () => {
  const lines: string[] = []
  await withServer({ log: (line) => lines.push(line) }, async (server) => {
    await decode(
      await post(`${server.url}/chat/completions`, request('hi'), { authorization: 'Bearer sk-very-secret' }),
    )
    await (await fetch(`${server.url}/nope`)).text()
  })
  assert.equal(lines, ['POST /v1/chat/completions 200 stream', 'GET /v1/nope 404'])
  assert.ok(lines.every((line) => !line.includes('sk-very-secret')))
})

test('startMockServer replays a recording with timing', async () => {
  await withTempDir(async (dir) => {
    const path = join(dir, 'answer.jsonl')
    const body = decoder.decode(mockChatBody({ text: 'Recorded answer.', readSize: 40 }))
    const entries = body.match(/[\s\S]{1,40}/g)!.map((data, index) => ({ t: index * 3, data }))
    await writeRecording(path, entries)
    await withServer({ replay: path, speed: 100 }, async (server) => {
      const response = await post(`${server.url}/chat/completions`, request('anything'))
      assert.is(await response.text(), body)
      const { text, outcome } = await decode(await post(`${server.url}/chat/completions`, request('again')))
      assert.is(text, 'Recorded answer.')
      assert.is(outcome.status, 'complete')
      assert.is(server.requests.length, 2)
      const json = await post(`${server.url}/chat/completions`, request('x', { stream: false }))
      assert.is(json.status, 400)
      await json.text()
    })
  })
})

test('startMockServer replays a plain .sse capture, and cuts it with a cut fault', async () => {
  await withTempDir(async (dir) => {
    const path = join(dir, 'capture.sse')
    const body = mockChatBody({ text: 'Captured.', eol: '\r\n' })
    await writeFile(path, body)
    await withServer({ replay: path }, async (server) => {
      assert.equal(
        new Uint8Array(await (await post(`${server.url}/chat/completions`, request('x'))).arrayBuffer()),
        body,
      )
    })
    await withServer({ replay: path, faults: [{ kind: 'cut', atByte: 500 }] }, async (server) => {
      const { error } = await decode(await post(`${server.url}/chat/completions`, request('x')))
      assert.instance(error, TruncatedStreamError)
    })
  })
})

test('startMockServer rejects a replay file that is not a valid recording', async () => {
  await withTempDir(async (dir) => {
    const path = join(dir, 'broken.jsonl')
    await writeFile(path, '{"t":0,"data":"x"}\n{"t":"soon"}\n')
    const error = await startMockServer({ replay: path }).then(
      async (server) => {
        await server.close()
        return undefined
      },
      (reason: unknown) => reason,
    )
    assert.is((error as { code?: string }).code, 'SLUICE_RECORDING_FORMAT')
    assert.is((error as { line?: number }).line, 2)
  })
})

test('startMockServer refuses invalid options', async () => {
  for (const options of [
    { port: -1 },
    { speed: 0 },
    { speed: Number.NaN },
    { answer: 'text' as unknown as () => never },
  ]) {
    const error = await startMockServer(options).then(
      async (server) => {
        await server.close()
        return undefined
      },
      (reason: unknown) => reason,
    )
    assert.instance(error, MockOptionsError)
  }
})

test('MockServer.close ends an open stream and frees the port', async () => {
  const server = await startMockServer({ speed: 1, answer: (body) => ({ ...defaultAnswer(body), delayMs: 60_000 }) })
  let closed = false
  try {
    const response = await post(`${server.url}/chat/completions`, request('slow'))
    const reader = response.body!.getReader()
    const first = await reader.read()
    assert.is(first.done, false)
    const rest = reader.read().then(
      (result) => (result.done ? 'ended' : 'more'),
      () => 'errored',
    )
    await server.close()
    closed = true
    assert.is(await rest, 'errored')
    assert.is(await portIsFree(server.port), true)
  } finally {
    if (!closed) await server.close()
  }
})

test('MockServer.close can be called twice, and a new server can take the port', async () => {
  const first = await startMockServer()
  await first.close()
  await first.close()
  const second = await startMockServer({ port: first.port })
  try {
    assert.is(second.port, first.port)
  } finally {
    await second.close()
  }
})

test('startMockServer keeps serving after a client leaves mid-stream', async () => {
  await withServer({ speed: 1, answer: (body) => ({ ...defaultAnswer(body), delayMs: 60_000 }) }, async (server) => {
    const response = await post(`${server.url}/chat/completions`, request('leave'))
    const reader = response.body!.getReader()
    await reader.read()
    await reader.cancel()
    const next = await fetch(`${server.url}/models`)
    assert.is(next.status, 200)
    await next.text()
  })
})

test.run()
