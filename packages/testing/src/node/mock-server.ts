import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import {
  MockOptionsError,
  mockChatCompletion,
  mockChatStream,
  mockErrorBody,
  type Fault,
  type MockChatOptions,
  type MockErrorFields,
} from '@sluice/testing'
import { readRecording, type Recording } from './recording.ts'
import { checkSpeed, EVENT_DELAY_MS, replayRecording } from './replay.ts'

/** The same default as the mock responses'. */
const DEFAULT_MODEL = 'anthropic/claude-sonnet-4-5'
/** 2025-11-25T12:00:00Z, the mock responses' `created`. */
const MODEL_CREATED = 1764072000
/** Request bodies larger than this get a 413: the server holds each body in memory. */
const MAX_BODY_BYTES = 8 * 1024 * 1024
/** How much of the last user message the default answer quotes. */
const ECHO_LENGTH = 200

/**
 * A message of a chat completion request, as sent (only what the mock reads is typed).
 *
 * @example
 * ```ts
 * import type { ChatRequestMessage } from '@sluice/testing/server'
 *
 * const message: ChatRequestMessage = { role: 'user', content: [{ type: 'text', text: 'Hi' }] }
 * ```
 */
export interface ChatRequestMessage {
  role?: string
  content?: string | { type?: string; text?: string }[] | null
  [field: string]: unknown
}

/**
 * The JSON body of a `POST /chat/completions` request, as the mock server received it
 * (only what it reads is typed; every other field is kept).
 *
 * @example Check what the app sent
 * ```ts
 * import * as assert from 'uvu/assert'
 * import { startMockServer, type ChatCompletionRequest } from '@sluice/testing/server'
 *
 * declare const myApp: { ask(question: string, baseURL: string): Promise<string> } // the app under test
 *
 * const server = await startMockServer({ speed: Infinity })
 * try {
 *   await myApp.ask('Capital of France?', server.url)
 *   const sent: ChatCompletionRequest | undefined = server.requests[0]
 *   assert.is(sent?.stream, true)
 * } finally {
 *   await server.close()
 * }
 * ```
 */
export interface ChatCompletionRequest {
  model?: string
  messages?: ChatRequestMessage[]
  stream?: boolean | null
  stream_options?: { include_usage?: boolean } | null
  [field: string]: unknown
}

/**
 * Options of {@link startMockServer}.
 *
 * @example A slow server whose answers fail half-way
 * ```ts
 * import type { MockServerOptions } from '@sluice/testing/server'
 *
 * const options: MockServerOptions = { speed: 0.5, faults: [{ kind: 'provider-error', afterChunks: 10 }] }
 * ```
 */
export interface MockServerOptions {
  /** @default 0 (a free port, chosen by the system) */
  port?: number
  /** @default '127.0.0.1' (loopback only) */
  host?: string
  /** The model `GET /v1/models` lists, and answers name when the request names none. @default 'anthropic/claude-sonnet-4-5' */
  model?: string
  /**
   * Path of a recorded stream to serve to every streamed request instead of a generated
   * answer: a recording (JSON lines of `{ "t", "data" }`, see `readRecording`) replayed on its
   * timeline, or a plain captured `.sse` body. Read once, when the server starts.
   */
  replay?: string
  /**
   * How fast answers stream: at `1`, an event every 20 ms (about 50 tokens a second) and
   * a recording at its recorded pace; `2` is twice as fast; `Infinity` sends everything at once
   * (use it in tests).
   * @default 1
   */
  speed?: number
  /** Faults applied to every streamed answer, before the answer's own (a replay honours `cut` and `drip` only). */
  faults?: Fault[]
  /**
   * Scripts the reply from the request body. Its options are laid over the server's
   * (`model` from the request, `usage` as `stream_options.include_usage` asks, the pace of
   * `speed`). An error it throws becomes a 500 response.
   * @default {@link defaultAnswer}: quotes the last user message
   */
  answer?: (request: ChatCompletionRequest) => MockChatOptions | Promise<MockChatOptions>
  /**
   * A line per request (`POST /v1/chat/completions 200 stream`): `true` prints them to
   * stderr. Headers are never logged, so an `Authorization` header stays private.
   * @default false
   */
  log?: boolean | ((line: string) => void)
}

