import { test } from 'uvu'
import * as assert from 'uvu/assert'
import fc from 'fast-check'
import {
  bytes,
  collect,
  concat,
  everySplit,
  fromChunks,
  nativeStreams,
  oneByteChunks,
  readToEnd,
  rejection,
  runTransformer,
  splitAt,
  type StreamsImplementation,
} from '@sluice/test-support'
import { ponyfillStreams } from '@sluice/test-support/ponyfill-streams'
import {
  InvalidReadError,
  InvalidUTF8Error,
  LineSplitter,
  LineSplitterError,
  LineSplitterStream,
  LineTooLongError,
  type LineSplitterOptions,
} from '../src/index.ts'

/** Lines of `chunks` through a `LineSplitterStream`. */
const lines = (chunks: readonly (Uint8Array | string)[], options?: LineSplitterOptions) =>
  collect(fromChunks(chunks).pipeThrough(new LineSplitterStream(options)))

/** Lines of `chunks` through a plain `LineSplitter` in the given streams implementation. */
const linesOn = (streams: StreamsImplementation, chunks: readonly Uint8Array[], options?: LineSplitterOptions) =>
  collect(fromChunks(chunks, streams).pipeThrough(new streams.TransformStream(new LineSplitter(options))))

/**
 * Independent oracle for the default terminators: decode all at once, split on the
 * SSE terminators with a regular expression, and drop the empty rest after a final one.
 */
function referenceLines(text: string): string[] {
  if (text === '') return []
  const out = text.split(/\r\n|\r|\n/)
  if (out[out.length - 1] === '') out.pop()
  return out
}

const decode = (data: Uint8Array) => new TextDecoder().decode(data)

// ---------------------------------------------------------------- terminators

test('LineSplitterStream splits on LF, CRLF and a lone CR', async () => {
  assert.equal(await lines([bytes('a\nb\r\nc\rd\n')]), ['a', 'b', 'c', 'd'])
})

test('LineSplitterStream joins a CRLF split across two chunks into one terminator', async () => {
  assert.equal(await lines([bytes('a\r'), bytes('\nb\n')]), ['a', 'b'])
  assert.equal(await lines(['a\r', '\nb\n']), ['a', 'b'])
})

test('LineSplitterStream keeps a CRLF pair together across an empty chunk and a partial character', async () => {
  const dino = bytes('🦕')
  assert.equal(await lines([bytes('a\r'), new Uint8Array(0), bytes('\nb')]), ['a', 'b'])
  // The chunk after the CR decodes to no text (half a character): the LF after it still pairs.
  assert.equal(await lines([bytes('a\r'), dino.subarray(0, 2), concat([dino.subarray(2), bytes('\n')])]), ['a', '🦕'])
  assert.equal(await lines([bytes('a\r'), bytes('\r\nb')]), ['a', '', 'b'])
})

test('LineSplitterStream emits a line ended by a lone CR before the next chunk arrives', async () => {
  const stream = new LineSplitterStream()
  const writer = stream.writable.getWriter()
  const reader = stream.readable.getReader()
  void writer.write(bytes('first\r'))
  assert.equal(await reader.read(), { done: false, value: 'first' })
  // The LF that follows pairs with that CR: no empty line.
  void writer.write(bytes('\nsecond\r'))
  assert.equal(await reader.read(), { done: false, value: 'second' })
  void writer.close()
  const end = await reader.read() // workerd leaves `value` out of the final result
  assert.is(end.done, true)
  assert.is(end.value, undefined)
})

test('LineSplitterStream emits an empty line for each terminator of a blank line', async () => {
  assert.equal(await lines([bytes('\n\n\r\n\r\r')]), ['', '', '', '', ''])
  assert.equal(await lines([bytes('a\n\nb\r\n\r\nc\r\rd')]), ['a', '', 'b', '', 'c', '', 'd'])
})

