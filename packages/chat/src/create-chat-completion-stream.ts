import { idleTimeout } from './byte-source.ts'
import { checkResponse } from './check-response.ts'
import { ChatReader, type ChatReaderOptions } from './chat-reader.ts'
import { StreamIdleError } from './errors.ts'
import type { ChatCompletionRequest } from './types.ts'

/**
 * The `fetch` to send the request with: the global one, or any with its signature (a test double, a proxy-aware fetch).
 *
 * @example A test double that answers with a mock stream
 * ```ts
 * import { createChatCompletionStream, type FetchFunction } from '@sluice/chat'
 * import { mockChatResponse } from '@sluice/testing'
 *
 * const mockFetch: FetchFunction = async () => mockChatResponse({ text: 'Paris is the capital of France.' })
 * const stream = await createChatCompletionStream(
 *   { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Capital of France?' }] },
 *   { baseURL: 'https://api.openai.com/v1', fetch: mockFetch },
 * )
 * console.log((await stream.completion()).choices[0]?.message.content) // 'Paris is the capital of France.'
 * ```
 */
export type FetchFunction = (input: string, init: RequestInit) => Promise<Response>

/**
 * Options of {@link createChatCompletionStream}: where to send the request, and those of `chatStream`.
 *
 * @example OpenRouter, with its attribution headers
 * ```ts
 * import { createChatCompletionStream, type CreateChatCompletionStreamOptions } from '@sluice/chat'
 *
 * const openRouter: CreateChatCompletionStreamOptions = {
 *   baseURL: 'https://openrouter.ai/api/v1',
 *   apiKey: process.env.OPENROUTER_API_KEY,
 *   headers: { 'HTTP-Referer': 'https://example.com', 'X-Title': 'Example app' },
 *   idleTimeoutMs: 30_000,
 * }
 * const stream = await createChatCompletionStream({ model: 'openai/gpt-4o-mini', messages: [{ role: 'user', content: 'Hello!' }] }, openRouter)
 * ```
 */
export interface CreateChatCompletionStreamOptions extends ChatReaderOptions {
  /**
   * The API's base URL, up to the `/chat/completions` that is appended (a trailing slash is
   * dropped): `https://api.openai.com/v1`, `https://api.edenai.run/v3`,
   * `https://openrouter.ai/api/v1`, `https://api.groq.com/openai/v1`,
   * `http://localhost:11434/v1` (Ollama), `http://localhost:8000/v1` (vLLM).
   */
  baseURL: string
  /** Sent as `authorization: Bearer <apiKey>`; leave it out for servers without keys, or set the header yourself. */
  apiKey?: string | undefined
  /**
   * The fetch to use.
   * @default globalThis.fetch
   */
  fetch?: FetchFunction | undefined
  /** More request headers (`api-key` for Azure, `HTTP-Referer` for OpenRouter, …); they override the defaults, not `apiKey`. */
  headers?: ConstructorParameters<typeof Headers>[0] | undefined
}

/**
 * Sends a streaming chat completion request to any OpenAI-compatible API and resolves
 * to its {@link ChatReader} once the response headers arrive. It POSTs `{ ...request,
 * stream: true, stream_options: { include_usage: true, ...request.stream_options } }` as
 * JSON to `${baseURL}/chat/completions`, with `accept: text/event-stream` and, given an
 * `apiKey`, `authorization: Bearer <apiKey>`.
 *
 * Unlike `chatStream(response)`, it checks the response before resolving, as the official
 * SDKs do: a non-2xx status rejects with `HTTPError` (the provider's error parsed), a body
 * that is not an event stream with `UnexpectedContentTypeError`. `signal` and
 * `idleTimeoutMs` bound every wait: for the response headers (`StreamIdleError` with
 * `waitingFor: 'response'`), for the body read to report an error (`StreamIdleError` with
 * the response's `status`), then the stream's reads; when either fires, the body is
 * cancelled and the connection closed. A network failure rejects with the fetch's own
 * error.
 *
 * @example Eden AI (any OpenAI-compatible API works the same)
 * ```ts
 * import { createChatCompletionStream } from '@sluice/chat'
 *
 * const stream = await createChatCompletionStream(
 *   { model: 'anthropic/claude-sonnet-4-5', messages: [{ role: 'user', content: 'Hello!' }] },
 *   { baseURL: 'https://api.edenai.run/v3', apiKey: process.env.EDENAI_API_KEY, idleTimeoutMs: 30_000 },
 * )
 * for await (const text of stream.textStream()) process.stdout.write(text)
 * ```
 */
