import { test } from 'uvu'
import * as assert from 'uvu/assert'
import fc from 'fast-check'
import type { ChatCompletionChunk } from '@sluice/openai'
import type { ChatReaderOptions } from '../src/index.ts'
import { bytes, chunk, splitAt, sse } from '@sluice/test-support'
import {
  azureUnterminatedDone,
  azureUnterminatedLastChunk,
  cutOffMidAnswer,
  cutOffMidEvent,
  emptyDataHeartbeats,
  finishReasonTwice,
  gatewayFinishWithoutDone,
  glmMissingSeparator,
  llamaCppPythonCRLF as llamaCppPythonCrlf,
  mistralContentParts,
  n2OneChoiceUnfinished,
  openaiCompleteWithUsage,
  openrouterKeepAliveComments,
  openrouterMidStreamError,
  tgiGenerationError,
  bedrockToolCallIndexFrom1,
  geminiMissingToolCallIndex,
  ollamaReusedToolCallIndex,
  openaiParallelToolCalls,
  openaiToolCallLength,
  proxyEmptyToolCallIdAndType,
  toolCallConnectionCut,
} from '@sluice/test-support/captured-streams'
import { checkAllPaths, reference, type Pace } from './paths.ts'

/** Lines over this many characters fail; a generated chunk line is well under it. */
const MAX_LINE = 600
const OPTIONS: ChatReaderOptions = { maxLineLength: MAX_LINE }

// ---------------------------------------------------------------- the streams

const content = fc.string({ unit: fc.constantFrom('a', 'é', '€', '🦕', ' ', '\n', '"'), maxLength: 12 })

/** What ends a generated stream. */
const endings = [
  'done',
  'done-no-blank-line',
  'done-no-line-end',
  'error-event',
  'error-chunk',
  'cut',
  'long-line',
  'bad-json',
  'finish-no-done',
  'nothing',
] as const
type StreamEnding = (typeof endings)[number]

/** What may follow the ending in the same body: none of it may change the result. */
const trailers = ['', 'more-chunks', 'long-line', 'error-event', 'bad-json'] as const

const trailerText = (trailer: (typeof trailers)[number]): string => {
  switch (trailer) {
    case '':
      return ''
    case 'more-chunks':
      return sse([chunk({ content: 'late' }), chunk({}, { finish: 'length' })])
    case 'long-line':
      return `data: ${'x'.repeat(MAX_LINE + 10)}\n\n`
    case 'error-event':
      return 'event: error\ndata: {"error":{"message":"late","type":"server_error"}}\n\n'
    case 'bad-json':
      return 'data: {late\n\n'
  }
}

function streamText(
  deltas: string[],
  end: StreamEnding,
  trailer: (typeof trailers)[number],
  cut: number,
  crlf: boolean,
): string {
  const eol = crlf ? '\r\n' : '\n'
  const start = sse([chunk({ role: 'assistant', content: '' }), ...deltas.map((text) => chunk({ content: text }))], eol)
  const finish = sse([chunk({}, { finish: 'stop' })], eol)
  const after = trailerText(trailer)
  switch (end) {
    case 'done':
      return `${start}${finish}data: [DONE]${eol}${eol}${after}`
    case 'done-no-blank-line':
      return `${start}${finish}data: [DONE]${eol}`
    case 'done-no-line-end':
      return `${start}${finish}data: [DONE]`
    case 'error-event':
      return `${start}event: error${eol}data: {"error":{"message":"Overloaded","type":"server_error","code":529}}${eol}${eol}${after}`
    case 'error-chunk':
      return `${start}data: {"error":{"message":"rate limited","code":"rate_limit"}}${eol}${eol}${after}`
    case 'cut': {
      const whole = `${start}${finish}data: [DONE]${eol}${eol}`
      return whole.slice(0, Math.min(cut, whole.length - 1))
    }
    case 'long-line':
      return `${start}data: ${'y'.repeat(MAX_LINE + 1)}${eol}${eol}${after}`
    case 'bad-json':
      return `${start}data: {"choices":[${eol}${eol}${after}`
    case 'finish-no-done':
      return `${start}${finish}`
    case 'nothing':
      return ''
  }
}

const streams = fc.record({
  deltas: fc.array(content, { maxLength: 4 }),
  end: fc.constantFrom(...endings),
  trailer: fc.constantFrom(...trailers),
  cut: fc.nat({ max: 2000 }),
  crlf: fc.boolean(),
})

// ---------------------------------------------------------------- examples

const examples: [string, string][] = [
  ['three chunks then event: error in one read', streamText(['a', 'b', 'c'], 'error-event', '', 0, false)],
  ['three chunks then an error chunk in one read', streamText(['a', 'b', 'c'], 'error-chunk', 'long-line', 0, false)],
  [
    'a provider error before a line over the limit in the same read',
    streamText(['a'], 'error-event', 'long-line', 0, false),
  ],
  ['a line over the limit after [DONE] in the same read', streamText(['a'], 'done', 'long-line', 0, false)],
  ['a cut-off stream ending inside one read', streamText(['a', 'b'], 'cut', '', 700, false)],
  ['data: [DONE] at the end of the body with one LF', streamText(['a'], 'done-no-blank-line', '', 0, false)],
  ['data: [DONE] at the end of the body with no line end', streamText(['a'], 'done-no-line-end', '', 0, true)],
]

