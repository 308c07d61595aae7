import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { chunk, textChunks } from '@sluice/test-support'
import { chatStream, ChatError, type ChatCompletionChunk } from '../src/index.ts'
import { KeepAliveComment } from '../src/chat-item-tap.ts'
import { ChunkSerializationError } from '../src/errors.ts'
import { errorBody, sseFrames } from '../src/sse-frames.ts'
import { done, sseResponse } from './fixtures.ts'

/** Levels of nesting past what `JSON.stringify` of Node 20 (about 4,000) and Bun (about 40,000) handle. */
const DEPTH = 100_000

/** The last frame of an SSE body, as the `event: error` it should be: its parsed data. */
function errorEvent(body: string): { error: { message: string; type: string; code: unknown; param: unknown } } {
  const last = body.split('\n\n').at(-2)!
  assert.ok(last.startsWith('event: error\ndata: '), last.slice(0, 200))
  assert.not.match(body, /\[DONE\]/)
  return JSON.parse(last.slice('event: error\ndata: '.length))
}

async function text(frames: AsyncIterable<Uint8Array>): Promise<string> {
  const decoder = new TextDecoder()
  let out = ''
  for await (const bytes of frames) out += decoder.decode(bytes, { stream: true })
  return out
}

test('ChatReader.toSSEResponse() ends with an event: error SLUICE_CHUNK_SERIALIZATION for a chunk nested too deeply for JSON.stringify', async () => {
  const [first, second] = textChunks(['a'])
  const deep = `${'{"a":'.repeat(DEPTH)}1${'}'.repeat(DEPTH)}`
  const nested = `data: ${JSON.stringify(second).slice(0, -1)},"nested":${deep}}`
  const body = await chatStream(sseResponse(done([first!, nested, chunk({}, { finish: 'stop' })])))
    .toSSEResponse()
    .text()
  let copes = true
  try {
    JSON.stringify(JSON.parse(deep))
  } catch {
    copes = false
  }
  if (copes) {
    // Deno's JSON.stringify does not recurse on the native stack: the chunk goes out whole.
    assert.ok(body.endsWith('data: [DONE]\n\n'))
    assert.ok(body.includes(`"nested":${deep}}`))
    return
  }
  const { error } = errorEvent(body)
  assert.is(error.code, 'SLUICE_CHUNK_SERIALIZATION')
  assert.is(error.type, 'upstream_error')
  assert.match(error.message, /^chunk 1 cannot be sent as JSON: it is nested too deeply for JSON\.stringify \(/)
  assert.ok(body.startsWith(`data: ${JSON.stringify(first)}\n\n`), 'the chunk before is sent')
})

test('sseFrames: a chunk JSON.stringify throws on ends the frames with its index and why; comments are not counted, the source is closed', async () => {
  let closed = false
  const tooDeep = {
    toJSON() {
      throw new RangeError('Maximum call stack size exceeded')
    },
  } as unknown as ChatCompletionChunk
  async function* items(): AsyncGenerator<ChatCompletionChunk | KeepAliveComment> {
    try {
      yield new KeepAliveComment('keep-alive')
      yield chunk({ role: 'assistant', content: 'a' })
      yield new KeepAliveComment('keep-alive')
      yield tooDeep
      yield chunk({ content: 'never sent' })
    } finally {
      closed = true
    }
  }
  const body = await text(sseFrames(items()))
  const { error } = errorEvent(body)
  assert.equal(error, {
    message:
      'chunk 1 cannot be sent as JSON: it is nested too deeply for JSON.stringify (RangeError: Maximum call stack size exceeded). It was not sent, and the stream ends here',
    type: 'upstream_error',
    code: 'SLUICE_CHUNK_SERIALIZATION',
    param: null,
  })
  assert.not.match(body, /never sent/)
  assert.ok(closed, 'the source was closed')
})

test('ChunkSerializationError names the chunk, keeps the cause, and says when JSON.stringify failed for another reason', async () => {
  const bigint = { ...chunk({ content: 'x' }), usage: { prompt_tokens: 1n } } as unknown as ChatCompletionChunk
  async function* items(): AsyncGenerator<ChatCompletionChunk> {
    yield bigint
  }
  const { error } = errorEvent(await text(sseFrames(items())))
  assert.is(error.code, 'SLUICE_CHUNK_SERIALIZATION')
  assert.match(error.message, /^chunk 0 cannot be sent as JSON: JSON\.stringify failed on it \(TypeError: /)

  const cause = new RangeError('Maximum call stack size exceeded')
  const thrown = new ChunkSerializationError(7, { cause })
  assert.instance(thrown, ChatError)
  assert.is(thrown.name, 'ChunkSerializationError')
  assert.is(thrown.code, 'SLUICE_CHUNK_SERIALIZATION')
  assert.is(thrown.chunkIndex, 7)
  assert.is(thrown.cause, cause)
  assert.is(errorBody(thrown).error.code, 'SLUICE_CHUNK_SERIALIZATION')
})

test.run()
