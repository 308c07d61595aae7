import type { IncomingMessage } from 'node:http'
import type { ChatCompletionRequest } from './chat-completion-request.ts'
import { RequestRefusedError } from './request-refused-error.ts'

/** Request bodies larger than this get a 413: the server holds each body in memory. */
const MAX_BODY_BYTES = 8 * 1024 * 1024

/** OpenAI's words for a body that is not JSON, so that an app's error handling sees what it would in production. */
const NOT_JSON =
  "We could not parse the JSON body of your request. (HINT: This likely means you aren't using your HTTP library correctly. The OpenAI API expects a JSON payload, but what was sent was not valid JSON.)"

/**
 * Reads the body of a chat completion request: a JSON object, kept whole.
 *
 * @throws {RequestRefusedError} 413 when the body is over 8 MiB, 400 when it is not a JSON object
 */
export async function readChatRequest(request: IncomingMessage): Promise<ChatCompletionRequest> {
  const text = await readBody(request)
  if (text === undefined) {
    const message = `The request body is larger than ${MAX_BODY_BYTES} bytes.`
    throw new RequestRefusedError(
      413,
      { message, type: 'invalid_request_error', code: 'request_too_large' },
      '413',
      true,
    )
  }
  const body = parseJSON(text)
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    const fields = { message: 'The request body must be a JSON object.', type: 'invalid_request_error' }
    throw new RequestRefusedError(400, fields, '400 (body is not an object)')
  }
  return body as ChatCompletionRequest
}

/** Reads a request body, up to `MAX_BODY_BYTES`; `undefined` when it is larger. */
async function readBody(request: IncomingMessage): Promise<string | undefined> {
  const parts: Buffer[] = []
  let size = 0
  for await (const part of request as AsyncIterable<Buffer>) {
    size += part.length
    if (size > MAX_BODY_BYTES) return undefined
    parts.push(part)
  }
  return Buffer.concat(parts).toString('utf8')
}

/** @throws {RequestRefusedError} 400 when `text` is not JSON */
function parseJSON(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    throw new RequestRefusedError(400, { message: NOT_JSON, type: 'invalid_request_error' }, '400 (body is not JSON)')
  }
}
