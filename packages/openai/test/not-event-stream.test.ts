import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { iterate } from '@sluice/compose'
import { NotEventStreamError, SSEStream } from '@sluice/sse'
import { bytes, chunk, collect, everySplit, fromChunks, readToEnd, sse } from '@sluice/test-support'
import { ChatChunkParser, ChatChunkStream } from '../src/index.ts'

/** Bodies that are not event streams, as servers and proxies send them, and what they are. */
const bodies: [string, string, string][] = [
  [
    'a 401 JSON error body',
    '{"error":{"message":"Incorrect API key provided","type":"invalid_request_error","code":"invalid_api_key"}}\n',
    'json-error',
  ],
  ['a pretty-printed JSON error', '{\n  "error": {\n    "message": "Rate limit reached"\n  }\n}\n', 'json'],
  [
    'a 502 HTML page',
    '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>nginx</body>\r\n</html>\r\n',
    'html',
  ],
  [
    'a completion sent without stream: true',
    `${JSON.stringify({ id: 'c', object: 'chat.completion', choices: [{ index: 0, message: { role: 'assistant', content: 'Hi' }, finish_reason: 'stop' }] })}\n`,
    'json-completion',
  ],
  [
    'a Gemini stream sent without alt=sse (one JSON array)',
    '[{\n  "candidates": [\n    {\n      "content": {\n        "parts": [\n          {\n            "text": "Hi"\n          }\n        ]\n      }\n    }\n  ]\n}\n,\r\n{\n  "candidates": []\n}\n]',
    'json-array',
  ],
  ['plain text', 'Internal Server Error', 'text'],
]

for (const [what, text, cause] of bodies) {
  test(`ChatChunkStream names ${what} at its first line: NotEventStreamError (${cause}), not a TruncatedStreamError`, async () => {
    const data = bytes(text)
    for (const reads of [[data], ...everySplit(data)]) {
      const { items, error } = await readToEnd(fromChunks(reads).pipeThrough(new ChatChunkStream()))
      assert.equal(items, [])
      assert.instance(error, NotEventStreamError)
      const notSSE = error as NotEventStreamError
      assert.is(notSSE.code, 'SLUICE_NOT_EVENT_STREAM')
      assert.is(notSSE.likelyCause, cause)
      assert.is(notSSE.line, 1)
      assert.is(notSSE.retryable, false)
      assert.ok(text.startsWith(notSSE.text.replace(/…$/, '')), notSSE.text)
    }
    const parser = new ChatChunkParser()
    let pulled: unknown
    try {
      for await (const _ of iterate(fromChunks([data]), parser)) assert.unreachable('no chunk')
    } catch (caught) {
      pulled = caught
    }
    assert.instance(pulled, NotEventStreamError)
    assert.is((await parser.outcome).status, 'error')
  })
}

test('NotEventStreamError: the message quotes the line and names the likely cause', async () => {
  const { error } = await readToEnd(fromChunks([bytes(bodies[0]![1])]).pipeThrough(new ChatChunkStream()))
  assert.match(
    (error as Error).message,
    /^the body is not an event stream: line 1 is neither an SSE field nor a comment: "\{\\"error\\"/,
  )
  assert.match((error as Error).message, /an error body in JSON/)
})

test('requireEventStream accepts every way an event stream starts: comments, the four fields, blank lines first', async () => {
  const starts = [
    ': OPENROUTER PROCESSING\n\n',
    'retry: 3000\n\n',
    'id: 1\n',
    'event: message\n',
    '\n\n\r\n',
    'data\n\n',
    '',
  ]
  for (const start of starts) {
    const text = `${start}${sse([chunk({ content: 'ok' }, { finish: 'stop' })])}data: [DONE]\n\n`
    const out = await collect(fromChunks([bytes(text)]).pipeThrough(new ChatChunkStream()))
    assert.is(out.length, 1, JSON.stringify(start))
  }
})

test('requireEventStream: a stream cut inside its first field name is a cut stream, not another format', async () => {
  for (const text of ['d', 'dat', 'ev', 'i', 'ret']) {
    const { error } = await readToEnd(fromChunks([bytes(text)]).pipeThrough(new ChatChunkStream()))
    assert.is((error as { code?: string }).code, 'SLUICE_TRUNCATED_STREAM', text)
  }
})

test('requireEventStream checks only the first line: an unknown field later is ignored, as the SSE rules say', async () => {
  const text = `data: ${JSON.stringify(chunk({ content: 'a' }))}\nfoo: bar\n\n${sse([chunk({}, { finish: 'stop' })])}data: [DONE]\n\n`
  assert.is((await collect(fromChunks([bytes(text)]).pipeThrough(new ChatChunkStream()))).length, 2)
})

test('SSEStream ignores a body that is not an event stream by default (the WHATWG rule), and names it with requireEventStream', async () => {
  const text = bodies[2]![1]
  assert.equal(await collect(fromChunks([bytes(text)]).pipeThrough(new SSEStream())), [])
  const { error } = await readToEnd(fromChunks([bytes(text)]).pipeThrough(new SSEStream({ requireEventStream: true })))
  assert.instance(error, NotEventStreamError)
  // ChatChunkStream can be told to read such a body the WHATWG way: then it is a stream without a chunk.
  const { error: truncated } = await readToEnd(
    fromChunks([bytes(text)]).pipeThrough(new ChatChunkStream({ requireEventStream: false })),
  )
  assert.is((truncated as { code?: string }).code, 'SLUICE_TRUNCATED_STREAM')
})

test.run()
