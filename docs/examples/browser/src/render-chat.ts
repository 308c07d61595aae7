/**
 * Streams a chat completion response into the page: the answer grows in `output` as the
 * chunks arrive, and `status` says how it ended — done, cut off, or the provider's error.
 * What was already shown stays on the page when the stream fails.
 */
import { DeltaAccumulatorStream, type ChatCompletion } from '@sluice/accumulator'
import { ChatChunkStream, ChunkStreamError } from '@sluice/openai'

export async function renderChat(
  response: Response,
  output: HTMLElement,
  status: HTMLElement,
): Promise<ChatCompletion | null> {
  if (!response.ok || !response.body) {
    status.textContent = `HTTP ${response.status}`
    status.dataset['state'] = 'error'
    return null
  }
  status.textContent = 'streaming…'
  status.dataset['state'] = 'streaming'
  const snapshots = response.body.pipeThrough(new ChatChunkStream()).pipeThrough(new DeltaAccumulatorStream())
  const reader = snapshots.getReader()
  let last: ChatCompletion | null = null
  try {
    for (;;) {
      const { done, value } = await reader.read()
      if (done) break
      last = value
      // Snapshots share unchanged parts: render only when the message changed.
      output.textContent = value.choices[0]?.message.content ?? ''
    }
    status.textContent = `done (${last?.choices[0]?.finish_reason ?? 'no finish reason'})`
    status.dataset['state'] = 'done'
  } catch (error) {
    status.textContent = error instanceof ChunkStreamError ? `${error.code}: ${error.message}` : String(error)
    status.dataset['state'] = 'error'
  }
  return last
}
