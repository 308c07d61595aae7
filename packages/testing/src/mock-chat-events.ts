import { ChatChunksToMessages, type MessageEvent, sseMessageOf } from '@sluice/anthropic'
import type { StreamTransformer, TransformController } from '@sluice/compose'
import type { ChatCompletionChunk } from '@sluice/openai'
import { ChatChunksToResponses, type ResponseEvent, sseResponseEventOf } from '@sluice/responses'
import { SSEEncoder, type SSEMessage } from '@sluice/sse'
import type { GeminiChunk } from '@sluice/gemini'
import { answerChunks, answerUsage } from './answer-chunks.ts'
import { ChatChunksToGemini } from './chat-chunks-to-gemini.ts'
import { MockOptionsError } from './errors.ts'
import {
  DEFAULT_ERROR_MESSAGE,
  DEFAULT_KEEP_ALIVE_COMMENT,
  resolveOptions,
  TRANSLATED_FORMATS,
  type ResolvedOptions,
} from './options.ts'
import type { MockChatEvent, MockChatOptions } from './types.ts'

const encoder = new TextEncoder()

/** A mock stream's events, and where its body ends. */
export interface Rendering {
  events: MockChatEvent[]
  /** Length of the body in bytes, after the `cut` fault. */
  length: number
}

function concat(parts: readonly Uint8Array[], length: number): Uint8Array {
  const out = new Uint8Array(length)
  let offset = 0
  for (const part of parts) {
    if (offset + part.length > length) {
      out.set(part.subarray(0, length - offset), offset)
      break
    }
    out.set(part, offset)
    offset += part.length
  }
  return out
}

/** The events of a mock stream, every event-level fault applied (the `cut` is not). */
export function render(options: ResolvedOptions): Rendering {
  if (options.format === 'anthropic-messages') return renderTranslated(options, messagesForm())
  if (options.format === 'openai-responses') return renderTranslated(options, responsesForm())
  if (options.format === 'gemini') return renderTranslated(options, geminiForm(options))
  const sse = new SSEEncoder({ lineEnding: options.eol })
  const event = (kind: MockChatEvent['kind'], text: string, chunks: ChatCompletionChunk[] = []): MockChatEvent => ({
    kind,
    bytes: encoder.encode(text),
    chunks,
  })
  const chunks = answerChunks(options)
  const { providerError, keepAlive, chunksPerEvent } = options
  // Where the body ends: after the provider's error, or after every chunk.
  const end = providerError ? Math.min(providerError.afterChunks, chunks.length) : chunks.length
  const garbageAt = (position: number) =>
    options.garbage.filter((fault) => Math.min(fault.afterChunks, chunks.length) === position)
  const keepAliveAt = (position: number) =>
    keepAlive !== undefined && position < end && position % keepAlive.every === 0
  const events: MockChatEvent[] = []
  // `position`: how many chunks have been sent.
  for (let position = 0; ; ) {
    for (const fault of garbageAt(position))
      events.push({ kind: 'garbage', bytes: fault.bytes ?? defaultGarbage(options.eol), chunks: [] })
    if (position === end) break
    if (keepAliveAt(position))
      events.push(event('keep-alive', sse.encode({ comment: keepAlive!.comment ?? DEFAULT_KEEP_ALIVE_COMMENT })))
    // GLM style: several chunks share one event. A group never spans a place where
    // something else is sent (garbage, a keep-alive comment, the error).
    let next = Math.min(position + chunksPerEvent, end)
    for (let at = position + 1; at < next; at++) {
      if (garbageAt(at).length > 0 || keepAliveAt(at)) next = at
    }
    const group = chunks.slice(position, next)
    events.push(event('chunk', sse.encode({ data: group.map((chunk) => JSON.stringify(chunk)).join('\n') }), group))
    position = next
  }
  if (providerError) {
    // OpenAI's error object, as OpenAI-compatible gateways stream it once the status is sent.
    const error = {
      message: providerError.message ?? DEFAULT_ERROR_MESSAGE,
      type: 'server_error',
      param: null,
      code: providerError.code ?? 'server_error',
    }
    events.push(event('provider-error', sse.encode({ type: 'error', data: JSON.stringify({ error }) })))
  } else if (!options.noDone) {
    events.push(event('done', sse.encode({ data: '[DONE]' })))
  }
  const total = events.reduce((sum, { bytes }) => sum + bytes.length, 0)
  return { events, length: options.cut ? Math.min(options.cut.atByte, total) : total }
}

