import { test } from 'uvu'
import * as assert from 'uvu/assert'
import fc from 'fast-check'
import { ChatChunkStream } from '@sluice/openai'
import {
  bytes,
  chunk,
  collect,
  rejection,
  settledSoon,
  splitAt,
  sse,
  textChunks,
  toolCallChunks,
  usageChunk,
} from '@sluice/test-support'
import {
  chatStream,
  ChatReader,
  EmptyStreamError,
  ProviderError,
  StreamCancelledError,
  StreamConsumedError,
  TruncatedStreamError,
  type ChatCompletion,
  type ChatCompletionChunk,
  type ChatReaderOptions,
  type Quirk,
} from '../src/index.ts'
import { done, fromParts, mixedStream, readAll, reasoningChunks, sseResponse } from './fixtures.ts'

/** Every chunk of `text` as ChatChunkStream parses it: the reference. */
const reference = (text: string) => collect(fromParts([bytes(text)]).pipeThrough(new ChatChunkStream()))

// ---------------------------------------------------------------- reading

test('ChatReader yields the chunks with for await, and completion() and outcome beside it', async () => {
  const sent = [...textChunks(['Hello', ', world']), usageChunk()]
  const stream = chatStream(sseResponse(done(sent)))
  const completion = stream.completion()
  assert.equal(await readAll(stream), sent)
  const result = await completion
  assert.is(result.choices[0]?.message.content, 'Hello, world')
  assert.is(result.choices[0]?.finish_reason, 'stop')
  assert.equal(result.usage, { prompt_tokens: 12, completion_tokens: 9, total_tokens: 21 })
  const outcome = await stream.outcome
  assert.is(outcome.status, 'complete')
  assert.is(outcome.sawDone, true)
  assert.is(outcome.counts.chunks, sent.length)
  assert.is(outcome.counts.bytes, bytes(done(sent)).length)
})

test('ChatReader.textStream() gives the content deltas, skipping empty ones, as an async-iterable ReadableStream', async () => {
  const text = chatStream(sseResponse(done(textChunks(['Crème', '', ' brûlée 🦕'])))).textStream()
  assert.instance(text, ReadableStream)
  assert.equal(await readAll(text), ['Crème', ' brûlée 🦕'])
})

test('ChatReader.textStream() pipes like any ReadableStream (to a Response body)', async () => {
  const text = chatStream(sseResponse(done(textChunks(['a', 'b', 'c'])))).textStream()
  assert.is(await new Response(text.pipeThrough(new TextEncoderStream())).text(), 'abc')
})

test('ChatReader.textStream({ choice }) reads one choice of an n > 1 stream', async () => {
  const sent = [
    chunk({ role: 'assistant', content: 'A1' }, { index: 0 }),
    chunk({ role: 'assistant', content: 'B1' }, { index: 1 }),
    chunk({ content: 'A2' }, { index: 0 }),
    chunk({ content: 'B2' }, { index: 1 }),
    chunk({}, { index: 0, finish: 'stop' }),
    chunk({}, { index: 1, finish: 'stop' }),
  ]
  assert.equal(await readAll(chatStream(sseResponse(done(sent))).textStream({ choice: 1 })), ['B1', 'B2'])
  assert.equal(await readAll(chatStream(sseResponse(done(sent))).textStream()), ['A1', 'A2'])
})

test('ChatReader.textStream({ reasoning: true }) gives reasoning_content deltas, the content stays in the completion', async () => {
  const stream = chatStream(sseResponse(done(reasoningChunks())))
  const completion = stream.completion()
  assert.equal(await readAll(stream.textStream({ reasoning: true })), ['The user greets; ', 'greet back.'])
  const message = (await completion).choices[0]?.message
  assert.is(message?.content, 'Hello there!')
  assert.is(message?.reasoning_content, 'The user greets; greet back.')
})

test("ChatReader.textStream({ reasoning: true }) reads OpenRouter's `reasoning` field too", async () => {
  const sent = [
    chunk({ role: 'assistant', reasoning: 'Think' }),
    chunk({ reasoning: 'ing.' }),
    chunk({ content: 'Done.' }),
    chunk({}, { finish: 'stop' }),
  ]
  assert.equal(await readAll(chatStream(sseResponse(done(sent))).textStream({ reasoning: true })), ['Think', 'ing.'])
  assert.equal(await readAll(chatStream(sseResponse(done(sent))).textStream()), ['Done.'])
})

