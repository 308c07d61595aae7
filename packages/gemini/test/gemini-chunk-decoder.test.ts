/** The decoder's rules one by one: the verdict, error chunks, other formats named, malformed chunks, quirks, limits. */
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { StrictModeError } from '@sluice/openai'
import { bytes, fromChunks, readToEnd } from '@sluice/test-support'
import {
  GeminiChunkParseError,
  GeminiChunkStream,
  type GeminiChunkStreamOptions,
  ProviderError,
  TruncatedGeminiError,
  UnexpectedGeminiChunkError,
} from '../src/index.ts'

async function decode(text: string, options: GeminiChunkStreamOptions = {}) {
  const stream = new GeminiChunkStream(options)
  const { items, error } = await readToEnd(fromChunks([bytes(text)]).pipeThrough(stream))
  const outcome = await stream.outcome
  return { chunks: items, error, outcome, codes: outcome.quirks.map((quirk) => quirk.code) }
}

const frame = (chunk: unknown) => `data: ${JSON.stringify(chunk)}\r\n\r\n`
const text = (value: string, extra: Record<string, unknown> = {}, index?: number) => ({
  candidates: [
    { content: { role: 'model', parts: [{ text: value }] }, ...(index === undefined ? {} : { index }), ...extra },
  ],
})

test('complete when every candidate finished; the outcome names the response', async () => {
  const run = await decode(
    frame({ ...text('Hel'), responseId: 'r1', modelVersion: 'gemini-x' }) + frame(text('lo', { finishReason: 'STOP' })),
  )
  assert.is(run.outcome.status, 'complete')
  assert.is(run.outcome.responseId, 'r1')
  assert.is(run.outcome.modelVersion, 'gemini-x')
  assert.equal(run.outcome.candidates, [{ index: 0, finishReason: 'STOP', characters: 5, streamingCall: false }])
  assert.is(run.chunks.length, 2)
})

test('two candidates: complete only when both finished', async () => {
  const both = frame(text('a', {}, 0)) + frame(text('b', { finishReason: 'STOP' }, 1))
  const run = await decode(both)
  assert.is(run.outcome.status, 'truncated')
  assert.match((run.error as Error).message, 'candidate 0 has no finishReason after 1 chars')
  const done = await decode(both + frame(text('', { finishReason: 'MAX_TOKENS' }, 0)))
  assert.is(done.outcome.status, 'complete')
})

test('a blocked prompt is complete without candidates; an empty body is truncated', async () => {
  const run = await decode(frame({ promptFeedback: { blockReason: 'SAFETY' } }))
  assert.is(run.outcome.status, 'complete')
  assert.is(run.outcome.blockReason, 'SAFETY')
  const empty = await decode('')
  assert.instance(empty.error, TruncatedGeminiError)
  assert.match((empty.error as Error).message, 'no candidate and no blockReason')
  let heard: TruncatedGeminiError | undefined
  const closed = await decode(frame(text('a')), { truncated: 'close', onTruncated: (error) => (heard = error) })
  assert.is(closed.error, undefined)
  assert.instance(heard, TruncatedGeminiError)
  assert.is(heard!.retryable, true)
})

test('an error chunk is a ProviderError with its code and status, after the chunks before it', async () => {
  const run = await decode(
    frame(text('Hi')) + frame({ error: { code: 429, message: 'Resource exhausted', status: 'RESOURCE_EXHAUSTED' } }),
  )
  assert.is(run.chunks.length, 1)
  assert.instance(run.error, ProviderError)
  const error = run.error as ProviderError
  assert.is(error.providerCode, 429)
  assert.is(error.type, 'RESOURCE_EXHAUSTED')
  assert.is(error.retryable, true)
  assert.is(error.eventIndex, 1)
  assert.is(error.line, 4)
  assert.is(run.outcome.status, 'error')
})

