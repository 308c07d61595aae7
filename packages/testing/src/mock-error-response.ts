import { MockOptionsError } from './errors.ts'

/**
 * The fields of an OpenAI error object; each one left out gets a default from the status.
 *
 * @example
 * ```ts
 * import { mockErrorResponse } from '@sluice/testing'
 *
 * mockErrorResponse(400, { message: "This model's maximum context length is 128000 tokens.", code: 'context_length_exceeded' })
 * ```
 */
export interface MockErrorFields {
  message?: string
  /** E.g. `invalid_request_error`, `requests`, `server_error`. */
  type?: string
  /** E.g. `invalid_api_key`, `rate_limit_exceeded`, or `null`. */
  code?: string | number | null
  /** The request parameter the error is about, or `null`. */
  param?: string | null
}

/**
 * The JSON body of an OpenAI error response.
 *
 * @example
 * ```ts
 * import type { OpenAIErrorBody } from '@sluice/testing'
 *
 * const body: OpenAIErrorBody = { error: { message: 'Rate limit reached', type: 'requests', param: null, code: 'rate_limit_exceeded' } }
 * ```
 */
export interface OpenAIErrorBody {
  error: { message: string; type: string; param: string | null; code: string | number | null }
}

/** What OpenAI sends for the statuses apps meet most. */
const DEFAULTS: Record<number, Required<MockErrorFields>> = {
  400: { message: 'Invalid request.', type: 'invalid_request_error', code: null, param: null },
  401: { message: 'Incorrect API key provided.', type: 'invalid_request_error', code: 'invalid_api_key', param: null },
  403: {
    message: 'You are not allowed to make this request.',
    type: 'invalid_request_error',
    code: 'permission_denied',
    param: null,
  },
  404: {
    message: 'The model does not exist or you do not have access to it.',
    type: 'invalid_request_error',
    code: 'model_not_found',
    param: 'model',
  },
  429: {
    message: 'Rate limit reached for requests. Please try again in 1s.',
    type: 'requests',
    code: 'rate_limit_exceeded',
    param: null,
  },
  500: {
    message: 'The server had an error while processing your request. Sorry about that!',
    type: 'server_error',
    code: null,
    param: null,
  },
  503: {
    message: 'The engine is currently overloaded, please try again later.',
    type: 'server_error',
    code: null,
    param: null,
  },
}

function checkStatus(status: number): void {
  if (!Number.isInteger(status) || status < 400 || status > 599) {
    throw new MockOptionsError('status', `must be an error status, an integer from 400 to 599, got ${String(status)}`)
  }
}

/**
 * The body of an OpenAI-style error response for `status`: the fields given, the others
 * as OpenAI sends them for that status (400, 401, 403, 404, 429, 500, 503; any other 4xx is
 * an `invalid_request_error`, any other 5xx a `server_error`). A string is the message.
 *
 * @throws {MockOptionsError} when `status` is not from 400 to 599
 * @example
 * ```ts
 * import { mockErrorBody } from '@sluice/testing'
 *
 * mockErrorBody(401)
 * // { error: { message: 'Incorrect API key provided.', type: 'invalid_request_error', param: null, code: 'invalid_api_key' } }
 * ```
 */
export function mockErrorBody(status: number, error: string | MockErrorFields = {}): OpenAIErrorBody {
  checkStatus(status)
  const fields = typeof error === 'string' ? { message: error } : error
  const defaults =
    DEFAULTS[status] ??
    (status < 500 ? { ...DEFAULTS[400]!, message: `Request failed with status ${status}.` } : DEFAULTS[500]!)
  return {
    error: {
      message: fields.message ?? defaults.message,
      type: fields.type ?? defaults.type,
      param: fields.param === undefined ? defaults.param : fields.param,
      code: fields.code === undefined ? defaults.code : fields.code,
    },
  }
}

/**
 * A mock non-2xx response from an OpenAI-compatible API: `status`, `content-type:
 * application/json`, and the body of {@link mockErrorBody}. For testing what an app does
 * when the request itself fails (a bad key, a rate limit, an overloaded server).
 *
 * @throws {MockOptionsError} when `status` is not from 400 to 599
 * @example A rate limit with a retry-after header
 * ```ts
 * import { mockErrorResponse } from '@sluice/testing'
 *
 * globalThis.fetch = async () => mockErrorResponse(429, {}, { 'retry-after': '2' })
 * ```
 */
export function mockErrorResponse(
  status: number,
  error?: string | MockErrorFields,
  headers?: ConstructorParameters<typeof Headers>[0],
): Response {
  const body = JSON.stringify(mockErrorBody(status, error))
  const all = new Headers(headers)
  all.set('content-type', 'application/json')
  return new Response(body, { status, headers: all })
}
