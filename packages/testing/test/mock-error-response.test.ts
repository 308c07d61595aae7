import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { MockOptionsError, mockErrorBody, mockErrorResponse } from '../src/index.ts'

test('mockErrorResponse is a JSON response with the status and an OpenAI error body', async () => {
  const response = mockErrorResponse(429)
  assert.is(response.status, 429)
  assert.is(response.ok, false)
  assert.is(response.headers.get('content-type'), 'application/json')
  assert.equal(await response.json(), {
    error: {
      message: 'Rate limit reached for requests. Please try again in 1s.',
      type: 'requests',
      param: null,
      code: 'rate_limit_exceeded',
    },
  })
})

test('mockErrorResponse keeps the fields given, a string as the message, and extra headers', async () => {
  const response = mockErrorResponse(401, 'Bad key', { 'retry-after': '2' })
  assert.is(response.headers.get('retry-after'), '2')
  assert.equal(await response.json(), {
    error: { message: 'Bad key', type: 'invalid_request_error', param: null, code: 'invalid_api_key' },
  })
  assert.equal(mockErrorBody(400, { code: 'context_length_exceeded', param: 'messages' }).error, {
    message: 'Invalid request.',
    type: 'invalid_request_error',
    param: 'messages',
    code: 'context_length_exceeded',
  })
})

test('mockErrorBody gives other statuses the type of their class', () => {
  assert.is(mockErrorBody(418).error.type, 'invalid_request_error')
  assert.is(mockErrorBody(502).error.type, 'server_error')
  assert.is(mockErrorBody(503).error.message, 'The engine is currently overloaded, please try again later.')
})

test('mockErrorResponse refuses a status that is not an error', () => {
  for (const status of [200, 302, 600, 404.5]) {
    assert.throws(
      () => mockErrorResponse(status),
      (error: unknown) => error instanceof MockOptionsError && error.option === 'status',
    )
  }
})

test.run()