/**
 * A running mock server, as {@link startMockServer} gives it.
 *
 * @example With the official SDK
 * ```ts
 * import OpenAI from 'openai'
 * import { startMockServer, type MockServer } from '@sluice/testing/server'
 *
 * const server: MockServer = await startMockServer({ speed: Infinity })
 * try {
 *   const client = new OpenAI({ baseURL: server.url, apiKey: 'test' })
 *   const completion = await client.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Hi' }] })
 *   console.log(completion.choices[0]?.message.content)
 * } finally {
 *   await server.close()
 * }
 * ```
 */
export interface MockServer {
  /** The base URL for an OpenAI client, `/v1` included: `http://127.0.0.1:PORT/v1`. */
  url: string
  port: number
  /** The bodies of the chat completion requests received (each that was a JSON object, even one then refused), in order. */
  requests: ChatCompletionRequest[]
  /** Stops the server: open connections and streams are ended. Resolves once the port is free. */
  close(): Promise<void>
}

/** The text of a message's content: a string, or the text parts of an array. */
function contentText(content: ChatRequestMessage['content']): string {
  if (typeof content === 'string') return content
  if (!Array.isArray(content)) return ''
  return content.map((part) => (typeof part?.text === 'string' ? part.text : '')).join('')
}

/**
 * The mock server's default reply: it quotes the last user message, so a test can tell
 * requests apart. Lay your own options over it to keep that.
 *
 * @example Every answer ends with a provider error
 * ```ts
 * import { defaultAnswer, startMockServer } from '@sluice/testing/server'
 *
 * const server = await startMockServer({
 *   answer: (request) => ({ ...defaultAnswer(request), faults: [{ kind: 'provider-error', afterChunks: 4 }] }),
 * })
 * ```
 */
export function defaultAnswer(request: ChatCompletionRequest): MockChatOptions {
  const messages = Array.isArray(request.messages) ? request.messages : []
  const last = messages.filter((message) => message?.role === 'user').at(-1)
  const said = last ? contentText(last.content).trim() : ''
  if (said === '') return { text: 'Hello! How can I help you today?' }
  const quote = said.length > ECHO_LENGTH ? `${said.slice(0, ECHO_LENGTH)}…` : said
  return { text: `You said: "${quote}". This is a mock answer from @sluice/testing.` }
}

/** Prompt tokens, counted as words of the messages' text: the mock's estimate. */
function promptTokens(request: ChatCompletionRequest): number {
  const messages = Array.isArray(request.messages) ? request.messages : []
  return messages.reduce((sum, message) => sum + (contentText(message?.content).match(/\S+/g)?.length ?? 0) + 4, 0)
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

function sendJSON(response: ServerResponse, status: number, value: unknown): void {
  const body = JSON.stringify(value)
  response.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) })
  response.end(body)
}

const sendError = (response: ServerResponse, status: number, error: string | MockErrorFields) =>
  sendJSON(response, status, mockErrorBody(status, error))

/** Resolves when `response` can take more, or is closed. */
function drained(response: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      response.off('drain', done)
      response.off('close', done)
      resolve()
    }
    response.on('drain', done)
    response.on('close', done)
  })
}

/** Sends `body` as a 200 `text/event-stream` response; a body that errors (aborted) drops the connection. */
async function sendStream(response: ServerResponse, body: ReadableStream<Uint8Array>): Promise<void> {
  response.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' })
  response.flushHeaders()
  const reader = body.getReader()
  try {
    for (;;) {
      const { done, value } = await reader.read()
      if (done) break
      if (response.destroyed) {
        await reader.cancel()
        return
      }
      if (!response.write(value)) await drained(response)
    }
    response.end()
  } catch {
    // The stream was aborted (the client left, or the server is closing): drop the connection.
    response.destroy()
  }
}

function checkOptions(options: MockServerOptions): void {
  const { port = 0, host = '127.0.0.1', model = DEFAULT_MODEL, replay, log, answer } = options
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new MockOptionsError('port', `must be an integer from 0 to 65535, got ${String(port)}`)
  if (typeof host !== 'string' || host === '')
    throw new MockOptionsError('host', `must be a host name or address, got ${String(host)}`)
  if (typeof model !== 'string') throw new MockOptionsError('model', `must be a string, got ${String(model)}`)
  if (replay !== undefined && typeof replay !== 'string')
    throw new MockOptionsError('replay', `must be a file path, got ${String(replay)}`)
  if (log !== undefined && typeof log !== 'boolean' && typeof log !== 'function')
    throw new MockOptionsError('log', `must be a boolean or a function, got ${String(log)}`)
  if (answer !== undefined && typeof answer !== 'function')
    throw new MockOptionsError('answer', `must be a function, got ${String(answer)}`)
  if (options.faults !== undefined && !Array.isArray(options.faults))
    throw new MockOptionsError('faults', `must be an array, got ${String(options.faults)}`)
  checkSpeed(options.speed ?? 1)
}

