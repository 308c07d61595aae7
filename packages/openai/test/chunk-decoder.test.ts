import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { SSEStream } from '@sluice/sse'
import {
  bytes,
  chunk,
  collect,
  fromChunks,
  rejection,
  sse,
  textChunks,
  toolCallChunks,
  usageChunk,
} from '@sluice/test-support'
import {
  ChunkDecoder,
  ChunkDecoderStream,
  ChunkParseError,
  ChunkStreamError,
  ProviderError,
  StrictModeError,
  TruncatedStreamError,
  UnexpectedChunkError,
  UnsupportedFormatError,
  type ChatCompletionChunk,
  type ChunkDecoderOptions,
  type Quirk,
} from '../src/index.ts'

/** Chunks of `text` through SSEStream and ChunkDecoderStream. */
const decode = (text: string, options?: ChunkDecoderOptions) =>
  collect(
    fromChunks([bytes(text)])
      .pipeThrough(new SSEStream())
      .pipeThrough(new ChunkDecoderStream(options)),
  )

const contentOf = (chunks: ChatCompletionChunk[], choice = 0) =>
  chunks.map((c) => c.choices.find((x) => x.index === choice)?.delta.content ?? '').join('')

// ---------------------------------------------------------------- realistic streams

test('ChunkDecoder decodes a plain text stream into typed chunks', async () => {
  const sent = textChunks(['Crème', ' brûlée', ' 🦕'])
  const out = await decode(sse([...sent, '[DONE]'].map((x) => (x === '[DONE]' ? 'data: [DONE]' : x))))
  assert.equal(out, sent)
  assert.is(contentOf(out), 'Crème brûlée 🦕')
})

test('ChunkDecoder passes tool call fragments, including parallel calls, through unchanged', async () => {
  const sent = toolCallChunks()
  assert.equal(await decode(sse([...sent, 'data: [DONE]'])), sent)
})

test('ChunkDecoder handles n > 1 choices interleaved', async () => {
  const sent = [
    chunk({ role: 'assistant', content: 'A' }, { index: 0 }),
    chunk({ role: 'assistant', content: 'B' }, { index: 1 }),
    chunk({ content: 'a' }, { index: 1 }),
    chunk({}, { index: 1, finish: 'stop' }),
    chunk({}, { index: 0, finish: 'length' }),
  ]
  const out = await decode(sse(sent))
  assert.equal(out, sent)
  assert.is(contentOf(out, 1), 'Ba')
})

test('ChunkDecoder passes the usage chunk (choices: []) through', async () => {
  const sent = [...textChunks(['hi']), usageChunk()]
  const out = await decode(sse([...sent, 'data: [DONE]']))
  assert.equal(out.at(-1), usageChunk())
})

test('ChunkDecoder keeps reasoning and refusal fields', async () => {
  const sent = [
    chunk({ role: 'assistant', reasoning_content: 'Think' }),
    chunk({ reasoning: 'ing…' }),
    chunk({ refusal: "I can't help with that." }),
    chunk({}, { finish: 'content_filter' }),
  ]
  assert.equal(await decode(sse(sent)), sent)
})

test('ChunkDecoder ignores keep-alive comments, ping events and other event types', async () => {
  const sent = textChunks(['ok'])
  const text = `: OPENROUTER PROCESSING\n\nevent: ping\ndata: {}\n\n${sse(sent.slice(0, 2))}: keep-alive\n\nevent: custom\ndata: x\n\n${sse(sent.slice(2))}`
  assert.equal(await decode(text), sent)
})

test('ChunkDecoder accepts finish reasons it does not know', async () => {
  const sent = [chunk({ content: 'x' }), chunk({}, { finish: 'error' })]
  assert.equal(await decode(sse(sent)), sent)
})

// ---------------------------------------------------------------- [DONE]

