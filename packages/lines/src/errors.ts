import { SluiceError } from '@sluice/compose'

/**
 * Base class of every error `@sluice/lines` raises. Branch on the subclass with
 * `instanceof`, or on the stable {@link LineSplitterError.code | `code`} string.
 *
 * @example Tell the splitter's errors from the others
 * ```ts
 * import { LineSplitterError, LineSplitterStream } from '@sluice/lines'
 *
 * try {
 *   for await (const line of response.body!.pipeThrough(new LineSplitterStream())) console.log(line)
 * } catch (error) {
 *   if (!(error instanceof LineSplitterError)) throw error
 *   console.error(`${error.code} at line ${error.line}: ${error.message}`)
 * }
 * ```
 */
export abstract class LineSplitterError extends SluiceError {
  /** 1-based number of the line being read when the error happened. */
  declare readonly line: number

  constructor(message: string, line: number, options?: ErrorOptions) {
    super(message, options)
    this.line = line
  }
}

/**
 * Thrown when a line grows past `maxLineLength` characters. It is raised as soon as
 * the limit is passed, before the rest of the line is buffered.
 *
 * @example Refuse lines longer than 1 MiB
 * ```ts
 * import { LineSplitterStream, LineTooLongError } from '@sluice/lines'
 *
 * try {
 *   for await (const line of response.body!.pipeThrough(new LineSplitterStream({ maxLineLength: 1 << 20 }))) console.log(line)
 * } catch (error) {
 *   if (!(error instanceof LineTooLongError)) throw error
 *   console.error(`line ${error.line}: ${error.length} characters and no end, limit ${error.limit}`)
 * }
 * ```
 */
export class LineTooLongError extends LineSplitterError {
  readonly code = 'SLUICE_LINE_TOO_LONG'
  /** The `maxLineLength` in force, in UTF-16 code units. */
  declare readonly limit: number
  /** How many characters of the line had arrived when the limit was passed. */
  declare readonly length: number

  constructor(limit: number, length: number, line: number) {
    super(
      `line ${line} is longer than maxLineLength (${limit} characters): ${length} characters arrived without a line terminator`,
      line,
    )
    this.limit = limit
    this.length = length
    this.name = 'LineTooLongError'
  }
}

/**
 * Thrown in `fatal` mode when the input is not valid UTF-8 (including a multi-byte
 * sequence cut off by the end of the input). The `TextDecoder` error is the `cause`.
 *
 * @example Malformed UTF-8 with fatal: true
 * ```ts
 * import { InvalidUTF8Error, LineSplitterStream } from '@sluice/lines'
 *
 * const body = new Response(new Uint8Array([0x68, 0x69, 0xff, 0x0a])).body! // "hi", then a byte that is not UTF-8
 * try {
 *   for await (const line of body.pipeThrough(new LineSplitterStream({ fatal: true }))) console.log(line)
 * } catch (error) {
 *   if (!(error instanceof InvalidUTF8Error)) throw error
 *   console.error(error.message, error.cause) // invalid UTF-8 in read 0 (bytes 0 to 3) (byte offset 0, line 1)
 * }
 * ```
 */
export class InvalidUTF8Error extends LineSplitterError {
  readonly code = 'SLUICE_INVALID_UTF8'
  /** Offset in the whole byte stream of the byte at which decoding failed (at the end of the input, or before a string read, where the bytes ended). */
  declare readonly byteOffset: number

  constructor(byteOffset: number, detail: string, line: number, options?: ErrorOptions) {
    super(`invalid UTF-8 ${detail} (byte offset ${byteOffset}, line ${line})`, line, options)
    this.byteOffset = byteOffset
    this.name = 'InvalidUTF8Error'
  }
}

/**
 * Thrown when a read is neither a string nor bytes (an ArrayBuffer, a SharedArrayBuffer or a view on one).
 *
 * @example An array of numbers is not bytes
 * ```ts
 * import { InvalidReadError, LineSplitterStream } from '@sluice/lines'
 *
 * // Untyped code can enqueue anything; wrap byte values in a Uint8Array.
 * const input = new ReadableStream({
 *   start(controller) {
 *     controller.enqueue([104, 105, 10])
 *     controller.close()
 *   },
 * })
 * try {
 *   for await (const line of input.pipeThrough(new LineSplitterStream())) console.log(line)
 * } catch (error) {
 *   if (!(error instanceof InvalidReadError)) throw error
 *   console.error(error.readIndex, error.received) // 0 'object Array'
 * }
 * ```
 */
export class InvalidReadError extends LineSplitterError {
  readonly code = 'SLUICE_INVALID_READ'
  /** 0-based index of the offending read in the input. */
  declare readonly readIndex: number
  /** What was received instead, e.g. `number` or `object Array`. */
  declare readonly received: string

  constructor(readIndex: number, received: string, line: number) {
    super(
      `read ${readIndex} is a ${received}: expected a string, an ArrayBuffer or an ArrayBuffer view such as Uint8Array`,
      line,
    )
    this.readIndex = readIndex
    this.received = received
    this.name = 'InvalidReadError'
  }
}

/**
 * The codes of `@sluice/lines`'s errors (each a `SluiceError`).
 *
 * @example
 * ```ts
 * import { LineTooLongError, type LinesErrorCode } from '@sluice/lines'
 *
 * const code: LinesErrorCode = 'SLUICE_LINE_TOO_LONG'
 * console.log(code, LineTooLongError.name)
 * ```
 */
export type LinesErrorCode = LineTooLongError['code'] | InvalidUTF8Error['code'] | InvalidReadError['code']
