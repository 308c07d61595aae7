import type { IncomingMessage, ServerResponse } from 'node:http'
import { type MockChatOptions, mockChatCompletion, mockChatEvents, mockChatStream } from '@sluice/testing'
import type { ChatCompletionRequest } from './chat-completion-request.ts'
import type { MockServerContext } from './mock-server-context.ts'
import { readChatRequest } from './read-chat-request.ts'
import type { Recording } from './recording.ts'
import { replayRecording } from './replay.ts'
import { RequestRefusedError } from './request-refused-error.ts'
import { scriptedReply } from './scripted-reply.ts'
import { sendError, sendJSON } from './send-json.ts'
import { sendStreamWhileOpen } from './send-stream.ts'

/** The formats the server answers in: chat completions, Anthropic Messages, OpenAI Responses, Gemini. */
type Format = NonNullable<MockChatOptions['format']>

/** The route of each translated format, as refusals name it. */
const ROUTES: Partial<Record<Format, string>> = {
  'anthropic-messages': 'POST /v1/messages',
  'openai-responses': 'POST /v1/responses',
}

/** What a Gemini route adds: the model of its path, and whether it asked for one JSON array (no `alt=sse`). */
export interface GeminiRoute {
  model: string
  jsonArray: boolean
}

/**
 * Answers `POST /v1/chat/completions`: the `replay` recording, or the scripted reply as a
 * stream (`stream: true`) or a `chat.completion` JSON. `POST /v1/messages` and `POST
 * /v1/responses` (`format`) get the same reply as a stream in their format; Gemini's
 * `streamGenerateContent` (`gemini`: the model of its path) as a stream, or without
 * `alt=sse` as one JSON array. A request it refuses gets an OpenAI-style error response.
 * Resolves to the outcome the log line gives.
 */
export async function handleChatCompletion(
  request: IncomingMessage,
  response: ServerResponse,
  context: MockServerContext,
  format: Format = 'openai-chat',
  gemini?: GeminiRoute,
): Promise<string> {
  try {
    return await answerChatCompletion(request, response, context, format, gemini)
  } catch (error) {
    if (!(error instanceof RequestRefusedError)) throw error
    if (error.closeConnection) response.setHeader('connection', 'close')
    sendError(response, error.status, error.fields)
    return error.outcome
  }
}

/** The steps of {@link handleChatCompletion}, each of which may refuse the request. */
async function answerChatCompletion(
  request: IncomingMessage,
  response: ServerResponse,
  context: MockServerContext,
  format: Format,
  gemini: GeminiRoute | undefined,
): Promise<string> {
  const chatRequest = await readChatRequest(request)
  // Kept before it is checked: a test may want to see what a refused request held.
  context.requests.push(chatRequest)
  if (format === 'openai-responses') checkInput(chatRequest)
  else if (format === 'gemini') checkContents(chatRequest)
  else checkMessages(chatRequest)
  // Gemini's route says it streams, not its body.
  const streaming = gemini ? !gemini.jsonArray : chatRequest.stream === true
  if (context.recording) return sendReplay(response, context.recording, streaming, context)
  if (gemini) {
    const reply = { ...(await scriptedReply(chatRequest, context, format, gemini.model)), format }
    return streaming ? sendReplyStream(response, reply, context) : sendJSONArray(response, reply)
  }
  const route = ROUTES[format]
  if (route !== undefined && !streaming) {
    throw new RequestRefusedError(
      400,
      {
        message: `This mock server answers ${route} as a stream: send stream: true.`,
        type: 'invalid_request_error',
        param: 'stream',
      },
      `400 (${route.slice('POST /v1/'.length)} needs stream: true)`,
    )
  }
  const reply = { ...(await scriptedReply(chatRequest, context, format)), ...(format !== 'openai-chat' && { format }) }
  return streaming ? sendReplyStream(response, reply, context) : sendCompletion(response, reply)
}

