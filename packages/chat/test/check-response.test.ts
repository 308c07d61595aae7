import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { bytes, rejection, textChunks } from '@sluice/test-support'
import { checkResponse, isEventStream } from '../src/check-response.ts'
import { parseAPIError } from '@sluice/openai'
import { chatStream, HTTPError, UnexpectedContentTypeError, type ChatCompletion } from '../src/index.ts'
import { done, fromParts, sseResponse } from './fixtures.ts'

const OPENAI_429 =
  '{"error":{"message":"Rate limit reached for gpt-4o in organization org-x on requests per min (RPM): Limit 3, Used 3.","type":"requests","param":null,"code":"rate_limit_exceeded"}}'

const errorResponse = (status: number, body: string, init: ResponseInit = {}) =>
  new Response(body, { status, ...init, headers: { 'content-type': 'application/json', ...init.headers } })

test('chatStream() with a non-2xx response returns at once; the first read rejects with HTTPError carrying the parsed OpenAI error', async () => {
  const stream = chatStream(
    errorResponse(429, OPENAI_429, { statusText: 'Too Many Requests', headers: { 'retry-after': '20' } }),
  )
  const error = await rejection(stream.completion())
  assert.instance(error, HTTPError)
  const http = error as HTTPError
  assert.is(http.code, 'SLUICE_HTTP_ERROR')
  assert.is(http.name, 'HTTPError')
  assert.is(http.status, 429)
  assert.is(http.statusText, 'Too Many Requests')
  assert.is(http.body, OPENAI_429)
  assert.equal(http.apiError, {
    message: 'Rate limit reached for gpt-4o in organization org-x on requests per min (RPM): Limit 3, Used 3.',
    type: 'requests',
    code: 'rate_limit_exceeded',
  })
  assert.is(http.retryable, true)
  assert.is(http.headers.get('retry-after'), '20')
  assert.is(
    http.message,
    'HTTP 429 Too Many Requests: Rate limit reached for gpt-4o in organization org-x on requests per min (RPM): Limit 3, Used 3. (type requests, code rate_limit_exceeded)',
  )
  assert.is((error as { partial?: ChatCompletion | null }).partial, null)
  const outcome = await stream.outcome
  assert.is(outcome.status, 'error')
  assert.is(outcome.error, error)
})

test('HTTPError names the URL, and takes the reason phrase from the status when HTTP/2 sent none', async () => {
  const response = errorResponse(
    401,
    '{"error":{"message":"Invalid API key","type":"invalid_request_error","code":"invalid_api_key"}}',
  )
  const error = await rejection(checkResponse(response, { url: 'https://api.edenai.run/v3/chat/completions' }))
  assert.is((error as HTTPError).statusText, '')
  assert.is((error as HTTPError).url, 'https://api.edenai.run/v3/chat/completions')
  assert.is((error as HTTPError).retryable, false)
  assert.is(
    (error as Error).message,
    'HTTP 401 Unauthorized from https://api.edenai.run/v3/chat/completions: Invalid API key (type invalid_request_error, code invalid_api_key)',
  )
})

test('HTTPError reads the error shapes of Ollama, vLLM and FastAPI servers, and quotes a body that holds none', async () => {
  const ollama = (await rejection(
    checkResponse(errorResponse(404, '{"error":"model \\"llama9\\" not found, try pulling it first"}')),
  )) as HTTPError
  assert.equal(ollama.apiError, { message: 'model "llama9" not found, try pulling it first' })
  assert.match(ollama.message, /^HTTP 404 Not Found: model "llama9" not found/)
  const vllm = (await rejection(
    checkResponse(
      errorResponse(
        400,
        '{"object":"error","message":"max_tokens is too large","type":"BadRequestError","param":null,"code":400}',
      ),
    ),
  )) as HTTPError
  assert.equal(vllm.apiError, { message: 'max_tokens is too large', type: 'BadRequestError', code: 400 })
  const fastapi = (await rejection(
    checkResponse(errorResponse(422, '{"detail":"Field required: messages"}')),
  )) as HTTPError
  assert.equal(fastapi.apiError, { message: 'Field required: messages' })
  const html = (await rejection(
    checkResponse(new Response('<html><body>502 Bad Gateway</body></html>', { status: 502 })),
  )) as HTTPError
  assert.is(html.apiError, undefined)
  assert.is(html.retryable, true)
  assert.is(html.message, 'HTTP 502 Bad Gateway: body "<html><body>502 Bad Gateway</body></html>"')
  const empty = (await rejection(checkResponse(new Response(null, { status: 503 })))) as HTTPError
  assert.is(empty.message, 'HTTP 503 Service Unavailable: empty body')
})

