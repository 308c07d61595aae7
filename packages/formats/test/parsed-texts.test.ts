/** ParsedTexts: one parser per text, each character read once, a quirk in the stage's record for a text that is not JSON. */
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import fc from 'fast-check'
import { type RecordedStage, StreamRecord } from '@sluice/compose'
import { partialJSON } from '@sluice/json'
import { splitText } from '@sluice/test-support'
import { freshValue, recordingParsers } from '@sluice/test-support/partial-values'
import { ParsedTexts } from '../src/index.ts'

/** A stage that writes to a record of its own, second among its members. */
function stage(): RecordedStage {
  const record = new StreamRecord()
  record.join({ record, useRecord() {} })
  const self: RecordedStage = { record, useRecord() {} }
  record.join(self)
  return self
}

test('ParsedTexts.append gives the value so far; end gives the whole value', () => {
  const texts = new ParsedTexts<number>(partialJSON, stage(), 'arguments-not-json', 'call')
  assert.equal(texts.append(0, '{"city": "Pa'), { city: 'Pa' })
  assert.equal(texts.append(0, 'ris", "days": 1'), { city: 'Paris' })
  assert.equal(texts.append(0, '2}'), { city: 'Paris', days: 12 })
  assert.equal(texts.end(0), { city: 'Paris', days: 12 })
  assert.equal(texts.open(), [])
})

test('ParsedTexts makes no parser before a non-empty fragment', () => {
  const { make, fed } = recordingParsers()
  const texts = new ParsedTexts<number>(make, stage(), 'arguments-not-json', 'call')
  assert.is(texts.append(0, ''), undefined)
  assert.is(texts.set(0, ''), undefined)
  assert.is(texts.end(0), undefined)
  assert.is(texts.get(0), undefined)
  assert.equal(fed, [])
})

test('ParsedTexts.set feeds only what the parser has not read, or starts over on another text', () => {
  const { make, fed } = recordingParsers()
  const texts = new ParsedTexts<string>(make, stage(), 'arguments-not-json', 'call')
  texts.append('a', '{"x": ')
  assert.equal(texts.set('a', '{"x": 1}', true), { x: 1 })
  assert.equal(texts.set('a', '{"x": 1}', true), { x: 1 }, 'the same whole text again: nothing read')
  assert.equal(fed, [['{"x": ', '1}']])
  assert.equal(texts.set('a', '{"y": 2}', true), { y: 2 }, 'another text: a new parser')
  assert.equal(fed[1], ['{"y": 2}'])
  texts.append('b', '[1, 2')
  assert.equal(texts.set('b', '[3]'), [3], 'a text that does not extend what was read')
  assert.equal(fed[2], ['[1, 2'])
  assert.equal(fed[3], ['[3]'])
})

test('ParsedTexts.append after the end reads the whole text again', () => {
  const texts = new ParsedTexts<number>(partialJSON, stage(), 'content-not-json', 'candidate')
  texts.append(0, '"ab"')
  assert.is(texts.end(0), 'ab')
  assert.is(texts.append(0, ' '), 'ab')
  assert.equal(texts.open(), [0])
})

test('ParsedTexts reports a text that ends as no JSON value once, as a quirk of its stage', () => {
  const owner = stage()
  const texts = new ParsedTexts<number>(partialJSON, owner, 'arguments-not-json', 'block')
  texts.append(3, '{"a": [1, "b')
  assert.equal(texts.end(3), { a: [1, 'b'] }, 'the value read before the error')
  texts.end(3)
  assert.equal(owner.record.quirks, [
    { code: 'arguments-not-json', message: 'block 3: JSON text at 12: the text ends inside a string' },
  ])
  assert.is(owner.record.progressUpTo(0).quirks.length, 0, 'the quirk is the stage’s (position 1)')
  assert.is(owner.record.progressUpTo(1).quirks.length, 1)
})

test('ParsedTexts.carry puts the value only once the text has a parser, and says whether it changed', () => {
  const texts = new ParsedTexts<number>(partialJSON, stage(), 'content-not-json', 'part')
  const target: Record<string, unknown> = {}
  assert.not.ok(texts.carry(target, 'parsed', 0, texts.append(0, '')))
  assert.not.ok('parsed' in target)
  assert.ok(texts.carry(target, 'parsed', 0, texts.append(0, ' ')))
  assert.ok('parsed' in target && target.parsed === undefined, 'undefined until a value starts')
  const value = texts.append(0, '{"a"')
  assert.ok(texts.carry(target, 'parsed', 0, value))
  assert.not.ok(texts.carry(target, 'parsed', 0, texts.append(0, ' ')), 'the same snapshot')
})

test('ParsedTexts.delete forgets a text', () => {
  const texts = new ParsedTexts<number>(partialJSON, stage(), 'arguments-not-json', 'block')
  texts.append(0, '  ')
  texts.delete(0)
  assert.is(texts.get(0), undefined)
  assert.equal(texts.open(), [])
})

test('ParsedTexts values are those of a fresh parser on the text so far, at any split; the end is JSON.parse', () => {
  fc.assert(
    fc.property(fc.json(), fc.array(fc.nat()), fc.boolean(), (text, cuts, whole) => {
      const { make, fed } = recordingParsers()
      const texts = new ParsedTexts<number>(make, stage(), 'arguments-not-json', 'call')
      let seen = ''
      for (const piece of splitText(text, cuts)) {
        seen += piece
        const value = whole ? texts.set(0, seen) : texts.append(0, piece)
        assert.equal(value, freshValue(seen))
      }
      assert.equal(texts.end(0), JSON.parse(text))
      assert.is(fed.length, 1, 'one parser')
      assert.is(fed[0]!.join(''), text, 'each character read once')
    }),
  )
})

test('ParsedTexts keeps the value read before the error of a text that is not JSON, and reports it', () => {
  fc.assert(
    fc.property(fc.json(), fc.constantFrom(' x', '}', ']', ',', '"'), fc.array(fc.nat()), (json, tail, cuts) => {
      const text = json + tail
      const owner = stage()
      const texts = new ParsedTexts<number>(partialJSON, owner, 'content-not-json', 'part')
      for (const piece of splitText(text, cuts)) texts.append(0, piece)
      const parser = partialJSON()
      parser.feed(text)
      parser.end()
      assert.equal(texts.end(0), parser.snapshot())
      assert.equal(
        owner.record.quirks.map((quirk) => quirk.code),
        ['content-not-json'],
      )
      assert.is(owner.record.quirks[0]!.message, `part 0: ${parser.error!.message}`)
    }),
  )
})

test.run()
