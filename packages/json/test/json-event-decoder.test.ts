/** JSONEventDecoder(+Stream): fragments in, the parser's events out, in order; an error after the events before it. */
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import fc from 'fast-check'
import { fromChunks, readToEnd } from '@sluice/test-support'
import { IncrementalJSONParser, JSONEventDecoderStream, JSONTextError } from '../src/index.ts'
import { coalesced, cuts, split } from './helpers.ts'

test('JSONEventDecoderStream: any split of any JSON text gives the events of one fragment', async () => {
  await fc.assert(
    fc.asyncProperty(fc.json({ maxDepth: 3 }), cuts, async (text, fractions) => {
      const whole = await readToEnd(fromChunks([text]).pipeThrough(new JSONEventDecoderStream()))
      const pieces = await readToEnd(fromChunks(split(text, fractions)).pipeThrough(new JSONEventDecoderStream()))
      assert.is(whole.error, undefined)
      assert.is(pieces.error, undefined)
      assert.equal(coalesced(pieces.items), coalesced(whole.items))
      assert.ok(whole.items.length > 0)
    }),
    { numRuns: 150 },
  )
})

test('JSONEventDecoderStream: text that is not JSON errors the stream after the events read before the error', async () => {
  const { items, error } = await readToEnd(
    fromChunks(['{"a": [1, tru', 'e, 3', '}']).pipeThrough(new JSONEventDecoderStream()),
  )
  assert.equal(items, [
    { type: 'set', path: [], value: {} },
    { type: 'set', path: ['a'], value: [] },
    { type: 'set', path: ['a', 0], value: 1 },
    { type: 'set', path: ['a', 1], value: true },
    { type: 'set', path: ['a', 2], value: 3 },
  ])
  assert.instance(error, JSONTextError)
  assert.is((error as JSONTextError).position, 17)
  assert.match((error as Error).message, `"}" where ',' or ']' was expected`)
})

test('JSONEventDecoderStream: a text cut short errors at the end, naming what is open', async () => {
  const { items, error } = await readToEnd(fromChunks(['{"a": "b']).pipeThrough(new JSONEventDecoderStream()))
  assert.equal(items, [
    { type: 'set', path: [], value: {} },
    { type: 'set', path: ['a'], value: 'b' },
  ])
  assert.match((error as Error).message, 'ends inside a string')
})

test('IncrementalJSONParser.takeEvents hands over the events a throwing feed completed', () => {
  const parser = new IncrementalJSONParser({ events: true })
  assert.throws(() => parser.feed('[1, 2 x'), /"x" where ','/)
  assert.equal(parser.takeEvents(), [
    { type: 'set', path: [], value: [] },
    { type: 'set', path: [0], value: 1 },
    { type: 'set', path: [1], value: 2 },
  ])
  assert.equal(parser.takeEvents(), [])
  // The parse ended there: ']' does not close the array as if 'x' had not been.
  assert.throws(() => parser.feed(']'), /"x" where ','/)
  assert.throws(() => parser.end(), /"x" where ','/)
  assert.match(parser.error!.message, 'JSON text at 6')
})

test.run()
