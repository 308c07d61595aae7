/** `lintStream`: each problem with its line and byte offset, the outcome, and never a false alarm on a clean stream. */
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import fc from 'fast-check'
import { bytes, concat } from '@sluice/test-support'
import { lintStream, type LintProblem } from '../src/index.ts'

const chunk = (content: string, finish: string | null = null, index = 0) =>
  JSON.stringify({
    id: 'c',
    object: 'chat.completion.chunk',
    created: 1,
    model: 'm',
    choices: [{ index, delta: { role: 'assistant', content }, finish_reason: finish }],
  })

const clean = (eol = '\n') =>
  [
    `data: ${chunk('Hel')}`,
    '',
    `data: ${chunk('lo')}`,
    '',
    `data: ${chunk('', 'stop')}`,
    '',
    'data: [DONE]',
    '',
    '',
  ].join(eol)

/** code@line:byteOffset of each problem, for compact assertions. */
const where = (problems: LintProblem[]) =>
  problems.map((problem) => `${problem.code}@${problem.line}:${problem.byteOffset}`)

test('a clean stream has no problem and a complete outcome, with LF or CRLF', () => {
  for (const eol of ['\n', '\r\n']) {
    const report = lintStream(bytes(clean(eol)))
    assert.equal(report.problems, [])
    assert.is(report.outcome.status, 'complete')
    assert.is(report.lines, 8)
  }
})

test('line terminators: a lone CR and mixed terminators, at their line and byte', () => {
  const text = `: hi\r\ndata: ${chunk('a')}\r\n\rdata: ${chunk('', 'stop')}\n\ndata: [DONE]\n\n`
  const report = lintStream(bytes(text))
  const crAt = bytes(`: hi\r\ndata: ${chunk('a')}\r\n`).length
  const lfLine = crAt + 1
  assert.equal(where(report.problems), [`lone-cr@3:${crAt}`, `mixed-terminators@4:${lfLine}`])
  assert.is(report.outcome.status, 'complete')
})

test('fields the SSE rules ignore, with a hint for a wrong case', () => {
  const text = `Data: x\n\nretry: soon\nid: a\u0000b\nfoo\ndata: ${chunk('a', 'stop')}\n\n`
  const report = lintStream(bytes(text))
  assert.equal(where(report.problems.filter((problem) => problem.code === 'ignored-field')), [
    'ignored-field@1:0',
    'ignored-field@3:9',
    'ignored-field@4:21',
    'ignored-field@5:29',
  ])
  assert.match(report.problems[0]!.message, /did you mean "data"\? field names are exact/)
  assert.equal(where(report.problems.filter((problem) => problem.code === 'no-done')), ['no-done@null:null'])
})

test('invalid JSON and invalid UTF-8 are reported where the event starts, and reading goes on', () => {
  const head = `data: ${chunk('a')}\n\n`
  const text = concat([
    bytes(`${head}data: {"oops"\n\ndata: caf`),
    new Uint8Array([0xe9]),
    bytes(`\n\ndata: ${chunk('', 'stop')}\n\ndata: [DONE]\n\n`),
  ])
  const report = lintStream(text)
  const at = bytes(head).length
  assert.equal(where(report.problems), [
    `invalid-json@3:${at}`,
    `invalid-utf8@5:${at + bytes('data: {"oops"\n\n').length}`,
    `invalid-json@5:${at + bytes('data: {"oops"\n\n').length}`,
  ])
  assert.is(report.outcome.status, 'complete')
  assert.is(report.outcome.counts.chunks, 2)
})

test('a provider error event and an unfinished last event; no extra truncated after the provider ended the stream', () => {
  const text = `data: ${chunk('a')}\n\nevent: error\ndata: {"error":{"message":"overloaded"}}\n\ndata: ${chunk('b')}\n\ndata: {"id"`
  const report = lintStream(bytes(text))
  assert.equal(
    report.problems.map((problem) => `${problem.code}@${problem.line}`),
    ['provider-error@3', 'unfinished-event@8'],
  )
  assert.match(report.problems[0]!.message, /overloaded/)
  assert.is(report.outcome.status, 'error')
})

