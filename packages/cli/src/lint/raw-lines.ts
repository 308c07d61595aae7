/** A line of a captured stream as it is in the bytes: where it starts and what ended it. */
export interface RawLine {
  /** 1-based line number (the numbering of every sluice error message). */
  number: number
  /** Offset of its first byte in the input. */
  byteOffset: number
  /** Its bytes, terminator excluded. */
  bytes: Uint8Array
  /** What ended it; `''` for a last line without a terminator. */
  terminator: 'LF' | 'CRLF' | 'CR' | ''
}

const LF = 0x0a
const CR = 0x0d

/**
 * Splits `input` into lines the way the SSE rules do (LF, CRLF or a lone CR ends a line),
 * keeping the byte offset and the terminator of each. A UTF-8 byte order mark at the
 * start is skipped, as a decoder does.
 */
export function rawLines(input: Uint8Array): RawLine[] {
  const lines: RawLine[] = []
  let start = input[0] === 0xef && input[1] === 0xbb && input[2] === 0xbf ? 3 : 0
  let index = start
  while (index < input.length) {
    const byte = input[index]
    if (byte !== LF && byte !== CR) {
      index++
      continue
    }
    const crlf = byte === CR && input[index + 1] === LF
    lines.push({
      number: lines.length + 1,
      byteOffset: start,
      bytes: input.subarray(start, index),
      terminator: byte === LF ? 'LF' : crlf ? 'CRLF' : 'CR',
    })
    index += crlf ? 2 : 1
    start = index
  }
  if (start < input.length)
    lines.push({ number: lines.length + 1, byteOffset: start, bytes: input.subarray(start), terminator: '' })
  return lines
}
