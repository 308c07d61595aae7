/** `sluice decode` and `sluice lint` on OpenAI Responses streams (issue #20): read, translated, and named on stderr. */
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { readFileSync } from 'node:fs'
import { repositoryFile } from '@sluice/test-support/node'
import { runCLI } from './run-cli.ts'

const capture = (name: string) => readFileSync(repositoryFile(`packages/responses/test/fixtures/${name}`), 'utf8')

/** The text of a capture's `response.output_text.delta` events, joined. */
const deltas = (text: string) =>
  [...text.matchAll(/^data: (.*)$/gm)]
    .map((match) => JSON.parse(match[1]!))
    .filter((event) => event.type === 'response.output_text.delta')
    .map((event) => event.delta)
    .join('')

/** The code and severity of each problem of a `lint --json` report. */
const codes = (stdout: string) =>
  JSON.parse(stdout).problems.map((problem: { code: string; severity: string }) => [problem.code, problem.severity])

test('decode prints the text of a Responses stream, names the format on stderr, and exits 0 when it is complete', async () => {
  const text = capture('text-gpt-4o.sse')
  const result = await runCLI(['decode'], { stdin: text })
  assert.is(result.status, 0, result.stderr)
  const answer = deltas(text)
  assert.ok(answer.length > 0)
  assert.is(result.stdout, `${answer}\n`)
  assert.match(result.stderr, /read as an OpenAI Responses stream/)
})

test('decode reads OpenRouter (a comment first, no event: lines) and Bedrock (data: before event:) Responses streams', async () => {
  for (const name of ['reasoning-text-openrouter-gpt-oss-20b.sse', 'function-call-bedrock-mantle-gpt-5.6-luna.sse']) {
    const result = await runCLI(['decode', '--final'], { stdin: capture(name) })
    assert.is(result.status, 0, `${name}: ${result.stderr}`)
    assert.match(result.stderr, /read as an OpenAI Responses stream/)
    assert.is(JSON.parse(result.stdout).object, 'chat.completion')
  }
})

test('decode --final assembles the translated chat completion, tool call included', async () => {
  const result = await runCLI(['decode', '--final'], { stdin: capture('function-call-gpt-4o.sse') })
  assert.is(result.status, 0, result.stderr)
  const completion = JSON.parse(result.stdout)
  assert.is(completion.choices[0].finish_reason, 'tool_calls')
  const [call] = completion.choices[0].message.tool_calls
  assert.match(call.id, /^call_/)
  assert.type(JSON.parse(call.function.arguments), 'object')
})

test('decode of a Responses stream cut before its terminal event exits 1 and says why', async () => {
  const text = capture('text-gpt-4o.sse')
  const cut = text.slice(0, text.indexOf('event: response.completed'))
  const result = await runCLI(['decode'], { stdin: cut })
  assert.is(result.status, 1)
  assert.is(result.stdout, `${deltas(text)}\n`, 'the text before the cut')
  assert.match(result.stderr, /truncated: no terminal event/)
})

test("decode of a Responses stream that ends with an error event exits 1 with the provider's error", async () => {
  const result = await runCLI(['decode'], {
    stdin: capture('error-then-failed-insufficient-quota-gpt-5-nano-reconstructed.sse'),
  })
  assert.is(result.status, 1)
  assert.match(result.stderr, /error: ProviderError: .*quota/)
})

test('lint reads a Responses stream: clean when complete, its repairs as warnings, the ending error or a cut as errors', async () => {
  const clean = await runCLI(['lint', '--json'], { stdin: capture('function-call-gpt-5.5.sse') })
  assert.is(clean.status, 0, clean.stdout)
  assert.match(clean.stderr, /read as an OpenAI Responses stream/)
  assert.equal(JSON.parse(clean.stdout).problems, [])

  const repaired = await runCLI(['lint', '--json'], { stdin: capture('background-resume-starting-after-gpt-4o.sse') })
  assert.is(repaired.status, 0)
  assert.equal(codes(repaired.stdout), [['resumed-stream', 'warning']])
  const strict = await runCLI(['lint', '--strict'], { stdin: capture('background-resume-starting-after-gpt-4o.sse') })
  assert.is(strict.status, 1, 'a warning fails --strict')

  const failed = await runCLI(['lint', '--json'], {
    stdin: capture('error-then-failed-insufficient-quota-gpt-5-nano-reconstructed.sse'),
  })
  assert.is(failed.status, 1)
  assert.equal(codes(failed.stdout), [['SLUICE_PROVIDER_ERROR', 'error']])

  const text = capture('text-gpt-4o.sse')
  const cut = await runCLI(['lint', '--json'], {
    stdin: text.slice(0, text.indexOf('event: response.output_item.done')),
  })
  assert.is(cut.status, 1)
  const report = JSON.parse(cut.stdout)
  assert.ok(report.problems.some((problem: { code: string }) => problem.code === 'truncated'))
  assert.is(report.outcome.status, 'truncated')
})

test('a chat stream is still linted and decoded as chat chunks, with no format line', async () => {
  const chat =
    'data: {"id":"c","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"content":"hi"},"finish_reason":"stop"}]}\n\ndata: [DONE]\n\n'
  const decoded = await runCLI(['decode'], { stdin: chat })
  assert.is(decoded.status, 0, decoded.stderr)
  assert.is(decoded.stdout, 'hi\n')
  assert.not.match(decoded.stderr, /read as/)
  const linted = await runCLI(['lint'], { stdin: chat })
  assert.not.match(linted.stderr, /read as/)
})

test.run()