test('LineSplitterStream reads input made only of terminators', async () => {
  assert.equal(await lines([bytes('\r\r\n\n\r')]), ['', '', '', ''])
  assert.equal(await lines([bytes('\r')]), [''])
  assert.equal(await lines([bytes('\n')]), [''])
  assert.equal(await lines([bytes('\r\n')]), [''])
})

test('LineSplitterStream emits a final line without a terminator at the end of input', async () => {
  assert.equal(await lines([bytes('a\nlast')]), ['a', 'last'])
  assert.equal(await lines([bytes('a\n')]), ['a'])
  assert.equal(await lines([bytes('a\r')]), ['a'])
  assert.equal(await lines([]), [])
  assert.equal(await lines([new Uint8Array(0), '']), [])
})

test("LineSplitterStream with terminators: 'lf' keeps a lone CR and strips the CR of CRLF", async () => {
  const lf = { terminators: 'lf' } as const
  assert.equal(await lines([bytes('a\rb\nc\r\nd\r')], lf), ['a\rb', 'c', 'd\r'])
  assert.equal(await lines([bytes('a\r'), bytes('\nb\r'), bytes('\r\n')], lf), ['a', 'b\r'])
  assert.equal(await lines([bytes('\r\n\n')], lf), ['', ''])
  assert.equal(await lines([bytes('x\r\r\n')], lf), ['x\r'])
})

// ---------------------------------------------------------------- decoding

test('LineSplitterStream decodes a multi-byte character split at every byte', async () => {
  const data = bytes('é🦕€\n')
  for (const chunks of everySplit(data)) assert.equal(await lines(chunks), ['é🦕€'])
  assert.equal(await lines(oneByteChunks(data)), ['é🦕€'])
})

test('LineSplitterStream drops one leading BOM, also when it is split across chunks', async () => {
  const data = bytes('\uFEFFa\n\uFEFFb')
  assert.equal(await lines([data]), ['a', '\uFEFFb'])
  for (const chunks of everySplit(data)) assert.equal(await lines(chunks), ['a', '\uFEFFb'])
  assert.equal(await lines(oneByteChunks(data)), ['a', '\uFEFFb'])
})

test('LineSplitterStream keeps the BOM with ignoreBOM: true', async () => {
  assert.equal(await lines([bytes('\uFEFFa')], { ignoreBOM: true }), ['\uFEFFa'])
})

test('LineSplitterStream decodes invalid UTF-8 to U+FFFD by default', async () => {
  const data = Uint8Array.of(0x61, 0xff, 0x62, 0x0a, 0xc3, 0x0a, 0xf0, 0x9f)
  assert.equal(await lines([data]), ['a\uFFFDb', '\uFFFD', '\uFFFD'])
  for (const chunks of everySplit(data)) assert.equal(await lines(chunks), ['a\uFFFDb', '\uFFFD', '\uFFFD'])
})

test('LineSplitterStream with fatal: true errors on invalid UTF-8 with InvalidUTF8Error', async () => {
  const error = await rejection(lines([bytes('ok\n'), Uint8Array.of(0x61, 0xff)], { fatal: true }))
  assert.instance(error, InvalidUTF8Error)
  assert.instance(error, LineSplitterError)
  const utf8 = error as InvalidUTF8Error
  assert.is(utf8.name, 'InvalidUTF8Error')
  assert.is(utf8.code, 'SLUICE_INVALID_UTF8')
  assert.is(utf8.byteOffset, 4) // the 0xFF
  assert.is(utf8.line, 2)
  assert.instance(utf8.cause, TypeError)
  assert.match(utf8.message, /read 1/)
})

