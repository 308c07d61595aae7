/** The incremental parser against JSON.parse: any JSON text, any split, the same value; the same texts refused. */
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import fc from 'fast-check'
import { IncrementalJSONParser, type JSONEvent, JSONAssembler, JSONTextError } from '../src/index.ts'
import { coalesced, cuts, split } from './helpers.ts'

/**
 * Parses `fragments` three ways: with events (assembled by JSONAssembler), with snapshots (one
 * after each fragment, each checked to be frozen and a prefix of the next), and plain; the three
 * values must agree. Returns the events (appends to one path coalesced) and the value, or the error.
 */
function parse(fragments: string[]): { events: JSONEvent[]; value: unknown; error: unknown; snapshots: unknown[] } {
  const parser = new IncrementalJSONParser({ events: true, snapshots: true })
  const plain = new IncrementalJSONParser()
  const assembler = new JSONAssembler()
  const events: JSONEvent[] = []
  const snapshots: unknown[] = []
  try {
    for (const fragment of fragments) {
      const done = parser.feed(fragment)
      assembler.apply(done)
      events.push(...done)
      const snapshot = parser.snapshot()
      assert.equal(snapshot, assembler.value)
      assertDeepFrozen(snapshot)
      snapshots.push(snapshot)
      plain.feed(fragment)
    }
    const last = parser.end()
    assembler.apply(last)
    events.push(...last)
    plain.end()
  } catch (error) {
    const again = new IncrementalJSONParser()
    assert.throws(
      () => {
        for (const fragment of fragments) again.feed(fragment)
        again.end()
      },
      (error: unknown) => error instanceof JSONTextError,
    )
    return { events: coalesced(events), value: undefined, error, snapshots }
  }
  assert.equal(parser.value, assembler.value)
  assert.equal(plain.value, assembler.value)
  const final = parser.snapshot()
  assert.equal(final, assembler.value)
  for (const snapshot of snapshots) assertPrefix(snapshot, final)
  return { events: coalesced(events), value: assembler.value, error: undefined, snapshots }
}

function assertDeepFrozen(value: unknown): void {
  if (typeof value !== 'object' || value === null) return
  assert.ok(Object.isFrozen(value), 'a snapshot is frozen all the way down')
  for (const member of Object.values(value)) assertDeepFrozen(member)
}

/** `partial` is what `whole` looked like earlier: complete members equal, the last one a prefix. */
function assertPrefix(partial: unknown, whole: unknown): void {
  if (partial === undefined) return
  if (typeof partial === 'string') {
    assert.type(whole, 'string')
    assert.ok((whole as string).startsWith(partial), `${JSON.stringify(partial)} starts ${JSON.stringify(whole)}`)
    return
  }
  if (typeof partial !== 'object' || partial === null) return assert.is(partial, whole)
  assert.is(Array.isArray(partial), Array.isArray(whole))
  const keys = Object.keys(partial)
  const wholeKeys = Object.keys(whole as object)
  assert.equal(keys, wholeKeys.slice(0, keys.length), 'the keys so far, in order')
  keys.forEach((key, index) => {
    const member = (partial as Record<string, unknown>)[key]
    const final = (whole as Record<string, unknown>)[key]
    if (index < keys.length - 1) assert.equal(member, final)
    else assertPrefix(member, final)
  })
}

test('any JSON text, any split: the value of JSON.parse and the events of one fragment', () => {
  fc.assert(
    fc.property(fc.json({ depthSize: 'medium' }), cuts, (text, fractions) => {
      const whole = parse([text])
      assert.is(whole.error, undefined)
      assert.equal(whole.value, JSON.parse(text))
      const pieces = parse(split(text, fractions))
      assert.equal(pieces.value, whole.value)
      assert.equal(pieces.events, whole.events)
    }),
    { numRuns: 400 },
  )
})

