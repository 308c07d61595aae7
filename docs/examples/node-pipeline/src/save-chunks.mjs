// Saves a streamed chat completion as NDJSON, one chunk per line, with stream.pipeline:
// HTTP response -> ChatChunkStream -> NDJSON lines -> file.
import { createWriteStream } from 'node:fs'
import { Transform } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { ChatChunkStream } from '@sluice/openai'

/**
 * @param {import('node:stream').Readable} body the HTTP response (an IncomingMessage, or Readable.fromWeb(response.body))
 * @param {string} path where to write the NDJSON file
 * @returns {Promise<void>} resolves when the file is complete; rejects with sluice's error (ProviderError, TruncatedStreamError, …)
 */
export async function saveChunks(body, path) {
  const toNDJSON = new Transform({
    writableObjectMode: true,
    transform(chunk, _encoding, callback) {
      callback(null, `${JSON.stringify(chunk)}\n`)
    },
  })
  // With default options: fed by pipeline's writer, the stream closes its output at [DONE] and
  // drains what follows, so the pipeline resolves once the body ends.
  await pipeline(body, new ChatChunkStream(), toNDJSON, createWriteStream(path))
}