test('LineSplitterStream with fatal: true hands over the lines before the invalid byte of a read, then InvalidUTF8Error at its offset', async () => {
  const data = concat([bytes('one\ntwo\nthr'), Uint8Array.of(0xc3, 0x28), bytes('ee\nfour\n')])
  const expected = { items: ['one', 'two'], offset: 12, line: 3 } // the 0x28 after 0xC3
  for (const chunks of [[data], ...everySplit(data), oneByteChunks(data)]) {
    const { items, error } = await readToEnd(fromChunks(chunks).pipeThrough(new LineSplitterStream({ fatal: true })))
    assert.equal(items, expected.items)
    assert.instance(error, InvalidUTF8Error)
    assert.equal(
      [(error as InvalidUTF8Error).byteOffset, (error as InvalidUTF8Error).line],
      [expected.offset, expected.line],
    )
  }
  // A character split over three reads, then a byte that is no continuation: where decoding failed.
  const dino = bytes('a\n🦕')
  const { items, error } = await readToEnd(
    fromChunks([dino.subarray(0, 3), dino.subarray(3, 4), Uint8Array.of(dino[4]!, 0x41)]).pipeThrough(
      new LineSplitterStream({ fatal: true }),
    ),
  )
  assert.equal(items, ['a'])
  assert.is((error as InvalidUTF8Error).byteOffset, 5) // the A (0x41) where a continuation byte was due
})

test('LineSplitterStream with fatal: true errors on a character cut off by the end of input', async () => {
  const error = await rejection(lines([bytes('a\n'), bytes('🦕').subarray(0, 3)], { fatal: true }))
  assert.instance(error, InvalidUTF8Error)
  assert.match((error as Error).message, /end of the input/)
})

test('LineSplitterStream with fatal: true accepts a character split across chunks', async () => {
  const dino = bytes('🦕\n')
  assert.equal(await lines([dino.subarray(0, 1), dino.subarray(1)], { fatal: true }), ['🦕'])
})

test('LineSplitterStream takes string chunks as decoded text', async () => {
  assert.equal(await lines(['\uFEFFa\r', '\nb', 'c\n', 'é']), ['\uFEFFa', 'bc', 'é'])
  assert.equal(await lines([bytes('a'), 'b\n', bytes('c\n')]), ['ab', 'c'])
})

test('LineSplitterStream ends a character cut off by a string chunk with U+FFFD, or errors when fatal', async () => {
  const cut = bytes('🦕').subarray(0, 2)
  assert.equal(await lines([cut, 'x\n']), ['\uFFFDx'])
  const error = await rejection(lines([cut, 'x\n'], { fatal: true }))
  assert.instance(error, InvalidUTF8Error)
  assert.match((error as Error).message, /before read 1, a string/)
})

test('LineSplitterStream treats a BOM after a string chunk as text', async () => {
  assert.equal(await lines(['a', bytes('\uFEFFb')]), ['a\uFEFFb'])
})

test('LineSplitterStream accepts every BufferSource: ArrayBuffer, DataView, other typed arrays', async () => {
  const data = bytes('ab\ncd\n')
  const chunks = [
    data.buffer.slice(0, 1),
    new DataView(data.buffer, 1, 2),
    new Uint16Array(data.buffer.slice(3, 5)),
    data.subarray(5),
  ] as unknown as Uint8Array[]
  assert.equal(await lines(chunks), ['ab', 'cd'])
})

test('LineSplitterStream errors with InvalidReadError on a read that is not bytes or text', async () => {
  const error = await rejection(lines([bytes('a\n'), 42 as unknown as Uint8Array]))
  assert.instance(error, InvalidReadError)
  const invalid = error as InvalidReadError
  assert.is(invalid.code, 'SLUICE_INVALID_READ')
  assert.is(invalid.readIndex, 1)
  assert.is(invalid.received, 'number')
  assert.match(invalid.message, /read 1 is a number/)
  const array = await rejection(lines([[1, 2] as unknown as Uint8Array]))
  assert.is((array as InvalidReadError).received, 'object Array')
})

// ---------------------------------------------------------------- limits

test('LineSplitterStream accepts a line of exactly maxLineLength characters', async () => {
  assert.equal(await lines([bytes('abcd\nab')], { maxLineLength: 4 }), ['abcd', 'ab'])
  assert.equal(await lines([bytes('ab'), bytes('cd\r\n')], { maxLineLength: 4, terminators: 'lf' }), ['abcd'])
  assert.equal(await lines([bytes('abcd\r'), bytes('\n')], { maxLineLength: 4, terminators: 'lf' }), ['abcd'])
})

