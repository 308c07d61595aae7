import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { bytes, rejection, textChunks, toolCallChunks } from '@sluice/test-support'
import {
  ChatReader,
  createChatCompletionStream,
  HTTPError,
  StreamIdleError,
  UnexpectedContentTypeError,
  type ChatCompletionRequest,
} from '../src/index.ts'
import { done, fakeFetch, fromParts, sseResponse } from './fixtures.ts'

const request: ChatCompletionRequest = {
  model: 'anthropic/claude-sonnet-4-5',
  messages: [
    { role: 'system', content: 'You answer in one word.' },
    { role: 'user', content: 'Weather in Paris?' },
    {
      role: 'assistant',
      content: null,
      tool_calls: [
        { id: 'call_a', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } },
      ],
    },
    { role: 'tool', tool_call_id: 'call_a', content: '{"sky":"clear"}' },
  ],
  tools: [
    {
      type: 'function',
      function: { name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } },
    },
  ],
  tool_choice: 'auto',
  temperature: 0.2,
  max_tokens: 50,
  provider: { order: ['anthropic'] },
}

test('createChatCompletionStream() POSTs the request with stream: true and include_usage to the base URL + /chat/completions', async () => {
  const { fetch, requests } = fakeFetch(() => sseResponse(done(textChunks(['Sunny']))))
  const stream = await createChatCompletionStream(request, {
    baseURL: 'https://api.edenai.run/v3/',
    apiKey: 'sk-test',
    fetch,
  })
  assert.instance(stream, ChatReader)
  assert.is((await stream.completion()).choices[0]?.message.content, 'Sunny')
  assert.is(requests.length, 1)
  const sent = requests[0]!
  assert.is(sent.url, 'https://api.edenai.run/v3/chat/completions')
  assert.is(sent.method, 'POST')
  assert.is(sent.headers.get('authorization'), 'Bearer sk-test')
  assert.is(sent.headers.get('accept'), 'text/event-stream')
  assert.is(sent.headers.get('content-type'), 'application/json')
  assert.equal(sent.body, { ...request, stream: true, stream_options: { include_usage: true } })
})

test('createChatCompletionStream() keeps the request stream_options, sends no authorization without apiKey, and adds headers', async () => {
  const { fetch, requests } = fakeFetch(() => sseResponse(done(textChunks(['x']))))
  await createChatCompletionStream(
    { ...request, stream: false, stream_options: { include_usage: false, include_obfuscation: false } },
    {
      baseURL: 'http://localhost:11434/v1',
      fetch,
      headers: { 'HTTP-Referer': 'https://sluice.test', accept: 'text/event-stream, */*' },
    },
  )
  const sent = requests[0]!
  assert.is(sent.url, 'http://localhost:11434/v1/chat/completions')
  assert.is(sent.headers.get('authorization'), null)
  assert.is(sent.headers.get('http-referer'), 'https://sluice.test')
  assert.is(sent.headers.get('accept'), 'text/event-stream, */*')
  const body = sent.body as Record<string, unknown>
  assert.is(body.stream, true)
  assert.equal(body.stream_options, { include_usage: false, include_obfuscation: false })
})

test('createChatCompletionStream() gives apiKey precedence over an authorization header', async () => {
  const { fetch, requests } = fakeFetch(() => sseResponse(done(textChunks(['x']))))
  await createChatCompletionStream(request, {
    baseURL: 'https://api.openai.com/v1',
    apiKey: 'sk-key',
    headers: { authorization: 'Bearer other' },
    fetch,
  })
  assert.is(requests[0]!.headers.get('authorization'), 'Bearer sk-key')
})

test('createChatCompletionStream() streams tool calls into the completion', async () => {
  const { fetch } = fakeFetch(() => sseResponse(done(toolCallChunks())))
  const stream = await createChatCompletionStream(request, { baseURL: 'https://api.groq.com/openai/v1', fetch })
  const completion = await stream.completion()
  assert.equal(
    completion.choices[0]?.message.tool_calls?.map((call) => call.function.name),
    ['get_weather', 'get_time'],
  )
  assert.is((await stream.outcome).status, 'complete')
})

