import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { ChatCompletionRequest } from './chat-completion-request.ts'
import { handleRequest } from './handle-request.ts'
import { createMockServerContext } from './mock-server-context.ts'
import { checkMockServerOptions, DEFAULT_HOST, type MockServerOptions } from './mock-server-options.ts'

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
  checkMockServerOptions(options)
  const { port = 0, host = DEFAULT_HOST } = options
  const context = await createMockServerContext(options)
  const server = createServer((request, response) => void handleRequest(request, response, context))
  await listen(server, port, host)
  const address = server.address() as AddressInfo
  let closing: Promise<void> | undefined
  return {
    url: baseURL(address),
    port: address.port,
    requests: context.requests,
    close() {
      closing ??= new Promise<void>((resolve) => {
        for (const controller of context.active) controller.abort()
        server.close(() => resolve())
        server.closeAllConnections()
      })
      return closing
    },
  }
}

/** Resolves once `server` listens; rejects when it cannot (the port is taken, the host is not this machine's). */
function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, host, () => {
      server.off('error', reject)
      resolve()
    })
  })
}

/** The URL an OpenAI client takes: `/v1` on the address listened on, an IPv6 one in brackets. */
function baseURL(address: AddressInfo): string {
  const host = address.family === 'IPv6' || address.address.includes(':') ? `[${address.address}]` : address.address
  return `http://${host}:${address.port}/v1`
}
