import { ProviderError, type ChatCompletionChunk } from '@sluice/openai'
import { SSEEncoder } from '@sluice/sse'
import { KeepAliveComment } from './chat-item-tap.ts'
import { ChunkSerializationError, HTTPError } from './errors.ts'
import { type APIErrorObject, parseAPIError } from '@sluice/openai'

/**
 * The body of an OpenAI-style error, as `toSSEResponse()` sends it in its `event: error`.
 *
 * @example Read why a proxied stream stopped, in its client
 * ```ts
 * import type { APIErrorBody } from '@sluice/chat'
 * import { SSEStream } from '@sluice/sse'
 *
 * const proxied = await fetch('/api/chat', { method: 'POST', body: JSON.stringify({ messages }) })
 * for await (const event of proxied.body!.pipeThrough(new SSEStream())) {
 *   if (event.type !== 'error') continue
 *   const { error }: APIErrorBody = JSON.parse(event.data)
 *   console.error(error.code, error.message) // e.g. 'SLUICE_STREAM_IDLE', 'the stream was idle …'
 * }
 * ```
 */
export interface APIErrorBody {
  error: { message: string; type: string; code: string | number | null; param: string | null }
}

/**
 * The SSE frames of a re-framed chat stream, as bytes: each chunk as `data: <JSON>`, each
 * keep-alive comment as a comment, then `data: [DONE]`. When the reading fails, an
 * `event: error` whose data is an OpenAI-style error body ({@link errorBody}) ends the frames
 * instead of `[DONE]`: a client reading them (`@sluice/openai` raises `ProviderError`, the
 * official SDK an `APIError`) learns why the stream stopped instead of seeing it cut off.
 * A chunk that cannot be written as JSON (nested too deeply for `JSON.stringify`) is such
 * a failure: {@link ChunkSerializationError}. `toSSEResponse()` sends the frames as its
 * body, through `streamFrom`.
 */
export async function* sseFrames(
  items: AsyncIterable<ChatCompletionChunk | KeepAliveComment>,
): AsyncGenerator<Uint8Array, void, undefined> {
  const encoder = new SSEEncoder()
  const bytes = new TextEncoder()
  let chunkIndex = 0
  try {
    for await (const item of items) {
      const message =
        item instanceof KeepAliveComment ? { comment: item.text } : { data: serialize(item, chunkIndex++) }
      yield bytes.encode(encoder.encode(message))
    }
  } catch (error) {
    yield bytes.encode(encoder.encode({ type: 'error', data: JSON.stringify(errorBody(error)) }))
    return
  }
  yield bytes.encode(encoder.encode({ data: '[DONE]' }))
}

/** `JSON.stringify(chunk)`; a {@link ChunkSerializationError} when it throws. */
function serialize(chunk: ChatCompletionChunk, chunkIndex: number): string {
  try {
    return JSON.stringify(chunk)
  } catch (cause) {
    throw new ChunkSerializationError(chunkIndex, { cause })
  }
}

/**
 * The OpenAI-style body of an error: a provider's own error (mid-stream or in an HTTP
 * error body) keeps its message, type, code and param; any other error gives its message,
 * type `upstream_error` and its sluice `code` (e.g. `SLUICE_TRUNCATED_STREAM`):
 * `errorBody(new StreamIdleError(30_000, 'body', 30_004, 1200))` gives
 * `{ error: { message: 'the stream was idle …', type: 'upstream_error', code: 'SLUICE_STREAM_IDLE', param: null } }`.
 */
export function errorBody(error: unknown): APIErrorBody {
  let provider: APIErrorObject | undefined
  if (error instanceof ProviderError)
    provider = parseAPIError(error.payload) ?? { message: error.payload || error.message }
  else if (error instanceof HTTPError) provider = error.apiError
  if (provider) {
    return {
      error: {
        message: provider.message,
        type: provider.type ?? 'upstream_error',
        code: provider.code ?? null,
        param: provider.param ?? null,
      },
    }
  }
  const code = (error as { code?: unknown } | null)?.code
  const message = error instanceof Error ? error.message : (error as { message?: unknown } | null)?.message
  return {
    error: {
      message: typeof message === 'string' ? message : String(error),
      type: 'upstream_error',
      code: typeof code === 'string' || typeof code === 'number' ? code : null,
      param: null,
    },
  }
}
