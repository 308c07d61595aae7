/**
 * Builders of whole chat completion streams and of the responses, sources and fetches that
 * carry them, shaped after what OpenAI-compatible providers send (the chunks themselves come
 * from @sluice/test-support). In memory only: no network.
 */
import { bytes, chunk, sse, textChunks, toolCallChunks, usageChunk } from '@sluice/test-support'
import type { ChatCompletionChunk } from '../src/index.ts'

/** Reasoning first (as DeepSeek sends `reasoning_content`), then the answer. */
export function reasoningChunks(): ChatCompletionChunk[] {
  return [
    chunk({ role: 'assistant', content: '', reasoning_content: '' }),
    chunk({ reasoning_content: 'The user greets; ' }),
    chunk({ reasoning_content: 'greet back.' }),
    chunk({ content: 'Hello' }),
    chunk({ content: ' there!' }),
    chunk({}, { finish: 'stop' }),
  ]
}

/** A whole stream: the chunks, then `data: [DONE]`. */
export const done = (items: readonly (ChatCompletionChunk | string)[]) => sse([...items, 'data: [DONE]'])

/** A stream with a bit of everything: CRLF, a keep-alive comment, unicode split anywhere, tool calls, usage. */
export function mixedStream(): string {
  return done([
    ': OPENROUTER PROCESSING',
    ...textChunks(['Crème', ' brûlée 🦕', ', line\nbreak']).slice(0, -1),
    ...toolCallChunks().slice(1),
    usageChunk(),
  ]).replace(/\n\n(?=data: \[DONE\])/, '\r\n\r\n')
}

/** An SSE response built in memory from `body` (text or byte chunks), as a fetch would give it. */
export function sseResponse(body: string | Uint8Array[], init: ResponseInit = {}): Response {
  const headers = new Headers(init.headers)
  if (!headers.has('content-type')) headers.set('content-type', 'text/event-stream; charset=utf-8')
  const stream = typeof body === 'string' ? fromParts([bytes(body)]) : fromParts(body)
  return new Response(stream, { ...init, headers })
}

/** A stream of `parts`, one per pull; `cancelled` resolves with the cancel reason. */
export function fromParts(parts: readonly Uint8Array[]): ReadableStream<Uint8Array> & { cancelled: Promise<unknown> } {
  let index = 0
  let onCancel!: (reason: unknown) => void
  const cancelled = new Promise<unknown>((resolve) => {
    onCancel = resolve
  })
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (index < parts.length) controller.enqueue(parts[index++]!)
      else controller.close()
    },
    cancel(reason) {
      onCancel(reason)
    },
  })
  return Object.assign(stream, { cancelled })
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))

/** A step of a slow source: bytes to send, or a pause in milliseconds. */
export type Step = string | number

/**
 * A byte stream that plays `steps` (text to send, or milliseconds to wait) when pulled;
 * after the last step it stays open (silent) if `hang`, else closes. Its cancel reason is
 * recorded, and a pending pause ends at cancel, so that no timer outlives the test.
 */
export function slowSource(
  steps: readonly Step[],
  { hang = false } = {},
): ReadableStream<Uint8Array> & { cancelled: Promise<unknown>; wasCancelled: () => boolean } {
  let index = 0
  let isCancelled = false
  let onCancel!: (reason: unknown) => void
  let wake: (() => void) | undefined
  let timer: ReturnType<typeof setTimeout> | undefined
  const cancelled = new Promise<unknown>((resolve) => {
    onCancel = resolve
  })
  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      wake = resolve
      timer = setTimeout(resolve, ms)
    })
  const stream = new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        while (index < steps.length) {
          const step = steps[index++]!
          if (typeof step === 'number') {
            await pause(step)
            if (isCancelled) return
          } else {
            controller.enqueue(bytes(step))
            return
          }
        }
        if (!hang) controller.close()
        else await pause(60_000)
      },
      cancel(reason) {
        isCancelled = true
        clearTimeout(timer)
        wake?.()
        onCancel(reason)
      },
    },
    { highWaterMark: 0 },
  )
  return Object.assign(stream, { cancelled, wasCancelled: () => isCancelled })
}

/** What a fake fetch saw. */
export interface SentRequest {
  url: string
  method: string | undefined
  headers: Headers
  body: unknown
  signal: AbortSignal | undefined
}

/** A fetch that records its request and answers with `respond()`, in memory. */
export function fakeFetch(respond: (request: SentRequest) => Response | Promise<Response>) {
  const requests: SentRequest[] = []
  const fetch = async (input: string, init: RequestInit) => {
    const request: SentRequest = {
      url: input,
      method: init.method,
      headers: new Headers(init.headers),
      body: JSON.parse(String(init.body)),
      signal: init.signal ?? undefined,
    }
    requests.push(request)
    return respond(request)
  }
  return { fetch, requests }
}

/** Reads a ReadableStream with for await (every runtime's streams are async-iterable here, or given it). */
export async function readAll<T>(stream: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = []
  for await (const item of stream) items.push(item)
  return items
}