/** @throws {RequestRefusedError} 400 when `messages` is not an array */
function checkMessages(request: ChatCompletionRequest): void {
  if (Array.isArray(request.messages)) return
  throw new RequestRefusedError(
    400,
    {
      message: "Missing required parameter: 'messages'.",
      type: 'invalid_request_error',
      param: 'messages',
      code: 'missing_required_parameter',
    },
    '400 (no messages)',
  )
}

/** @throws {RequestRefusedError} 400 when `input` (of a Responses request) is not a string or an array */
function checkInput(request: ChatCompletionRequest): void {
  if (typeof request.input === 'string' || Array.isArray(request.input)) return
  throw new RequestRefusedError(
    400,
    {
      message: "Missing required parameter: 'input'.",
      type: 'invalid_request_error',
      param: 'input',
      code: 'missing_required_parameter',
    },
    '400 (no input)',
  )
}

/** @throws {RequestRefusedError} 400 when `contents` (of a Gemini request) is not an array */
function checkContents(request: ChatCompletionRequest): void {
  if (Array.isArray(request.contents)) return
  throw new RequestRefusedError(
    400,
    { message: "Missing required parameter: 'contents'.", type: 'invalid_request_error', param: 'contents' },
    '400 (no contents)',
  )
}

/**
 * Sends the Gemini reply as `streamGenerateContent` without `alt=sse` does: its chunks as
 * one JSON array, at once (the error chunk ends it; `cut`, `drip` and `garbage` do not apply).
 */
function sendJSONArray(response: ServerResponse, reply: MockChatOptions): string {
  const events = renderReply(() => mockChatEvents(reply))
  const chunks = events
    .filter((event) => event.kind !== 'garbage')
    .map((event) =>
      new TextDecoder()
        .decode(event.bytes)
        .replace(/^data: /, '')
        .trim(),
    )
  const body = `[${chunks.join('\r\n,\r\n')}]`
  response.writeHead(200, { 'content-type': 'application/json; charset=UTF-8' })
  response.end(body)
  return '200 json array'
}

/**
 * Sends the `replay` recording, on its timeline.
 *
 * @throws {RequestRefusedError} 400 for a request that does not ask for a stream: a recording is one
 */
async function sendReplay(
  response: ServerResponse,
  recording: Recording,
  streaming: boolean,
  context: MockServerContext,
): Promise<string> {
  if (!streaming) {
    throw new RequestRefusedError(
      400,
      {
        message: 'This mock server replays a recorded stream: send stream: true.',
        type: 'invalid_request_error',
        param: 'stream',
      },
      '400 (replay needs stream: true)',
    )
  }
  const controller = new AbortController()
  const body = replayRecording(recording, { speed: context.speed, faults: context.faults, signal: controller.signal })
  await sendStreamWhileOpen(response, body, controller, context.active)
  return '200 stream (replay)'
}

/** Sends the scripted reply as an event stream, paced as its options say. */
async function sendReplyStream(
  response: ServerResponse,
  reply: MockChatOptions,
  context: MockServerContext,
): Promise<string> {
  // The stream takes one signal: the server's (the client left, or close()), which the answer's own also aborts.
  const controller = new AbortController()
  const theirs = reply.signal
  if (theirs) theirs.addEventListener('abort', () => controller.abort(theirs.reason), { once: true })
  const body = renderReply(() => mockChatStream({ ...reply, signal: controller.signal }))
  await sendStreamWhileOpen(response, body, controller, context.active)
  return '200 stream'
}

/** Sends the scripted reply as one `chat.completion` JSON (`stream: false`). */
function sendCompletion(response: ServerResponse, reply: MockChatOptions): string {
  const completion = renderReply(() => mockChatCompletion(reply))
  sendJSON(response, 200, completion)
  return '200 json'
}

/**
 * Renders the scripted reply with `render`.
 *
 * @throws {RequestRefusedError} 500 when the answer's options are invalid: the script's fault, not the request's
 */
function renderReply<T>(render: () => T): T {
  try {
    return render()
  } catch (error) {
    const message = (error as Error).message
    throw new RequestRefusedError(
      500,
      { message: `The mock server's answer is invalid: ${message}`, type: 'server_error' },
      `500 (${message})`,
    )
  }
}