test('LineSplitterStream errors with LineTooLongError naming the limit and the line', async () => {
  const error = await rejection(lines([bytes('ok\nabcde\n')], { maxLineLength: 4 }))
  assert.instance(error, LineTooLongError)
  const tooLong = error as LineTooLongError
  assert.is(tooLong.name, 'LineTooLongError')
  assert.is(tooLong.code, 'SLUICE_LINE_TOO_LONG')
  assert.is(tooLong.limit, 4)
  assert.is(tooLong.line, 2)
  assert.match(tooLong.message, /maxLineLength \(4 characters\)/)
  assert.match(tooLong.message, /line 2/)
})

test('LineSplitterStream errors as soon as an unterminated line passes the limit', async () => {
  // An endless line: the stream must error without waiting for the end of the line.
  let pulls = 0
  const endless = new ReadableStream<Uint8Array>({
    pull(controller) {
      pulls++
      if (pulls > 1000)
        controller.close() // bound: a broken limit ends the test instead of hanging
      else controller.enqueue(bytes('x'.repeat(100)))
    },
  })
  const error = await rejection(collect(endless.pipeThrough(new LineSplitterStream({ maxLineLength: 1000 }))))
  assert.instance(error, LineTooLongError)
  assert.is((error as LineTooLongError).length, 1100)
  assert.ok(pulls <= 11 + 2, `read ${pulls} chunks of 100 bytes for a limit of 1000 characters`)
})

test('LineSplitterStream counts a final unterminated line against the limit', async () => {
  const error = await rejection(lines([bytes('abcde')], { maxLineLength: 4 }))
  assert.instance(error, LineTooLongError)
})

test('LineSplitterStream allows maxLineLength: Infinity', async () => {
  const long = 'y'.repeat(100_000)
  assert.equal(await lines([bytes(long), bytes(long + '\n')], { maxLineLength: Infinity }), [long + long])
})

test('LineSplitter rejects invalid options with a clear message', () => {
  assert.throws(() => new LineSplitter({ maxLineLength: 0 }), /maxLineLength must be a number >= 1/)
  assert.throws(() => new LineSplitter({ maxLineLength: Number.NaN }), /maxLineLength/)
  assert.throws(() => new LineSplitter({ terminators: 'cr' as 'lf' }), /terminators must be 'any' or 'lf'/)
})

test('LineSplitter joins a line spread over 1,000,000 one-byte chunks in linear time', () => {
  // Quadratic joining (`pending += chunk`, then a re-scan) would need ~10^12 steps here
  // and time the test run out; the linear path takes well under a second.
  const size = 1_000_000
  const x = bytes('x')
  function* chunks() {
    for (let index = 0; index < size; index++) yield x
    yield bytes('\n')
  }
  const out = runTransformer(new LineSplitter(), chunks())
  assert.is(out.length, 1)
  assert.is(out[0]!.length, size)
})

// ---------------------------------------------------------------- fixtures at every split

const fixtures = [
  'data: {"choices":[{"delta":{"content":"é🦕"}}]}\r\n\r\n',
  ': keep-alive\rdata: a\r\rdata: b\n\ndata: [DONE]\r\n',
  '\uFEFFevent: error\r\ndata: {"error":{"message":"boom"}}\r\n\r\n',
  '\r\n\r\n\n\r\r',
  'no terminator at all 🦕',
  'a\r\r\nb\n\rc',
]

test('LineSplitterStream gives the same lines for each fixture split at every offset and byte by byte', async () => {
  for (const fixture of fixtures) {
    const data = bytes(fixture)
    const expected = referenceLines(decode(data))
    assert.equal(await lines([data]), expected, `one chunk: ${JSON.stringify(fixture)}`)
    for (const chunks of everySplit(data)) {
      assert.equal(await lines(chunks), expected, `split at ${chunks[0]!.length}: ${JSON.stringify(fixture)}`)
    }
    assert.equal(await lines(oneByteChunks(data)), expected, `byte by byte: ${JSON.stringify(fixture)}`)
  }
})