test('ChatReader.textStream() refuses a choice that is not an index', () => {
  assert.throws(
    () => chatStream(sseResponse(done([]))).textStream({ choice: -1 }),
    (error: unknown) => error instanceof RangeError && /choice/.test(error.message),
  )
})

test('ChatReader.completion() assembles tool calls from their fragments', async () => {
  const completion = await chatStream(sseResponse(done(toolCallChunks()))).completion()
  const choice = completion.choices[0]
  assert.is(choice?.finish_reason, 'tool_calls')
  assert.equal(
    choice?.message.tool_calls?.map((call) => [call.id, call.function.name, JSON.parse(call.function.arguments)]),
    [
      ['call_a', 'get_weather', { city: 'Paris' }],
      ['call_b', 'get_time', { tz: 'CET' }],
    ],
  )
})

test('ChatReader.completion() awaited alone reads the stream itself', async () => {
  const source = fromParts([bytes(done(textChunks(['x', 'y'])))])
  const stream = chatStream(source)
  assert.is((await stream.completion()).choices[0]?.message.content, 'xy')
  assert.is((await stream.outcome).status, 'complete')
  assert.is(await stream.completion(), await stream.completion(), 'the same promise each time')
})

test('ChatReader.completion() called after the reading ended gives the completion', async () => {
  const stream = chatStream(sseResponse(done(textChunks(['late']))))
  await readAll(stream)
  assert.is((await stream.completion()).choices[0]?.message.content, 'late')
})

test('ChatReader.completion() rejects with EmptyStreamError for a complete stream without a chunk', async () => {
  const stream = chatStream(sseResponse('data: [DONE]\n\n'))
  assert.instance(await rejection(stream.completion()), EmptyStreamError)
  assert.is((await stream.outcome).status, 'complete')
})

test('ChatReader.events() gives the raw events, [DONE] and unknown types included, and the completion beside them', async () => {
  const sent = textChunks(['a'])
  const text = done([...sent.slice(0, 1), 'event: ping\ndata: {}', ...sent.slice(1)])
  const stream = chatStream(sseResponse(`id: 1\n${text}`))
  const completion = stream.completion()
  const events = await readAll(stream.events())
  assert.equal(
    events.map((event) => [event.type, event.data]),
    [
      ['message', JSON.stringify(sent[0])],
      ['ping', '{}'],
      ...sent.slice(1).map((item) => ['message', JSON.stringify(item)]),
      ['message', '[DONE]'],
    ],
  )
  assert.is(events[0]?.lastEventId, '1')
  assert.is((await completion).choices[0]?.message.content, 'a')
})

test('ChatReader.events() errors when a chunk does: the chunks are parsed on the same pass', async () => {
  // Two reads: the error event is handed over (the SSE stage decoded it), then the chunk decoder's error.
  const stream = chatStream(
    fromParts([
      bytes(sse([chunk({ content: 'a' })])),
      bytes(sse(['event: error\ndata: {"error":{"message":"Overloaded","type":"server_error"}}'])),
    ]),
  )
  const events: string[] = []
  const error = await rejection(
    (async () => {
      for await (const event of stream.events()) events.push(event.type)
    })(),
  )
  assert.instance(error, ProviderError)
  assert.equal(events, ['message', 'error'])
})

test('ChatReader.snapshots() gives one growing, frozen snapshot per chunk; the last is the completion', async () => {
  const stream = chatStream(sseResponse(done(textChunks(['a', 'b']))))
  const completion = stream.completion()
  const snapshots = await readAll(stream.snapshots())
  assert.equal(
    snapshots.map((snapshot) => snapshot.choices[0]?.message.content),
    [null, 'a', 'ab', 'ab'],
  )
  assert.ok(snapshots.every((snapshot) => Object.isFrozen(snapshot)))
  assert.is(snapshots.at(-1), await completion)
})