test('HTTPError keeps at most 64 KiB of an error body and cancels the rest', async () => {
  const parts = Array.from({ length: 20 }, () => bytes('x'.repeat(8192)))
  const body = fromParts(parts)
  const error = (await rejection(checkResponse(new Response(body, { status: 500 })))) as HTTPError
  assert.is(error.body.length, 64 * 1024)
  assert.is(await body.cancelled, undefined)
})

test('parseAPIError gives undefined for bodies without an error', () => {
  assert.is(parseAPIError('not json'), undefined)
  assert.is(parseAPIError('[1,2]'), undefined)
  assert.is(parseAPIError('{"ok":true}'), undefined)
  assert.is(parseAPIError('{"error":{"type":"no message"}}'), undefined)
})

test('chatStream() errors with UnexpectedContentTypeError naming the type and the start of the body', async () => {
  const body =
    '{"id":"chatcmpl-1","object":"chat.completion","choices":[{"index":0,"message":{"role":"assistant","content":"Hi"}}]}'
  const stream = chatStream(new Response(body, { headers: { 'content-type': 'application/json; charset=utf-8' } }))
  const error = await rejection(stream.completion())
  assert.instance(error, UnexpectedContentTypeError)
  const unexpected = error as UnexpectedContentTypeError
  assert.is(unexpected.code, 'SLUICE_UNEXPECTED_CONTENT_TYPE')
  assert.is(unexpected.contentType, 'application/json; charset=utf-8')
  assert.is(unexpected.status, 200)
  assert.is(unexpected.bodyStart, body)
  assert.match(
    unexpected.message,
    /^expected content-type text\/event-stream, got content-type application\/json; charset=utf-8 \(status 200\) with a body that starts "\{\\"id\\":\\"chatcmpl-1\\"/,
  )
  assert.match(unexpected.message, /was the request sent with stream: true\?/)
  assert.match(unexpected.message, /allowAnyContentType: true/)
  assert.is((await stream.outcome).status, 'error')
})

test('UnexpectedContentTypeError for an HTML page, and for a response without content-type', async () => {
  const html = (await rejection(
    checkResponse(
      new Response('<!doctype html><title>Just a moment...</title>', { headers: { 'content-type': 'text/html' } }),
      { url: 'https://example.test/v1/chat/completions' },
    ),
  )) as UnexpectedContentTypeError
  assert.match(
    html.message,
    /^expected content-type text\/event-stream from https:\/\/example.test\/v1\/chat\/completions, got content-type text\/html \(status 200\) with a body that starts "<!doctype html>/,
  )
  const none = new Response(fromParts([bytes('data: [DONE]\n\n')]))
  none.headers.delete('content-type')
  const missing = (await rejection(checkResponse(none))) as UnexpectedContentTypeError
  assert.is(missing.contentType, null)
  assert.match(missing.message, /got no content-type/)
})

test('chatStream() accepts text/event-stream with any parameters and in any case', async () => {
  for (const type of ['text/event-stream', 'TEXT/Event-Stream; charset=UTF-8', ' text/event-stream ;charset=utf-8']) {
    const response = sseResponse(done(textChunks(['ok'])), { headers: { 'content-type': type } })
    assert.is((await chatStream(response).completion()).choices[0]?.message.content, 'ok', type)
  }
  assert.is(isEventStream('text/event-streams'), false)
  assert.is(isEventStream('application/x-ndjson'), false)
})

test('chatStream() with allowAnyContentType reads any 2xx body as an event stream', async () => {
  const response = new Response(done(textChunks(['plain'])), { headers: { 'content-type': 'text/plain' } })
  assert.is(
    (await chatStream(response, { allowAnyContentType: true }).completion()).choices[0]?.message.content,
    'plain',
  )
})

test('chatStream() still refuses a non-2xx response with allowAnyContentType', async () => {
  const stream = chatStream(errorResponse(500, '{"error":{"message":"boom"}}'), { allowAnyContentType: true })
  assert.instance(await rejection(stream.completion()), HTTPError)
})

test.run()
