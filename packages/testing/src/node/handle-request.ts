import type { IncomingMessage, ServerResponse } from 'node:http'
import { handleChatCompletion } from './handle-chat-completion.ts'
import type { MockServerContext } from './mock-server-context.ts'
import { sendModelList } from './model-list.ts'
import { sendError } from './send-json.ts'

/** The paths of each route, with and without the `/v1` of a base URL (a trailing slash is ignored). */
const CHAT_COMPLETIONS = ['/v1/chat/completions', '/chat/completions']
const MESSAGES = ['/v1/messages', '/messages']
const RESPONSES = ['/v1/responses', '/responses']
const MODELS = ['/v1/models', '/models']
/** Gemini's `models/{model}:streamGenerateContent`, under `/v1beta` (the SDK's default), `/v1` or none. */
const GEMINI_STREAM = /^(?:\/v1beta|\/v1)?\/models\/([^/:]+):streamGenerateContent$/

/**
 * Answers one request of the mock server, and logs a line for it: `POST /v1/chat/completions 200 stream`.
 * A failure of the server itself is a 500 if nothing was sent yet, else a dropped connection.
 */
export async function handleRequest(
  request: IncomingMessage,
  response: ServerResponse,
  context: MockServerContext,
): Promise<void> {
  const method = request.method ?? 'GET'
  const path = new URL(request.url ?? '/', 'http://mock.invalid').pathname
  let outcome: string
  try {
    outcome = await route(request, response, context, method, path)
  } catch (error) {
    if (!response.headersSent) sendError(response, 500, { message: 'The mock server failed.', type: 'server_error' })
    else response.destroy()
    outcome = `500 (${error instanceof Error ? error.message : String(error)})`
  }
  context.log?.(`${method} ${path} ${outcome}`)
}

/** Sends the answer of the route `method` and `path` lead to; resolves to the outcome the log line gives. */
async function route(
  request: IncomingMessage,
  response: ServerResponse,
  context: MockServerContext,
  method: string,
  path: string,
): Promise<string> {
  const route = path.replace(/\/+$/, '')
  if (method === 'POST' && CHAT_COMPLETIONS.includes(route)) return handleChatCompletion(request, response, context)
  if (method === 'POST' && MESSAGES.includes(route))
    return handleChatCompletion(request, response, context, 'anthropic-messages')
  if (method === 'POST' && RESPONSES.includes(route))
    return handleChatCompletion(request, response, context, 'openai-responses')
  const gemini = method === 'POST' ? GEMINI_STREAM.exec(route) : null
  if (gemini) {
    const sse = new URL(request.url ?? '/', 'http://mock.invalid').searchParams.get('alt') === 'sse'
    return handleChatCompletion(request, response, context, 'gemini', {
      model: decodeURIComponent(gemini[1]!),
      jsonArray: !sse,
    })
  }
  if (method === 'GET' && MODELS.includes(route)) {
    sendModelList(response, context.model)
    return '200'
  }
  // Read the body to its end, unused: the connection can then carry the next request.
  request.resume()
  sendError(response, 404, {
    message: `Unknown request URL: ${method} ${path}. This mock server serves POST /v1/chat/completions, POST /v1/messages (stream: true), POST /v1/responses (stream: true), POST /v1beta/models/{model}:streamGenerateContent?alt=sse and GET /v1/models.`,
    type: 'invalid_request_error',
    param: null,
    code: 'unknown_url',
  })
  return '404'
}
