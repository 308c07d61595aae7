/** `sluice decode` on Anthropic Messages streams (issue #19): read, translated, and named on stderr. */
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { readFileSync } from 'node:fs'
import { repositoryFile } from '@sluice/test-support/node'
import { runCLI } from './run-cli.ts'

const capture = (name: string) => readFileSync(repositoryFile(`packages/anthropic/test/fixtures/${name}`), 'utf8')

test('decode prints the text of an Anthropic stream, names the format on stderr, and exits 0 when it is complete', async () => {
  const text = capture('text-then-tool-use-with-args-sonnet37.sse')
  const result = await runCLI(['decode'], { stdin: text })
  assert.is(result.status, 0, result.stderr)
  const answer = [...text.matchAll(/"text_delta","text":("(?:[^"\\]|\\.)*")/g)]
    .map((match) => JSON.parse(match[1]!))
    .join('')
  assert.ok(answer.length > 0)
  assert.is(result.stdout, `${answer}\n`)
  assert.match(result.stderr, /read as an Anthropic Messages stream/)
})

test('decode --final assembles the translated chat completion, tool call included', async () => {
  const result = await runCLI(['decode', '--final'], { stdin: capture('text-then-tool-use-with-args-sonnet37.sse') })
  const completion = JSON.parse(result.stdout)
  assert.is(completion.choices[0].finish_reason, 'tool_calls')
  assert.equal(JSON.parse(completion.choices[0].message.tool_calls[0].function.arguments), { city: 'San Francisco' })
})

test('decode of an Anthropic stream cut before message_stop exits 1 and says why', async () => {
  const text = capture('text-basic-haiku45.sse')
  const cut = text.slice(0, text.indexOf('event: message_stop'))
  const result = await runCLI(['decode'], { stdin: cut })
  assert.is(result.status, 1)
  assert.match(result.stderr, /truncated: no message_stop/)
})

test('lint reads an Anthropic stream: clean when complete, its repairs as warnings, a cut as an error', async () => {
  const clean = await runCLI(['lint', '--json'], { stdin: capture('text-basic-haiku45.sse') })
  assert.is(clean.status, 0, clean.stdout)
  assert.match(clean.stderr, /read as an Anthropic Messages stream/)
  assert.equal(JSON.parse(clean.stdout).problems, [])
  const repaired = await runCLI(['lint', '--json'], {
    stdin: capture('duplicate-message-start-handwritten-reconstructed.sse'),
  })
  assert.is(repaired.status, 0)
  assert.equal(
    JSON.parse(repaired.stdout).problems.map((problem: { code: string; severity: string }) => [
      problem.code,
      problem.severity,
    ]),
    [['duplicate-message-start', 'warning']],
  )
  const text = capture('text-basic-haiku45.sse')
  const cut = await runCLI(['lint', '--json'], { stdin: text.slice(0, text.indexOf('event: message_delta')) })
  assert.is(cut.status, 1)
  assert.ok(JSON.parse(cut.stdout).problems.some((problem: { code: string }) => problem.code === 'truncated'))
})

test.run()
