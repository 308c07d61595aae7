import { MessageEventParser, type MessageEventStreamOptions, MessagesToChatChunks } from '@sluice/anthropic'
import { compose, type RecordedStage, type StreamTransformer, type TransformController } from '@sluice/compose'
import { GeminiChunkParser, type GeminiChunkStreamOptions, GeminiToChatChunks } from '@sluice/gemini'
import type { LineSplitterInput } from '@sluice/lines'
import { ChatChunkParser, type ChatChunkStreamOptions, type ChatCompletionChunk } from '@sluice/openai'
import { ResponseEventParser, type ResponseEventStreamOptions, ResponsesToChatChunks } from '@sluice/responses'

/**
 * The wire formats `chatStream()` reads: OpenAI-compatible chat completion chunks,
 * Anthropic's Messages stream, OpenAI's Responses stream and Google Gemini's
 * `streamGenerateContent?alt=sse` stream (the last three translated to chat chunks).
 *
 * @example
 * ```ts
 * import type { WireFormat } from '@sluice/chat'
 *
 * const format: WireFormat = 'anthropic-messages'
 * ```
 */
export type WireFormat = 'openai-chat' | 'anthropic-messages' | 'openai-responses' | 'gemini'

/**
 * A parser of one wire format: bytes in, chat chunks out, with the record its stages share.
 *
 * @example
 * ```ts
 * import { formatParser, type FormatParser } from '@sluice/chat'
 *
 * const parser: FormatParser = formatParser('anthropic-messages', {})
 * ```
 */
export type FormatParser = StreamTransformer<LineSplitterInput, ChatCompletionChunk> & RecordedStage

/** How much of the input is held, at most, to find the first event before choosing the format. */
const SNIFF_LIMIT = 64 * 1024

/**
 * The parser of each format, built with the options of `ChatReader` (those that do not
 * apply to a format are ignored by it).
 *
 * @example Chat chunks from an Anthropic Messages body, pulled
 * ```ts
 * import { formatParser } from '@sluice/chat'
 * import { iterate } from '@sluice/compose'
 *
 * for await (const chunk of iterate(response.body!, formatParser('anthropic-messages', {}))) console.log(chunk.choices[0]?.delta.content)
 * ```
 */
export function formatParser(format: WireFormat, options: ChatChunkStreamOptions): FormatParser {
  if (format === 'openai-chat') return new ChatChunkParser(options)
  // An Anthropic, Responses or Gemini stream cut off always raises its own
  // TruncatedMessageError, TruncatedResponseError or TruncatedGeminiError, as the pass's
  // error: the chat accumulator after the translation cannot tell (the translation gives
  // every choice its finish_reason before the stream's last event, or none when the
  // finishReason never came). `truncated` and `onTruncated` are the chat decoder's.
  const { onTruncated: _chatOnly, truncated: _chatTruncated, ...shared } = options
  const translated =
    format === 'anthropic-messages'
      ? compose(new MessageEventParser(shared as unknown as MessageEventStreamOptions), new MessagesToChatChunks())
      : format === 'openai-responses'
        ? compose(new ResponseEventParser(shared as unknown as ResponseEventStreamOptions), new ResponsesToChatChunks())
        : compose(new GeminiChunkParser(shared as unknown as GeminiChunkStreamOptions), new GeminiToChatChunks())
  return translated as unknown as FormatParser
}

/**
 * An event type of OpenAI's Responses stream (`response.created`, `response.queued`,
 * `response.output_text.delta`, …) named by the data's `type` or by an `event:` line.
 */
const RESPONSES_EVENT = /"type"\s*:\s*"response\.|(^|[\r\n])event: ?response\./

/** The top-level fields of a Gemini chunk (`GenerateContentResponse`) that start a stream. */
const GEMINI_FIELDS = ['candidates', 'promptFeedback', 'usageMetadata']