test('ChatReader reads a ReadableStream of bytes and an AsyncIterable of bytes', async () => {
  const text = done(textChunks(['from', ' a stream']))
  assert.equal(await readAll(chatStream(fromParts([bytes(text)])).textStream()), ['from', ' a stream'])
  async function* generate() {
    for (const part of splitAt(bytes(text), [3, 50, 51, 120])) yield part
  }
  assert.equal(await readAll(chatStream(generate()).textStream()), ['from', ' a stream'])
})

test('chatStream() throws a TypeError for a source of another kind, and for a used response body', async () => {
  assert.throws(
    () => chatStream('data: [DONE]' as never),
    (error: unknown) => error instanceof TypeError && /got string/.test(error.message),
  )
  assert.throws(
    () => chatStream(null as never),
    (error: unknown) => error instanceof TypeError && /got null/.test(error.message),
  )
  const used = sseResponse(done([]))
  await used.text()
  assert.throws(
    () => chatStream(used),
    (error: unknown) => error instanceof TypeError && /bodyUsed/.test(error.message),
  )
})

test('chatStream() returns a ChatReader and reads nothing until a reading starts', async () => {
  const source = fromParts([bytes(done(textChunks(['a'])))])
  let pulled = false
  const watched = new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        pulled = true
        const reader = source.getReader()
        const { done: end, value } = await reader.read()
        reader.releaseLock()
        if (end) controller.close()
        else controller.enqueue(value)
      },
    },
    { highWaterMark: 0 },
  )
  const stream = chatStream(watched)
  assert.instance(stream, ChatReader)
  await new Promise((resolve) => setTimeout(resolve, 5))
  assert.is(pulled, false)
  assert.is(await settledSoon(stream.outcome), false)
})

// ---------------------------------------------------------------- one reading

test('ChatReader refuses a second reading with StreamConsumedError naming the first and why', async () => {
  const stream = chatStream(sseResponse(done(textChunks(['a']))))
  const text = stream.textStream()
  assert.throws(
    () => stream.events(),
    (error: unknown) => {
      assert.instance(error, StreamConsumedError)
      const consumed = error as StreamConsumedError
      assert.is(consumed.code, 'SLUICE_STREAM_CONSUMED')
      assert.is(consumed.firstReader, 'textStream()')
      assert.is(consumed.secondReader, 'events()')
      assert.match(
        consumed.message,
        /events\(\) cannot read this ChatReader: textStream\(\) is already reading it, and a ChatReader reads its source once/,
      )
      return true
    },
  )
  assert.throws(
    () => stream[Symbol.asyncIterator](),
    (error: unknown) => error instanceof StreamConsumedError,
  )
  assert.throws(
    () => stream.snapshots(),
    (error: unknown) => error instanceof StreamConsumedError,
  )
  assert.throws(
    () => stream.toSSEResponse(),
    (error: unknown) => error instanceof StreamConsumedError,
  )
  assert.throws(
    () => stream.textStream(),
    (error: unknown) => error instanceof StreamConsumedError,
  )
  // The first reading is not disturbed.
  assert.equal(await readAll(text), ['a'])
})

test('ChatReader: a for await loop started after an awaited completion() read the stream is refused, and says why', async () => {
  const stream = chatStream(sseResponse(done(textChunks(['a']))))
  const completion = stream.completion()
  void completion.then(() => {}) // awaited: completion() reads the stream itself
  await new Promise((resolve) => setTimeout(resolve, 5))
  const error = await rejection(readAll(stream))
  assert.instance(error, StreamConsumedError)
  assert.is((error as StreamConsumedError).firstReader, 'completion()')
  assert.match((error as Error).message, /completion\(\) started reading it itself/)
  assert.is((await completion).choices[0]?.message.content, 'a')
})

test('ChatReader: completion() called first and awaited after a reading started is not refused, in any task', async () => {
  const later = chatStream(sseResponse(done(textChunks(['c']))))
  const pending = later.completion()
  await new Promise((resolve) => setTimeout(resolve, 5)) // not awaited yet: nothing reads the stream
  assert.equal(await readAll(later.textStream()), ['c'])
  assert.is((await pending).choices[0]?.message.content, 'c')

  const stream = chatStream(sseResponse(done(textChunks(['a', 'b']))))
  const completion = stream.completion()
  assert.equal(await readAll(stream.textStream()), ['a', 'b'])
  assert.is((await completion).choices[0]?.message.content, 'ab')
})

// ---------------------------------------------------------------- outcomes and failures

