import { mulberry32 } from '@sluice/test-support'
import type { Bytes } from './bytes.ts'
import { choiceChunk, chunkJSON } from './chunk-json.ts'
import { deltaText, SEED } from './delta-text.ts'

/** Options of {@link chatCompletionStream}. Each adds to the stream; none changes the rest of it. */
export interface ChatReaderOptions {
  /**
   * A `: keep-alive` comment block before about one event in a hundred, as proxies such
   * as OpenRouter send while a model is slow.
   * @default false
   */
  keepAlive?: boolean
  /**
   * A usage chunk (`choices: []`, `usage: {…}`) between the `finish_reason` chunk and
   * `[DONE]`, as OpenAI sends with `stream_options: { include_usage: true }`.
   * @default false
   */
  usage?: boolean
}

/** A generated stream, and what a correct parser makes of it. */
export interface ChatReader {
  /** The whole stream, UTF-8, LF line endings only. */
  bytes: Bytes
  /** The data of every event, in order; the last one is `[DONE]`. */
  events: string[]
  /** Keep-alive comment blocks (none without the `keepAlive` option). */
  comments: number
  /** The reply: `choices[0].delta.content` of every chunk, concatenated. */
  content: string
}

/**
 * Chat completion chunks as OpenAI-compatible APIs send them, `data: {json}` and a blank
 * line each, ending with `data: [DONE]`, until the stream is at least `size` bytes long.
 * Deterministic: every run of the benchmark, on every machine, uses the same text.
 */
export function chatCompletionStream(size: number, options: ChatReaderOptions = {}): ChatReader {
  const blocks: string[] = []
  const events: string[] = []
  let comments = 0
  let content = ''
  for (const block of chatStreamBlocks(size, options)) {
    blocks.push(block.text)
    if (block.data === undefined) comments++
    else events.push(block.data)
    content += block.content
  }
  return { bytes: new TextEncoder().encode(blocks.join('')), events, comments, content }
}

/** One block of {@link chatStreamBlocks}: an event, or a keep-alive comment. */
export interface ChatStreamBlock {
  /** The block, its blank line included. */
  text: string
  /** The same, UTF-8. */
  bytes: Bytes
  /** The event's data; `undefined` for a comment. */
  data: string | undefined
  /** The event's `choices[0].delta.content`, or `''`. */
  content: string
}

/**
 * The blocks of {@link chatCompletionStream} one at a time, for a stream too long to hold
 * in memory (see `generatedSource`): the same bytes, written as they are asked for.
 */
export function* chatStreamBlocks(
  size: number,
  options: ChatReaderOptions = {},
): Generator<ChatStreamBlock, void, undefined> {
  const encoder = new TextEncoder()
  const random = mulberry32(SEED)
  let byteLength = 0
  let eventCount = 0
  const block = (text: string, data: string | undefined, content = ''): ChatStreamBlock => {
    const bytes = encoder.encode(text)
    byteLength += bytes.byteLength
    return { text, bytes, data, content }
  }
  const event = (data: string, content?: string) => {
    eventCount++
    return block(`data: ${data}\n\n`, data, content)
  }
  const choice = (delta: { role?: string; content?: string }, finishReason: string | null) =>
    event(choiceChunk(delta, finishReason), delta.content)
  yield choice({ role: 'assistant', content: '' }, null)
  while (byteLength < size) {
    // Without the option, no random number is drawn for it: the rest of the text is the same.
    if (options.keepAlive === true && random() < 0.01) yield block(': keep-alive\n\n', undefined)
    yield choice({ content: deltaText(random) }, null)
  }
  yield choice({}, 'stop')
  if (options.usage === true) {
    const completionTokens = eventCount - 1
    const usage = { prompt_tokens: 42, completion_tokens: completionTokens, total_tokens: 42 + completionTokens }
    yield event(chunkJSON({ choices: [], usage }))
  }
  yield event('[DONE]')
}