test("ChunkDecoderStream with afterDone: 'cancel' closes at [DONE] and cancels the source", async () => {
  const text = sse([chunk({ content: 'a' }), 'data: [DONE]', chunk({ content: 'never' })])
  const encoded = bytes(text)
  let sent = false
  let cancel: (reason: unknown) => void
  const cancelled = new Promise<unknown>((resolve) => (cancel = resolve))
  const source = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent) return // a body that stays open: only [DONE] can end this read
      sent = true
      controller.enqueue(encoded)
    },
    cancel: (reason) => cancel(reason),
  })
  const out = await collect(source.pipeThrough(new SSEStream()).pipeThrough(new ChunkDecoderStream()))
  assert.equal(out, [chunk({ content: 'a' })])
  // The cancellation travels up the pipes after the output closed; bounded wait.
  const reason = await Promise.race([
    cancelled,
    new Promise((resolve) => setTimeout(() => resolve('source not cancelled'), 2000)),
  ])
  assert.instance(reason, TypeError, String(reason)) // pipeTo cancels with the terminated stream's error
})

test("ChunkDecoder with afterDone: 'drain' in a TransformStream of your own discards and reports what follows [DONE], then closes at the end", async () => {
  const quirks: Quirk[] = []
  const text = sse([chunk({ content: 'a' }), 'data: [DONE]', chunk({ content: 'late' }), 'event: error\ndata: late'])
  const decoder = new ChunkDecoder({ afterDone: 'drain', onQuirk: (quirk) => quirks.push(quirk) })
  const out = await collect(
    fromChunks([bytes(text)])
      .pipeThrough(new SSEStream())
      .pipeThrough(new TransformStream(decoder)),
  )
  assert.equal(out, [chunk({ content: 'a' })])
  assert.equal(
    quirks.map((q) => [q.code, q.eventIndex]),
    [
      ['event-after-done', 2],
      ['event-after-done', 3],
    ],
  )
})

test('ChunkDecoderStream decodes nothing after [DONE], in every afterDone mode: a provider error after it cannot fail the stream', async () => {
  const text = sse([chunk({ content: 'a' }), 'data: [DONE]', chunk({ content: 'late' }), 'event: error\ndata: late'])
  for (const afterDone of ['auto', 'cancel', 'drain'] as const) {
    const quirks: Quirk[] = []
    const decoder = new ChunkDecoderStream({ afterDone, onQuirk: (quirk) => quirks.push(quirk) })
    assert.equal(
      await collect(
        fromChunks([bytes(text)])
          .pipeThrough(new SSEStream())
          .pipeThrough(decoder),
      ),
      [chunk({ content: 'a' })],
      afterDone,
    )
    assert.equal(quirks, [], afterDone)
    assert.is((await decoder.outcome).status, 'complete', afterDone)
  }
})

test('ChunkDecoder takes [DONE] with surrounding spaces as [DONE]', async () => {
  assert.equal(await decode(sse(['data:  [DONE] '])), [])
})

// ---------------------------------------------------------------- provider errors

test('ChunkDecoder errors with ProviderError on event: error, keeping message, type, code, param and payload', async () => {
  const payload = '{"error":{"message":"Overloaded","type":"server_error","code":"overloaded","param":"model"}}'
  const error = await rejection(decode(sse([chunk({ content: 'a' }), `event: error\ndata: ${payload}`])))
  assert.instance(error, ProviderError)
  assert.instance(error, ChunkStreamError)
  const provider = error as ProviderError
  assert.is(provider.name, 'ProviderError')
  assert.is(provider.code, 'SLUICE_PROVIDER_ERROR')
  assert.is(provider.type, 'server_error')
  assert.is(provider.providerCode, 'overloaded')
  assert.is(provider.param, 'model')
  assert.is(provider.payload, payload)
  assert.is(provider.eventIndex, 1)
  assert.is(
    provider.message,
    'the provider sent an error at event 1 (ending at line 5): Overloaded (type server_error, code overloaded)',
  )
})

