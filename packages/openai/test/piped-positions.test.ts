/**
 * Positions across a pipe: a ChunkDecoderStream piped after an SSE stage decodes each event
 * later than it was dispatched (the SSE stage runs ahead over the rest of the read), yet its
 * errors, quirks and onChunk name the line (and byte offset) that ended that event, as the
 * fused ChatChunkStream does. And a chain linked from its end shares one record too.
 */
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import fc from 'fast-check'
import { LineSplitterStream } from '@sluice/lines'
import { SSEDecoderStream, SSEStream } from '@sluice/sse'
import { bytes, chunk, fromChunks, readToEnd, splitAt } from '@sluice/test-support'
import { ChatChunkStream, type ChatChunkStreamOptions, ChunkDecoderStream, type ChunkInfo } from '../src/index.ts'

const good = (content: string) => `data: ${JSON.stringify(chunk({ content }))}\n\n`
/** Two good events, a bad one ending at line 7, then more good ones: all in one read. */
const text = `${good('a')}: keep-alive\n${good('b')}data: {"broken"\n\n${good('c')}${good('d')}data: [DONE]\n\n`

type Path = (
  parts: Uint8Array[],
  options: ChatChunkStreamOptions,
) => { run: Promise<unknown>; stage: ChatChunkStream | ChunkDecoderStream }

const paths: Record<string, Path> = {
  ChatChunkStream: (parts, options) => {
    const stage = new ChatChunkStream(options)
    return { stage, run: readToEnd(fromChunks(parts).pipeThrough(stage)) }
  },
  'SSEStream → ChunkDecoderStream': (parts, options) => {
    const stage = new ChunkDecoderStream(options)
    return { stage, run: readToEnd(fromChunks(parts).pipeThrough(new SSEStream()).pipeThrough(stage)) }
  },
  'LineSplitterStream → SSEDecoderStream → ChunkDecoderStream': (parts, options) => {
    const stage = new ChunkDecoderStream(options)
    const events = new SSEDecoderStream()
    return {
      stage,
      run: readToEnd(fromChunks(parts).pipeThrough(new LineSplitterStream()).pipeThrough(events).pipeThrough(stage)),
    }
  },
  'linked from the end: events → chunks first, then bytes → lines → events': (parts, options) => {
    const stage = new ChunkDecoderStream(options)
    const events = new SSEDecoderStream()
    const tail = events.readable.pipeThrough(stage)
    // The returned readable is events.readable, which the tail reads already.
    fromChunks(parts).pipeThrough(new LineSplitterStream()).pipeThrough(events)
    return { stage, run: readToEnd(tail) }
  },
}

for (const [name, path] of Object.entries(paths)) {
  test(`${name}: the error names the bad event's line, and the record holds bytes and lines, for any split`, async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.nat({ max: text.length }), { maxLength: 4 }), async (cuts) => {
        const { run, stage } = path(splitAt(bytes(text), cuts), {})
        const { error } = (await run) as { error: unknown }
        assert.match((error as Error).message, /^event 2 \(ending at line 7\): data is not a JSON chunk/)
        const { counts } = await stage.outcome
        // Read up to the bad event at least (the error stops the reading there or later).
        const badEventEnd = bytes(text.slice(0, text.indexOf('"broken"') + '"broken"\n\n'.length)).length
        assert.ok(counts.bytes !== null && counts.bytes >= badEventEnd && counts.bytes <= bytes(text).length)
        assert.ok(counts.lines !== null && counts.lines >= 7)
      }),
      { numRuns: 25 },
    )
  })

  test(`${name}: onChunk and quirks carry the line of their own event`, async () => {
    const infos: ChunkInfo[] = []
    const lines: (number | undefined)[] = []
    const skipped = `${good('a')}data:\n\n${good('b')}: keep-alive\n${good('c')}data: [DONE]\n\n`
    const { run } = path([bytes(skipped)], {
      onChunk: (_, info) => infos.push(info),
      onQuirk: (quirk) => lines.push(quirk.line),
    })
    await run
    assert.equal(
      infos.map((info) => info.lineNumber),
      [2, 6, 9],
    )
    assert.equal(lines, [4]) // the empty data: event, ending at line 4
  })
}

test('a drained stream after [DONE] does not keep the positions of the events nobody decodes', async () => {
  const stage = new ChunkDecoderStream({ afterDone: 'drain' })
  const tail = Array.from({ length: 5000 }, () => good('late')).join('')
  const result = await readToEnd(
    fromChunks([bytes(`${good('a')}data: [DONE]\n\n${tail}`)])
      .pipeThrough(new SSEStream())
      .pipeThrough(stage),
  )
  assert.is(result.items.length, 1)
  // The queue was dropped at [DONE]: the record's next take falls back to the SSE stage's line.
  stage.record.takeEventEnd()
  assert.is(stage.record.eventLine, stage.record.lines ?? undefined)
})

test.run()