/**
 * Starts an OpenAI-compatible chat completions server for tests and local development,
 * on the loopback interface (Node only, `node:http`). Point an app or an SDK at its `url`.
 *
 * - `POST /v1/chat/completions` (and `/chat/completions`): with `stream: true`, a
 *   `text/event-stream` from the same renderer as `mockChatStream`, paced by `speed` (or
 *   the `replay` file); with `stream: false`, a `chat.completion` JSON.
 * - `GET /v1/models` (and `/models`): a list holding `model`.
 * - Any other route: 404; a body that is not JSON: 400; a body over 8 MiB: 413 — each an
 *   OpenAI-style error JSON. An `Authorization` header is accepted and ignored.
 *
 * Always `close()` it (in a `finally`): it ends open connections and frees the port.
 *
 * @throws {MockOptionsError} when an option is invalid (the promise rejects)
 * @example In a test
 * ```ts
 * import { startMockServer } from '@sluice/testing/server'
 *
 * const server = await startMockServer({ speed: Infinity, answer: () => ({ text: 'Paris.' }) })
 * try {
 *   const response = await fetch(`${server.url}/chat/completions`, {
 *     method: 'POST',
 *     headers: { 'content-type': 'application/json' },
 *     body: JSON.stringify({ model: 'anthropic/claude-sonnet-4-5', stream: true, messages: [{ role: 'user', content: 'Capital of France?' }] }),
 *   })
 *   // … read response.body
 * } finally {
 *   await server.close()
 * }
 * ```
 */
