import type { Bytes } from './bytes.ts'

/** Reads `stream` to the end with a reader, handing each chunk to `onChunk`. */
export async function readEach<T>(stream: ReadableStream<T>, onChunk: (chunk: T) => void): Promise<void> {
  const reader = stream.getReader()
  for (;;) {
    const { done, value } = await reader.read()
    if (done) return
    onChunk(value)
  }
}

/** Passed to every streaming `decode` call, as sluice does. */
const STREAM: TextDecodeOptions = { stream: true }

/** Reads `source` to the end and decodes it with one streaming `TextDecoder`: text as it arrives. */
export async function readText(source: ReadableStream<Bytes>, onText: (text: string) => void): Promise<void> {
  const decoder = new TextDecoder()
  await readEach(source, (chunk) => onText(decoder.decode(chunk, STREAM)))
  const rest = decoder.decode()
  if (rest !== '') onText(rest)
}

/**
 * The line loop people hand-roll (and many tutorials show): decode, append to a buffer,
 * `buffer.split('\n')`, keep the last part for the next read. It ends lines at LF only:
 * a CRLF leaves a CR on each line, and a lone CR does not end one. Like the tutorials,
 * it drops a last line with no LF after it.
 */
export async function readLinesNaively(source: ReadableStream<Bytes>, onLine: (line: string) => void): Promise<void> {
  let buffer = ''
  await readText(source, (text) => {
    buffer += text
    const lines = buffer.split('\n')
    buffer = lines.pop()!
    for (const line of lines) onLine(line)
  })
}