test("ChunkDecoder takes Azure's content-filter annotation chunks (no delta) as they are: an empty delta, no missing-delta quirk", async () => {
  const annotation = JSON.stringify({
    choices: [
      {
        content_filter_offsets: { check_offset: 0, start_offset: 0, end_offset: 5 },
        content_filter_results: { hate: { filtered: false, severity: 'safe' } },
        finish_reason: null,
        index: 0,
      },
    ],
    created: 0,
    id: '',
    model: '',
    object: '',
  })
  const quirks: Quirk[] = []
  const out = await decode(
    sse([chunk({ content: 'Hello' }), `data: ${annotation}`, chunk({}, { finish: 'stop' }), 'data: [DONE]']),
    { onQuirk: (quirk) => quirks.push(quirk) },
  )
  assert.equal(out[1]!.choices[0]!.delta, {})
  assert.equal(quirks, [])
  // Without the annotation, a missing delta is still a repair.
  const bare = JSON.stringify({
    id: 'c',
    object: 'chat.completion.chunk',
    created: 1,
    model: 'm',
    choices: [{ index: 0, finish_reason: 'stop' }],
  })
  await decode(sse([chunk({ content: 'Hello' }), `data: ${bare}`, 'data: [DONE]']), {
    onQuirk: (quirk) => quirks.push(quirk),
  })
  assert.equal(
    quirks.map((quirk) => quirk.code),
    ['missing-delta'],
  )
})

test('ProviderError.retryable: true for an overload, a rate limit, a timeout or a server error; false for what fails again', async () => {
  const cases: [string, boolean][] = [
    ['{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}', true],
    ['{"error":{"message":"boom","type":"server_error"}}', true],
    ['{"error":{"message":"slow down","type":"requests","code":"rate_limit_exceeded"}}', true],
    ['{"error":{"message":"upstream","code":502}}', true],
    ['{"error":{"message":"busy","code":"529"}}', true],
    ['{"error":{"message":"too long","type":"invalid_request_error","code":"context_length_exceeded"}}', false],
    ['{"error":{"message":"bad key","type":"authentication_error","code":401}}', false],
    ['{"error":{"message":"quota","type":"insufficient_quota"}}', false],
    ['{"error":{"message":"something"}}', false],
    ['plain text', false],
  ]
  for (const [data, retryable] of cases) {
    const error = (await rejection(decode(sse([`event: error\ndata: ${data}`])))) as ProviderError
    assert.instance(error, ProviderError)
    assert.is(error.retryable, retryable, data)
  }
})

test('ChunkDecoder errors with ProviderError on a chunk with a top-level error (OpenRouter style)', async () => {
  const payload = JSON.stringify({
    ...chunk({ content: '' }, { finish: 'error' }),
    error: { code: 502, message: 'Upstream error' },
  })
  const error = (await rejection(decode(sse([`data: ${payload}`])))) as ProviderError
  assert.instance(error, ProviderError)
  assert.is(error.providerCode, 502)
  assert.match(error.message, /Upstream error \(code 502\)/)
})

test('ChunkDecoder turns an event: error with plain text or a bare object into a ProviderError', async () => {
  const plain = (await rejection(decode('event: error\ndata: rate limited\n\n'))) as ProviderError
  assert.instance(plain, ProviderError)
  assert.match(plain.message, /rate limited$/)
  const bare = (await rejection(
    decode('event: error\ndata: {"message":"bad","type":"invalid_request_error"}\n\n'),
  )) as ProviderError
  assert.is(bare.type, 'invalid_request_error')
  const text = (await rejection(decode('data: {"error":"quota exceeded"}\n\n'))) as ProviderError
  assert.match(text.message, /quota exceeded/)
})

// ---------------------------------------------------------------- invalid data

