/**
 * Bounded waits over real loopback HTTP (Node's fetch): a server sends a status, the
 * headers and the start of a body, then stalls. `idleTimeoutMs` and `signal` end the wait
 * within 2 s, and the server sees the client close the connection before its own end.
 * Every server ends its answer by itself after 10 s at most and is stopped in a `finally`;
 * nothing leaves 127.0.0.1.
 */
import { createServer, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { rejection, settlesWithin } from '@sluice/test-support'
import { chatStream, createChatCompletionStream, StreamIdleError, type ChatCompletionRequest } from '../src/index.ts'

const request: ChatCompletionRequest = { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Hello!' }] }
const BOUND_MS = 2_000
const within = <T>(promise: Promise<T>) => settlesWithin(promise, BOUND_MS)
/** The longest a stalled answer lasts: the server ends it then, so that nothing hangs. */
const SERVER_END_MS = 10_000

interface StallingServer {
  baseURL: string
  /** Resolves once a request arrived and its headers and first bytes were sent. */
  answered: Promise<void>
  /** Resolves when the connection closed: `byClient` when the server had not ended its answer. */
  closed: Promise<{ byClient: boolean }>
  stop(): Promise<void>
}

/** A server that answers `status` with `contentType` and the start of a body, then stalls (until SERVER_END_MS). */
async function startStallingServer(
  status: number,
  contentType: string,
  start: string,
  rest: string,
): Promise<StallingServer> {
  let onAnswered!: () => void
  let onClosed!: (value: { byClient: boolean }) => void
  const answered = new Promise<void>((resolve) => {
    onAnswered = resolve
  })
  const closed = new Promise<{ byClient: boolean }>((resolve) => {
    onClosed = resolve
  })
  const timers = new Set<ReturnType<typeof setTimeout>>()
  const responses = new Set<ServerResponse>()
  const server = createServer((req, res) => {
    req.resume()
    responses.add(res)
    res.on('close', () => onClosed({ byClient: !res.writableEnded }))
    res.writeHead(status, { 'content-type': contentType })
    res.write(start, () => onAnswered())
    const timer = setTimeout(() => res.end(rest), SERVER_END_MS)
    timers.add(timer)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    answered,
    closed,
    async stop() {
      for (const timer of timers) clearTimeout(timer)
      for (const res of responses) res.destroy()
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}

const ERROR_START = '{"error":{"message":"The server is over'
const ERROR_REST = 'loaded","type":"server_error"}}'

test('createChatCompletionStream() with idleTimeoutMs: 300 rejects with StreamIdleError on a 503 whose error body stalls, and closes the connection', async () => {
  const server = await startStallingServer(503, 'application/json', ERROR_START, ERROR_REST)
  try {
    const started = performance.now()
    const error = await within(
      rejection(createChatCompletionStream(request, { baseURL: server.baseURL, idleTimeoutMs: 300 })),
    )
    const elapsed = performance.now() - started
    assert.instance(error, StreamIdleError)
    assert.is((error as StreamIdleError).status, 503)
    assert.is((error as StreamIdleError).bytesRead, ERROR_START.length)
    assert.ok(elapsed < BOUND_MS, `took ${elapsed} ms`)
    assert.equal(await within(server.closed), { byClient: true })
  } finally {
    await server.stop()
  }
})

test('createChatCompletionStream() with idleTimeoutMs rejects with StreamIdleError on an HTML 200 whose body stalls, and closes the connection', async () => {
  const server = await startStallingServer(
    200,
    'text/html',
    '<!DOCTYPE html><html><head><title>Just a',
    ' moment</title></head></html>',
  )
  try {
    const error = await within(
      rejection(createChatCompletionStream(request, { baseURL: server.baseURL, idleTimeoutMs: 300 })),
    )
    assert.instance(error, StreamIdleError)
    assert.is((error as StreamIdleError).status, 200)
    assert.equal(await within(server.closed), { byClient: true })
  } finally {
    await server.stop()
  }
})

test('createChatCompletionStream() rejects with the abort reason when the signal aborts during a stalled error body, and closes the connection', async () => {
  for (const idleTimeoutMs of [undefined, 10_000]) {
    const server = await startStallingServer(503, 'application/json', ERROR_START, ERROR_REST)
    const controller = new AbortController()
    const reason = new Error('user left')
    let timer: ReturnType<typeof setTimeout> | undefined
    void server.answered.then(() => {
      timer = setTimeout(() => controller.abort(reason), 100)
    })
    try {
      const error = await within(
        rejection(
          createChatCompletionStream(request, { baseURL: server.baseURL, signal: controller.signal, idleTimeoutMs }),
        ),
      )
      assert.is(error, reason, `idleTimeoutMs ${idleTimeoutMs}`)
      assert.equal(await within(server.closed), { byClient: true })
    } finally {
      clearTimeout(timer)
      await server.stop()
    }
  }
})

test('chatStream(response, { idleTimeoutMs: 300 }) ends completion() with StreamIdleError on a stalled 503, and closes the connection', async () => {
  const server = await startStallingServer(503, 'application/json', ERROR_START, ERROR_REST)
  try {
    const response = await within(
      fetch(`${server.baseURL}/chat/completions`, {
        method: 'POST',
        body: JSON.stringify({ ...request, stream: true }),
      }),
    )
    const stream = chatStream(response, { idleTimeoutMs: 300 })
    const error = await within(rejection(stream.completion()))
    assert.instance(error, StreamIdleError)
    assert.is((error as StreamIdleError).status, 503)
    assert.is((await within(stream.outcome)).status, 'error')
    assert.equal(await within(server.closed), { byClient: true })
  } finally {
    await server.stop()
  }
})

test.run()
