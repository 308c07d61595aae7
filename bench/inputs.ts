/**
 * The input every benchmark reads, and the ways its cases read it. One module, so that
 * the rows of every file get the same bytes in the same chunks, read the same way: a
 * difference between two rows is then the difference between the parsers. Each concept
 * has a file of its own under inputs/; this module only re-exports them.
 *
 * - `chatCompletionStream` writes a seeded OpenAI-style chat completion stream,
 *   `slice` cuts it into reads once, before timing, and `fromChunks` hands
 *   them out one per pull, as a response body does. `chatCompletionChunks` writes
 *   the chunks of a reply of a given length, text then tool calls, for the accumulator.
 * - `chatStreamGroups` makes the benchmark groups of such a stream, one per read size.
 * - `readEach`, `readText` and `readLinesNaively` are the reader loops
 *   of the cases without a transform stream; `transformDirectly` and
 *   `transformFromReader` call a sluice `Transformer` without one.
 */
export type { Bytes } from './inputs/bytes.ts'
export { QUICK, scaled } from './inputs/quick.ts'
export { formatSize, KiB, MiB } from './inputs/sizes.ts'
export { SEED, WORDS } from './inputs/delta-text.ts'
export { chatCompletionStream, chatStreamBlocks } from './inputs/chat-completion-stream.ts'
export type { ChatReader, ChatStreamBlock, ChatReaderOptions } from './inputs/chat-completion-stream.ts'
export { chatCompletionChunks } from './inputs/chat-completion-chunks.ts'
export type { ChatReply, ChatReplyOptions, ReplyMessage } from './inputs/chat-completion-chunks.ts'
export { chatReplyStream } from './inputs/chat-reply-stream.ts'
export type { ChatReplyStream, LineEnding } from './inputs/chat-reply-stream.ts'
export { chatStreamGroups, EVENT_READS } from './inputs/chat-stream-groups.ts'
export type { ChatStreamCase, ChatStreamGroupSpec, Reads } from './inputs/chat-stream-groups.ts'
export { slice, sliceEvents } from './inputs/slice.ts'
export { generatedSource } from './inputs/generated-source.ts'
export type { GeneratedAccount } from './inputs/generated-source.ts'
export { fromBytes, fromChunks } from './inputs/pull-sources.ts'
export { readEach, readLinesNaively, readText } from './inputs/reader-loops.ts'
export { DIRECT_CALLS_NOTE, transformDirectly, transformFromReader } from './inputs/direct-calls.ts'
export type { ChunkTransformer } from './inputs/direct-calls.ts'