test('data: [DONE] as the last line without its blank line: a warning (sluice takes it as [DONE]), not an unfinished event', () => {
  for (const ending of ['\n', '']) {
    const text = clean().replace(/data: \[DONE\]\n\n$/, `data: [DONE]${ending}`)
    const report = lintStream(bytes(text))
    assert.equal(
      where(report.problems),
      [`unterminated-done@7:${bytes(clean()).length - bytes('data: [DONE]\n\n').length}`],
      JSON.stringify(ending),
    )
    assert.is(report.problems[0]!.severity, 'warning')
    assert.is(report.outcome.status, 'complete')
  }
})

test('a repair needed on every chunk is one problem, at its first place, with the count', () => {
  const parts = (text: string, finish: string | null = null) =>
    `data: ${JSON.stringify({ id: 'c', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [{ index: 0, delta: { role: 'assistant', content: [{ type: 'text', text }] }, finish_reason: finish }] })}\n\n`
  const report = lintStream(bytes(`${parts('a')}${parts('b')}${parts('c', 'stop')}data: [DONE]\n\n`))
  assert.equal(where(report.problems), ['content-parts@1:0'])
  assert.match(report.problems[0]!.message, /\(and 2 more like it\) \(sluice repairs this\)$/)
})

test('a body that is not an event stream (a JSON error) is an error at its first line', () => {
  const report = lintStream(bytes('{"error":{"message":"Invalid API key","type":"invalid_request_error"}}\n'))
  assert.equal(where(report.problems).slice(0, 2), ['ignored-field@1:0', 'not-event-stream@1:0'])
  assert.match(report.problems[1]!.message, /an error body in JSON/)
  assert.is(report.outcome.status, 'truncated')
})

test('repairs sluice makes are reported at the event, and open tool calls at the end', () => {
  const call = (fragment: object) =>
    JSON.stringify({
      id: 'c',
      object: 'chat.completion.chunk',
      created: 1,
      model: 'm',
      choices: [{ index: 0, delta: { role: 'assistant', tool_calls: [fragment] }, finish_reason: null }],
    })
  const text = [
    `data: ${chunk('a')}`,
    `data: ${chunk('b')}`,
    '',
    `data: ${call({ id: 'call_1', type: 'function', function: { name: 'f', arguments: '{"x":' } })}`,
    '',
    `data: ${chunk('', 'tool_calls')}`,
    '',
    'data: [DONE]',
    '',
    '',
  ].join('\n')
  const report = lintStream(bytes(text))
  assert.equal(
    report.problems.map((problem) => `${problem.code}@${problem.line}`),
    ['missing-separator@1', 'missing-tool-call-index@4', 'open-tool-call@null'],
  )
  assert.is(report.outcome.status, 'truncated')
})

test('property: a stream built from clean events is clean whatever its line terminator; cutting it before [DONE] is never clean', () => {
  fc.assert(
    fc.property(
      fc.array(fc.string({ maxLength: 8 }), { minLength: 1, maxLength: 6 }),
      fc.constantFrom('\n', '\r\n', '\r'),
      fc.nat(),
      (parts, eol, cutSeed) => {
        const events = [...parts.map((part) => chunk(part)), chunk('', 'stop')].map(
          (json) => `data: ${json}${eol}${eol}`,
        )
        const body = `${events.join('')}data: [DONE]${eol}${eol}`
        const report = lintStream(bytes(body))
        const expected = eol === '\r' ? ['lone-cr'] : []
        assert.equal([...new Set(report.problems.map((problem) => problem.code))], expected)
        const lastFinish = bytes(events.join('')).length - 1
        const cut = cutSeed % lastFinish
        const cutReport = lintStream(bytes(body).subarray(0, cut))
        assert.ok(
          cutReport.problems.some((problem) => problem.severity === 'error'),
          `cut at ${cut}`,
        )
      },
    ),
  )
})

test.run()
