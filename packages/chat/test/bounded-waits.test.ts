/**
 * `idleTimeoutMs` and `signal` bound every wait of the front door, the body read to report
 * an error included: a response whose headers arrive but whose body stalls (an HTTP 503,
 * an HTML 200) ends the wait and is cancelled, in `createChatCompletionStream` and in
 * `chatStream(response)`. Web APIs only; every stalled body is cancelled or its test fails
 * within 2 s, and a stalled body holds no timer.
 */
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { bytes, rejection, settlesWithin, sse, textChunks } from '@sluice/test-support'
import {
  chatStream,
  createChatCompletionStream,
  HTTPError,
  StreamIdleError,
  type ChatCompletionRequest,
  type ChatReader,
} from '../src/index.ts'
import { fakeFetch, sleep } from './fixtures.ts'

const request: ChatCompletionRequest = { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Hello!' }] }
const baseURL = 'https://api.openai.com/v1'
/** The most any bounded wait here may take: far above the 100 ms limits, far below a hang. */
const BOUND_MS = 2_000
const within = <T>(promise: Promise<T>) => settlesWithin(promise, BOUND_MS)
const ERROR_START = '{"error":{"message":"The server is overloaded'
const HTML_START = '<!DOCTYPE html><html><head><title>Just a moment'

/**
 * A body that sends `text`, then never another byte (its pull never settles: no timer is
 * left behind). It records when and why it was cancelled.
 */
function stalledBody(text: string) {
  let sent = false
  let onCancel!: (reason: unknown) => void
  const cancelled = new Promise<unknown>((resolve) => {
    onCancel = resolve
  })
  const state = { cancelled: false, reason: undefined as unknown }
  const body = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        if (sent) return new Promise<void>(() => {})
        sent = true
        controller.enqueue(bytes(text))
      },
      cancel(reason) {
        state.cancelled = true
        state.reason = reason
        onCancel(reason)
      },
    },
    { highWaterMark: 0 },
  )
  return { body, cancelled, state }
}

/** The error `promise` rejects with, within {@link BOUND_MS}; fails the test on a hang. */
async function boundedRejection(promise: Promise<unknown>): Promise<unknown> {
  const error = await within(rejection(promise))
  assert.not.match(String((error as Error | undefined)?.message), /still pending after/)
  return error
}

/** Reads `items` to their end. */
async function drain(items: AsyncIterable<unknown>): Promise<void> {
  for await (const _ of items);
}

const errorResponse = (body: ReadableStream<Uint8Array>) =>
  new Response(body, {
    status: 503,
    statusText: 'Service Unavailable',
    headers: { 'content-type': 'application/json' },
  })
const htmlResponse = (body: ReadableStream<Uint8Array>) =>
  new Response(body, { status: 200, headers: { 'content-type': 'text/html; charset=utf-8' } })

for (const [kind, start, respond, status] of [
  ['a 503 whose error body stalls', ERROR_START, errorResponse, 503],
  ['an HTML 200 whose body stalls', HTML_START, htmlResponse, 200],
] as const) {
  test(`createChatCompletionStream() with idleTimeoutMs rejects with StreamIdleError on ${kind}, and cancels the body`, async () => {
    const stalled = stalledBody(start)
    const { fetch } = fakeFetch(() => respond(stalled.body))
    const error = await boundedRejection(createChatCompletionStream(request, { baseURL, fetch, idleTimeoutMs: 100 }))
    assert.instance(error, StreamIdleError)
    const idle = error as StreamIdleError
    assert.is(idle.waitingFor, 'body')
    assert.is(idle.status, status)
    assert.is(idle.bytesRead, bytes(start).length)
    assert.ok(
      idle.sinceLastByteMs !== undefined && idle.sinceLastByteMs >= 90,
      `sinceLastByteMs ${idle.sinceLastByteMs}`,
    )
    assert.match(
      idle.message,
      new RegExp(
        `idle longer than idleTimeoutMs \\(100 ms\\) while the body of the HTTP ${status} response was read to report it`,
      ),
    )
    assert.is(await within(stalled.cancelled), error)
  })

  test(`createChatCompletionStream() rejects with the abort reason when the signal aborts during ${kind}, and cancels the body`, async () => {
    for (const idleTimeoutMs of [undefined, 10_000]) {
      const stalled = stalledBody(start)
      const controller = new AbortController()
      const reason = new Error('user left')
      let timer: ReturnType<typeof setTimeout> | undefined
      const { fetch } = fakeFetch(() => {
        timer = setTimeout(() => controller.abort(reason), 50)
        return respond(stalled.body)
      })
      try {
        const error = await boundedRejection(
          createChatCompletionStream(request, { baseURL, fetch, signal: controller.signal, idleTimeoutMs }),
        )
        assert.is(error, reason, `idleTimeoutMs ${idleTimeoutMs}`)
        assert.is(await within(stalled.cancelled), reason)
      } finally {
        clearTimeout(timer)
      }
    }
  })

  test(`chatStream(response, { idleTimeoutMs }) ends every reading with StreamIdleError on ${kind}, and cancels the body`, async () => {
    const readings: [string, (stream: ChatReader) => Promise<unknown>][] = [
      ['for await', (stream) => drain(stream)],
      ['textStream()', (stream) => drain(stream.textStream())],
      ['completion()', (stream) => stream.completion()],
    ]
    for (const [name, read] of readings) {
      const stalled = stalledBody(start)
      const stream = chatStream(respond(stalled.body), { idleTimeoutMs: 100 })
      const error = await boundedRejection(read(stream))
      assert.instance(error, StreamIdleError, name)
      assert.is((error as StreamIdleError).status, status, name)
      const outcome = await within(stream.outcome)
      assert.is(outcome.status, 'error', name)
      assert.is(outcome.error, error, name)
      assert.is(await within(stalled.cancelled), error, name)
    }
  })

  test(`chatStream(response, { signal }) ends the reading with the abort reason during ${kind}, and cancels the body`, async () => {
    const stalled = stalledBody(start)
    const controller = new AbortController()
    const reason = new Error('user left')
    const stream = chatStream(respond(stalled.body), { signal: controller.signal, idleTimeoutMs: 10_000 })
    const timer = setTimeout(() => controller.abort(reason), 50)
    try {
      const error = await boundedRejection(drain(stream.textStream()))
      assert.is(error, reason)
      assert.is((await within(stream.outcome)).status, 'error')
      assert.is(await within(stalled.cancelled), reason)
    } finally {
      clearTimeout(timer)
    }
  })
}

