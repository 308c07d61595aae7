/** PartialJSONDecoder(+Stream): a frozen value after each fragment that changed it, then the whole value; tolerant mode. */
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import fc from 'fast-check'
import { fromChunks, readToEnd } from '@sluice/test-support'
import { IncrementalJSONParser, JSONTextError, type PartialJSON, PartialJSONDecoderStream } from '../src/index.ts'
import { cuts, split } from './helpers.ts'

test('PartialJSONDecoderStream: any split ends with the value of JSON.parse, complete; no two in a row the same', async () => {
  await fc.assert(
    fc.asyncProperty(fc.json({ maxDepth: 3 }), cuts, async (text, fractions) => {
      const { items, error } = await readToEnd(
        fromChunks(split(text, fractions)).pipeThrough(new PartialJSONDecoderStream()),
      )
      assert.is(error, undefined)
      const last = items.at(-1)!
      assert.equal(last, { value: JSON.parse(text), complete: true })
      assert.ok(items.slice(0, -1).every((item) => !item.complete))
      for (let index = 1; index < items.length - 1; index++) assert.is.not(items[index]!.value, items[index - 1]!.value)
    }),
    { numRuns: 150 },
  )
})

test('PartialJSONDecoderStream: values as a tool call streams; numbers only once complete', async () => {
  const { items } = await readToEnd(
    fromChunks(['{"city": "Pa', 'ris", "days": 1', '2, "tags": ["a"', ']}']).pipeThrough(
      new PartialJSONDecoderStream(),
    ),
  )
  assert.equal(
    items.map((item: PartialJSON) => item.value),
    [
      { city: 'Pa' },
      { city: 'Paris' },
      { city: 'Paris', days: 12, tags: ['a'] },
      { city: 'Paris', days: 12, tags: ['a'] }, // closed: a new snapshot, the same content
      { city: 'Paris', days: 12, tags: ['a'] },
    ],
  )
  assert.equal(
    items.map((item) => item.complete),
    [false, false, false, false, true],
  )
})

test('PartialJSONDecoderStream: not JSON errors the stream after the value read before it', async () => {
  const { items, error } = await readToEnd(
    fromChunks(['{"a": 1, ', '"b": nope}']).pipeThrough(new PartialJSONDecoderStream()),
  )
  assert.equal(
    items.map((item) => item.value),
    [{ a: 1 }],
  )
  assert.instance(error, JSONTextError)
  assert.is((error as JSONTextError).position, 14)
})

test('PartialJSONDecoderStream tolerant: text that turns out not to be JSON ends with the raw text, the error and the value before it', async () => {
  const fragments = ['{"a": 1, "b": [2', '] } and then the model', ' kept talking']
  const { items, error } = await readToEnd(
    fromChunks(fragments).pipeThrough(new PartialJSONDecoderStream({ tolerant: true })),
  )
  assert.is(error, undefined)
  const last = items.at(-1)!
  assert.is(last.complete, false)
  assert.equal(last.value, { a: 1, b: [2] })
  assert.is(last.invalid?.text, fragments.join(''))
  assert.instance(last.invalid?.error, JSONTextError)
  assert.is(last.invalid?.error.position, 20)
})

test('tolerant: a cut-off text keeps its raw text; a whole one completes', () => {
  const cut = new IncrementalJSONParser({ tolerant: true })
  cut.feed('{"a": "b')
  cut.end()
  assert.match(cut.error!.message, 'ends inside a string')
  assert.is(cut.text, '{"a": "b')
  assert.equal(cut.value, { a: 'b' })
  const whole = new IncrementalJSONParser({ tolerant: true })
  whole.feed('[1]')
  whole.end()
  assert.is(whole.error, undefined)
  assert.equal(whole.value, [1])
})

test('tolerant: the kept text stops at maxLength', () => {
  const parser = new IncrementalJSONParser({ tolerant: true, maxLength: 10 })
  parser.feed('"abc')
  parser.feed('defghijkl')
  parser.feed('x')
  assert.match(parser.error!.message, 'longer than maxLength')
  assert.is(parser.text, '"abc')
})

test('snapshots share the containers that did not change; closed ones are the same objects ever after', () => {
  const parser = new IncrementalJSONParser({ snapshots: true })
  parser.feed('{"done": {"x": [1, 2]}, "open": [{"a": 1}, ')
  const first = parser.snapshot() as { done: unknown; open: unknown[] }
  parser.feed('{"b": "t')
  const second = parser.snapshot() as { done: unknown; open: unknown[] }
  assert.is.not(second, first)
  assert.is(second.done, first.done)
  assert.is(second.open[0], first.open[0])
  assert.equal(second.open[1], { b: 't' })
  assert.is(parser.snapshot(), second, 'nothing fed: the same snapshot')
  parser.feed('ext"}]}')
  parser.end()
  const last = parser.snapshot() as { done: unknown; open: unknown[] }
  assert.is(last.done, first.done)
  assert.equal(last, { done: { x: [1, 2] }, open: [{ a: 1 }, { b: 'text' }] })
  assert.is(parser.snapshot(), last)
  assert.throws(() => new IncrementalJSONParser().snapshot(), /snapshots: true/)
})

test('a high surrogate at the end of a fragment waits for its low half in values and snapshots', () => {
  const parser = new IncrementalJSONParser({ snapshots: true, events: true })
  const events = [...parser.feed('["a\\ud83d')]
  assert.equal(parser.snapshot(), ['a'])
  events.push(...parser.feed('\\ude00b"]'))
  parser.end()
  assert.equal(parser.value, ['a😀b'])
  assert.equal(events, [
    { type: 'set', path: [], value: [] },
    { type: 'set', path: [0], value: 'a' },
    { type: 'append', path: [0], text: '😀b' },
    { type: 'close', path: [] },
  ])
})

test.run()
