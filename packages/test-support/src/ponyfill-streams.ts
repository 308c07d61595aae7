/**
 * The streams of web-streams-polyfill, for the tests that check a transformer on another
 * implementation than the runtime's. Its own entry (`@sluice/test-support/ponyfill-streams`)
 * so that only those tests bundle the ponyfill.
 */
import * as ponyfill from 'web-streams-polyfill'
import type { StreamsImplementation } from './stream-helpers.ts'

/**
 * web-streams-polyfill's `ReadableStream`, `TransformStream` and `WritableStream`. The
 * ponyfill declares its own types, which the DOM lib's do not accept: the cast is for the type
 * checker only. Never mix them with native streams in one pipeline.
 */
export const ponyfillStreams: StreamsImplementation = {
  ReadableStream: ponyfill.ReadableStream,
  TransformStream: ponyfill.TransformStream,
  WritableStream: ponyfill.WritableStream,
} as unknown as StreamsImplementation
