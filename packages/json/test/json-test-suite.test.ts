/**
 * The parsing cases of JSONTestSuite (fixtures/json-test-suite.txt, source in
 * fixtures/SOURCES.md): every file is accepted exactly when `JSON.parse` accepts the same
 * text, with the same value, whole and split at every tenth of it; `y_` files are accepted
 * and `n_` files refused with an error naming the position.
 */
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { IncrementalJSONParser, JSONAssembler, JSONTextError } from '../src/index.ts'
import suite from './fixtures/json-test-suite.txt'

function bytesOf(base64: string): Uint8Array {
  const binary = atob(base64)
  return Uint8Array.from(binary, (char) => char.charCodeAt(0))
}

const CASES = suite
  .trim()
  .split('\n')
  .map((line) => {
    const [name, base64] = line.split('\t') as [string, string]
    return { name, text: new TextDecoder().decode(bytesOf(base64)) }
  })

function parse(fragments: string[]): { value?: unknown; error?: unknown } {
  const parser = new IncrementalJSONParser({ events: true })
  const assembler = new JSONAssembler()
  try {
    for (const fragment of fragments) assembler.apply(parser.feed(fragment))
    assembler.apply(parser.end())
    return { value: assembler.value }
  } catch (error) {
    return { error }
  }
}

test('the suite is all there: 95 y_, 188 n_, 35 i_', () => {
  const count = (prefix: string) => CASES.filter((each) => each.name.startsWith(prefix)).length
  assert.equal([count('y_'), count('n_'), count('i_')], [95, 188, 35])
})

for (const { name, text } of CASES) {
  test(`${name}: as JSON.parse`, () => {
    let expected: { value: unknown } | undefined
    try {
      expected = { value: JSON.parse(text) }
    } catch {}
    if (name.startsWith('y_')) assert.ok(expected, 'JSON.parse accepts a y_ file')
    if (name.startsWith('n_')) assert.is(expected, undefined, 'JSON.parse refuses an n_ file')
    const tenth = Math.max(1, Math.ceil(text.length / 10))
    const pieces: string[] = []
    for (let at = 0; at < text.length; at += tenth) pieces.push(text.slice(at, at + tenth))
    for (const fragments of [[text], pieces]) {
      const result = parse(fragments)
      if (expected) {
        assert.is(result.error, undefined, String(result.error))
        assert.equal(result.value, expected.value)
      } else {
        assert.instance(result.error, JSONTextError)
        assert.ok((result.error as JSONTextError).position <= text.length, 'the position is in the text')
      }
    }
  })
}

test.run()
