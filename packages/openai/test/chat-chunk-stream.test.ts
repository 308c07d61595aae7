import { test } from 'uvu'
import * as assert from 'uvu/assert'
import fc from 'fast-check'
import { SSEStream } from '@sluice/sse'
import {
  bytes,
  chunk,
  collect,
  everySplit,
  fromChunks,
  oneByteChunks,
  rejection,
  splitAt,
  sse,
  textChunks,
  toolCallChunks,
  usageChunk,
} from '@sluice/test-support'
import { ponyfillStreams } from '@sluice/test-support/ponyfill-streams'
import {
  ChatChunkParser,
  ChatChunkStream,
  ChunkDecoderStream,
  ChunkParseError,
  type ChatCompletionChunk,
  type ChatChunkStreamOptions,
  type Quirk,
} from '../src/index.ts'

const fused = (chunks: Uint8Array[], options?: ChatChunkStreamOptions) =>
  collect(fromChunks(chunks).pipeThrough(new ChatChunkStream(options)))

const chain = (chunks: Uint8Array[], options?: ChatChunkStreamOptions) =>
  collect(fromChunks(chunks).pipeThrough(new SSEStream(options)).pipeThrough(new ChunkDecoderStream(options)))

/** Outcome of a run: the chunks, or the error's class and message. */
async function outcome(run: Promise<ChatCompletionChunk[]>) {
  try {
    return { chunks: await run }
  } catch (error) {
    return { error: `${(error as Error).name}: ${(error as Error).message.replace(/ \(ending at line \d+\)/, '')}` }
  }
}

const chatStream = `: OPENROUTER PROCESSING\r\n\r\n${sse(toolCallChunks(), '\r\n')}${sse([usageChunk(), 'data: [DONE]'], '\r\n')}`

test('ChatChunkStream decodes bytes to chunks in one stage', async () => {
  assert.equal(await fused([bytes(chatStream)]), [...toolCallChunks(), usageChunk()])
})

test('ChatChunkStream gives the chunks of the three-stage chain for a chat stream split at every offset and byte by byte', async () => {
  const data = bytes(chatStream)
  const expected = [...toolCallChunks(), usageChunk()]
  for (const chunks of everySplit(data)) assert.equal(await fused(chunks), expected, `split at ${chunks[0]!.length}`)
  assert.equal(await fused(oneByteChunks(data)), expected)
})

test('ChatChunkStream names the input line of an invalid event', async () => {
  const error = await rejection(fused([bytes(`${sse([chunk({ content: 'a' })])}: note\n\ndata: {oops\n\n`)]))
  assert.instance(error, ChunkParseError)
  // Lines: 1 data, 2 blank, 3 comment, 4 blank, 5 data, 6 the blank line that ends event 1.
  assert.is((error as ChunkParseError).line, 6)
  assert.is((error as ChunkParseError).message, 'event 1 (ending at line 6): data is not a JSON chunk: "{oops"')
})

test('ChatChunkStream stops at [DONE]: what follows is never decoded, in every afterDone mode', async () => {
  const text = sse([chunk({ content: 'a' }), 'data: [DONE]', chunk({ content: 'after' }), `data: ${'x'.repeat(600)}`])
  for (const afterDone of ['auto', 'cancel', 'drain'] as const) {
    const quirks: Quirk[] = []
    // As in a chain of streams, the stages before the chunk decoder are stopped at [DONE]:
    // even a line over the limit after it cannot fail the stream.
    assert.equal(
      await fused([bytes(text)], { afterDone, maxLineLength: 500, onQuirk: (q) => quirks.push(q) }),
      [chunk({ content: 'a' })],
      afterDone,
    )
    assert.equal(quirks, [], afterDone)
  }
})

test('ChatChunkStream cancels its source at [DONE], releasing the body at once', async () => {
  let cancel: (reason: unknown) => void
  const cancelled = new Promise<unknown>((resolve) => (cancel = resolve))
  let sent = false
  const source = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent) return // a body that stays open: only [DONE] can end it
      sent = true
      controller.enqueue(bytes(sse([chunk({ content: 'a' }), 'data: [DONE]'])))
    },
    cancel: (reason) => cancel(reason),
  })
  assert.equal(await collect(source.pipeThrough(new ChatChunkStream())), [chunk({ content: 'a' })])
  const reason = await Promise.race([
    cancelled,
    new Promise((resolve) => setTimeout(() => resolve('source not cancelled'), 2000)),
  ])
  assert.instance(reason, TypeError, String(reason))
})

test('ChatChunkStream passes SSE options through (onComment)', async () => {
  const comments: string[] = []
  await fused([bytes(chatStream)], { onComment: (text) => comments.push(text) })
  assert.equal(comments, ['OPENROUTER PROCESSING'])
})

// ---------------------------------------------------------------- properties

/** A random chat stream: text deltas (any Unicode), comments, ping events, random line endings, maybe cut off. */
const chatStreams = fc
  .record({
    parts: fc.array(
      fc.string({
        unit: fc.oneof(
          fc.constantFrom('é', '🦕', '\n', '"', '\\'),
          fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
        ),
        maxLength: 8,
      }),
      { maxLength: 6 },
    ),
    eol: fc.constantFrom('\n', '\r\n', '\r'),
    comments: fc.boolean(),
    ending: fc.constantFrom('done', 'finish-only', 'cut'),
  })
  .map(({ parts, eol, comments, ending }) => {
    const all = textChunks(parts)
    const sent = ending === 'cut' ? all.slice(0, -1) : all
    const items: (ChatCompletionChunk | string)[] = []
    for (const item of sent) {
      items.push(item)
      if (comments) items.push(': keep-alive', 'event: ping\ndata: {}'.replace('\n', eol))
    }
    if (ending === 'done') items.push('data: [DONE]')
    return sse(items, eol)
  })

test('ChatChunkStream output (or error) does not depend on chunk boundaries and equals the chain', async () => {
  await fc.assert(
    fc.asyncProperty(chatStreams, fc.array(fc.nat(), { maxLength: 30 }), async (text, cuts) => {
      const data = bytes(text)
      const expected = await outcome(chain([data]))
      assert.equal(await outcome(fused(splitAt(data, cuts))), expected)
      assert.equal(await outcome(chain(splitAt(data, cuts))), expected)
    }),
  )
})

test('ChatChunkParser output does not depend on chunk boundaries (web-streams-polyfill)', async () => {
  const run = (chunks: Uint8Array[]) =>
    outcome(
      collect(
        fromChunks(chunks, ponyfillStreams).pipeThrough(new ponyfillStreams.TransformStream(new ChatChunkParser())),
      ),
    )
  await fc.assert(
    fc.asyncProperty(chatStreams, fc.array(fc.nat(), { maxLength: 30 }), async (text, cuts) => {
      const data = bytes(text)
      assert.equal(await run(splitAt(data, cuts)), await run([data]))
    }),
  )
})

test.run()