export async function createChatCompletionStream(
  request: ChatCompletionRequest,
  options: CreateChatCompletionStreamOptions,
): Promise<ChatReader> {
  const { baseURL, apiKey, fetch: fetchFunction = globalFetch, headers: extraHeaders, ...streamOptions } = options
  if (typeof baseURL !== 'string' || baseURL === '') {
    throw new TypeError(
      `createChatCompletionStream: baseURL must be the API's base URL, such as 'https://api.openai.com/v1', got ${JSON.stringify(baseURL)}`,
    )
  }
  const { signal, allowAnyContentType } = streamOptions
  const idleTimeoutMs = idleTimeout(streamOptions.idleTimeoutMs, 'createChatCompletionStream')
  const url = `${baseURL.replace(/\/+$/, '')}/chat/completions`
  const headers = new Headers({ 'content-type': 'application/json', accept: 'text/event-stream' })
  for (const [name, value] of new Headers(extraHeaders)) headers.set(name, value)
  if (apiKey !== undefined) headers.set('authorization', `Bearer ${apiKey}`)
  const body = JSON.stringify({
    ...request,
    stream: true,
    stream_options: { include_usage: true, ...request.stream_options },
  })
  const response = await fetchWithin(fetchFunction, url, { method: 'POST', headers, body }, signal, idleTimeoutMs)
  try {
    // Reading an error body to report it is bounded like every other wait: by the signal and the idle timeout.
    await checkResponse(response, { url, allowAnyContentType, signal, idleTimeoutMs })
    if (signal?.aborted) throw signal.reason
    return new ChatReader(response, streamOptions)
  } catch (error) {
    // An error body is read or cancelled already; any other is released, not left open.
    // Not awaited: a body whose cancel never settles must not hold the rejection.
    if (response.body && !response.body.locked) response.body.cancel(error).catch(() => {})
    throw error
  }
}

/** `fetch`, with `signal` passed on and the wait for the headers bounded by `idleTimeoutMs`. */
async function fetchWithin(
  fetchFunction: FetchFunction,
  url: string,
  init: RequestInit,
  signal: AbortSignal | undefined,
  idleTimeoutMs: number | undefined,
): Promise<Response> {
  if (idleTimeoutMs === undefined) {
    return fetchFunction(url, signal ? { ...init, signal } : init)
  }
  // One signal for both reasons to abort: the caller's, and the timer's.
  const controller = new AbortController()
  const forward = () => controller.abort(signal?.reason)
  if (signal?.aborted) forward()
  else signal?.addEventListener('abort', forward, { once: true })
  let idle: StreamIdleError | undefined
  const timer = setTimeout(() => {
    idle = new StreamIdleError(idleTimeoutMs, 'response', undefined, 0)
    controller.abort(idle)
  }, idleTimeoutMs)
  try {
    return await fetchFunction(url, { ...init, signal: controller.signal })
  } catch (error) {
    // Some fetch implementations reject with their own AbortError rather than the reason.
    throw idle ?? error
  } finally {
    clearTimeout(timer)
    signal?.removeEventListener('abort', forward)
  }
}

/** The global fetch, called as a function of the global object (browsers refuse it detached). */
const globalFetch: FetchFunction = (input, init) => fetch(input, init)
