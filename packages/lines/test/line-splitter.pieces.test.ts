import { test } from 'uvu'
import * as assert from 'uvu/assert'
import fc from 'fast-check'
import { bytes, oneByteChunks, runTransformer } from '@sluice/test-support'
import { LineSplitter, LineTooLongError, type LineSplitterOptions } from '../src/index.ts'

// A pending line is kept as pieces: every 1024 fragments, those since the last join become
// one string. These tests put terminators, CRs and the limit at and around those joins.

/** Fragments the splitter joins into one piece (JOIN_EVERY in line-splitter.ts). */
const JOIN_EVERY = 1024

const split = (chunks: Iterable<Uint8Array | string>, options?: LineSplitterOptions) =>
  runTransformer(new LineSplitter(options), chunks)

/** `data` in reads of the given sizes, cycled. */
function* reads(data: Uint8Array, sizes: readonly number[]): Generator<Uint8Array> {
  for (let start = 0, turn = 0; start < data.length; turn++) {
    const end = Math.min(data.length, start + Math.max(1, sizes[turn % sizes.length]!))
    yield data.subarray(start, end)
    start = end
  }
}

test('LineSplitter emits a line of 1 Mi characters read one byte at a time, multi-byte characters included', () => {
  const unit = 'aé日🦕' // 1, 2, 3 and 4 bytes; 5 UTF-16 code units
  const line = unit.repeat((1024 * 1024) / unit.length + 1).slice(0, 1024 * 1024)
  const data = bytes(line)
  assert.equal(split(reads(data, [1])), [line])
  assert.equal(split(reads(bytes(`${line}\r\nnext`), [1])), [line, 'next'])
  assert.equal(split(reads(bytes(`${line}\n`), [1]), { terminators: 'lf' }), [line])
})

test("LineSplitter with terminators: 'lf' drops the CR of a CRLF split right after the pending fragments were joined", () => {
  for (const before of [JOIN_EVERY - 2, JOIN_EVERY - 1, JOIN_EVERY, 2 * JOIN_EVERY - 1]) {
    const text = `${'x'.repeat(before)}\r\ny\r`
    assert.equal(
      split(oneByteChunks(bytes(text)), { terminators: 'lf' }),
      ['x'.repeat(before), 'y\r'],
      `${before} characters before the CR`,
    )
    assert.equal(
      split(oneByteChunks(bytes(text))),
      ['x'.repeat(before), 'y'],
      `${before} characters before the CR, any terminator`,
    )
  }
})

test('LineSplitter applies maxLineLength to a line whose fragments were joined', () => {
  const limit = 3 * JOIN_EVERY
  assert.equal(split(oneByteChunks(bytes(`${'x'.repeat(limit)}\n`)), { maxLineLength: limit }), ['x'.repeat(limit)])
  assert.equal(split(oneByteChunks(bytes(`${'x'.repeat(limit)}\r\n`)), { maxLineLength: limit, terminators: 'lf' }), [
    'x'.repeat(limit),
  ])
  try {
    split(oneByteChunks(bytes('x'.repeat(limit + 1))), { maxLineLength: limit })
    assert.unreachable('no error')
  } catch (error) {
    assert.instance(error, LineTooLongError)
    assert.is((error as LineTooLongError).length, limit + 1)
  }
})

test('LineSplitter gives the same lines for long lines in any mix of small reads, bytes and text', () => {
  const unit = fc.constantFrom('a', 'é', '🦕', '\r', '\n', '\r\n', 'bcd')
  const text = fc.array(unit, { minLength: 1000, maxLength: 5000 }).map((units) => units.join(''))
  const sizes = fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 8 })
  fc.assert(
    fc.property(
      text,
      sizes,
      fc.boolean(),
      fc.constantFrom<'any' | 'lf'>('any', 'lf'),
      (source, readSizes, asText, terminators) => {
        const options = { terminators }
        const expected = split([bytes(source)], options)
        const chunks = asText
          ? [...reads(bytes(source), readSizes)].map((chunk) => new TextDecoder().decode(chunk))
          : reads(bytes(source), readSizes)
        // Text chunks cut inside a character decode to U+FFFD: compare with the same text.
        const reference = asText ? split([(chunks as string[]).join('')], options) : expected
        assert.equal(split(chunks, options), reference)
      },
    ),
    { numRuns: 60 },
  )
})

test.run()
