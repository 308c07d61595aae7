import { test } from 'uvu'
import * as assert from 'uvu/assert'
import fc from 'fast-check'
import { iterate } from '@sluice/compose'
import { InvalidUTF8Error, LineSplitterStream } from '@sluice/lines'
import { EventTooLargeError, SSEDecoderStream, SSEParser, type SSEQuirkCode, SSEStream } from '@sluice/sse'
import {
  bytes,
  chunk,
  collect,
  concat,
  fromChunks,
  rejection,
  splitAt,
  sse,
  textChunks,
  usageChunk,
} from '@sluice/test-support'
import {
  ChatChunkParser,
  ChatChunkStream,
  ChunkDecoderStream,
  ProviderError,
  StrictModeError,
  TruncatedStreamError,
  type ChatChunkStreamOptions,
  type ChatCompletionChunk,
  type ChunkInfo,
  type Quirk,
  type ChunkQuirkCode,
  type StreamOutcome,
} from '../src/index.ts'

type QuirkCode = ChunkQuirkCode | SSEQuirkCode

const encoder = new TextEncoder()
const byteLength = (text: string) => encoder.encode(text).length

/** Runs `text` through ChatChunkStream; the chunks (or the error) and the verdict. */
async function fused(parts: Uint8Array[], options?: ChatChunkStreamOptions) {
  const stream = new ChatChunkStream(options)
  const run = collect(fromChunks(parts).pipeThrough(stream))
  const result: { chunks?: ChatCompletionChunk[]; error?: unknown } = await run.then(
    (chunks) => ({ chunks }),
    (error: unknown) => ({ error }),
  )
  return { ...result, outcome: await stream.outcome }
}

/** The same through iterate(), the pull path. */
async function pulled(parts: Uint8Array[], options?: ChatChunkStreamOptions) {
  const parser = new ChatChunkParser(options)
  const chunks: ChatCompletionChunk[] = []
  try {
    for await (const item of iterate(fromChunks(parts), parser)) chunks.push(item)
  } catch (error) {
    return { error, chunks, outcome: await parser.outcome }
  }
  return { error: undefined, chunks, outcome: await parser.outcome }
}

const done = (items: (ChatCompletionChunk | string)[]) => sse([...items, 'data: [DONE]'])

// ---------------------------------------------------------------- complete

test('outcome: a stream ending with [DONE] is complete, with every count', async () => {
  const sent = [...textChunks(['Crème', ' brûlée']), usageChunk()]
  const text = done(sent)
  const { chunks, outcome } = await fused([bytes(text)])
  assert.equal(chunks, sent)
  const expected: StreamOutcome = {
    status: 'complete',
    sawDone: true,
    finishReasons: { 0: 'stop' },
    unfinishedEvent: null,
    quirks: [],
    lastEventId: '',
    counts: { bytes: byteLength(text), lines: 2 * (sent.length + 1), events: sent.length + 1, chunks: sent.length },
    openToolCalls: [],
  }
  assert.equal(outcome, expected)
})

test('outcome: a finish_reason on every choice without [DONE] is complete (gateways that never send it)', async () => {
  const sent = [
    chunk({ content: 'a' }, { index: 0 }),
    chunk({ content: 'b' }, { index: 1 }),
    chunk({}, { index: 1, finish: 'length' }),
    chunk({}, { index: 0, finish: 'stop' }),
  ]
  const { outcome } = await fused([bytes(sse(sent))])
  assert.is(outcome.status, 'complete')
  assert.is(outcome.sawDone, false)
  assert.equal(outcome.finishReasons, { 0: 'stop', 1: 'length' })
})

test('outcome: the last event id and the SSE counters come from the SSE stage', async () => {
  const text = `id: 7\n${done(textChunks(['x']))}`
  const { outcome } = await fused([bytes(text)])
  assert.is(outcome.lastEventId, '7')
  assert.is(outcome.counts.lines, 1 + 2 * 4)
})

// ---------------------------------------------------------------- truncated

