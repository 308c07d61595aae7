import type { Bytes } from './bytes.ts'

/** Copies `bytes` into chunks of `size` bytes (the last one may be shorter), each with its own buffer. */
export function slice(bytes: Bytes, size: number): Bytes[] {
  const chunks: Bytes[] = []
  for (let start = 0; start < bytes.byteLength; start += size) chunks.push(bytes.slice(start, start + size))
  return chunks
}

/**
 * Copies `bytes` into one chunk per event, each ending with the event's blank line
 * (`separator`): what a server that flushes each event, read as fast as it writes, hands out.
 */
export function sliceEvents(bytes: Bytes, separator: string): Bytes[] {
  const pattern = new TextEncoder().encode(separator)
  const chunks: Bytes[] = []
  let start = 0
  for (let end = indexOfBytes(bytes, pattern, 0); end !== -1; end = indexOfBytes(bytes, pattern, start)) {
    chunks.push(bytes.slice(start, end + pattern.byteLength))
    start = end + pattern.byteLength
  }
  if (start < bytes.byteLength) chunks.push(bytes.slice(start))
  return chunks
}

/** The first index of `pattern` in `bytes` at or after `from`, or -1. */
function indexOfBytes(bytes: Bytes, pattern: Uint8Array, from: number): number {
  for (let at = bytes.indexOf(pattern[0]!, from); at !== -1; at = bytes.indexOf(pattern[0]!, at + 1)) {
    let k = 1
    while (k < pattern.byteLength && bytes[at + k] === pattern[k]) k++
    if (k === pattern.byteLength) return at
  }
  return -1
}
