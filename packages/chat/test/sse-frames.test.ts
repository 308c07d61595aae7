import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { ChatChunkStream } from '@sluice/openai'
import { bytes, chunk, collect, rejection, sse, textChunks, toolCallChunks, usageChunk } from '@sluice/test-support'
import { chatStream, HTTPError, ProviderError, type ChatCompletionChunk } from '../src/index.ts'
import { errorBody } from '../src/sse-frames.ts'
import { done, fromParts, mixedStream, sseResponse } from './fixtures.ts'

/** Decodes an SSE body again, as a client of the proxy would. */
const decode = (body: ReadableStream<Uint8Array>) => collect(body.pipeThrough(new ChatChunkStream()))

test('ChatReader.toSSEResponse() re-frames the chunks as data: events, ends with [DONE], and sets the SSE headers', async () => {
  const sent = [...textChunks(['Crème', ' brûlée']), ...toolCallChunks(), usageChunk()]
  const response = chatStream(sseResponse(done(sent))).toSSEResponse()
  assert.instance(response, Response)
  assert.is(response.status, 200)
  assert.is(response.headers.get('content-type'), 'text/event-stream; charset=utf-8')
  assert.is(response.headers.get('cache-control'), 'no-cache')
  const text = await response.text()
  assert.is(text, `${sent.map((item) => `data: ${JSON.stringify(item)}\n\n`).join('')}data: [DONE]\n\n`)
})

test('ChatReader.toSSEResponse() round trip: decoding the body again gives the same chunks and a complete outcome', async () => {
  const text = mixedStream()
  const expected = await collect(fromParts([bytes(text)]).pipeThrough(new ChatChunkStream()))
  const upstream = chatStream(sseResponse(text))
  const client = new ChatChunkStream()
  const chunks: ChatCompletionChunk[] = await collect(upstream.toSSEResponse().body!.pipeThrough(client))
  assert.equal(chunks, expected)
  const outcome = await client.outcome
  assert.is(outcome.status, 'complete')
  assert.is(outcome.sawDone, true)
  assert.is((await upstream.outcome).status, 'complete')
})

test('ChatReader.toSSEResponse() passes keep-alive comments on, so the client sees the stream is alive', async () => {
  const text = sse([': OPENROUTER PROCESSING', ...textChunks(['a']), 'data: [DONE]'])
  const body = await chatStream(sseResponse(text)).toSSEResponse().text()
  assert.ok(body.startsWith(': OPENROUTER PROCESSING\n\ndata: {'), body)
})

test('ChatReader.toSSEResponse(init) keeps the status and headers given, its own unless set', async () => {
  const response = chatStream(sseResponse(done(textChunks(['a'])))).toSSEResponse({
    status: 201,
    headers: { 'access-control-allow-origin': '*', 'cache-control': 'no-cache, no-transform' },
  })
  assert.is(response.status, 201)
  assert.is(response.headers.get('access-control-allow-origin'), '*')
  assert.is(response.headers.get('cache-control'), 'no-cache, no-transform')
  assert.is(response.headers.get('content-type'), 'text/event-stream; charset=utf-8')
  await response.body!.cancel()
})

test('ChatReader.toSSEResponse() ends with an event: error carrying the provider error, OpenAI-style, and no [DONE]', async () => {
  const providerError = '{"error":{"message":"Overloaded","type":"server_error","param":null,"code":"overloaded"}}'
  const upstream = chatStream(
    fromParts([bytes(sse(textChunks(['So far']).slice(0, 2))), bytes(sse([`event: error\ndata: ${providerError}`]))]),
  )
  const completion = upstream.completion()
  const response = upstream.toSSEResponse()
  // Handled at the end; without this, Firefox reports it unhandled while the body is read (a browser task later).
  completion.catch(() => {})
  const text = await response.text()
  assert.ok(
    text.endsWith(
      `event: error\ndata: {"error":{"message":"Overloaded","type":"server_error","code":"overloaded","param":null}}\n\n`,
    ),
    text,
  )
  assert.not.match(text, /\[DONE\]/)
  // A sluice client reads it as the provider's error.
  const error = await rejection(decode(new Response(text).body!))
  assert.instance(error, ProviderError)
  assert.is((error as ProviderError).type, 'server_error')
  assert.is((error as ProviderError).providerCode, 'overloaded')
  assert.match((error as Error).message, /Overloaded/)
  assert.instance(await rejection(completion), ProviderError)
})

test('ChatReader.toSSEResponse() sends a cut-off upstream as an event: error with its sluice code', async () => {
  const text = await chatStream(sseResponse(sse(textChunks(['cut']).slice(0, 2))))
    .toSSEResponse()
    .text()
  const last = text.split('\n\n').at(-2)!
  assert.ok(last.startsWith('event: error\ndata: '), last)
  const body = JSON.parse(last.slice('event: error\ndata: '.length))
  assert.is(body.error.type, 'upstream_error')
  assert.is(body.error.code, 'SLUICE_TRUNCATED_STREAM')
  assert.match(body.error.message, /^the stream was cut off: no \[DONE\]; choice 0 has no finish_reason/)
})

test('ChatReader.toSSEResponse() of an HTTP error upstream: a 200 stream with the provider error as its one event', async () => {
  const upstream = new Response(
    '{"error":{"message":"Invalid API key","type":"invalid_request_error","code":"invalid_api_key"}}',
    { status: 401 },
  )
  const response = chatStream(upstream).toSSEResponse()
  assert.is(response.status, 200)
  assert.is(
    await response.text(),
    'event: error\ndata: {"error":{"message":"Invalid API key","type":"invalid_request_error","code":"invalid_api_key","param":null}}\n\n',
  )
})

test('ChatReader.toSSEResponse(): the client going away cancels the upstream and the outcome is cancelled', async () => {
  const source = fromParts(textChunks(['a', 'b', 'c']).map((item) => bytes(sse([item]))))
  const upstream = chatStream(source)
  const reader = upstream.toSSEResponse().body!.getReader()
  await reader.read()
  await reader.cancel('client disconnected')
  assert.is(await source.cancelled, 'client disconnected')
  assert.is((await upstream.outcome).status, 'cancelled')
})

test('errorBody() turns any failure into an OpenAI-style error body', () => {
  assert.equal(errorBody(new TypeError('network error')), {
    error: { message: 'network error', type: 'upstream_error', code: null, param: null },
  })
  assert.equal(errorBody('socket hang up'), {
    error: { message: 'socket hang up', type: 'upstream_error', code: null, param: null },
  })
  const http = new HTTPError({ status: 500, statusText: '', headers: new Headers() }, '', 'upstream exploded')
  assert.equal(errorBody(http), {
    error: { message: http.message, type: 'upstream_error', code: 'SLUICE_HTTP_ERROR', param: null },
  })
  const plain = new ProviderError({ message: 'down' }, 'down', { eventIndex: 0 })
  assert.equal(errorBody(plain), { error: { message: 'down', type: 'upstream_error', code: null, param: null } })
})

test('ChatReader.toSSEResponse() with the chunks in one chunk of an n > 1 stream keeps them whole', async () => {
  const both: ChatCompletionChunk = {
    ...chunk({ content: 'x' }),
    choices: [...chunk({ content: 'A' }).choices, ...chunk({ content: 'B' }, { index: 1 }).choices],
  }
  const text = await chatStream(sseResponse(done([both])))
    .toSSEResponse()
    .text()
  assert.is(text, `data: ${JSON.stringify(both)}\n\ndata: [DONE]\n\n`)
})

test.run()
