/** The `sluice` command as a process: exit statuses, output streams, one-line errors, help, colour. */
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { runCLI, tempDir } from './run-cli.ts'

const chunk = (content: string, finish: string | null = null) =>
  JSON.stringify({
    id: 'c',
    object: 'chat.completion.chunk',
    created: 1,
    model: 'm',
    choices: [{ index: 0, delta: { role: 'assistant', content }, finish_reason: finish }],
  })
const stream = (parts: string[], done = true) =>
  [...parts.map((part) => chunk(part)), chunk('', 'stop')].map((json) => `data: ${json}\n\n`).join('') +
  (done ? 'data: [DONE]\n\n' : '')

const dir = tempDir('sluice-cli-test-')
const file = (name: string, text: string) => {
  const path = join(dir, name)
  writeFileSync(path, text)
  return path
}

test('sluice --help lists the commands; no command is a usage error (exit 2)', async () => {
  const help = await runCLI(['--help'])
  assert.is(help.status, 0)
  assert.match(help.stdout, /Commands:\n {2}chat .*\n {2}decode .*\n {2}lint .*\n {2}mock .*\n {2}record /)
  const none = await runCLI([])
  assert.is(none.status, 2)
})

test('every command has --help', async () => {
  for (const command of ['chat', 'decode', 'lint', 'mock', 'record']) {
    const { status, stdout } = await runCLI([command, '--help'])
    assert.is(status, 0)
    assert.match(stdout, new RegExp(`^sluice ${command} `))
  }
})

test('decode prints the text from a file or stdin, and exits 0 on a complete stream', async () => {
  const text = stream(['Crème', ' brûlée'])
  for (const args of [[file('ok.sse', text)], ['-'], []]) {
    const result = await runCLI(['decode', ...args], { stdin: text })
    assert.is(result.status, 0, result.stderr)
    assert.is(result.stdout, 'Crème brûlée\n')
    assert.is(result.stderr, '')
  }
})

test('decode --chunks, --events and --final', async () => {
  const text = stream(['a', 'b'])
  const chunks = await runCLI(['decode', '--chunks'], { stdin: text })
  assert.equal(
    chunks.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line).choices[0].delta.content),
    ['a', 'b', ''],
  )
  const events = await runCLI(['decode', '--events'], { stdin: text })
  assert.equal(
    events.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line).type),
    ['message', 'message', 'message', 'message'],
  )
  const final = await runCLI(['decode', '--final'], { stdin: text })
  const completion = JSON.parse(final.stdout)
  assert.is(completion.object, 'chat.completion')
  assert.is(completion.choices[0].message.content, 'ab')
  assert.is(completion.choices[0].finish_reason, 'stop')
})

test('decode prints the text of a stream whose content comes as an array of parts (Mistral), and lint warns of the repair', async () => {
  const parts = (content: unknown[], finish: string | null = null) =>
    JSON.stringify({
      id: 'c',
      object: 'chat.completion.chunk',
      created: 1,
      model: 'magistral',
      choices: [{ index: 0, delta: { content }, finish_reason: finish }],
    })
  const text = [
    parts([{ type: 'thinking', thinking: [{ type: 'text', text: 'hmm' }] }]),
    parts([{ type: 'text', text: '2 + 2 = 4' }]),
    parts([], 'stop'),
  ]
    .map((json) => `data: ${json}\n\n`)
    .join('')
    .concat('data: [DONE]\n\n')
  const result = await runCLI(['decode'], { stdin: text })
  assert.is(result.status, 0, result.stderr)
  assert.is(result.stdout, '2 + 2 = 4\n')
  const lint = await runCLI(['lint', '--json'], { stdin: text })
  assert.ok(lint.stdout.includes('content-parts'), lint.stdout)
})

test('decode of a cut-off stream exits 1 with the outcome on stderr', async () => {
  const cut = stream(['a', 'b']).split('\n\n').slice(0, 2).join('\n\n') + '\n\n'
  const result = await runCLI(['decode'], { stdin: cut })
  assert.is(result.status, 1)
  assert.is(result.stdout, 'ab\n')
  assert.is(result.stderr, 'stdin: truncated: no [DONE]; choice 0 has no finish_reason (after 2 chunks)\n')
})

test('lint exits 0 on a clean stream and 1 with one line per problem; --json for machines', async () => {
  const clean = await runCLI(['lint', file('clean.sse', stream(['a']))])
  assert.is(clean.status, 0)
  assert.match(clean.stdout, /clean\.sse: clean\n/)
  const bad = file('bad.sse', `${stream(['a'], false)}retry: soon\n`)
  const human = await runCLI(['lint', bad])
  assert.is(human.status, 1)
  assert.match(human.stdout, /bad\.sse:5 \(byte \d+\) {2}warning {2}ignored-field {2}retry: "soon"/)
  assert.match(human.stdout, /2 problems \(1 error, 1 warning\)/)
  const json = JSON.parse((await runCLI(['lint', '--json', bad])).stdout)
  assert.is(json.clean, false)
  assert.equal(
    json.problems.map((problem: { code: string }) => problem.code),
    ['ignored-field', 'unfinished-event'],
  )
  assert.is(json.outcome.status, 'truncated')
})

test('lint exits 0 when there are only warnings, and 1 on them with --strict', async () => {
  const warned = file('warned.sse', `: hi\r${stream(['a'])}`)
  const plain = await runCLI(['lint', warned])
  assert.is(plain.status, 0, plain.stdout)
  assert.match(plain.stdout, /warning {2}lone-cr/)
  assert.is((await runCLI(['lint', '--strict', warned])).status, 1)
  assert.is((await runCLI(['lint', '--strict', file('clean2.sse', stream(['a']))])).status, 0)
})

test('errors are one line without a stack trace, unless --debug', async () => {
  const missing = await runCLI(['decode', join(dir, 'nope.sse')])
  assert.is(missing.status, 2)
  assert.is(missing.stderr, `sluice: cannot read ${join(dir, 'nope.sse')}: no such file\n`)
  const flag = await runCLI(['lint', '--bogus'])
  assert.is(flag.status, 2)
  assert.match(flag.stderr, /^sluice: Unknown option '--bogus'.* \(see: sluice lint --help\)\n$/)
  const unknown = await runCLI(['frobnicate'])
  assert.match(unknown.stderr, /^sluice: unknown command "frobnicate": the commands are /)
  const debug = await runCLI(['decode', join(dir, 'nope.sse'), '--debug'])
  assert.match(debug.stderr, /\n {4}at /)
})

test('colour only on a terminal: none in a pipe, none with NO_COLOR, on with FORCE_COLOR', async () => {
  const bad = file('colour.sse', stream(['a'], false).replace('data: [DONE]', ''))
  assert.not.match((await runCLI(['lint', bad])).stdout, /\u001b\[/)
  assert.match((await runCLI(['lint', bad], { env: { FORCE_COLOR: '1' } })).stdout, /\u001b\[33mwarning/)
  assert.not.match((await runCLI(['lint', bad], { env: { FORCE_COLOR: '1', NO_COLOR: '' } })).stdout, /\u001b\[/)
})

test.run()