test('ChunkDecoder errors with ChunkParseError quoting the data and naming the event', async () => {
  const error = await rejection(decode(sse([chunk({ content: 'a' }), 'data: {"id": "broken', chunk({ content: 'b' })])))
  assert.instance(error, ChunkParseError)
  const parse = error as ChunkParseError
  assert.is(parse.code, 'SLUICE_CHUNK_PARSE')
  assert.is(parse.eventIndex, 1)
  assert.is(parse.data, '{"id": "broken')
  assert.instance(parse.cause, SyntaxError)
  assert.is(parse.message, 'event 1 (ending at line 4): data is not a JSON chunk: "{\\"id\\": \\"broken"')
})

test("ChunkDecoder with invalidJSON: 'skip' skips bad events and shows each to onInvalidJSON", async () => {
  const seen: ChunkParseError[] = []
  const out = await decode(sse([chunk({ content: 'a' }), 'data: nope', 'data: {]', chunk({}, { finish: 'stop' })]), {
    invalidJSON: 'skip',
    onInvalidJSON: (error) => seen.push(error),
  })
  assert.equal(out, [chunk({ content: 'a' }), chunk({}, { finish: 'stop' })])
  assert.equal(
    seen.map((error) => [error.eventIndex, error.data]),
    [
      [1, 'nope'],
      [2, '{]'],
    ],
  )
})

test('ChunkDecoder errors with UnexpectedChunkError on JSON that is not a chunk', async () => {
  for (const data of ['42', '[1]', '{"foo":1}', '{"choices":[null]}']) {
    const error = await rejection(decode(`data: ${data}\n\n`))
    assert.instance(error, UnexpectedChunkError, data)
    assert.is((error as UnexpectedChunkError).code, 'SLUICE_UNEXPECTED_CHUNK')
  }
  const error = (await rejection(decode('data: {"foo":1}\n\n'))) as UnexpectedChunkError
  assert.is(error.message, 'event 0 (ending at line 2): data is JSON but has no choices: "{\\"foo\\":1}"')
})

// ---------------------------------------------------------------- repairs

test('ChunkDecoder splits an event holding several chunks (missing separators) and reports it', async () => {
  const quirks: Quirk[] = []
  const sent = textChunks(['a', 'b'])
  const text = `${sent
    .slice(0, 3)
    .map((c) => `data: ${JSON.stringify(c)}\n`)
    .join('')}\n${sse(sent.slice(3))}`
  const out = await decode(text, { onQuirk: (quirk) => quirks.push(quirk) })
  assert.equal(out, sent)
  assert.equal(
    quirks.map((q) => [q.code, q.eventIndex]),
    [['missing-separator', 0]],
  )
  assert.match(quirks[0]!.message, /3 chunks/)
})

test('ChunkDecoder repairs a missing separator before [DONE]: the chunks, then the end of the stream', async () => {
  const sent = textChunks(['a'])
  const lines = [...sent.map((c) => `data: ${JSON.stringify(c)}`), 'data: [DONE]']
  const after = sse([chunk({ content: 'never' })]) // after [DONE]: not decoded
  const quirks: Quirk[] = []
  const decoder = new ChunkDecoderStream({ onQuirk: (quirk) => quirks.push(quirk) })
  const out = await collect(
    fromChunks([bytes(`${lines.join('\n')}\n\n${after}`)])
      .pipeThrough(new SSEStream())
      .pipeThrough(decoder),
  )
  assert.equal(out, sent)
  assert.equal(
    quirks.map((q) => [q.code, q.eventIndex, q.message]),
    [
      [
        'missing-separator',
        0,
        `one event held ${sent.length} chunks and [DONE] (data: lines without a blank line between them): decoded each`,
      ],
    ],
  )
  const outcome = await decoder.outcome
  assert.is(outcome.status, 'complete')
  assert.is(outcome.sawDone, true)
  // [DONE] alone after a chunk, and [DONE] not last: the latter is not a repair.
  assert.equal(await decode(`data: ${JSON.stringify(sent[0])}\ndata: [DONE]\n\n`), [sent[0]!])
  const error = await rejection(decode(`data: [DONE]\ndata: ${JSON.stringify(sent[0])}\n\n`))
  assert.instance(error, ChunkParseError)
})

