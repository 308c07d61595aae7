import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import { LineSplitter } from '../src/index.ts'

// `gc` is not exposed in the test process: turn the flag on, and take `gc` from a new context.
setFlagsFromString('--expose-gc')
const gc = runInNewContext('gc') as () => void

/**
 * Feeds `reads` one-byte reads cycling through the UTF-8 of `unit` and no terminator, and
 * measures the heap the pending line holds after a full GC, per UTF-16 code unit.
 */
function heldPerCharacter(unit: string, reads: number): { perCharacter: number; line: string } {
  const data = new TextEncoder().encode(unit)
  const oneByteReads = Array.from(data, (byte) => Uint8Array.of(byte))
  const splitter = new LineSplitter()
  const lines: string[] = []
  const controller = { enqueue: (line: string) => void lines.push(line) } as TransformStreamDefaultController<string>
  gc()
  const before = process.memoryUsage().heapUsed
  for (let index = 0; index < reads; index++) splitter.transform(oneByteReads[index % data.length]!, controller)
  gc()
  const held = process.memoryUsage().heapUsed - before
  splitter.transform(Uint8Array.of(0x0a), controller)
  assert.is(lines.length, 1)
  return { perCharacter: held / lines[0]!.length, line: lines[0]! }
}

test('LineSplitter holds at most 3 bytes of heap per character of a pending line read one byte at a time', () => {
  const reads = 4 * 1024 * 1024
  // 'x': one byte, a one-byte string. 🦕: 4 bytes (3 of 4 reads give no text), 2 code units of a two-byte string.
  for (const [unit, characters] of [
    ['x', reads],
    ['🦕', reads / 2],
  ] as const) {
    const { perCharacter, line } = heldPerCharacter(unit, reads)
    assert.is(line, unit.repeat(characters / unit.length))
    assert.ok(
      perCharacter <= 3,
      `${unit} in ${reads} one-byte reads: ${perCharacter.toFixed(2)} bytes of heap per character`,
    )
  }
})

test.run()
