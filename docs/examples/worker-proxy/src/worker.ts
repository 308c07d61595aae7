/**
 * A Cloudflare Worker between a client and an OpenAI-compatible upstream: it forwards the
 * client's chat request with `stream: true`, pipes the upstream body through sluice, and
 * answers with the content as plain text (`?format=text`, the default) or with the chunks
 * re-framed as SSE (`?format=sse`) — without the upstream's keep-alives, foreign events or
 * anything after `[DONE]`, and with a clean `data: [DONE]` at the end.
 *
 * Bindings: `UPSTREAM_URL` (e.g. `https://api.edenai.run/v3`), `UPSTREAM_KEY` (a secret),
 * and optionally `UPSTREAM` (a service binding, or any `{ fetch }`, used instead of the
 * global `fetch`: the tests pass a mock).
 */
import { ChatChunkStream, type ChatCompletionChunk } from '@sluice/openai'
import { SSEEncoderStream, type SSEMessage } from '@sluice/sse'

export interface Env {
  UPSTREAM_URL: string
  UPSTREAM_KEY: string
  UPSTREAM?: { fetch: typeof fetch }
}

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    if (request.method !== 'POST') return new Response('POST a chat completion request', { status: 405 })
    const format = new URL(request.url).searchParams.get('format') ?? 'text'
    const payload = (await request.json()) as Record<string, unknown>
    const upstream = await (env.UPSTREAM ?? globalThis).fetch(`${env.UPSTREAM_URL}/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${env.UPSTREAM_KEY}` },
      body: JSON.stringify({ ...payload, stream: true }),
      signal: request.signal,
    })
    if (!upstream.ok || !upstream.body) {
      return new Response(`upstream answered ${upstream.status}: ${await upstream.text()}`, { status: 502 })
    }
    const chunks = upstream.body.pipeThrough(new ChatChunkStream())
    if (format === 'sse') {
      const body = chunks
        .pipeThrough(new TransformStream<ChatCompletionChunk, SSEMessage>({
          transform: (chunk, controller) => controller.enqueue({ data: JSON.stringify(chunk) }),
          flush: (controller) => controller.enqueue({ data: '[DONE]' }),
        }))
        .pipeThrough(new SSEEncoderStream())
        .pipeThrough(new TextEncoderStream())
      return new Response(body, { headers: { 'content-type': 'text/event-stream', 'cache-control': 'no-store' } })
    }
    const text = chunks
      .pipeThrough(new TransformStream<ChatCompletionChunk, string>({
        transform(chunk, controller) {
          const content = chunk.choices[0]?.delta.content
          if (content) controller.enqueue(content)
        },
      }))
      .pipeThrough(new TextEncoderStream())
    return new Response(text, { headers: { 'content-type': 'text/plain; charset=utf-8' } })
  },
}
