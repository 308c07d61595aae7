import { OrderedTransformStream, type StreamTransformer, type TransformController } from '@sluice/compose'
import { InvalidMessageError } from './errors.ts'
import type { SSEMessage } from './types.ts'

/** Every way a line can end in an event stream: CRLF, LF, or a lone CR. */
const LINE_BREAK = /\r\n|\r|\n/
const CR_OR_LF = /[\r\n]/

/**
 * Options of {@link SSEEncoder} and {@link SSEEncoderStream}.
 *
 * @example CRLF line endings
 * ```ts
 * import { SSEEncoder, type SSEEncoderOptions } from '@sluice/sse'
 *
 * const options: SSEEncoderOptions = { lineEnding: '\r\n' }
 * new SSEEncoder(options).encode({ data: 'hi' }) // 'data: hi\r\n\r\n'
 * ```
 */
export interface SSEEncoderOptions {
  /**
   * What ends each line: LF, or CRLF for peers that expect it.
   * @default '\n'
   */
  lineEnding?: '\n' | '\r\n'
}

/**
 * Frames messages as server-sent events text: for servers and edge proxies that
 * (re-)emit a stream. Each message becomes one block — comment lines, then `event:`,
 * `id:`, `retry:` and `data:` lines as present — closed by a blank line. Multi-line
 * `data` (CR, LF or CRLF) becomes one `data:` line per line, so the receiver gets it
 * back with LF. Fields that would inject lines or frames are rejected with
 * {@link InvalidMessageError}, never written.
 *
 * @see https://html.spec.whatwg.org/multipage/server-sent-events.html#authoring-notes
 * @example One block of text per message
 * ```ts
 * import { SSEEncoder } from '@sluice/sse'
 *
 * const encoder = new SSEEncoder()
 * encoder.encode({ comment: 'keep-alive' }) // ': keep-alive\n\n'
 * encoder.encode({ type: 'delta', id: '7', data: 'a\nb' }) // 'event: delta\nid: 7\ndata: a\ndata: b\n\n'
 * ```
 */
export class SSEEncoder implements StreamTransformer<SSEMessage, string> {
  readonly #lineEnding: string
  #index = 0

  constructor(options: SSEEncoderOptions = {}) {
    const { lineEnding = '\n' } = options
    if (lineEnding !== '\n' && lineEnding !== '\r\n') {
      throw new TypeError(`SSEEncoder: lineEnding must be '\\n' or '\\r\\n', got ${JSON.stringify(lineEnding)}`)
    }
    this.#lineEnding = lineEnding
  }

  /** Enqueues the text of `message`'s block (see {@link SSEEncoder.encode}). */
  transform(message: SSEMessage, controller: TransformController<string>): void {
    controller.enqueue(this.encode(message))
  }

  /**
   * The text of one message's block, e.g. `'event: add\ndata: 1\n\n'`.
   * @throws {InvalidMessageError} when a field cannot be written safely
   */
  encode(message: SSEMessage): string {
    const index = this.#index++
    if (typeof message !== 'object' || message === null) {
      throw new InvalidMessageError(
        'message',
        index,
        `must be an object, got ${message === null ? 'null' : typeof message}`,
      )
    }
    const { data, type, id, retry, comment } = message
    const eol = this.#lineEnding
    let text = ''
    if (comment !== undefined) {
      if (typeof comment !== 'string')
        throw new InvalidMessageError('comment', index, `must be a string, got ${typeof comment}`)
      for (const line of comment.split(LINE_BREAK)) text += `: ${line}${eol}`
    }
    if (type !== undefined) {
      if (typeof type !== 'string') throw new InvalidMessageError('type', index, `must be a string, got ${typeof type}`)
      if (CR_OR_LF.test(type))
        throw new InvalidMessageError('type', index, `must not contain CR or LF: ${JSON.stringify(type.slice(0, 80))}`)
      text += `event: ${type}${eol}`
    }
    if (id !== undefined) {
      if (typeof id !== 'string') throw new InvalidMessageError('id', index, `must be a string, got ${typeof id}`)
      if (CR_OR_LF.test(id))
        throw new InvalidMessageError('id', index, `must not contain CR or LF: ${JSON.stringify(id.slice(0, 80))}`)
      // The receiver ignores an id with NULL: sending one would silently keep the old id.
      if (id.includes('\0'))
        throw new InvalidMessageError(
          'id',
          index,
          `must not contain NULL (receivers ignore such an id): ${JSON.stringify(id.slice(0, 80))}`,
        )
      text += `id: ${id}${eol}`
    }
    if (retry !== undefined) {
      if (!Number.isSafeInteger(retry) || retry < 0) {
        throw new InvalidMessageError(
          'retry',
          index,
          `must be a non-negative integer number of milliseconds, got ${String(retry)}`,
        )
      }
      text += `retry: ${retry}${eol}`
    }
    if (data !== undefined) {
      if (typeof data !== 'string') throw new InvalidMessageError('data', index, `must be a string, got ${typeof data}`)
      text += CR_OR_LF.test(data)
        ? data
            .split(LINE_BREAK)
            .map((line) => `data: ${line}${eol}`)
            .join('')
        : `data: ${data}${eol}`
    }
    if (text === '') throw new InvalidMessageError('message', index, 'has none of data, type, id, retry and comment')
    return text + eol
  }
}

/**
 * {@link SSEEncoder} as a `TransformStream`: messages in, SSE text out. Pipe it through
 * `TextEncoderStream` for bytes.
 *
 * @example Answer with a stream of events
 * ```ts
 * import { SSEEncoderStream, type SSEMessage } from '@sluice/sse'
 *
 * function eventStreamResponse(frames: ReadableStream<SSEMessage>): Response {
 *   const body = frames.pipeThrough(new SSEEncoderStream()).pipeThrough(new TextEncoderStream())
 *   return new Response(body, { headers: { 'content-type': 'text/event-stream' } })
 * }
 * ```
 */
export class SSEEncoderStream extends OrderedTransformStream<SSEMessage, string> {
  constructor(
    options?: SSEEncoderOptions,
    writableStrategy?: QueuingStrategy<SSEMessage>,
    readableStrategy?: QueuingStrategy<string>,
  ) {
    super(new SSEEncoder(options), writableStrategy, readableStrategy)
  }
}
