/**
 * Captured streams at the SSE level (test/fixtures/*.sse, each opening with comments that
 * say what it reproduces): events, comments and the progress the outcome reads, through
 * SSEStream and the piped LineSplitterStream -> SSEDecoderStream, for any split.
 */
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import fc from 'fast-check'
import { LineSplitterStream } from '@sluice/lines'
import { bytes, collect, fromChunks, splitAt } from '@sluice/test-support'
import {
  SSEDecoderStream,
  SSEStream,
  type ServerSentEvent,
  type SSEDecoderOptions,
  type StreamProgress,
  type UnfinishedEvent,
} from '../src/index.ts'
import azureUnterminated from './fixtures/azure-unterminated.sse'
import dotnetBomMultiline from './fixtures/dotnet-bom-multiline.sse'
import openrouterKeepAlive from './fixtures/openrouter-keep-alive.sse'
import sseStarletteCRLF from './fixtures/sse-starlette-crlf.sse'

interface Expected {
  events: ServerSentEvent[]
  comments: number
  retries: number[]
  lines: number
  lastEventId: string
  unfinishedEvent: UnfinishedEvent | null
  options?: SSEDecoderOptions
}

const message = (data: string, lastEventId = ''): ServerSentEvent => ({ type: 'message', data, lastEventId })

const fixtures: Record<string, [string, Expected]> = {
  'openrouter-keep-alive.sse': [
    openrouterKeepAlive,
    {
      events: [message('{"n":1}'), message('{"n":2}'), message('[DONE]')],
      comments: 2 + 3,
      retries: [],
      lines: 14,
      lastEventId: '',
      unfinishedEvent: null,
    },
  ],
  'azure-unterminated.sse (the WHATWG rule)': [
    azureUnterminated,
    {
      events: [message('{"n":1}')],
      comments: 2,
      retries: [],
      lines: 6,
      lastEventId: '',
      unfinishedEvent: { lines: 1, dataLength: 6, lastLine: 6 },
    },
  ],
  "azure-unterminated.sse (trailingEvent: 'dispatch-json')": [
    azureUnterminated,
    {
      events: [message('{"n":1}'), message('[DONE]')],
      comments: 2,
      retries: [],
      lines: 6,
      lastEventId: '',
      unfinishedEvent: null,
      options: { trailingEvent: 'dispatch-json' },
    },
  ],
  'sse-starlette-crlf.sse': [
    sseStarletteCRLF,
    {
      events: [message('{"n":1}', '1'), message('{"n":2}', '2')],
      comments: 2,
      retries: [3000],
      lines: 10,
      lastEventId: '2',
      unfinishedEvent: null,
    },
  ],
  'dotnet-bom-multiline.sse': [
    `\uFEFF${dotnetBomMultiline.replace(/^\uFEFF/, '')}`, // the BOM, whether or not the bundler kept it
    {
      events: [
        { type: 'delta', data: 'café', lastEventId: '' },
        { type: 'delta', data: 'line one\nline two', lastEventId: '' },
      ],
      comments: 2,
      retries: [],
      lines: 10,
      lastEventId: '',
      unfinishedEvent: null,
    },
  ],
}

/** Events, comments, retries and progress of `chunks` through SSEStream, or through the piped pair. */
async function run(chunks: Uint8Array[], piped: boolean, options: SSEDecoderOptions = {}) {
  const comments: string[] = []
  const retries: number[] = []
  const all = {
    ...options,
    onComment: (text: string) => void comments.push(text),
    onRetry: (ms: number) => void retries.push(ms),
  }
  let progress: StreamProgress
  let events: ServerSentEvent[]
  if (piped) {
    const lines = new LineSplitterStream()
    const decoder = new SSEDecoderStream(all) // pipeThrough links it to the splitter's record
    events = await collect(fromChunks(chunks).pipeThrough(lines).pipeThrough(decoder))
    progress = decoder.progress
  } else {
    const stream = new SSEStream(all)
    events = await collect(fromChunks(chunks).pipeThrough(stream))
    progress = stream.progress
  }
  return { events, comments: comments.length, retries, progress }
}

for (const [name, [text, expected]] of Object.entries(fixtures)) {
  test(`${name}: events, comments and progress, fused and piped, for any split`, async () => {
    const data = bytes(text)
    await fc.assert(
      fc.asyncProperty(fc.array(fc.nat(), { maxLength: 5 }), fc.boolean(), async (cuts, piped) => {
        const { events, comments, retries, progress } = await run(splitAt(data, cuts), piped, expected.options)
        assert.equal(events, expected.events)
        assert.is(comments, expected.comments)
        assert.equal(retries, expected.retries)
        assert.is(progress.counts.bytes, data.length)
        assert.is(progress.counts.lines, expected.lines)
        assert.is(progress.counts.events, expected.events.length)
        assert.is(progress.lastEventId, expected.lastEventId)
        assert.equal(progress.unfinishedEvent, expected.unfinishedEvent)
        assert.is(progress.quirks.length, expected.options?.trailingEvent === 'dispatch-json' ? 1 : 0)
      }),
      { numRuns: 40 },
    )
  })
}

test.run()