test('outcome: a cut-off stream errors with TruncatedStreamError that carries the verdict and names what is missing', async () => {
  const pending = '{"id":"chatcmpl-7Zx","choi'
  const text = `${sse(textChunks(['a']).slice(0, 2))}data: ${pending}`
  const { error, outcome } = await fused([bytes(text)])
  assert.instance(error, TruncatedStreamError)
  const truncated = error as TruncatedStreamError
  assert.is(
    truncated.message,
    `the stream was cut off: no [DONE]; choice 0 has no finish_reason; an unfinished event of 1 line (${pending.length} chars) was discarded (after 2 chunks)`,
  )
  assert.is(outcome.status, 'truncated')
  assert.is(outcome.error, error)
  assert.equal(outcome.unfinishedEvent, { lines: 1, dataLength: pending.length, lastLine: 5 })
  const { error: _, ...verdict } = outcome
  assert.equal(truncated.outcome, verdict)
})

test('outcome: finish reasons everywhere but an unfinished last event is truncated', async () => {
  const text = `${sse(textChunks(['a']))}data: {"partial"`
  const { outcome } = await fused([bytes(text)], { truncated: 'close' })
  assert.is(outcome.status, 'truncated')
  assert.equal(outcome.finishReasons, { 0: 'stop' })
  assert.is(outcome.unfinishedEvent?.lines, 1)
  assert.instance(outcome.error, TruncatedStreamError)
})

test("outcome: data: [DONE] at the end without its blank line is complete (unterminated-done), also with trailingEvent: 'dispatch-json'", async () => {
  for (const ending of ['data: [DONE]\n', 'data: [DONE]', 'data: [DONE]\r\n', 'data:[DONE]']) {
    const text = `${sse(textChunks(['a']))}${ending}`
    for (const run of [fused, pulled]) {
      const plain = await run([bytes(text)])
      assert.is(plain.error, undefined, JSON.stringify(ending))
      assert.is(plain.outcome.status, 'complete', JSON.stringify(ending))
      assert.is(plain.outcome.sawDone, true)
      assert.equal(plain.outcome.unfinishedEvent, null)
      assert.equal(
        plain.outcome.quirks.map((quirk) => [quirk.code, quirk.eventIndex, quirk.line]),
        [['unterminated-done', 3, 7]],
      )
    }
  }
  // Another event type, or other data, stays an unfinished event: the stream is truncated.
  assert.is(
    (await fused([bytes(`${sse(textChunks(['a']))}event: ping\ndata: [DONE]`)], { truncated: 'close' })).outcome.status,
    'truncated',
  )
  assert.is(
    (await fused([bytes(`${sse(textChunks(['a']))}data: [DONE] now`)], { truncated: 'close' })).outcome.status,
    'truncated',
  )
  const text = `${sse(textChunks(['a']))}data: [DONE]\n`
  const { outcome } = await fused([bytes(text)], { trailingEvent: 'dispatch-json' })
  assert.is(outcome.status, 'complete')
  assert.is(outcome.sawDone, true)
  assert.equal(
    outcome.quirks.map((quirk) => [quirk.code, quirk.eventIndex, quirk.line]),
    [['unterminated-event', 3, 7]],
  )
  const lastChunk = `${sse(textChunks(['a']).slice(0, 2))}data: ${JSON.stringify(chunk({}, { finish: 'stop' }))}`
  const repaired = await fused([bytes(lastChunk)], { trailingEvent: 'dispatch-json' })
  assert.is(repaired.outcome.status, 'complete')
  assert.is(repaired.chunks?.length, 3)
})

test('outcome: strict leaves an unterminated last event undispatched, and refuses to take it as [DONE]', async () => {
  const text = `${sse(textChunks(['a']))}data: [DONE]\n`
  const { outcome, error } = await fused([bytes(text)], {
    trailingEvent: 'dispatch-json',
    strict: true,
    truncated: 'close',
  })
  assert.instance(error, StrictModeError)
  assert.is((error as StrictModeError).quirk.code, 'unterminated-done')
  assert.is(outcome.status, 'error')
})