test('ChunkDecoder keeps a JSON chunk spread over several data lines as one chunk', async () => {
  const sent = chunk({ content: 'pretty' })
  const pretty = JSON.stringify(sent, null, 2)
    .split('\n')
    .map((line) => `data: ${line}`)
    .join('\n')
  assert.equal(await decode(`${pretty}\n\n${sse([chunk({}, { finish: 'stop' })])}`), [
    sent,
    chunk({}, { finish: 'stop' }),
  ])
})

test('ChunkDecoder with strict: true turns a repair into StrictModeError', async () => {
  const sent = textChunks(['a'])
  const text = `${sent.map((c) => `data: ${JSON.stringify(c)}\n`).join('')}\n`
  const error = await rejection(decode(text, { strict: true }))
  assert.instance(error, StrictModeError)
  assert.is((error as StrictModeError).code, 'SLUICE_STRICT')
  assert.is((error as StrictModeError).quirk.code, 'missing-separator')
  assert.is(
    (error as StrictModeError).message,
    'strict mode: one event held 3 chunks (data: lines without a blank line between them): decoded each (missing-separator, event 0)',
  )
})

test('ChunkDecoder repairs empty data, a missing delta, a missing index and a usage chunk without choices', async () => {
  const quirks: Quirk[] = []
  const noDelta = { ...chunk({}), choices: [{ index: 0, finish_reason: 'stop' }] }
  const noIndex = { ...chunk({ content: 'x' }), choices: [{ delta: { content: 'x' }, finish_reason: null }] }
  const usageOnly = {
    id: 'u',
    object: 'chat.completion.chunk',
    created: 1,
    model: 'm',
    usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
  }
  const out = await decode(
    sse([
      'data:',
      `data: ${JSON.stringify(noIndex)}`,
      `data: ${JSON.stringify(noDelta)}`,
      `data: ${JSON.stringify(usageOnly)}`,
    ]),
    {
      onQuirk: (quirk) => quirks.push(quirk),
    },
  )
  assert.equal(
    quirks.map((q) => q.code),
    ['empty-data', 'missing-index', 'missing-delta', 'missing-choices'],
  )
  assert.is(out.length, 3)
  assert.equal(out[0]!.choices[0]!.index, 0)
  assert.equal(out[1]!.choices[0]!.delta, {})
  assert.equal(out[2]!.choices, [])
})

// ---------------------------------------------------------------- truncation

test('ChunkDecoder errors with TruncatedStreamError when the stream ends before [DONE] and a finish_reason', async () => {
  const error = await rejection(decode(sse(textChunks(['a', 'b']).slice(0, 3))))
  assert.instance(error, TruncatedStreamError)
  const truncated = error as TruncatedStreamError
  assert.is(truncated.code, 'SLUICE_TRUNCATED_STREAM')
  assert.is(truncated.retryable, true)
  assert.equal(truncated.unfinishedChoices, [0])
  assert.is(truncated.message, 'the stream was cut off: no [DONE]; choice 0 has no finish_reason (after 3 chunks)')
})

test('ChunkDecoder names every choice that has no finish_reason', async () => {
  const sent = [
    chunk({ content: 'a' }, { index: 0 }),
    chunk({ content: 'b' }, { index: 1 }),
    chunk({ content: 'c' }, { index: 2 }),
    chunk({}, { index: 1, finish: 'stop' }),
  ]
  const error = (await rejection(decode(sse(sent)))) as TruncatedStreamError
  assert.equal(error.unfinishedChoices, [0, 2])
  assert.match(error.message, /no \[DONE\]; choice 0 has no finish_reason; choice 2 has no finish_reason/)
})

