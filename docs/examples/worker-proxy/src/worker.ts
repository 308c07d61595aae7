/**
 * A Cloudflare Worker between a client and an OpenAI-compatible upstream: it forwards the
 * client's chat request with `stream: true`, pipes the upstream body through sluice, and
 * answers with the content as plain text (`?format=text`, the default) or with the chunks
 * re-framed as SSE (`?format=sse`) — without the upstream's keep-alives, foreign events or
 * anything after `[DONE]`, and with a clean `data: [DONE]` at the end.
 *
 * When the upstream fails mid-stream (an `event: error`, a chunk with an `error`, a body
 * cut off), what arrived is forwarded, then the failure: in SSE, a last `event: error` with
 * an OpenAI-style body (the provider's own message, type and code) and no `[DONE]`; in
 * plain text, the response body errors, so the client never mistakes it for a clean end.
 *
 * Bindings: `UPSTREAM_URL` (e.g. `https://api.edenai.run/v3`), `UPSTREAM_KEY` (a secret),
 * and optionally `UPSTREAM` (a service binding, or any `{ fetch }`, used instead of the
 * global `fetch`: the tests pass a mock).
 */
import { ChatChunkStream, ProviderError, type ChatCompletionChunk } from '@sluice/openai'
import { SSEEncoder, type SSEMessage } from '@sluice/sse'

export interface Env {
  UPSTREAM_URL: string
  UPSTREAM_KEY: string
  UPSTREAM?: { fetch: typeof fetch }
}

/**
 * Headers that keep both answers streaming whatever the client's `accept-encoding`. Cloudflare
 * compresses `text/plain` (`text/event-stream` only if a compression rule adds it) for a client
 * that accepts gzip or br, and the compressor holds the text back: under `wrangler dev` the
 * whole answer arrived in one piece at the end.
 * - `content-encoding: identity`: `wrangler dev` (miniflare's `ensureAcceptableEncoding`)
 *   compresses only a body whose content-encoding is absent, `gzip` or `br`; it ignores
 *   `no-transform`.
 * - `cache-control: no-transform`: how Cloudflare documents turning its compression off for
 *   one response ("Content compression" in the Speed docs).
 * - `no-store`: the answer to one request, never to be cached.
 */
const STREAMING = { 'content-encoding': 'identity', 'cache-control': 'no-store, no-transform' }

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    if (request.method !== 'POST') return new Response('POST a chat completion request', { status: 405 })
    const format = new URL(request.url).searchParams.get('format') ?? 'text'
    const payload = (await request.json()) as Record<string, unknown>
    const upstream = await (env.UPSTREAM ?? globalThis).fetch(`${env.UPSTREAM_URL}/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${env.UPSTREAM_KEY}` },
      body: JSON.stringify({ ...payload, stream: true }),
      // In workerd an incoming request's signal aborts only with the experimental
      // `enable_request_signal` flag; without it, the body's `cancel` below releases the upstream.
      signal: request.signal,
    })
    if (!upstream.ok || !upstream.body) {
      return new Response(`upstream answered ${upstream.status}: ${await upstream.text()}`, { status: 502 })
    }
    const chunks = upstream.body.pipeThrough(new ChatChunkStream())
    if (format === 'sse') {
      return new Response(sseBody(chunks), { headers: { 'content-type': 'text/event-stream', ...STREAMING } })
    }
    return new Response(textBody(chunks), { headers: { 'content-type': 'text/plain; charset=utf-8', ...STREAMING } })
  },
}

/** Each chunk as `data: <JSON>`, then `data: [DONE]`; or, when the reading fails, a last `event: error`. */
function sseBody(chunks: ReadableStream<ChatCompletionChunk>): ReadableStream<Uint8Array> {
  const reader = chunks.getReader()
  const encoder = new SSEEncoder()
  const bytes = new TextEncoder()
  const send = (controller: ReadableStreamDefaultController<Uint8Array>, message: SSEMessage) =>
    controller.enqueue(bytes.encode(encoder.encode(message)))
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const { done, value } = await reader.read()
        if (!done) return send(controller, { data: JSON.stringify(value) })
        send(controller, { data: '[DONE]' })
      } catch (error) {
        send(controller, { type: 'error', data: JSON.stringify(errorBody(error)) })
      }
      controller.close()
    },
    cancel: (reason) => reader.cancel(reason), // the client went away: release the upstream
  })
}

/** The content deltas as UTF-8; when the reading fails, the body errors after the text that arrived. */
function textBody(chunks: ReadableStream<ChatCompletionChunk>): ReadableStream<Uint8Array> {
  const reader = chunks.getReader()
  const bytes = new TextEncoder()
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        for (;;) {
          const { done, value } = await reader.read()
          if (done) return controller.close()
          const content = value.choices[0]?.delta.content
          if (content) return controller.enqueue(bytes.encode(content))
        }
      } catch (error) {
        controller.error(error)
      }
    },
    cancel: (reason) => reader.cancel(reason),
  })
}

/**
 * The OpenAI-style body of the `event: error`, as `@sluice/chat`'s `toSSEResponse()` sends it:
 * a provider's error keeps its own message, type, code and param; any other error (e.g. a
 * `TruncatedStreamError`) gives its message, type `upstream_error` and its sluice `code`.
 */
function errorBody(error: unknown) {
  if (error instanceof ProviderError) {
    // The payload is `{ "error": { "message", … } }`, a bare error object, or a string.
    let message = error.payload || error.message
    try {
      const value = JSON.parse(error.payload)
      const inner = value?.error ?? value
      if (typeof inner === 'string') message = inner
      else if (typeof inner?.message === 'string') message = inner.message
    } catch {
      // not JSON: the payload itself is the message
    }
    return {
      error: {
        message,
        type: error.type ?? 'upstream_error',
        code: error.providerCode ?? null,
        param: error.param ?? null,
      },
    }
  }
  const code = (error as { code?: unknown } | null)?.code
  return {
    error: {
      message: error instanceof Error ? error.message : String(error),
      type: 'upstream_error',
      code: typeof code === 'string' || typeof code === 'number' ? code : null,
      param: null,
    },
  }
}
