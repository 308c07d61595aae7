// A loopback HTTP server the test files reach with a real `fetch` (Node, Deno, Bun,
// Chromium; workerd has no route to it and uses worker-local Responses instead). Its URL
// reaches each test file as `globalThis.SLUICE_FIXTURE_URL`.
//
//   GET /chat/done-then-open?id=ID  a chat stream that sends data: [DONE], then keeps the
//                                   connection open with a keep-alive comment every 50 ms
//   GET /chat/open?id=ID            a chat stream that never ends: a chunk every 50 ms
//   GET /closed?id=ID               "true" once the client closed the connection of ID
//                                   (before the server ended it)
import { createServer } from 'node:http'

const CHUNK = (content, finish = null) =>
  `data: ${JSON.stringify({ id: 'chatcmpl-f', object: 'chat.completion.chunk', created: 1, model: 'fixture', choices: [{ index: 0, delta: { content }, finish_reason: finish }] })}\n\n`

/** Bounded: an open stream gives up after this long even if its client never goes. */
const MAX_OPEN_MS = 10_000

export async function startFixtureServer() {
  const closed = new Set()
  const timers = new Set()
  const server = createServer((request, response) => {
    const url = new URL(request.url, 'http://127.0.0.1')
    const id = url.searchParams.get('id') ?? ''
    const headers = { 'access-control-allow-origin': '*', 'cache-control': 'no-store' }
    if (url.pathname === '/closed') {
      response.writeHead(200, { ...headers, 'content-type': 'text/plain' }).end(String(closed.has(id)))
      return
    }
    if (url.pathname === '/chat/done-then-open' || url.pathname === '/chat/open') {
      const done = url.pathname === '/chat/done-then-open'
      response.writeHead(200, { ...headers, 'content-type': 'text/event-stream' })
      response.write(done ? CHUNK('Hello') + CHUNK(' there', 'stop') + 'data: [DONE]\n\n' : CHUNK('Hello'))
      const started = Date.now()
      const timer = setInterval(() => {
        if (Date.now() - started > MAX_OPEN_MS) {
          clearInterval(timer)
          response.end()
        } else {
          response.write(done ? ': keep-alive\n\n' : CHUNK(' more'))
        }
      }, 50)
      timers.add(timer)
      response.on('close', () => {
        clearInterval(timer)
        timers.delete(timer)
        // Only the client going away counts, not the server giving up.
        if (!response.writableEnded) closed.add(id)
      })
      return
    }
    response.writeHead(404, headers).end()
  })
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    stop() {
      for (const timer of timers) clearInterval(timer)
      server.closeAllConnections?.()
      server.close()
    },
  }
}