test('ChunkDecoder errors with TruncatedStreamError when no chunk arrives at all', async () => {
  const error = (await rejection(decode(': keep-alive\n\n'))) as TruncatedStreamError
  assert.instance(error, TruncatedStreamError)
  assert.match(error.message, /no chunk arrived/)
})

test('ChunkDecoder accepts a stream with a finish_reason on every choice but no [DONE]', async () => {
  const sent = [...textChunks(['a']), usageChunk()]
  assert.equal(await decode(sse(sent)), sent)
})

test("ChunkDecoder with truncated: 'close' closes a cut-off stream and reports it to onTruncated", async () => {
  const reports: TruncatedStreamError[] = []
  const out = await decode(sse([chunk({ content: 'a' })]), {
    truncated: 'close',
    onTruncated: (error) => reports.push(error),
  })
  assert.equal(out, [chunk({ content: 'a' })])
  assert.is(reports.length, 1)
  assert.instance(reports[0], TruncatedStreamError)
})

// ---------------------------------------------------------------- other formats

test('ChunkDecoder names an Anthropic Messages stream at its first event', async () => {
  const text =
    'event: message_start\ndata: {"type":"message_start","message":{"id":"msg_1"}}\n\nevent: content_block_delta\ndata: {}\n\n'
  const error = await rejection(decode(text))
  assert.instance(error, UnsupportedFormatError)
  const foreign = error as UnsupportedFormatError
  assert.is(foreign.code, 'SLUICE_UNSUPPORTED_FORMAT')
  assert.is(foreign.format, 'anthropic-messages')
  assert.is(foreign.eventIndex, 0)
  assert.match(
    foreign.message,
    /^event 0 \(ending at line \d+\): this is an Anthropic Messages stream, not an OpenAI chat completion stream \(event: message_start\)/,
  )
  // Without event: lines (a proxy that drops them), the data's "type" gives it away.
  const dataOnly = (await rejection(
    decode('data: {"type":"content_block_delta","delta":{"text":"x"}}\n\n'),
  )) as UnsupportedFormatError
  assert.is(dataOnly.format, 'anthropic-messages')
})

test('ChunkDecoder names an OpenAI Responses API stream', async () => {
  const error = (await rejection(
    decode('event: response.created\ndata: {"type":"response.created"}\n\n'),
  )) as UnsupportedFormatError
  assert.instance(error, UnsupportedFormatError)
  assert.is(error.format, 'openai-responses')
  const dataOnly = (await rejection(
    decode('data: {"type":"response.output_text.delta","delta":"x"}\n\n'),
  )) as UnsupportedFormatError
  assert.is(dataOnly.format, 'openai-responses')
})

test('ChunkDecoder names a legacy completions stream', async () => {
  const legacy = {
    id: 'cmpl-1',
    object: 'text_completion',
    created: 1,
    model: 'gpt-3.5-turbo-instruct',
    choices: [{ text: 'Hi', index: 0, logprobs: null, finish_reason: null }],
  }
  const error = (await rejection(decode(sse([`data: ${JSON.stringify(legacy)}`])))) as UnsupportedFormatError
  assert.instance(error, UnsupportedFormatError)
  assert.is(error.format, 'legacy-completions')
  assert.match(error.message, /choices\[\]\.text/)
})

// ---------------------------------------------------------------- options

test('ChunkDecoder rejects invalid options with a clear message', () => {
  assert.throws(
    () => new ChunkDecoder({ afterDone: 'stop' as 'drain' }),
    /afterDone must be 'auto', 'cancel' or 'drain'/,
  )
  assert.throws(() => new ChunkDecoder({ invalidJSON: 'ignore' as 'skip' }), /invalidJSON must be 'error' or 'skip'/)
  assert.throws(() => new ChunkDecoder({ truncated: 'ok' as 'close' }), /truncated must be 'error' or 'close'/)
})

test.run()