test('createChatCompletionStream() rejects with HTTPError naming the URL and the provider message', async () => {
  const body =
    '{"error":{"message":"Rate limit reached for requests","type":"requests","param":null,"code":"rate_limit_exceeded"}}'
  const { fetch } = fakeFetch(
    () =>
      new Response(body, {
        status: 429,
        statusText: 'Too Many Requests',
        headers: { 'content-type': 'application/json' },
      }),
  )
  const error = await rejection(
    createChatCompletionStream(request, { baseURL: 'https://api.edenai.run/v3', apiKey: 'sk', fetch }),
  )
  assert.instance(error, HTTPError)
  assert.is(
    (error as HTTPError).message,
    'HTTP 429 Too Many Requests from https://api.edenai.run/v3/chat/completions: Rate limit reached for requests (type requests, code rate_limit_exceeded)',
  )
  assert.is((error as HTTPError).url, 'https://api.edenai.run/v3/chat/completions')
  assert.is((error as HTTPError).body, body)
})

test('createChatCompletionStream() rejects with UnexpectedContentTypeError and cancels the rest of the body', async () => {
  // Longer than the 1 KiB kept: the rest is cancelled.
  const body = fromParts([
    bytes(`{"id":"chatcmpl-1","object":"chat.completion","choices":[],"padding":"${' '.repeat(2000)}"}`),
    bytes('more'),
  ])
  const { fetch } = fakeFetch(() => new Response(body, { headers: { 'content-type': 'application/json' } }))
  const error = await rejection(createChatCompletionStream(request, { baseURL: 'https://api.openai.com/v1', fetch }))
  assert.instance(error, UnexpectedContentTypeError)
  assert.match(
    (error as Error).message,
    /from https:\/\/api\.openai\.com\/v1\/chat\/completions, got content-type application\/json/,
  )
  assert.is(await body.cancelled, undefined)
})

test('createChatCompletionStream() passes the signal to fetch, and aborting it later cancels the stream', async () => {
  const controller = new AbortController()
  const body = fromParts(textChunks(['a', 'b']).map((item) => bytes(`data: ${JSON.stringify(item)}\n\n`)))
  const { fetch, requests } = fakeFetch(() => new Response(body, { headers: { 'content-type': 'text/event-stream' } }))
  const stream = await createChatCompletionStream(request, {
    baseURL: 'https://api.openai.com/v1',
    fetch,
    signal: controller.signal,
  })
  assert.is(requests[0]!.signal, controller.signal)
  const reading = rejection(stream.completion())
  controller.abort()
  assert.is(((await reading) as Error).name, 'AbortError')
  assert.is((await stream.outcome).status, 'cancelled')
})

test('createChatCompletionStream() with idleTimeoutMs rejects with StreamIdleError when the headers do not come, and aborts the fetch', async () => {
  let aborted: unknown
  const fetch = (_: string, init: RequestInit) =>
    new Promise<Response>((_resolve, reject) => {
      init.signal?.addEventListener('abort', () => {
        aborted = init.signal?.reason
        reject(new DOMException('The operation was aborted.', 'AbortError'))
      })
    })
  const error = await rejection(
    createChatCompletionStream(request, { baseURL: 'https://api.openai.com/v1', fetch, idleTimeoutMs: 30 }),
  )
  assert.instance(error, StreamIdleError)
  assert.is((error as StreamIdleError).waitingFor, 'response')
  assert.is(aborted, error)
  assert.match((error as Error).message, /idle longer than idleTimeoutMs \(30 ms\): no response headers/)
})

test("createChatCompletionStream() with idleTimeoutMs still passes the caller's abort on to fetch", async () => {
  const controller = new AbortController()
  const fetch = (_: string, init: RequestInit) =>
    new Promise<Response>((_resolve, reject) => {
      init.signal?.addEventListener('abort', () => reject(init.signal?.reason))
    })
  const pending = rejection(
    createChatCompletionStream(request, {
      baseURL: 'https://api.openai.com/v1',
      fetch,
      idleTimeoutMs: 10_000,
      signal: controller.signal,
    }),
  )
  controller.abort(new Error('user left'))
  assert.is(((await pending) as Error).message, 'user left')
})

test('createChatCompletionStream() rejects a missing baseURL and a bad idleTimeoutMs without sending anything', async () => {
  const { fetch, requests } = fakeFetch(() => sseResponse(''))
  const missing = await rejection(createChatCompletionStream(request, { baseURL: '', fetch }))
  assert.instance(missing, TypeError)
  assert.match((missing as Error).message, /baseURL/)
  assert.instance(
    await rejection(createChatCompletionStream(request, { baseURL: 'https://x.test', fetch, idleTimeoutMs: -5 })),
    RangeError,
  )
  assert.is(requests.length, 0)
})

test('createChatCompletionStream() rejects with the error of a fetch that fails', async () => {
  const failure = new TypeError('fetch failed')
  const error = await rejection(
    createChatCompletionStream(request, { baseURL: 'https://x.test', fetch: () => Promise.reject(failure) }),
  )
  assert.is(error, failure)
})

test.run()