for (const [what, text] of examples) {
  test(`every path hands over what came before the ending, then the ending: ${what} (one read, fast and slow consumers)`, async () => {
    const input = bytes(text)
    for (const pace of ['fast', 'slow'] as const) await checkAllPaths(input, [input], pace, OPTIONS)
  })
}

test('the model: three chunks then event: error gives the three chunks (with the role chunk), then ProviderError', () => {
  const model = reference(bytes(streamText(['a', 'b', 'c'], 'error-event', '', 0, false)), OPTIONS)
  assert.equal(
    model.items.map((item: ChatCompletionChunk) => item.choices[0]?.delta.content),
    ['', 'a', 'b', 'c'],
  )
  assert.equal([model.ending.status, (model.ending as { name?: string }).name], ['error', 'ProviderError'])
})

test('the model: data: [DONE] without its blank line ends complete', () => {
  for (const end of ['done-no-blank-line', 'done-no-line-end'] as const) {
    assert.is(reference(bytes(streamText(['a'], end, '', 0, false)), OPTIONS).ending.status, 'closed', end)
  }
})

// ---------------------------------------------------------------- properties

test('every path agrees with the model for any stream and any split into reads (fast and slow consumers)', async () => {
  await fc.assert(
    fc.asyncProperty(
      streams,
      fc.array(fc.nat(), { maxLength: 6 }),
      fc.constantFrom<Pace>('fast', 'slow'),
      async (spec, cuts, pace) => {
        const input = bytes(streamText(spec.deltas, spec.end, spec.trailer, spec.cut, spec.crlf))
        await checkAllPaths(input, splitAt(input, cuts), pace, OPTIONS)
      },
    ),
    { numRuns: 60 },
  )
})

/** The captured and provider-shaped streams of the chunk decoder's and the accumulator's tests. */
const fixtures: Record<string, string> = {
  'azure-unterminated-done.sse': azureUnterminatedDone,
  'azure-unterminated-last-chunk.sse': azureUnterminatedLastChunk,
  'cut-off-mid-answer.sse': cutOffMidAnswer,
  'cut-off-mid-event.sse': cutOffMidEvent,
  'empty-data-heartbeats.sse': emptyDataHeartbeats,
  'finish-reason-twice.sse': finishReasonTwice,
  'gateway-finish-without-done.sse': gatewayFinishWithoutDone,
  'glm-missing-separator.sse': glmMissingSeparator,
  'llama-cpp-python-crlf.sse': llamaCppPythonCrlf,
  'mistral-content-parts.sse': mistralContentParts,
  'n2-one-choice-unfinished.sse': n2OneChoiceUnfinished,
  'openai-complete-with-usage.sse': openaiCompleteWithUsage,
  'openrouter-keep-alive-comments.sse': openrouterKeepAliveComments,
  'openrouter-mid-stream-error.sse': openrouterMidStreamError,
  'tgi-generation-error.sse': tgiGenerationError,
  'bedrock-tool-call-index-from-1.sse': bedrockToolCallIndexFrom1,
  'gemini-missing-tool-call-index.sse': geminiMissingToolCallIndex,
  'ollama-reused-tool-call-index.sse': ollamaReusedToolCallIndex,
  'openai-parallel-tool-calls.sse': openaiParallelToolCalls,
  'openai-tool-call-length.sse': openaiToolCallLength,
  'proxy-empty-tool-call-id-and-type.sse': proxyEmptyToolCallIdAndType,
  'tool-call-connection-cut.sse': toolCallConnectionCut,
}

for (const [name, text] of Object.entries(fixtures)) {
  test(`every path agrees with the model on ${name}: one read, 4 KiB reads, 1-byte reads, random splits`, async () => {
    const input = bytes(text)
    const fourKiB = Array.from({ length: Math.ceil(input.length / 4096) }, (_, index) =>
      input.subarray(index * 4096, (index + 1) * 4096),
    )
    await checkAllPaths(input, [input], 'fast', OPTIONS)
    await checkAllPaths(input, fourKiB, 'slow', OPTIONS)
    await checkAllPaths(
      input,
      Array.from(input, (_, index) => input.subarray(index, index + 1)),
      'fast',
      OPTIONS,
    )
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.nat(), { maxLength: 8 }),
        fc.constantFrom<Pace>('fast', 'slow'),
        async (cuts, pace) => checkAllPaths(input, splitAt(input, cuts), pace, OPTIONS).then(() => undefined),
      ),
      { numRuns: 5 },
    )
  })
}

test.run()
