/**
 * Helpers for the `*.node.test.ts` files that put sluice's streams into Node's
 * `stream.pipeline`. Node accepts a web `TransformStream` as a pipeline stage (and
 * `Duplex.fromWeb` takes one), but @types/node 20 types those with Node's own web-stream
 * classes, which the DOM lib's do not match: the casts here are for the type checker only.
 */
import { Duplex, Writable } from 'node:stream'

/** A web TransformStream as a `stream.pipeline` stage. */
export const asPipelineStage = (stream: TransformStream<never, unknown>) => stream as unknown as NodeJS.ReadWriteStream

/** A web TransformStream as a Node Duplex in object mode (strings and objects pass as they are). */
export const fromWebObjectMode = (stream: TransformStream<never, unknown>) =>
  Duplex.fromWeb(stream as unknown as Parameters<typeof Duplex.fromWeb>[0], { objectMode: true })

/** An object-mode Writable that pushes every item into `out`. */
export const collectInto = <T>(out: T[]) =>
  new Writable({
    objectMode: true,
    write(item: T, _encoding, callback) {
      out.push(item)
      callback()
    },
  })
