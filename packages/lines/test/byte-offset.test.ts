/** `trackByteOffsets`: after each line, the record's `byteOffset` is where the next line starts in the bytes. */
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import fc from 'fast-check'
import { bytes, collect, fromChunks, splitAt } from '@sluice/test-support'
import { LineSplitter, LineSplitterStream } from '../src/index.ts'

/** Runs `chunks` through a tracking splitter; each line with the offset read right after it was emitted. */
function linesWithOffsets(chunks: Iterable<Uint8Array | string>, terminators: 'any' | 'lf' = 'any') {
  const splitter = new LineSplitter({ trackByteOffsets: true, terminators })
  const out: [string, number | undefined][] = []
  const controller = {
    enqueue: (line: string) => void out.push([line, splitter.record.byteOffset]),
  } as TransformStreamDefaultController<string>
  for (const chunk of chunks) splitter.transform(chunk, controller)
  splitter.flush(controller)
  return out
}

/**
 * The expected offsets, from the text: each line's end, past its terminator, in UTF-8
 * bytes. A line ended by a CR is emitted at once: when the read ends between that CR and
 * its LF (a cut at `cuts`), the offset is past the CR only.
 */
function expectedOffsets(text: string, terminators: 'any' | 'lf', cuts: readonly number[] = []): [string, number][] {
  const pattern = terminators === 'any' ? /\r\n|\r|\n/g : /\r?\n/g
  const out: [string, number][] = []
  let start = 0
  for (const match of text.matchAll(pattern)) {
    const end = match.index + match[0].length
    const offset = bytes(text.slice(0, end)).length
    const splitCRLF = terminators === 'any' && match[0] === '\r\n' && cuts.includes(offset - 1)
    out.push([text.slice(start, match.index), splitCRLF ? offset - 1 : offset])
    start = end
  }
  if (start < text.length) out.push([text.slice(start), bytes(text).length])
  return out
}

test('byteOffset counts multi-byte characters, CRLF split between chunks, and a dropped BOM', () => {
  const text = 'é\r\n🦕\rx\n\nlast'
  const data = bytes(`\uFEFF${text}`)
  const cut = data.indexOf(0x0a) // between the CR and the LF of the first CRLF
  assert.equal(linesWithOffsets([data.subarray(0, cut), data.subarray(cut)]), [
    ['é', 3 + 2 + 1], // the LF of its CRLF is in the next read
    ['🦕', 3 + 2 + 2 + 4 + 1],
    ['x', 3 + 2 + 2 + 4 + 1 + 2],
    ['', 3 + 2 + 2 + 4 + 1 + 2 + 1],
    ['last', data.length],
  ])
})

test('byteOffset is undefined unless tracked, and the stream exposes it', async () => {
  assert.is(new LineSplitter().record.byteOffset, undefined)
  const stream = new LineSplitterStream({ trackByteOffsets: true })
  await collect(fromChunks([bytes('a\nbé\n')]).pipeThrough(stream))
  assert.is(stream.record.byteOffset, 6)
})

test('property: byteOffset after each line is the UTF-8 length of the text up to its terminator, for any split', () => {
  const unit = fc.constantFrom('a', 'é', '€', '🦕', '\n', '\r', '\r\n', ' ')
  fc.assert(
    fc.property(
      fc.string({ unit, maxLength: 40 }),
      fc.array(fc.nat(), { maxLength: 6 }),
      fc.constantFrom<'any' | 'lf'>('any', 'lf'),
      (text, cuts, terminators) => {
        const data = bytes(text)
        const points = cuts.map((cut) => cut % (data.length + 1))
        assert.equal(linesWithOffsets(splitAt(data, cuts), terminators), expectedOffsets(text, terminators, points))
      },
    ),
  )
})

test.run()