test('ChatReader.outcome is truncated and completion() rejects with TruncatedStreamError carrying partial for a cut-off stream', async () => {
  const stream = chatStream(sseResponse(sse(textChunks(['Half', ' an answer']).slice(0, 3))))
  const completion = stream.completion()
  const error = await rejection(readAll(stream))
  assert.instance(error, TruncatedStreamError)
  assert.is(await rejection(completion), error)
  assert.is((error as { partial?: ChatCompletion }).partial?.choices[0]?.message.content, 'Half an answer')
  const outcome = await stream.outcome
  assert.is(outcome.status, 'truncated')
  assert.is(outcome.error, error)
})

test("ChatReader with truncated: 'close' ends quietly, completion() resolves and outcome says truncated", async () => {
  const stream = chatStream(sseResponse(sse(textChunks(['cut']).slice(0, 2))), { truncated: 'close' })
  assert.is((await stream.completion()).choices[0]?.message.content, 'cut')
  assert.is((await stream.outcome).status, 'truncated')
})

test('ChatReader: a tool call with incomplete arguments after [DONE] is a truncated outcome, the completion still resolves', async () => {
  const sent = [
    chunk({
      role: 'assistant',
      tool_calls: [{ index: 0, id: 'call_a', type: 'function', function: { name: 'f', arguments: '{"a":' } }],
    }),
  ]
  const stream = chatStream(sseResponse(done(sent)))
  const completion = await stream.completion()
  assert.is(completion.choices[0]?.message.tool_calls?.[0]?.function.arguments, '{"a":')
  const outcome = await stream.outcome
  assert.is(outcome.status, 'truncated')
  assert.equal(outcome.openToolCalls, [{ choice: 0, index: 0, id: 'call_a', name: 'f', argumentsLength: 5 }])
})

test('ChatReader: a provider error mid-stream errors the reading, outcome says error, completion() rejects with it and partial', async () => {
  const stream = chatStream(
    sseResponse(
      sse([
        ...textChunks(['So far']).slice(0, 2),
        'event: error\ndata: {"error":{"message":"Overloaded","type":"server_error","code":529}}',
      ]),
    ),
  )
  const completion = stream.completion()
  const error = await rejection(readAll(stream.textStream()))
  assert.instance(error, ProviderError)
  assert.is((error as ProviderError).providerCode, 529)
  assert.is(await rejection(completion), error)
  assert.is((error as { partial?: ChatCompletion }).partial?.choices[0]?.message.content, 'So far')
  const outcome = await stream.outcome
  assert.is(outcome.status, 'error')
  assert.is(outcome.error, error)
})

test('ChatReader: a source that fails with a string is cancelled (sluice judges a reason that is not an Error so): completion() rejects with StreamCancelledError and partial', async () => {
  async function* failing() {
    yield bytes(sse(textChunks(['a']).slice(0, 2)))
    throw 'socket hang up'
  }
  const stream = chatStream(failing())
  const error = await rejection(stream.completion())
  assert.instance(error, StreamCancelledError)
  assert.is((error as StreamCancelledError).reason, 'socket hang up')
  assert.is((error as StreamCancelledError).partial?.choices[0]?.message.content, 'a')
  assert.is((await stream.outcome).status, 'cancelled')
})

test('ChatReader: a source that fails with an Error gives outcome error and that error, with partial', async () => {
  const failure = new TypeError('network error')
  async function* failing() {
    yield bytes(sse(textChunks(['a']).slice(0, 2)))
    throw failure
  }
  const stream = chatStream(failing())
  const error = await rejection(stream.completion())
  assert.is(error, failure)
  assert.is((error as { partial?: ChatCompletion }).partial?.choices[0]?.message.content, 'a')
  assert.is((await stream.outcome).status, 'error')
})

// ---------------------------------------------------------------- cancel and abort