test('data that is not a chunk: not JSON, not an object, another format', async () => {
  assert.instance((await decode('data: {"candidates":\r\n\r\n')).error, GeminiChunkParseError)
  assert.match(String((await decode('data: [1]\r\n\r\n')).error), 'data is not a JSON object')
  const chat = await decode(frame({ id: 'c', object: 'chat.completion.chunk', choices: [] }))
  assert.match(String(chat.error), 'this is a Chat Completions stream, not a Gemini stream')
  const responses = await decode(`event: response.created\r\n${frame({ type: 'response.created', response: {} })}`)
  assert.match(String(responses.error), 'this is an OpenAI Responses stream')
  const anthropic = await decode(frame({ type: 'message_start', message: {} }))
  assert.match(String(anthropic.error), 'this is an Anthropic Messages stream')
})

test('malformed candidates, indexes and parts are UnexpectedGeminiChunkErrors', async () => {
  for (const [chunk, why] of [
    [{ candidates: {} }, 'candidates is not an array'],
    [{ candidates: [7] }, 'a candidate is not an object'],
    [{ candidates: [{ index: -1 }] }, 'candidate index -1 is not an integer >= 0'],
    [{ candidates: [{ content: { parts: 'x' } }] }, 'candidate 0: parts is not an array of objects'],
    [
      {
        candidates: [
          { content: { parts: [{ functionCall: { partialArgs: [{ jsonPath: '$..x', stringValue: 'y' }] } }] } },
        ],
      },
      'candidate 0: a partialArgs piece: partialArgs: cannot follow the JSON path "$..x" at 1',
    ],
  ] as const) {
    const run = await decode(frame(chunk))
    assert.instance(run.error, UnexpectedGeminiChunkError)
    assert.match((run.error as Error).message, why)
  }
})

test('quirks: unknown and repeated finish reasons, content after the finish, a named event, an unterminated last chunk', async () => {
  const run = await decode(
    frame(text('a', { finishReason: 'NEW_REASON' })) +
      frame(text('b', { finishReason: 'STOP' })) +
      `event: chunk\r\n${frame(text(''))}` +
      `data: ${JSON.stringify({ usageMetadata: { totalTokenCount: 3 } })}`,
  )
  assert.equal(run.codes, [
    'unknown-finish-reason',
    'content-after-finish',
    'repeated-finish-reason',
    'named-event',
    'content-after-finish',
    'unterminated-last-chunk',
  ])
  assert.is(run.outcome.status, 'complete')
  assert.is(run.chunks.length, 4)
  const strict = await decode(frame(text('a', { finishReason: 'NEW_REASON' })), { strict: true })
  assert.instance(strict.error, StrictModeError)
})

test('CONTINUATION pauses a candidate: not complete; a stray empty functionCall is a quirk', async () => {
  const paused = await decode(frame(text('part one', { finishReason: 'CONTINUATION', continuationToken: 't1' })))
  assert.is(paused.outcome.status, 'truncated')
  assert.match(
    (paused.error as Error).message,
    'candidate 0 was paused (CONTINUATION): continue it with its continuationToken',
  )
  const stray = await decode(frame(part0({ functionCall: {} })) + frame(text('x', { finishReason: 'STOP' })))
  assert.equal(stray.codes, ['empty-function-call'])
  assert.is(stray.outcome.status, 'complete')
})

const part0 = (fields: Record<string, unknown>) => ({ candidates: [{ content: { role: 'model', parts: [fields] } }] })

test('an unterminated last chunk that is not whole JSON is discarded: the stream is cut', async () => {
  const run = await decode(`${frame(text('a'))}data: {"candidates": [{"content"`)
  assert.is(run.outcome.status, 'truncated')
  assert.match((run.error as Error).message, 'an unfinished event of 1 line')
})

test('the limits are the SSE stage’s', async () => {
  const long = await decode(frame(text('x'.repeat(5000))), { maxEventSize: 1000 })
  assert.is((long.error as Error).name, 'EventTooLargeError')
  const line = await decode(frame(text('x'.repeat(500))), { maxLineLength: 100 })
  assert.is((line.error as Error).name, 'LineTooLongError')
})

test.run()