/** How a format that translates the chat chunks writes the answer and its faults. */
interface TranslatedForm<E> {
  /** The translation of the chat chunks (fresh for each rendering). */
  translator: StreamTransformer<ChatCompletionChunk, E> & {
    flush(controller: TransformController<E>): void
  }
  /** An event as a server-sent event (the place to number it). */
  message(event: E): SSEMessage
  /** The event sent for a `keep-alive` fault (none in a format that has no keep-alive: the option is refused). */
  keepAlive: E | undefined
  /** The event sent for a `provider-error` fault. */
  error(fault: NonNullable<ResolvedOptions['providerError']>): E
  /** The last event of a complete stream, which `no-done` leaves out. */
  isEnd(event: E): boolean
}

/** Anthropic Messages: `ping` keep-alives, `overloaded_error` unless `code` names a type, ends at `message_stop`. */
function messagesForm(): TranslatedForm<MessageEvent> {
  return {
    translator: new ChatChunksToMessages(),
    message: sseMessageOf,
    keepAlive: { type: 'ping' },
    error: (fault) => {
      const type = typeof fault.code === 'string' ? fault.code : 'overloaded_error'
      const error = { type: 'error', error: { type, message: fault.message ?? DEFAULT_ERROR_MESSAGE } }
      return error as MessageEvent
    },
    isEnd: (event) => event.type === 'message_stop',
  }
}

/**
 * OpenAI Responses: every event renumbered (`sequence_number` from 0, keep-alives and the
 * error included), `keepalive` events, OpenAI's nested error event, ends at the terminal event.
 */
function responsesForm(): TranslatedForm<ResponseEvent> {
  let sequence = 0
  return {
    translator: new ChatChunksToResponses(),
    message: (event) => sseResponseEventOf({ ...event, sequence_number: sequence++ } as ResponseEvent),
    keepAlive: { type: 'keepalive' } as ResponseEvent,
    error: (fault) => {
      const code = fault.code ?? 'server_error'
      const error = { type: 'server_error', code, message: fault.message ?? DEFAULT_ERROR_MESSAGE, param: null }
      return { type: 'error', error } as unknown as ResponseEvent
    },
    isEnd: (event) => event.type === 'response.completed' || event.type === 'response.incomplete',
  }
}

/** The canonical status of a Google RPC error code, as Gemini's error chunks carry it. */
const GEMINI_STATUS: Record<number, string> = {
  400: 'INVALID_ARGUMENT',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  429: 'RESOURCE_EXHAUSTED',
  500: 'INTERNAL',
  503: 'UNAVAILABLE',
  504: 'DEADLINE_EXCEEDED',
}

/**
 * Gemini (`streamGenerateContent?alt=sse`): `data:` lines only, the chunks of
 * `ChatChunksToGemini`, Google's error chunk (`{"error":{"code","message","status"}}`: 500
 * `INTERNAL` unless `code` is a number, or a string naming the status), ends at the chunk
 * with the `finishReason`; no keep-alive.
 */
function geminiForm(options: ResolvedOptions): TranslatedForm<GeminiChunk> {
  return {
    translator: new ChatChunksToGemini(answerUsage(options)),
    message: (chunk) => ({ data: JSON.stringify(chunk) }),
    keepAlive: undefined,
    error: (fault) => {
      const code = typeof fault.code === 'number' ? fault.code : 500
      const status = typeof fault.code === 'string' ? fault.code : (GEMINI_STATUS[code] ?? 'UNKNOWN')
      return { error: { code, message: fault.message ?? DEFAULT_ERROR_MESSAGE, status } } as GeminiChunk
    },
    isEnd: (chunk) => chunk.candidates?.[0]?.finishReason !== undefined,
  }
}

/**
 * The same answer in another format: the chunks translated by `form`, one SSE block per
 * event, the faults at the same places (after the same number of chunks). A `chunk` event
 * carries the chat chunk it came from (on the last block of that chunk).
 */
function renderTranslated<E>(options: ResolvedOptions, form: TranslatedForm<E>): Rendering {
  const sse = new SSEEncoder({ lineEnding: options.eol })
  const chunks = answerChunks(options)
  const { providerError, keepAlive } = options
  const end = providerError ? Math.min(providerError.afterChunks, chunks.length) : chunks.length
  const { translator } = form
  let translated: E[] = []
  const controller: TransformController<E> = {
    desiredSize: 1,
    enqueue: (event?: E) => void translated.push(event!),
    error: () => {},
    terminate: () => {},
  }
  const events: MockChatEvent[] = []
  const push = (kind: MockChatEvent['kind'], message: E, carried: ChatCompletionChunk[] = []) =>
    events.push({ kind, bytes: encoder.encode(sse.encode(form.message(message))), chunks: carried })
  for (let position = 0; ; position++) {
    for (const fault of options.garbage.filter((fault) => Math.min(fault.afterChunks, chunks.length) === position))
      events.push({ kind: 'garbage', bytes: fault.bytes ?? defaultGarbage(options.eol), chunks: [] })
    if (position === end) break
    if (keepAlive !== undefined && form.keepAlive !== undefined && position % keepAlive.every === 0)
      push('keep-alive', form.keepAlive)
    translated = []
    translator.transform?.(chunks[position]!, controller)
    for (const [index, message] of translated.entries())
      push('chunk', message, index === translated.length - 1 ? [chunks[position]!] : [])
  }
  if (providerError) push('provider-error', form.error(providerError))
  else {
    translated = []
    translator.flush(controller)
    for (const message of translated) {
      if (form.isEnd(message)) {
        if (!options.noDone) push('done', message)
      } else push('chunk', message)
    }
  }
  const total = events.reduce((sum, { bytes }) => sum + bytes.length, 0)
  return { events, length: options.cut ? Math.min(options.cut.atByte, total) : total }
}