test('chatStream(response).cancel() during the read of a stalled error body ends the reading and cancels the body', async () => {
  const stalled = stalledBody(ERROR_START)
  const stream = chatStream(errorResponse(stalled.body))
  const reading = within(
    (async () => {
      const texts: string[] = []
      for await (const text of stream.textStream()) texts.push(text)
      return texts
    })(),
  )
  await sleep(50)
  await within(stream.cancel())
  assert.equal(await reading, [])
  assert.is((await within(stream.outcome)).status, 'cancelled')
  await within(stalled.cancelled)
  assert.ok(stalled.state.cancelled)
})

test('an error body that keeps arriving is read whole: the idle timer restarts with each read', async () => {
  const parts = ['{"error":{"message":"over', 'loaded","type":"server_error"}}']
  let index = 0
  const body = new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        if (index > 0) await sleep(60)
        if (index < parts.length) controller.enqueue(bytes(parts[index++]!))
        else controller.close()
      },
    },
    { highWaterMark: 0 },
  )
  const { fetch } = fakeFetch(() => errorResponse(body))
  // Three reads 60 ms apart: longer than 100 ms in total, never 100 ms without a byte.
  const error = await boundedRejection(createChatCompletionStream(request, { baseURL, fetch, idleTimeoutMs: 100 }))
  assert.instance(error, HTTPError)
  assert.is((error as HTTPError).apiError?.message, 'overloaded')
})

test('the signal aborting during the stream ends the reading at once and cancels the body, in both entry points', async () => {
  const first = sse(textChunks(['Hel']).slice(0, 2))
  const eventStream = (body: ReadableStream<Uint8Array>) =>
    new Response(body, { headers: { 'content-type': 'text/event-stream' } })
  for (const entry of ['createChatCompletionStream', 'chatStream'] as const) {
    const stalled = stalledBody(first)
    const controller = new AbortController()
    const reason = new Error('user left')
    const stream =
      entry === 'chatStream'
        ? chatStream(eventStream(stalled.body), { signal: controller.signal, idleTimeoutMs: 10_000 })
        : await createChatCompletionStream(request, {
            baseURL,
            fetch: fakeFetch(() => eventStream(stalled.body)).fetch,
            signal: controller.signal,
            idleTimeoutMs: 10_000,
          })
    const texts: string[] = []
    const timer = setTimeout(() => controller.abort(reason), 50)
    try {
      const error = await boundedRejection(
        (async () => {
          for await (const text of stream.textStream()) texts.push(text)
        })(),
      )
      assert.is(error, reason, entry)
      assert.equal(texts, ['Hel'], entry)
      assert.is(await within(stalled.cancelled), reason, entry)
    } finally {
      clearTimeout(timer)
    }
  }
})

test('createChatCompletionStream() rejects with the reason of a signal aborted by the time the headers arrive, and releases the body', async () => {
  const stalled = stalledBody(sse(textChunks(['a'])))
  const controller = new AbortController()
  const reason = new Error('user left')
  const { fetch } = fakeFetch(() => {
    controller.abort(reason)
    return new Response(stalled.body, { headers: { 'content-type': 'text/event-stream' } })
  })
  assert.is(
    await boundedRejection(createChatCompletionStream(request, { baseURL, fetch, signal: controller.signal })),
    reason,
  )
  await within(stalled.cancelled)
})

test.run()