test('strings of any code units, escaped as JSON.stringify escapes them, split inside escapes and pairs', () => {
  fc.assert(
    fc.property(
      fc.array(fc.string({ unit: 'binary', maxLength: 12 }), { maxLength: 4 }),
      fc.boolean(),
      cuts,
      (strings, asObject, fractions) => {
        const value = asObject ? Object.fromEntries(strings.map((string, index) => [string + index, string])) : strings
        for (const text of [
          JSON.stringify(value),
          JSON.stringify(value).replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`),
        ]) {
          const result = parse(split(text, fractions))
          assert.is(result.error, undefined)
          assert.equal(result.value, JSON.parse(text))
        }
      },
    ),
    { numRuns: 300 },
  )
})

test('a text changed by one character is refused exactly when JSON.parse refuses it, with the same value otherwise', () => {
  const alphabet = '{}[]:,"\\ 0123456789.eE+-truefalsnl\tu'
  fc.assert(
    fc.property(
      fc.json({ maxDepth: 3 }),
      fc.nat(),
      fc.nat(alphabet.length - 1),
      fc.constantFrom('insert', 'delete', 'replace'),
      cuts,
      (text, at, pick, how, fractions) => {
        const index = at % (text.length + 1)
        const char = alphabet[pick]!
        const changed =
          how === 'insert'
            ? text.slice(0, index) + char + text.slice(index)
            : how === 'delete'
              ? text.slice(0, index) + text.slice(index + 1)
              : text.slice(0, index) + char + text.slice(index + 1)
        let expected: { value: unknown } | undefined
        try {
          expected = { value: JSON.parse(changed) }
        } catch {}
        const result = parse(split(changed, fractions))
        if (expected) {
          assert.is(result.error, undefined, changed)
          assert.equal(result.value, expected.value)
        } else {
          assert.instance(result.error, JSONTextError, changed)
        }
      },
    ),
    { numRuns: 1500 },
  )
})

test('numbers and literals are set once complete; strings appended as they come; containers set and closed', () => {
  const parser = new IncrementalJSONParser({ events: true })
  assert.equal(parser.feed('{"n": 12'), [{ type: 'set', path: [], value: {} }])
  assert.equal(parser.feed('3, "s": "ab'), [
    { type: 'set', path: ['n'], value: 123 },
    { type: 'set', path: ['s'], value: 'ab' },
  ])
  assert.equal(parser.feed('c", "l": [nu'), [
    { type: 'append', path: ['s'], text: 'c' },
    { type: 'set', path: ['l'], value: [] },
  ])
  assert.equal(parser.feed('ll]}'), [
    { type: 'set', path: ['l', 0], value: null },
    { type: 'close', path: ['l'] },
    { type: 'close', path: [] },
  ])
  assert.equal(parser.end(), [])
})

test('errors name the position; limits on depth and length', () => {
  const error = (() => {
    try {
      new IncrementalJSONParser().feed('{"a" 1}')
    } catch (caught) {
      return caught as JSONTextError
    }
  })()!
  assert.is(error.position, 5)
  assert.match(error.message, 'JSON text at 5: "1" where \':\' was expected')
  assert.throws(() => new IncrementalJSONParser({ maxDepth: 3 }).feed('[[[['), /deeper than maxDepth \(3\)/)
  assert.throws(() => new IncrementalJSONParser({ maxLength: 4 }).feed('"abcd"'), /longer than maxLength/)
  assert.throws(() => new IncrementalJSONParser().end(), /holds no value/)
  const open = new IncrementalJSONParser()
  open.feed('{"a": "b')
  assert.throws(() => open.end(), /ends inside a string/)
})

test('__proto__ keys become own properties, as JSON.parse makes them', () => {
  const text = '{"__proto__": {"polluted": true}, "a": 1}'
  const { value } = parse(split(text, [0.3, 0.6]))
  assert.equal(Object.keys(value as object), ['__proto__', 'a'])
  assert.is(({} as { polluted?: boolean }).polluted, undefined)
  assert.equal(JSON.stringify(value), JSON.stringify(JSON.parse(text)))
})

test('a text broken anywhere, any split: the same value, snapshot, events and error as in one fragment', () => {
  // Texts with long strings too, so that a break often falls inside one.
  const texts = fc.oneof(
    fc.json({ maxDepth: 3 }),
    fc.array(fc.string({ minLength: 4 })).map((strings) => JSON.stringify(strings)),
  )
  const breakers = ['\u0001', 'x', '}', ']', ',', ':', '"', '\\q', '\\u12g']
  /** Feeds `fragments` to a tolerant parser: what it read before the error, and the error. */
  const read = (fragments: string[]) => {
    const parser = new IncrementalJSONParser({ tolerant: true, snapshots: true, events: true })
    const events: JSONEvent[] = []
    for (const fragment of fragments) events.push(...parser.feed(fragment))
    events.push(...parser.end())
    return {
      value: parser.value,
      snapshot: parser.snapshot(),
      events: coalesced(events),
      error: parser.error?.message,
      text: parser.text,
    }
  }
  fc.assert(
    fc.property(texts, fc.nat(), fc.constantFrom(...breakers), cuts, (text, at, breaker, fractions) => {
      const index = at % (text.length + 1)
      const broken = text.slice(0, index) + breaker + text.slice(index)
      const whole = read([broken])
      assert.equal(read(split(broken, fractions)), whole)
      assert.is(whole.text, broken)
    }),
    { numRuns: 1000 },
  )
})

test('deep and wide texts, any split: the value of JSON.parse, every snapshot a prefix of it', () => {
  fc.assert(
    fc.property(
      fc.json({ depthSize: 'large', maxDepth: 12 }).filter((text) => text.length < 20_000),
      fc.integer({ min: 1, max: 250 }), // two containers per level: under maxDepth (512)
      fc.integer({ min: 0, max: 2000 }),
      cuts,
      (inner, depth, width, fractions) => {
        const deep = `${'[{"k":'.repeat(depth)}${inner}${'}]'.repeat(depth)}`
        const wide = `[${Array.from({ length: width }, (_, index) => (index % 100 === 0 ? inner : `{"i":${index}}`)).join(',')}]`
        for (const text of [deep, wide]) {
          const result = parse(split(text, fractions))
          assert.is(result.error, undefined)
          assert.equal(result.value, JSON.parse(text))
        }
      },
    ),
    { numRuns: 40 },
  )
})

test('a wide array in 20-character pieces: closed items are shared by every later snapshot', () => {
  const text = JSON.stringify(Array.from({ length: 500 }, (_, id) => ({ id, name: `item ${id}` })))
  const parser = new IncrementalJSONParser({ snapshots: true })
  const seen = new Map<number, unknown>()
  for (let at = 0; at < text.length; at += 20) {
    parser.feed(text.slice(at, at + 20))
    const items = parser.snapshot() as { id: number }[]
    // Every item but the last is closed: the same object as the first time it was seen closed.
    for (const item of items.slice(0, -1)) {
      const before = seen.get(item.id)
      if (before === undefined) seen.set(item.id, item)
      else assert.is(item, before)
    }
  }
  parser.end()
  assert.equal(parser.snapshot(), JSON.parse(text))
  assert.is(seen.size, 499)
})

test.run()