/** A first data line whose JSON object starts with a Gemini field: read when the line is too long to parse here. */
const GEMINI_START = /^data: ?\s*\{\s*"(candidates|promptFeedback|usageMetadata)"\s*:/

/**
 * Whether the first `data:` line is a Gemini chunk: its JSON is an object with
 * `candidates`, `promptFeedback` or `usageMetadata` and neither `choices` nor `object` (a
 * chat chunk). A line that is not whole JSON (cut at 64 KiB) counts when its first key is one.
 */
function isGeminiData(line: string): boolean {
  const data = line.replace(/^data: ?/, '')
  let value: unknown
  try {
    value = JSON.parse(data)
  } catch {
    return GEMINI_START.test(line)
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false
  const keys = Object.keys(value)
  return !keys.includes('choices') && !keys.includes('object') && keys.some((key) => GEMINI_FIELDS.includes(key))
}

/**
 * The format of a stream from its start: Gemini when its first `data:` line is a Gemini
 * chunk (a JSON object with `candidates`, `promptFeedback` or `usageMetadata`, and no
 * `choices` or `object`), or when the body is one JSON array (Gemini without `alt=sse`,
 * which its parser names with `NotEventStreamError`); OpenAI Responses when the first
 * `data:` line (or the `event:` line before it) names a `response.` event type
 * (`response.created`, or `response.queued` / `response.in_progress` / any other of a
 * resumed stream); Anthropic Messages when it names `message_start`; else chat chunks.
 * Comments before it (OpenRouter's `: OPENROUTER PROCESSING`), a byte order mark and an
 * `event:` line after it (Bedrock) do not matter.
 * `undefined` while the first `data:` line has not ended and less than 64 KiB arrived.
 *
 * @example
 * ```ts
 * import { sniffFormat } from '@sluice/chat'
 *
 * sniffFormat('event: message_start\ndata: {"type":"message_start"}\n', false) // 'anthropic-messages'
 * sniffFormat('event: response.created\ndata: {"type":"response.created"}\n', false) // 'openai-responses'
 * sniffFormat('data: {"candidates": [{"content": {"parts": [{"text": "Hi"}]}}]}\r\n', false) // 'gemini'
 * ```
 */
export function sniffFormat(start: string, final: boolean): WireFormat | undefined {
  // A byte order mark may start the stream (the SSE decoder drops it): as U+FEFF when the
  // caller decoded the text, or as its three UTF-8 bytes one character each (FormatSwitch).
  const data = start.search(/(^(\uFEFF|\u00EF\u00BB\u00BF)?|[\r\n])data:/)
  if (data === -1) {
    // No data: line yet. A body that opens a JSON array never has one: Gemini's stream without alt=sse.
    if (/^(\uFEFF|\u00EF\u00BB\u00BF)?\s*\[/.test(start)) return 'gemini'
    return final || start.length > SNIFF_LIMIT ? 'openai-chat' : undefined
  }
  const lineEnd = start.slice(data + 1).search(/[\r\n]/)
  if (lineEnd === -1 && !final && start.length <= SNIFF_LIMIT) return undefined
  const head = lineEnd === -1 ? start : start.slice(0, data + 1 + lineEnd)
  // The data line alone (after its line break or byte order mark): parsed, its text cannot pass for a field.
  if (isGeminiData(head.slice(head.indexOf('data:', data)))) return 'gemini'
  if (RESPONSES_EVENT.test(head)) return 'openai-responses'
  return head.includes('message_start') ? 'anthropic-messages' : 'openai-chat'
}

/** The bytes as one character each: enough to find ASCII markers (no `TextDecoder` label but UTF-8 is in every runtime). */
function ascii(read: LineSplitterInput): string {
  if (typeof read === 'string') return read
  const bytes = ArrayBuffer.isView(read)
    ? new Uint8Array(read.buffer, read.byteOffset, read.byteLength)
    : new Uint8Array(read as ArrayBuffer)
  let text = ''
  for (let start = 0; start < bytes.length; start += 4096)
    text += String.fromCharCode(...bytes.subarray(start, start + 4096))
  return text
}

/**
 * Chooses the parser at the start of the stream: holds the reads until the first `data:`
 * line has ended (no output can come before it anyway), picks the format
 * ({@link sniffFormat}), then hands the held reads and the rest to that format's parser.
 * `onChosen` hears the choice before the first read reaches the parser: `ChatReader` links
 * its accumulator to the parser's record there.
 *
 * @example Chat chunks from either format, and which it was
 * ```ts
 * import { FormatSwitch, formatParser } from '@sluice/chat'
 * import { iterate } from '@sluice/compose'
 *
 * const parser = new FormatSwitch((format) => formatParser(format, {}), (format) => console.info('reading', format))
 * for await (const chunk of iterate(response.body!, parser)) console.log(chunk.choices[0]?.delta.content)
 * ```
 */
export class FormatSwitch implements StreamTransformer<LineSplitterInput, ChatCompletionChunk> {
  readonly #make: (format: WireFormat) => FormatParser
  readonly #onChosen: (format: WireFormat, parser: FormatParser) => void
  #parser: FormatParser | undefined
  #held: LineSplitterInput[] = []
  #start = ''

  constructor(
    make: (format: WireFormat) => FormatParser,
    onChosen: (format: WireFormat, parser: FormatParser) => void,
  ) {
    this.#make = make
    this.#onChosen = onChosen
  }

  transform(read: LineSplitterInput, controller: TransformController<ChatCompletionChunk>): void {
    if (this.#parser) {
      this.#parser.transform?.(read, controller)
      return
    }
    this.#held.push(read)
    this.#start += ascii(read)
    const format = sniffFormat(this.#start, false)
    if (format) this.#choose(format, controller)
  }

  flush(controller: TransformController<ChatCompletionChunk>): void | PromiseLike<void> {
    if (!this.#parser) this.#choose(sniffFormat(this.#start, true)!, controller)
    return this.#parser!.flush?.(controller)
  }

  cancel(reason?: unknown): void {
    ;(this.#parser as { cancel?: (reason: unknown) => void } | undefined)?.cancel?.(reason)
  }

  #choose(format: WireFormat, controller: TransformController<ChatCompletionChunk>): void {
    const parser = this.#make(format)
    this.#parser = parser
    this.#onChosen(format, parser)
    const held = this.#held
    this.#held = []
    this.#start = ''
    parser.start?.(controller)
    for (const read of held) parser.transform?.(read, controller)
  }
}
