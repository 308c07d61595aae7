/**
 * The chat streams in Node's `stream.pipeline` with default options, as issue #14 found them
 * failing: a pipeline that goes on after [DONE] must resolve and write every chunk, and one
 * that fails must have written every chunk before the failure.
 */
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { createReadStream, createWriteStream } from 'node:fs'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { pipelineStage } from '@sluice/compose/node'
import { chunk, sse } from '@sluice/test-support'
import { asPipelineStage as stage } from '@sluice/test-support/node'
import { ChatChunkStream, ProviderError, type ChatCompletionChunk } from '../src/index.ts'

const COUNT = 20_001

/** COUNT chunks, [DONE], then what a provider may still send; read in 4 KiB pieces. */
function longStream(after: string): string {
  const chunks = Array.from({ length: COUNT }, (_, index) =>
    chunk({ content: `token ${index}` }, { finish: index === COUNT - 1 ? 'stop' : null }),
  )
  return `${sse(chunks)}data: [DONE]\n\n${after}`
}

const toNDJSON = async function* (chunks: AsyncIterable<unknown>) {
  for await (const item of chunks) yield `${JSON.stringify(item)}\n`
}

async function inTempDir<T>(run: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'sluice-pipeline-'))
  try {
    return await run(dir)
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}

const lines = async (file: string) => (await readFile(file, 'utf8')).split('\n').filter((line) => line !== '')

test(`stream.pipeline(body, new ChatChunkStream(), toNDJSON, file) with default options resolves and writes all ${COUNT} chunks, though the body goes on after [DONE]`, async () => {
  await inTempDir(async (dir) => {
    const source = join(dir, 'body.sse')
    const out = join(dir, 'chunks.ndjson')
    await pipeline(
      Readable.from([Buffer.from(longStream(`${sse([chunk({ content: 'late' })])}event: error\ndata: late\n\n`))]),
      createWriteStream(source),
    )
    await pipeline(
      createReadStream(source, { highWaterMark: 4096 }),
      stage(new ChatChunkStream()),
      toNDJSON,
      createWriteStream(out),
    )
    const written = await lines(out)
    assert.is(written.length, COUNT)
    assert.is(JSON.parse(written.at(-1)!).choices[0].delta.content, `token ${COUNT - 1}`)
  })
})

test(`pipelineStage(new ChatChunkStream()) types the stage without a cast, resolves and writes all ${COUNT} chunks`, async () => {
  await inTempDir(async (dir) => {
    const out = join(dir, 'chunks.ndjson')
    const text = longStream(': keep-alive after the end\n\n')
    const reads = Array.from({ length: Math.ceil(text.length / 4096) }, (_, index) =>
      Buffer.from(text.slice(index * 4096, (index + 1) * 4096)),
    )
    await pipeline(Readable.from(reads), pipelineStage(new ChatChunkStream()), toNDJSON, createWriteStream(out))
    assert.is((await lines(out)).length, COUNT)
  })
})

test('pipelineStage: a provider error rejects the pipeline after every chunk before it reached the next stage', async () => {
  // (Node's pipeline then destroys its destination: a file stream drops what it had not
  // flushed yet. docs/node.md says how to keep it.)
  const text = `${sse(Array.from({ length: 500 }, (_, index) => chunk({ content: `t${index}` })))}event: error\ndata: {"error":{"message":"Overloaded"}}\n\n`
  for (const middle of [() => pipelineStage(new ChatChunkStream()), () => stage(new ChatChunkStream())]) {
    const seen: unknown[] = []
    const error = await pipeline(
      Readable.from([Buffer.from(text)]),
      middle(),
      async (chunks: AsyncIterable<unknown>) => {
        for await (const item of chunks) seen.push(item)
      },
    ).then(
      () => undefined,
      (caught: unknown) => caught,
    )
    assert.instance(error, ProviderError)
    assert.match((error as Error).message, /Overloaded/)
    assert.is(seen.length, 500)
  }
})

test('pipelineStage: a failing source rejects the pipeline with its error, after the chunks that arrived', async () => {
  const seen: ChatCompletionChunk[] = []
  async function* failing() {
    yield Buffer.from(sse([chunk({ content: 'a' }), chunk({ content: 'b' })]))
    throw new TypeError('socket hang up')
  }
  const error = await pipeline(
    failing(),
    pipelineStage(new ChatChunkStream()),
    async (chunks: AsyncIterable<ChatCompletionChunk>) => {
      for await (const item of chunks) seen.push(item)
    },
  ).then(
    () => undefined,
    (caught: unknown) => caught,
  )
  assert.instance(error, TypeError)
  assert.is((error as Error).message, 'socket hang up')
  assert.equal(
    seen.map((item) => item.choices[0]?.delta.content),
    ['a', 'b'],
  )
})

test('pipelineStage: a pipeline that stops early cancels the stream, and its outcome says cancelled', async () => {
  const stream = new ChatChunkStream()
  const text = sse(Array.from({ length: 50 }, (_, index) => chunk({ content: `t${index}` })))
  const error = await pipeline(
    Readable.from([Buffer.from(text)]),
    pipelineStage(stream),
    async (chunks: AsyncIterable<ChatCompletionChunk>) => {
      for await (const _ of chunks) throw new RangeError('the consumer gave up')
    },
  ).then(
    () => undefined,
    (caught: unknown) => caught,
  )
  assert.instance(error, RangeError)
  assert.is((await stream.outcome).status, 'cancelled')
})

test('pipelineStage: an error while the source stays open rejects the pipeline at once and destroys the source', async () => {
  // A body that sends an error event and then neither ends nor sends anything more.
  const source = new Readable({ read() {} })
  source.push(
    Buffer.from(`${sse([chunk({ content: 'a' })])}event: error\ndata: {"error":{"message":"Overloaded"}}\n\n`),
  )
  const seen: ChatCompletionChunk[] = []
  const settled = pipeline(
    source,
    pipelineStage(new ChatChunkStream()),
    async (chunks: AsyncIterable<ChatCompletionChunk>) => {
      for await (const item of chunks) seen.push(item)
    },
  ).then(
    () => 'resolved',
    (error: unknown) => error,
  )
  const timeout = new Promise((resolve) => setTimeout(() => resolve('still pending after 2 s'), 2000).unref())
  const error = await Promise.race([settled, timeout])
  assert.instance(error, ProviderError, String(error))
  assert.is(seen.length, 1)
  assert.ok(source.destroyed, 'the open source was destroyed')
})

test.run()