// ---------------------------------------------------------------- error

test('outcome: a provider error mid-stream is an error verdict, with what came before', async () => {
  const text = `${sse(textChunks(['a']).slice(0, 2))}event: error\ndata: {"error":{"message":"overloaded","code":529}}\n\n`
  const { error, outcome } = await fused([bytes(text)])
  assert.instance(error, ProviderError)
  assert.is(outcome.status, 'error')
  assert.is(outcome.error, error)
  assert.is(outcome.counts.chunks, 2)
  assert.is(outcome.counts.events, 3)
})

test('outcome: an error of an earlier fused stage (invalid UTF-8) reaches the verdict', async () => {
  const text = concat([bytes(sse(textChunks(['a']).slice(0, 2))), new Uint8Array([0x64, 0x61, 0xff, 0x0a])])
  for (const run of [fused, pulled]) {
    const { error, outcome } = await run([text], { fatal: true })
    assert.instance(error, InvalidUTF8Error)
    assert.is(outcome.status, 'error')
    assert.is(outcome.error, error)
  }
})

test('outcome: strict mode turns a repair into an error verdict', async () => {
  const text = `data: ${JSON.stringify(chunk({ content: 'a' }))}\ndata: ${JSON.stringify(chunk({ content: 'b' }))}\n\n`
  const { error, outcome } = await fused([bytes(text)], { strict: true })
  assert.instance(error, StrictModeError)
  assert.is(outcome.status, 'error')
})

// ---------------------------------------------------------------- the piped chain

test('outcome: the piped chain, linked by pipeThrough, gives the same outcome as the fused stream', async () => {
  const text = `id: 3\n: keep-alive\n${done([...textChunks(['a', 'b']), usageChunk()])}`
  const lines = new LineSplitterStream()
  const events = new SSEDecoderStream()
  const decoder = new ChunkDecoderStream()
  const chunks = await collect(
    fromChunks([bytes(text)])
      .pipeThrough(lines)
      .pipeThrough(events)
      .pipeThrough(decoder),
  )
  const reference = await fused([bytes(text)])
  assert.equal(chunks, reference.chunks)
  assert.equal(await decoder.outcome, reference.outcome)
})

test('outcome: a decoder no sluice stage links to counts the events it sees itself; bytes and lines are null', async () => {
  const text = `id: 3\n${done(textChunks(['a']))}`
  const decoder = new ChunkDecoderStream()
  await collect(
    fromChunks([bytes(text)])
      .pipeThrough(new TransformStream(new SSEParser()))
      .pipeThrough(decoder),
  )
  const outcome = await decoder.outcome
  assert.equal(outcome.counts, { bytes: null, lines: null, events: 4, chunks: 3 })
  assert.is(outcome.lastEventId, '3')
})

test('outcome: an error of an earlier piped stage reaches the verdict in every runtime', async () => {
  const text = done([chunk({ content: 'x'.repeat(100) })])
  const events = new SSEStream({ maxEventSize: 50 })
  const decoder = new ChunkDecoderStream()
  const error = await rejection(
    collect(
      fromChunks([bytes(text)])
        .pipeThrough(events)
        .pipeThrough(decoder),
    ),
  )
  assert.instance(error, EventTooLargeError)
  // sluice's streams call the transformer's cancel hook themselves, where a native
  // TransformStream does not (Chromium, Firefox, WebKit).
  const outcome = await decoder.outcome
  assert.is(outcome.status, 'error')
  assert.is(outcome.error, error)
})

// ---------------------------------------------------------------- cancelled

test('outcome: leaving an iterate() loop early is cancelled', async () => {
  const parser = new ChatChunkParser()
  const events = done(textChunks(['a', 'b', 'c']))
    .split(/(?<=\n\n)/)
    .map(bytes)
  for await (const item of iterate(fromChunks(events), parser)) {
    if (item.choices[0]?.delta.content === 'a') break
  }
  const outcome = await parser.outcome
  assert.is(outcome.status, 'cancelled')
  assert.is(outcome.counts.chunks, 2)
})