export async function startMockServer(options: MockServerOptions = {}): Promise<MockServer> {
  checkOptions(options)
  const { port = 0, host = '127.0.0.1', model = DEFAULT_MODEL, answer = defaultAnswer, faults = [] } = options
  const speed = options.speed ?? 1
  const log =
    options.log === true ? (line: string) => console.error(`sluice mock server: ${line}`) : options.log || undefined
  const recording: Recording | undefined =
    options.replay === undefined ? undefined : await readRecording(options.replay)
  const requests: ChatCompletionRequest[] = []
  /** One per streaming response: aborted when the client leaves or the server closes. */
  const active = new Set<AbortController>()

  async function chat(request: IncomingMessage, response: ServerResponse): Promise<string> {
    const text = await readBody(request)
    if (text === undefined) {
      response.setHeader('connection', 'close')
      sendError(response, 413, {
        message: `The request body is larger than ${MAX_BODY_BYTES} bytes.`,
        type: 'invalid_request_error',
        code: 'request_too_large',
      })
      return '413'
    }
    let body: unknown
    try {
      body = JSON.parse(text)
    } catch {
      sendError(response, 400, {
        message:
          "We could not parse the JSON body of your request. (HINT: This likely means you aren't using your HTTP library correctly. The OpenAI API expects a JSON payload, but what was sent was not valid JSON.)",
        type: 'invalid_request_error',
      })
      return '400 (body is not JSON)'
    }
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      sendError(response, 400, { message: 'The request body must be a JSON object.', type: 'invalid_request_error' })
      return '400 (body is not an object)'
    }
    const chatRequest = body as ChatCompletionRequest
    requests.push(chatRequest)
    if (!Array.isArray(chatRequest.messages)) {
      sendError(response, 400, {
        message: "Missing required parameter: 'messages'.",
        type: 'invalid_request_error',
        param: 'messages',
        code: 'missing_required_parameter',
      })
      return '400 (no messages)'
    }
    const streaming = chatRequest.stream === true
    if (recording) {
      if (!streaming) {
        sendError(response, 400, {
          message: 'This mock server replays a recorded stream: send stream: true.',
          type: 'invalid_request_error',
          param: 'stream',
        })
        return '400 (replay needs stream: true)'
      }
      const controller = new AbortController()
      active.add(controller)
      response.on('close', () => controller.abort())
      try {
        await sendStream(response, replayRecording(recording, { speed, faults, signal: controller.signal }))
      } finally {
        active.delete(controller)
      }
      return '200 stream (replay)'
    }
    let scripted: MockChatOptions
    try {
      scripted = await answer(chatRequest)
    } catch (error) {
      sendError(response, 500, {
        message: `The mock server's answer() failed: ${error instanceof Error ? error.message : String(error)}`,
        type: 'server_error',
      })
      return `500 (answer() threw: ${error instanceof Error ? error.message : String(error)})`
    }
    if (typeof scripted !== 'object' || scripted === null) {
      sendError(response, 500, {
        message: `The mock server's answer() must return an options object, got ${String(scripted)}`,
        type: 'server_error',
      })
      return '500 (answer() returned no options)'
    }
    const includeUsage = !streaming || chatRequest.stream_options?.include_usage === true
    const base: MockChatOptions = {
      model: typeof chatRequest.model === 'string' ? chatRequest.model : model,
      usage: includeUsage && { prompt_tokens: promptTokens(chatRequest) },
      delayMs: EVENT_DELAY_MS / speed,
    }
    const reply: MockChatOptions = { ...base, ...scripted, faults: [...faults, ...(scripted.faults ?? [])] }
    if (!streaming) {
      let completion: ReturnType<typeof mockChatCompletion>
      try {
        completion = mockChatCompletion(reply)
      } catch (error) {
        sendError(response, 500, {
          message: `The mock server's answer is invalid: ${(error as Error).message}`,
          type: 'server_error',
        })
        return `500 (${(error as Error).message})`
      }
      sendJSON(response, 200, completion)
      return '200 json'
    }
    const controller = new AbortController()
    const theirs = reply.signal
    if (theirs) theirs.addEventListener('abort', () => controller.abort(theirs.reason), { once: true })
    let stream: ReadableStream<Uint8Array>
    try {
      stream = mockChatStream({ ...reply, signal: controller.signal })
    } catch (error) {
      sendError(response, 500, {
        message: `The mock server's answer is invalid: ${(error as Error).message}`,
        type: 'server_error',
      })
      return `500 (${(error as Error).message})`
    }
    active.add(controller)
    response.on('close', () => controller.abort())
    try {
      await sendStream(response, stream)
    } finally {
      active.delete(controller)
    }
    return '200 stream'
  }

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const method = request.method ?? 'GET'
    const path = new URL(request.url ?? '/', 'http://mock.invalid').pathname
    const route = path.replace(/\/+$/, '')
    let outcome: string
    try {
      if (method === 'POST' && (route === '/v1/chat/completions' || route === '/chat/completions')) {
        outcome = await chat(request, response)
      } else if (method === 'GET' && (route === '/v1/models' || route === '/models')) {
        sendJSON(response, 200, {
          object: 'list',
          data: [{ id: model, object: 'model', created: MODEL_CREATED, owned_by: 'sluice-mock' }],
        })
        outcome = '200'
      } else {
        request.resume()
        sendError(response, 404, {
          message: `Unknown request URL: ${method} ${path}. This mock server serves POST /v1/chat/completions and GET /v1/models.`,
          type: 'invalid_request_error',
          param: null,
          code: 'unknown_url',
        })
        outcome = '404'
      }
    } catch (error) {
      if (!response.headersSent) sendError(response, 500, { message: 'The mock server failed.', type: 'server_error' })
      else response.destroy()
      outcome = `500 (${error instanceof Error ? error.message : String(error)})`
    }
    log?.(`${method} ${path} ${outcome}`)
  }

  const server = createServer((request, response) => void handle(request, response))
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, host, () => {
      server.off('error', reject)
      resolve()
    })
  })
  const address = server.address() as AddressInfo
  const hostInURL =
    address.family === 'IPv6' || address.address.includes(':') ? `[${address.address}]` : address.address
  let closing: Promise<void> | undefined

  return {
    url: `http://${hostInURL}:${address.port}/v1`,
    port: address.port,
    requests,
    close() {
      closing ??= new Promise<void>((resolve) => {
        for (const controller of active) controller.abort()
        server.close(() => resolve())
        server.closeAllConnections()
      })
      return closing
    },
  }
}
