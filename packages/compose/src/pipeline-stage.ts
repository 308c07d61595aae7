/**
 * A web `TransformStream` (any `{ readable, writable }` pair) as a stage of Node's
 * `stream.pipeline`, typed without a cast: an async generator function, which `pipeline`
 * accepts between a source and a destination. Node's own web-stream types and the DOM's do
 * not match, so passing the stream itself needs a cast in TypeScript, and `Duplex.fromWeb`
 * leaks an unhandled rejection when the stream errors (nodejs/node#62199).
 *
 * What the stage does: it writes the pipeline's items into `stream.writable` through a
 * writer (so a sluice stream drains its input after `[DONE]` instead of cancelling it, and
 * the pipeline resolves), and yields what `stream.readable` hands over, in order; a failure
 * of the stream rejects the pipeline once the items before it were yielded; a failure of the
 * source aborts the writable side; a pipeline that stops early cancels the readable side.
 * When a pipeline fails, Node destroys its destination: a file stream drops what it had not
 * flushed yet (end the pipeline in a stage of your own to keep it all: docs/node.md).
 *
 * @example Save a chat stream as NDJSON with stream.pipeline
 * ```ts
 * import { createWriteStream } from 'node:fs'
 * import { pipeline } from 'node:stream/promises'
 * import { pipelineStage } from '@sluice/compose/node'
 * import { ChatChunkStream, type ChatCompletionChunk } from '@sluice/openai'
 *
 * await pipeline(
 *   response.body!, // a web ReadableStream is an async iterable: pipeline takes it as it is
 *   pipelineStage(new ChatChunkStream()),
 *   async function* (chunks: AsyncIterable<ChatCompletionChunk>) {
 *     for await (const chunk of chunks) yield `${JSON.stringify(chunk)}\n`
 *   },
 *   createWriteStream('chunks.ndjson'),
 * )
 * ```
 */
export function pipelineStage<I, O>(stream: {
  readable: ReadableStream<O>
  writable: WritableStream<I>
}): (source: AsyncIterable<I>) => AsyncGenerator<O, void, undefined> {
  return async function* stage(source: AsyncIterable<I>): AsyncGenerator<O, void, undefined> {
    const writer = stream.writable.getWriter()
    const reader = stream.readable.getReader()
    const pump = feed(source, writer)
    let finished = false
    try {
      for (;;) {
        const { done, value } = await reader.read()
        if (done) break
        yield value
      }
      finished = true
    } catch (error) {
      finished = true
      throw error
    } finally {
      // The pipeline stopped early (a later stage failed): cancel, which errors the writable side.
      if (!finished) await reader.cancel().catch(() => {})
      reader.releaseLock()
      // The pump is not awaited: it may wait for the source's next item, and the pipeline
      // destroys the source only once this stage has ended. It never rejects.
      void pump
    }
  }
}

/** Writes `source` into `writer` as fast as the stream accepts it; a failed source aborts it. */
async function feed<I>(source: AsyncIterable<I>, writer: WritableStreamDefaultWriter<I>): Promise<void> {
  try {
    for await (const item of source) {
      await writer.ready
      // A failed write errors the stream: `ready` rejects next, and the readable side reports it.
      writer.write(item).catch(() => {})
    }
    await writer.close()
  } catch (error) {
    await writer.abort(error).catch(() => {})
  } finally {
    writer.releaseLock()
  }
}