test('outcome: cancelling the reader of a stream is cancelled in every runtime', async () => {
  const stream = new ChatChunkStream()
  const writer = stream.writable.getWriter()
  void writer.write(bytes(sse(textChunks(['a']).slice(0, 2)))).catch(() => {})
  const reader = stream.readable.getReader()
  await reader.read()
  await reader.cancel('user left')
  const outcome = await stream.outcome
  assert.is(outcome.status, 'cancelled')
  assert.is(outcome.error, 'user left')
})

test('outcome: an AbortError is a cancellation, another Error an error', async () => {
  for (const [reason, status] of [
    [new DOMException('stopped', 'AbortError'), 'cancelled'],
    [new TypeError('network'), 'error'],
    [undefined, 'cancelled'],
  ] as const) {
    const parser = new ChatChunkParser()
    parser.cancel(reason)
    assert.is((await parser.outcome).status, status)
  }
})

// ---------------------------------------------------------------- tracing

test('onChunk and onEvent trace each frame with its position; quirks carry line numbers', async () => {
  const traced: [string, ChunkInfo][] = []
  const eventsSeen: [string, { index: number; lineNumber: number }][] = []
  const quirks: Quirk[] = []
  const text = `: hi\n${sse([chunk({ content: 'a' })])}data: ${JSON.stringify(chunk({ content: 'b' }))}\ndata: ${JSON.stringify(chunk({ content: 'c' }))}\n\ndata: [DONE]\n\n`
  const { outcome } = await fused([bytes(text)], {
    onChunk: (item, info) => traced.push([item.choices[0]!.delta.content!, info]),
    onEvent: (event, info) => eventsSeen.push([event.data.slice(0, 6), info]),
    onQuirk: (quirk) => quirks.push(quirk),
  })
  // Byte offset just past line n: the UTF-8 length of the first n lines with their LFs.
  const past = (n: number) => byteLength(text.split('\n').slice(0, n).join('\n')) + 1
  assert.equal(traced, [
    ['a', { index: 0, eventIndex: 0, lineNumber: 3, byteOffset: past(3) }],
    ['b', { index: 1, eventIndex: 1, lineNumber: 6, byteOffset: past(6) }],
    ['c', { index: 2, eventIndex: 1, lineNumber: 6, byteOffset: past(6) }],
  ])
  assert.equal(eventsSeen, [
    ['{"id":', { index: 0, lineNumber: 3, byteOffset: past(3) }],
    ['{"id":', { index: 1, lineNumber: 6, byteOffset: past(6) }],
    ['[DONE]', { index: 2, lineNumber: 8, byteOffset: past(8) }],
  ])
  assert.is(past(8), byteLength(text))
  assert.equal(
    quirks.map((quirk) => [quirk.code, quirk.eventIndex, quirk.line]),
    [['missing-separator', 1, 6]],
  )
  assert.equal(outcome.quirks, quirks)
})

// ---------------------------------------------------------------- properties

const answers = fc.array(fc.string({ unit: 'grapheme', maxLength: 6 }), { minLength: 1, maxLength: 5 })

/** A complete stream as events, and the byte offset at which each event ends. */
function completeStream(parts: string[], withUsage: boolean) {
  const sent = [...textChunks(parts), ...(withUsage ? [usageChunk()] : [])]
  const events = [...sent.map((item) => sse([item])), 'data: [DONE]\n\n']
  const ends: number[] = []
  let offset = 0
  for (const event of events) ends.push((offset += byteLength(event)))
  const finishIndex = parts.length + 1 // textChunks: role chunk, the parts, the finish chunk
  return { data: bytes(events.join('')), ends, finishEnd: ends[finishIndex]! }
}