/** `data: ` + FF FE (never valid UTF-8) + ` not JSON`, and the blank line. */
function defaultGarbage(eol: string): Uint8Array {
  const head = encoder.encode('data: ')
  const tail = encoder.encode(` not JSON${eol}${eol}`)
  return concat([head, new Uint8Array([0xff, 0xfe]), tail], head.length + 2 + tail.length)
}

/** The whole body of a rendering, cut at its length. */
export function body(rendering: Rendering): Uint8Array {
  return concat(
    rendering.events.map((event) => event.bytes),
    rendering.length,
  )
}

/**
 * The events of a mock chat completion stream, in order, each with its bytes and the chunks
 * it carries: what {@link mockChatStream} sends before a `cut` or a `drip` acts on the bytes.
 *
 * @example Count the keep-alive comments
 * ```ts
 * import { mockChatEvents } from '@sluice/testing'
 *
 * const events = mockChatEvents({ faults: [{ kind: 'keep-alive', every: 2 }] })
 * events.filter((event) => event.kind === 'keep-alive').length
 * ```
 */
export function mockChatEvents(options: MockChatOptions = {}): MockChatEvent[] {
  return render(resolveOptions(options)).events
}

/**
 * The whole body of a mock chat completion stream as bytes, every fault applied: the
 * bytes {@link mockChatStream} sends, in one piece. Same options, same bytes.
 *
 * @example Write a fixture file
 * ```ts
 * import { writeFile } from 'node:fs/promises'
 * import { mockChatBody } from '@sluice/testing'
 *
 * await writeFile('cut-off.sse', mockChatBody({ text: 'Hi there', faults: [{ kind: 'cut', atByte: 300 }] }))
 * ```
 */
export function mockChatBody(options: MockChatOptions = {}): Uint8Array {
  return body(render(resolveOptions(options)))
}

/**
 * The chunks a mock stream carries, as a correct decoder yields them: every chunk whose
 * event is whole in the body. A `provider-error` ends them; a `cut` drops the event it
 * splits and those after; `garbage` drops none (a decoder that skips bad events gets all).
 *
 * @example Assert on what a decoder yields
 * ```ts
 * import * as assert from 'uvu/assert'
 * import { ChatChunkStream, type ChatCompletionChunk } from '@sluice/openai'
 * import { mockChatChunks, mockChatStream } from '@sluice/testing'
 *
 * const options = { text: 'Paris is the capital of France.' }
 * const chunks: ChatCompletionChunk[] = []
 * for await (const chunk of mockChatStream(options).pipeThrough(new ChatChunkStream())) chunks.push(chunk)
 * assert.equal(chunks, mockChatChunks(options))
 * ```
 */
export function mockChatChunks(options: MockChatOptions = {}): ChatCompletionChunk[] {
  const resolved = resolveOptions(options)
  if (resolved.format !== 'openai-chat') {
    throw new MockOptionsError(
      'format',
      `mockChatChunks gives the chunks of a chat stream: the chat chunks of ${TRANSLATED_FORMATS[resolved.format]} are its translation's (read them with chatStream())`,
    )
  }
  const { events, length } = render(resolved)
  // "Lines must be separated by either a U+000D CARRIAGE RETURN U+000A LINE FEED (CRLF)
  // character pair, a single U+000A LINE FEED (LF) character, or a single U+000D CARRIAGE
  // RETURN (CR) character": a body cut between the CR and the LF of the final CRLF still
  // ends with the blank line that dispatches the event.
  const slack = resolved.eol.length - 1
  const chunks: ChatCompletionChunk[] = []
  let end = 0
  for (const event of events) {
    end += event.bytes.length
    if (end - slack > length) break
    chunks.push(...event.chunks)
  }
  return chunks
}
