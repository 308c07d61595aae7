import type { ServerResponse } from 'node:http'

/**
 * Sends `body` as a 200 event stream while the connection is open. `controller` is the one
 * whose signal `body` was made with: it is aborted when the client leaves, and is in
 * `active` (which the server's `close()` aborts) until the response ends.
 */
export async function sendStreamWhileOpen(
  response: ServerResponse,
  body: ReadableStream<Uint8Array>,
  controller: AbortController,
  active: Set<AbortController>,
): Promise<void> {
  active.add(controller)
  response.on('close', () => controller.abort())
  try {
    await sendStream(response, body)
  } finally {
    active.delete(controller)
  }
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