// ---------------------------------------------------------------- properties

/** Bytes biased towards what matters: terminators, multi-byte characters, BOMs, invalid bytes. */
const byteInput = fc
  .array(
    fc.oneof(
      fc.constantFrom('\r', '\n', '\r\n', 'a', ':', 'é', '🦕', '\uFEFF').map(bytes),
      fc.integer({ min: 0, max: 255 }).map((byte) => Uint8Array.of(byte)),
    ),
    { maxLength: 40 },
  )
  .map(concat)

/** Cut offsets: repeated offsets give empty chunks; many offsets give one-byte chunks. */
const cuts = fc.array(fc.nat(), { maxLength: 40 })

for (const [name, streams] of [
  ['native streams', nativeStreams],
  ['web-streams-polyfill', ponyfillStreams],
] as const) {
  test(`LineSplitter output does not depend on chunk boundaries (${name})`, async () => {
    await fc.assert(
      fc.asyncProperty(byteInput, cuts, async (data, offsets) => {
        assert.equal(await linesOn(streams, splitAt(data, offsets)), await linesOn(streams, [data]))
      }),
    )
  })

  test(`LineSplitter loses and invents nothing: lines joined with LF equal the normalized text (${name})`, async () => {
    await fc.assert(
      fc.asyncProperty(byteInput, cuts, async (data, offsets) => {
        const text = decode(data)
        const normalized = text.replace(/\r\n|\r/g, '\n')
        const out = await linesOn(streams, splitAt(data, offsets))
        assert.is(out.join('\n'), normalized.endsWith('\n') ? normalized.slice(0, -1) : normalized)
        const terminators = normalized.split('\n').length - 1
        assert.is(out.length, terminators + (normalized === '' || normalized.endsWith('\n') ? 0 : 1))
      }),
    )
  })

  test(`LineSplitter decodes random Unicode text from all planes the same at every split (${name})`, async () => {
    const text = fc.string({
      unit: fc.oneof(fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }), fc.constantFrom('\r', '\n', '\r\n')),
      maxLength: 30,
    })
    await fc.assert(
      fc.asyncProperty(text, cuts, async (source, offsets) => {
        const data = bytes(source)
        assert.equal(await linesOn(streams, splitAt(data, offsets)), referenceLines(decode(data)))
      }),
    )
  })
}

test("LineSplitter with terminators: 'lf' does not depend on chunk boundaries", async () => {
  const lf = { terminators: 'lf' } as const
  await fc.assert(
    fc.asyncProperty(byteInput, cuts, async (data, offsets) => {
      const expected = decode(data).split(/\r?\n/)
      if (expected[expected.length - 1] === '') expected.pop()
      assert.equal(await lines(splitAt(data, offsets), lf), expected)
    }),
  )
})

test('LineSplitterStream with fatal: true gives the same lines, then the same InvalidUTF8Error offset, for any split', async () => {
  const unit = fc.oneof(
    fc.constantFrom(...['a', 'é', '€', '🦕', '\n', '\r'].map((text) => Array.from(bytes(text)))),
    fc.constantFrom([0xff], [0xc3], [0xe2, 0x82], [0xf0, 0x9f], [0xed, 0xa0, 0x80], [0x80]),
  )
  const outcome = async (chunks: Uint8Array[]) => {
    const { items, error } = await readToEnd(fromChunks(chunks).pipeThrough(new LineSplitterStream({ fatal: true })))
    return { items, offset: error === undefined ? undefined : (error as InvalidUTF8Error).byteOffset }
  }
  await fc.assert(
    fc.asyncProperty(fc.array(unit, { maxLength: 12 }), fc.array(fc.nat(), { maxLength: 5 }), async (units, cuts) => {
      const data = Uint8Array.from(units.flat())
      assert.equal(await outcome(splitAt(data, cuts)), await outcome(oneByteChunks(data)))
    }),
  )
})

test.run()