test('ChatReader.cancel() during a for await loop ends it, cancels the upstream, and outcome says cancelled', async () => {
  const source = fromParts(textChunks(['a', 'b', 'c', 'd']).map((item) => bytes(sse([item]))))
  const stream = chatStream(source)
  const completion = stream.completion()
  const seen: ChatCompletionChunk[] = []
  for await (const item of stream) {
    seen.push(item)
    if (seen.length === 2) await stream.cancel()
  }
  assert.is(seen.length, 2)
  assert.is(await source.cancelled, undefined)
  const outcome = await stream.outcome
  assert.is(outcome.status, 'cancelled')
  const error = await rejection(completion)
  assert.instance(error, StreamCancelledError)
  assert.is((error as StreamCancelledError).code, 'SLUICE_STREAM_CANCELLED')
  assert.is((error as StreamCancelledError).partial?.choices[0]?.message.content, 'a')
})

test('ChatReader.cancel(reason) before any reading cancels the unread response body with the reason', async () => {
  const source = fromParts([bytes(done(textChunks(['a'])))])
  const stream = chatStream(new Response(source, { headers: { 'content-type': 'text/event-stream' } }))
  await stream.cancel('user left')
  assert.is(await source.cancelled, 'user left')
  const outcome = await stream.outcome
  assert.is(outcome.status, 'cancelled')
  assert.is(outcome.error, 'user left')
  assert.equal(await readAll(stream), [], 'reading a cancelled stream gives nothing')
})

test('ChatReader.cancel() stops an AsyncIterable source: its finally block runs', async () => {
  let closed = false
  async function* generate() {
    try {
      for (const item of textChunks(['a', 'b', 'c'])) yield bytes(sse([item]))
    } finally {
      closed = true
    }
  }
  const stream = chatStream(generate())
  for await (const _ of stream) {
    await stream.cancel()
  }
  await new Promise((resolve) => setTimeout(resolve, 0))
  assert.is(closed, true)
  assert.is((await stream.outcome).status, 'cancelled')
})

test('ChatReader: a break out of for await cancels the upstream and the outcome is cancelled', async () => {
  const source = fromParts(textChunks(['a', 'b', 'c']).map((item) => bytes(sse([item]))))
  const stream = chatStream(source)
  for await (const _ of stream) break
  await source.cancelled
  assert.is((await stream.outcome).status, 'cancelled')
})

test('ChatReader: cancelling the ReadableStream of textStream() cancels the upstream with the reason', async () => {
  const source = fromParts(textChunks(['a', 'b', 'c']).map((item) => bytes(sse([item]))))
  const stream = chatStream(source)
  const reader = stream.textStream().getReader()
  assert.equal(await reader.read(), { done: false, value: 'a' })
  await reader.cancel('enough')
  assert.is(await source.cancelled, 'enough')
  const outcome = await stream.outcome
  assert.is(outcome.status, 'cancelled')
  assert.is(outcome.error, 'enough')
})

test('ChatReader: aborting the signal mid-stream rejects the reading with the reason, cancels the upstream, outcome cancelled', async () => {
  const source = fromParts(textChunks(['a', 'b', 'c']).map((item) => bytes(sse([item]))))
  const controller = new AbortController()
  const stream = chatStream(source, { signal: controller.signal })
  const completion = stream.completion()
  const seen: string[] = []
  const error = await rejection(
    (async () => {
      for await (const text of stream.textStream()) {
        seen.push(text)
        controller.abort()
      }
    })(),
  )
  assert.is((error as Error).name, 'AbortError')
  assert.equal(seen, ['a'])
  assert.is(((await source.cancelled) as Error).name, 'AbortError')
  const outcome = await stream.outcome
  assert.is(outcome.status, 'cancelled')
  assert.is(outcome.error, error)
  const rejected = await rejection(completion)
  assert.is(rejected, error)
  assert.is((rejected as { partial?: ChatCompletion }).partial?.choices[0]?.message.content, 'a')
})

test('ChatReader: an already aborted signal settles the outcome at once and cancels the body', async () => {
  const source = fromParts([bytes(done(textChunks(['a'])))])
  const stream = chatStream(source, { signal: AbortSignal.abort() })
  assert.is((await stream.outcome).status, 'cancelled')
  assert.is(((await source.cancelled) as Error).name, 'AbortError')
  assert.is(((await rejection(readAll(stream))) as Error).name, 'AbortError')
})

// ---------------------------------------------------------------- options

