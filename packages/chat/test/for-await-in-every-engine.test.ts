// The `for await` loops of the READMEs, with mockChatResponse() in place of the network, in
// every engine — and once more with the engine's own ReadableStream iteration removed, as
// WebKit (Safari) has none: there they read through the reader-based iterator every sluice
// `…Stream` gives its readable side (asyncIterable in @sluice/compose). In WebKit the first
// pass is already the second.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { DeltaAccumulatorStream, type ChatCompletion } from '@sluice/accumulator'
import { createChatCompletionStream, chatStream } from '@sluice/chat'
import { compose, OrderedTransformStream } from '@sluice/compose'
import { LineSplitter, LineSplitterStream } from '@sluice/lines'
import { ChatChunkStream, ChunkDecoder, ChunkDecoderStream, type ChatCompletionChunk } from '@sluice/openai'
import { SSEDecoder, SSEDecoderStream, SSEEncoderStream, SSEStream } from '@sluice/sse'
import { mockChatChunks, mockChatResponse, mockChatStream, type MockChatOptions } from '@sluice/testing'
import { fromParts } from './fixtures.ts'

const nativeIteration =
  typeof (ReadableStream.prototype as Partial<AsyncIterable<unknown>>)[Symbol.asyncIterator] === 'function'
const options: MockChatOptions = { text: 'Crème brûlée 🦕, then 日本語.', chunking: 'char', readSize: 5 }
const answer = options.text!
const contentOf = (chunks: ChatCompletionChunk[]) =>
  chunks.map((chunk) => chunk.choices[0]?.delta.content ?? '').join('')

/**
 * Runs `body` with `ReadableStream.prototype`'s `values` and `[Symbol.asyncIterator]` removed
 * (as in WebKit), restoring them after, also when it throws.
 */
async function withoutNativeIteration(body: () => Promise<void>): Promise<void> {
  const proto = ReadableStream.prototype as unknown as Record<PropertyKey, unknown>
  const saved = [Symbol.asyncIterator, 'values'].map(
    (key) => [key, Object.getOwnPropertyDescriptor(proto, key)] as const,
  )
  for (const [key] of saved) delete proto[key]
  try {
    assert.is(typeof proto[Symbol.asyncIterator], 'undefined', 'the prototype has no iterator while the test runs')
    await body()
  } finally {
    for (const [key, descriptor] of saved) if (descriptor) Object.defineProperty(proto, key, descriptor)
  }
}

