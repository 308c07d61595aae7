import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { SSEStream } from '@sluice/sse'
import { chunk, sse, textChunks } from '@sluice/test-support'
import { asPipelineStage as stage, collectInto as sink } from '@sluice/test-support/node'
import { ChatChunkStream, ChunkDecoderStream, ProviderError, type ChatCompletionChunk } from '../src/index.ts'

const body = (text: string) => Readable.from([Buffer.from(text.slice(0, 50)), Buffer.from(text.slice(50))])

test("ChunkDecoderStream with afterDone: 'drain' completes a stream.pipeline that goes on after [DONE]", async () => {
  const out: ChatCompletionChunk[] = []
  const text = sse([...textChunks(['a']), 'data: [DONE]', chunk({ content: 'late' })])
  await pipeline(body(text), stage(new SSEStream()), stage(new ChunkDecoderStream({ afterDone: 'drain' })), sink(out))
  assert.equal(out, textChunks(['a']))
})

test("ChatChunkStream with afterDone: 'drain' completes a stream.pipeline", async () => {
  const out: ChatCompletionChunk[] = []
  await pipeline(
    body(sse([...textChunks(['a', 'b']), 'data: [DONE]'])),
    stage(new ChatChunkStream({ afterDone: 'drain' })),
    sink(out),
  )
  assert.equal(out, textChunks(['a', 'b']))
})

test('ChatChunkStream with default options completes a stream.pipeline that goes on after [DONE], writing every chunk', async () => {
  const text = sse([...textChunks(['a', 'b']), 'data: [DONE]', chunk({ content: 'late' }), 'event: error\ndata: late'])
  const out: ChatCompletionChunk[] = []
  await pipeline(body(text), stage(new ChatChunkStream()), sink(out))
  assert.equal(out, textChunks(['a', 'b']))
})

test("ChunkDecoderStream with afterDone: 'cancel' makes stream.pipeline reject: why 'auto' drains a writer", async () => {
  const text = sse([...textChunks(['a']), 'data: [DONE]', chunk({ content: 'late' })])
  try {
    await pipeline(body(text), stage(new ChatChunkStream({ afterDone: 'cancel' })), sink<ChatCompletionChunk>([]))
    assert.unreachable('pipeline resolved')
  } catch (error) {
    assert.instance(error, TypeError)
    assert.match((error as Error).message, /terminated/)
  }
})

test('ChatChunkStream rejects stream.pipeline with ProviderError intact', async () => {
  try {
    await pipeline(
      body(`${sse(textChunks(['a']).slice(0, 2))}event: error\ndata: {"error":{"message":"boom"}}\n\n`),
      stage(new ChatChunkStream()),
      sink<ChatCompletionChunk>([]),
    )
    assert.unreachable('pipeline resolved')
  } catch (error) {
    assert.instance(error, ProviderError)
    assert.is((error as ProviderError).code, 'SLUICE_PROVIDER_ERROR')
  }
})

test.run()
