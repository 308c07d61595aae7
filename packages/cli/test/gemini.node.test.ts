/** `sluice decode` and `sluice lint` on Gemini streams (issue #21): read, translated, and named on stderr. */
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { readFileSync } from 'node:fs'
import { repositoryFile } from '@sluice/test-support/node'
import { runCLI } from './run-cli.ts'

const capture = (name: string) => readFileSync(repositoryFile(`packages/gemini/test/fixtures/${name}`), 'utf8')

/** The text of a capture's parts (not thoughts), joined. */
const texts = (text: string) =>
  [...text.matchAll(/^data: (.*)$/gm)]
    .flatMap((match) => JSON.parse(match[1]!).candidates?.[0]?.content?.parts ?? [])
    .filter((part: { text?: string; thought?: boolean }) => typeof part.text === 'string' && !part.thought)
    .map((part: { text: string }) => part.text)
    .join('')

/** The code and severity of each problem of a `lint --json` report. */
const codes = (stdout: string) =>
  JSON.parse(stdout).problems.map((problem: { code: string; severity: string }) => [problem.code, problem.severity])

/** A capture without its last event: the candidate's finishReason never came. */
const cutBeforeLast = (text: string) => text.slice(0, text.lastIndexOf('data: '))

test('decode prints the text of a Gemini stream, names the format on stderr, and exits 0 when it is complete', async () => {
  for (const name of ['text-long-gemini20flash.sse', 'thinking-thought-parts-gemini25pro.sse']) {
    const text = capture(name)
    const result = await runCLI(['decode'], { stdin: text })
    assert.is(result.status, 0, result.stderr)
    const answer = texts(text)
    assert.ok(answer.length > 0)
    assert.is(result.stdout, `${answer}\n`, name)
    assert.match(result.stderr, /read as a Gemini stream/)
  }
})

test('decode --final assembles the translated chat completion, function calls included', async () => {
  const result = await runCLI(['decode', '--final'], {
    stdin: capture('function-call-parallel-split-chunks-ids-gemini35flash.sse'),
  })
  assert.is(result.status, 0, result.stderr)
  const completion = JSON.parse(result.stdout)
  assert.is(completion.object, 'chat.completion')
  assert.is(completion.choices[0].finish_reason, 'tool_calls')
  const calls = completion.choices[0].message.tool_calls
  assert.ok(calls.length >= 2)
  for (const call of calls) assert.type(JSON.parse(call.function.arguments), 'object')
  assert.ok(completion.usage.total_tokens > 0)
})

test('decode of a Gemini stream cut before its finishReason exits 1 and says why', async () => {
  const text = capture('text-long-gemini20flash.sse')
  const cut = cutBeforeLast(text)
  const result = await runCLI(['decode'], { stdin: cut })
  assert.is(result.status, 1)
  assert.is(result.stdout, `${texts(cut)}\n`, 'the text before the cut')
  assert.match(result.stderr, /truncated: candidate 0 has no finishReason/)
})

test("decode of a Gemini stream that ends with an error chunk exits 1 with the provider's error", async () => {
  const first = capture('text-gemini20flashexp.sse').split('\r\n\r\n')[0]!
  const stdin = `${first}\r\n\r\ndata: {"error": {"code": 503, "message": "The model is overloaded. Please try again later.", "status": "UNAVAILABLE"}}\r\n\r\n`
  const result = await runCLI(['decode'], { stdin })
  assert.is(result.status, 1)
  assert.is(result.stdout, 'The\n')
  assert.match(result.stderr, /error: ProviderError: .*overloaded/)
})

test('decode of a JSON-array body (no alt=sse) names it', async () => {
  const result = await runCLI(['decode'], { stdin: capture('text-json-array-gemini15flash.json.txt') })
  assert.is(result.status, 1)
  assert.match(result.stderr, /read as a Gemini stream/)
  assert.match(result.stderr, /NotEventStreamError: .*alt=sse/)
})

test('lint reads a Gemini stream: clean when complete, its repairs as warnings, the ending error or a cut as errors', async () => {
  const clean = await runCLI(['lint', '--json'], { stdin: capture('thinking-gemini35flash.sse') })
  assert.is(clean.status, 0, clean.stdout)
  assert.match(clean.stderr, /read as a Gemini stream/)
  assert.equal(JSON.parse(clean.stdout).problems, [])

  // The Gemini API sends function calls without ids; the last chunk here lacks its blank line.
  const unterminated = capture('function-call-gemini20flash.sse').replace(/\r\n\r\n$/, '')
  const repaired = await runCLI(['lint', '--json'], { stdin: unterminated })
  assert.is(repaired.status, 0, repaired.stdout)
  assert.equal(codes(repaired.stdout), [
    ['unterminated-last-chunk', 'warning'],
    ['missing-tool-call-id', 'warning'],
  ])
  const strict = await runCLI(['lint', '--strict'], { stdin: unterminated })
  assert.is(strict.status, 1, 'a warning fails --strict')

  const first = capture('text-gemini20flashexp.sse').split('\r\n\r\n')[0]!
  const failed = await runCLI(['lint', '--json'], {
    stdin: `${first}\r\n\r\ndata: {"error": {"code": 500, "message": "Internal error", "status": "INTERNAL"}}\r\n\r\n`,
  })
  assert.is(failed.status, 1)
  assert.equal(codes(failed.stdout), [['SLUICE_PROVIDER_ERROR', 'error']])

  const cut = await runCLI(['lint', '--json'], { stdin: cutBeforeLast(capture('text-long-gemini20flash.sse')) })
  assert.is(cut.status, 1)
  const report = JSON.parse(cut.stdout)
  assert.equal(codes(cut.stdout), [['truncated', 'error']])
  assert.is(report.outcome.status, 'truncated')

  const array = await runCLI(['lint', '--json'], { stdin: capture('function-call-json-array-gemini20flash.json.txt') })
  assert.is(array.status, 1)
  assert.equal(codes(array.stdout), [['SLUICE_NOT_EVENT_STREAM', 'error']])
})

test('a chat stream is still linted and decoded as chat chunks, with no format line', async () => {
  const chat =
    'data: {"id":"c","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"content":"{\\"candidates\\": []}"},"finish_reason":"stop"}]}\n\ndata: [DONE]\n\n'
  const decoded = await runCLI(['decode'], { stdin: chat })
  assert.is(decoded.status, 0, decoded.stderr)
  assert.is(decoded.stdout, '{"candidates": []}\n')
  assert.not.match(decoded.stderr, /read as/)
  const linted = await runCLI(['lint'], { stdin: chat })
  assert.not.match(linted.stderr, /read as/)
})

test.run()