test('ChatReader passes options through: onQuirk hears the decoder and the accumulator, trailingEvent repairs', async () => {
  const quirks: Quirk['code'][] = []
  const sent = [chunk({ content: 'no role' }), chunk({}, { finish: 'stop' })]
  const text = `${sse(sent)}data: [DONE]\n` // Azure: no blank line after the last event
  const stream = chatStream(sseResponse(text), {
    trailingEvent: 'dispatch-json',
    onQuirk: (quirk) => quirks.push(quirk.code),
  })
  assert.is((await stream.completion()).choices[0]?.message.content, 'no role')
  assert.equal(quirks, ['missing-role', 'unterminated-event'])
  const outcome = await stream.outcome
  assert.is(outcome.status, 'complete')
  assert.equal(
    outcome.quirks.map((quirk) => quirk.code),
    ['unterminated-event', 'missing-role'],
  )
})

test('ChatReader passes options through: strict turns a repair into a StrictModeError, onEvent/onChunk/onComment trace', async () => {
  const sent = [chunk({ content: 'no role' }), chunk({}, { finish: 'stop' })]
  const strict = await rejection(chatStream(sseResponse(done(sent)), { strict: true }).completion())
  assert.is((strict as Error).name, 'StrictModeError')
  const traced: string[] = []
  const options: ChatReaderOptions = {
    onEvent: (event, info) => traced.push(`event ${info.index} ${event.data.length} @${info.byteOffset}`),
    onChunk: (_, info) => traced.push(`chunk ${info.index}`),
    onComment: (text) => traced.push(`comment ${text}`),
  }
  await chatStream(sseResponse(`: hi\n\n${done(textChunks(['a']))}`), options).completion()
  assert.equal(traced.slice(0, 3), [
    'comment hi',
    `event 0 ${JSON.stringify(textChunks(['a'])[0]).length} @${6 + bytes(sse(textChunks(['a']).slice(0, 1))).length}`,
    'chunk 0',
  ])
})

test("ChatReader with afterDone: 'drain' reads past [DONE] and reports what followed", async () => {
  const quirks: string[] = []
  const text = `${done(textChunks(['a']))}data: {"late":true}\n\n`
  const stream = chatStream(sseResponse(text), { afterDone: 'drain', onQuirk: (quirk) => quirks.push(quirk.code) })
  assert.is((await stream.completion()).choices[0]?.message.content, 'a')
  assert.equal(quirks, ['event-after-done'])
})

test('chatStream() refuses an idleTimeoutMs that is not a positive number', () => {
  for (const idleTimeoutMs of [0, -1, Number.NaN, 2 ** 31, '10' as never]) {
    assert.throws(
      () => chatStream(sseResponse(''), { idleTimeoutMs }),
      (error: unknown) => error instanceof RangeError && /idleTimeoutMs/.test(error.message),
    )
  }
})

// ---------------------------------------------------------------- chunk boundaries

test('ChatReader gives the same chunks, text and completion for any split of the bytes', async () => {
  const text = mixedStream()
  const data = bytes(text)
  const expected = await reference(text)
  const expectedCompletion = await chatStream(fromParts([data])).completion()
  assert.is(expectedCompletion.choices[0]?.message.content, 'Crème brûlée 🦕, line\nbreak')
  assert.is(expectedCompletion.choices[0]?.message.tool_calls?.length, 2)
  await fc.assert(
    fc.asyncProperty(fc.array(fc.nat(), { maxLength: 12 }), async (cuts) => {
      const parts = splitAt(data, cuts)
      assert.equal(await readAll(chatStream(fromParts(parts))), expected)
      assert.equal((await readAll(chatStream(fromParts(parts)).textStream())).join(''), 'Crème brûlée 🦕, line\nbreak')
      assert.equal(await chatStream(fromParts(parts)).completion(), expectedCompletion)
    }),
    { numRuns: 60 },
  )
})

test('ChatReader gives the same completion at every split point of a short stream, and one byte at a time', async () => {
  const data = bytes(done(textChunks(['é🦕'])))
  const expected = await chatStream(fromParts([data])).completion()
  for (let offset = 0; offset <= data.length; offset++) {
    assert.equal(await chatStream(fromParts([data.subarray(0, offset), data.subarray(offset)])).completion(), expected)
  }
  const single = Array.from(data, (_, index) => data.subarray(index, index + 1))
  assert.equal(await chatStream(fromParts(single)).completion(), expected)
})

test.run()