/** The README examples, each a function that reads with `for await` and checks what it read. */
const examples: [string, () => Promise<void>][] = [
  [
    'README: createChatCompletionStream(...).textStream()',
    async () => {
      const stream = await createChatCompletionStream(
        { model: 'anthropic/claude-sonnet-4-5', messages: [{ role: 'user', content: 'What is a sluice?' }] },
        { baseURL: 'https://api.edenai.run/v3', apiKey: 'test-key', fetch: async () => mockChatResponse(options) },
      )
      let text = ''
      for await (const delta of stream.textStream()) text += delta
      assert.is(text, answer)
      assert.is((await stream.outcome).status, 'complete')
    },
  ],
  [
    '@sluice/chat: for await over chatStream(response)',
    async () => {
      const chunks: ChatCompletionChunk[] = []
      for await (const chunk of chatStream(mockChatResponse(options))) chunks.push(chunk)
      assert.is(contentOf(chunks), answer)
    },
  ],
  [
    '@sluice/openai: for await over body.pipeThrough(new ChatChunkStream())',
    async () => {
      const chunks: ChatCompletionChunk[] = []
      for await (const chunk of mockChatResponse(options).body!.pipeThrough(new ChatChunkStream())) chunks.push(chunk)
      assert.equal(chunks, mockChatChunks(options))
    },
  ],
  [
    '@sluice/openai: the four piped stages, and their outcome',
    async () => {
      const chunks = new ChunkDecoderStream()
      const stream = mockChatResponse(options)
        .body!.pipeThrough(new LineSplitterStream())
        .pipeThrough(new SSEDecoderStream())
        .pipeThrough(chunks)
      const read: ChatCompletionChunk[] = []
      for await (const chunk of stream) read.push(chunk)
      assert.is(contentOf(read), answer)
      const outcome = await chunks.outcome
      assert.is(outcome.status, 'complete')
      assert.is(outcome.counts.chunks, read.length)
    },
  ],
  [
    '@sluice/accumulator: for await over the snapshots',
    async () => {
      const snapshots = mockChatResponse(options)
        .body!.pipeThrough(new ChatChunkStream())
        .pipeThrough(new DeltaAccumulatorStream())
      let last: ChatCompletion | undefined
      for await (const snapshot of snapshots) last = snapshot
      assert.is(last?.choices[0]?.message.content, answer)
    },
  ],
  [
    '@sluice/sse: for await over body.pipeThrough(new SSEStream())',
    async () => {
      const data: string[] = []
      for await (const event of mockChatResponse(options).body!.pipeThrough(new SSEStream())) data.push(event.data)
      assert.is(data.at(-1), '[DONE]')
      assert.is(contentOf(data.slice(0, -1).map((text) => JSON.parse(text) as ChatCompletionChunk)), answer)
    },
  ],
  [
    '@sluice/lines: for await over body.pipeThrough(new LineSplitterStream())',
    async () => {
      const lines: string[] = []
      for await (const line of mockChatResponse(options).body!.pipeThrough(new LineSplitterStream())) lines.push(line)
      assert.is(lines.filter((line) => line === 'data: [DONE]').length, 1)
    },
  ],
  [
    '@sluice/testing: mockChatStream(options).pipeThrough(new ChatChunkStream())',
    async () => {
      const chunks: ChatCompletionChunk[] = []
      for await (const chunk of mockChatStream(options).pipeThrough(new ChatChunkStream())) chunks.push(chunk)
      assert.equal(chunks, mockChatChunks(options))
    },
  ],
  [
    '@sluice/compose: a composed stage in an OrderedTransformStream, and the SSE encoder',
    async () => {
      const fused = new OrderedTransformStream(compose(new LineSplitter(), new SSEDecoder(), new ChunkDecoder()))
      const reframed = mockChatResponse(options)
        .body!.pipeThrough(fused)
        .pipeThrough(
          new TransformStream<ChatCompletionChunk, { data: string }>({
            transform: (chunk, controller) => controller.enqueue({ data: JSON.stringify(chunk) }),
          }),
        )
        .pipeThrough(new SSEEncoderStream())
      let text = ''
      for await (const frame of reframed) text += frame
      assert.is(
        text,
        mockChatChunks(options)
          .map((chunk) => `data: ${JSON.stringify(chunk)}\n\n`)
          .join(''),
      )
    },
  ],
  [
    'leaving the loop early cancels the source with the iterator, and the outcome says cancelled',
    async () => {
      const source = fromParts([...mockChatStreamParts()])
      const stream = new ChatChunkStream()
      let read = 0
      for await (const _chunk of source.pipeThrough(stream)) if (++read === 2) break
      assert.is(read, 2)
      assert.is(await source.cancelled, undefined, 'the body was cancelled')
      assert.is((await stream.outcome).status, 'cancelled')
    },
  ],
]

/** The mock stream's reads, as separate byte arrays (a source whose cancel the test sees). */
function mockChatStreamParts(): Uint8Array[] {
  const text = mockChatChunks(options)
    .map((chunk) => `data: ${JSON.stringify(chunk)}\n\n`)
    .join('')
  const bytes = new TextEncoder().encode(text)
  const parts: Uint8Array[] = []
  for (let offset = 0; offset < bytes.length; offset += 7) parts.push(bytes.slice(offset, offset + 7))
  return parts
}

for (const [name, run] of examples) {
  test(`${name} (${nativeIteration ? "the engine's own iteration" : 'no native iteration in this engine'})`, run)
  if (nativeIteration) test(`${name} (native iteration removed, as in WebKit)`, () => withoutNativeIteration(run))
}

test('asyncIterable gives a sluice readable its own iterator only where the engine has none', async () => {
  const readable = new ChatChunkStream().readable
  assert.is(Object.hasOwn(readable, Symbol.asyncIterator), !nativeIteration)
  await withoutNativeIteration(async () => {
    const bare = new ChatChunkStream().readable
    assert.ok(Object.hasOwn(bare, Symbol.asyncIterator))
    assert.ok(Object.hasOwn(bare, 'values'))
  })
})

test.run()