test('property: a stream cut before its finish_reason event is fully received is truncated; cut later, complete only at an event boundary', async () => {
  await fc.assert(
    fc.asyncProperty(
      answers,
      fc.boolean(),
      fc.nat(),
      fc.array(fc.nat(), { maxLength: 4 }),
      async (parts, withUsage, cutSeed, splits) => {
        const { data, ends, finishEnd } = completeStream(parts, withUsage)
        const cut = cutSeed % (data.length + 1)
        const input = splitAt(data.subarray(0, cut), splits)
        // Cut after `data: [DONE]` or its first LF, before the blank line: [DONE] all the same (unterminated-done).
        const sawDone = cut >= data.length - 2
        const expected = !sawDone && (cut < finishEnd || !ends.includes(cut)) ? 'truncated' : 'complete'
        for (const run of [fused, pulled]) {
          const { outcome } = await run(input, { truncated: 'close' })
          assert.is(outcome.status, expected, `cut at ${cut} of ${data.length} (finish event ends at ${finishEnd})`)
          assert.is(outcome.sawDone, sawDone)
        }
      },
    ),
    { numRuns: 150 },
  )
})

test('property: leaving the loop before the end is cancelled, whatever the point', async () => {
  await fc.assert(
    fc.asyncProperty(answers, fc.nat(), async (parts, stopSeed) => {
      const sent = textChunks(parts)
      const stop = stopSeed % sent.length
      const parser = new ChatChunkParser()
      let seen = 0
      for await (const _ of iterate(
        fromChunks([...sent.map((item) => bytes(sse([item]))), bytes('data: [DONE]\n\n')]),
        parser,
      )) {
        if (seen++ === stop) break
      }
      const outcome = await parser.outcome
      assert.is(outcome.status, 'cancelled')
      assert.is(outcome.counts.chunks, stop + 1)
    }),
    { numRuns: 60 },
  )
})

type Fault = 'none' | 'separator' | 'empty-data' | 'missing-index'
const EXPECTED_CODE: Record<Exclude<Fault, 'none'>, QuirkCode> = {
  separator: 'missing-separator',
  'empty-data': 'empty-data',
  'missing-index': 'missing-index',
}

test('property: every repair made appears in the verdict, in order', async () => {
  await fc.assert(
    fc.asyncProperty(
      answers,
      fc.array(fc.constantFrom<Fault>('none', 'separator', 'empty-data', 'missing-index'), {
        minLength: 8,
        maxLength: 8,
      }),
      fc.boolean(),
      fc.array(fc.nat(), { maxLength: 4 }),
      async (parts, faults, unterminated, splits) => {
        const sent = textChunks(parts)
        const expected: QuirkCode[] = []
        let text = ''
        for (let index = 0; index < sent.length; index++) {
          const fault = faults[index % faults.length]!
          const json = JSON.stringify(sent[index])
          if (fault === 'missing-index') {
            text += `data: ${json.replace('"index":0,', '')}\n\n`
          } else if (fault === 'separator' && index + 1 < sent.length) {
            text += `data: ${json}\ndata: ${JSON.stringify(sent[++index])}\n\n`
          } else if (fault === 'empty-data') {
            text += `data:\n\ndata: ${json}\n\n`
          } else {
            text += `data: ${json}\n\n`
            continue
          }
          expected.push(EXPECTED_CODE[fault as Exclude<Fault, 'none'>])
        }
        text += unterminated ? 'data: [DONE]\n' : 'data: [DONE]\n\n'
        if (unterminated) expected.push('unterminated-event')
        const reported: QuirkCode[] = []
        const { outcome } = await fused(splitAt(bytes(text), splits), {
          trailingEvent: 'dispatch-json',
          onQuirk: (quirk) => reported.push(quirk.code),
        })
        assert.equal(
          outcome.quirks.map((quirk) => quirk.code),
          expected,
        )
        assert.equal(reported, expected)
        assert.is(outcome.status, 'complete')
      },
    ),
    { numRuns: 100 },
  )
})

test.run()
