import { createReadStream, statSync } from 'node:fs'
import { Readable } from 'node:stream'
import { CLIError } from './errors.ts'

/**
 * The bytes of `file` (`-` or nothing: stdin) as a web `ReadableStream`, read as they come
 * (a stream being captured can be decoded while it grows). A missing file is a one-line
 * error naming it.
 */
export function openInput(file: string | undefined): { name: string; stream: ReadableStream<Uint8Array> } {
  if (file === undefined || file === '-') {
    return { name: 'stdin', stream: Readable.toWeb(process.stdin) as unknown as ReadableStream<Uint8Array> }
  }
  let isFile: boolean
  try {
    isFile = statSync(file).isFile()
  } catch (cause) {
    const reason = (cause as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (cause as Error).message
    throw new CLIError(`cannot read ${file}: ${reason}`, { code: 'SLUICE_CLI_INPUT', cause })
  }
  if (!isFile) throw new CLIError(`cannot read ${file}: not a file`, { code: 'SLUICE_CLI_INPUT' })
  return { name: file, stream: Readable.toWeb(createReadStream(file)) as unknown as ReadableStream<Uint8Array> }
}

/** All the bytes of `stream`. */
export async function readAll(stream: ReadableStream<Uint8Array>): Promise<Uint8Array> {
  const parts: Uint8Array[] = []
  let length = 0
  for await (const part of stream as unknown as AsyncIterable<Uint8Array>) {
    parts.push(part)
    length += part.length
  }
  const all = new Uint8Array(length)
  let offset = 0
  for (const part of parts) {
    all.set(part, offset)
    offset += part.length
  }
  return all
}
