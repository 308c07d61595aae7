/**
 * Base class of every error `@sluice/lines` raises. Branch on the subclass with
 * `instanceof`, or on the stable {@link LineSplitterError.code | `code`} string.
 */
export abstract class LineSplitterError extends Error {
  /** Stable machine-readable identifier of the error kind. */
  abstract readonly code: string
  /** 1-based number of the line being read when the error happened. */
  readonly line: number

  constructor(message: string, line: number, options?: ErrorOptions) {
    super(message, options)
    this.line = line
  }
}

/**
 * Thrown when a line grows past `maxLineLength` characters. It is raised as soon as
 * the limit is passed, before the rest of the line is buffered.
 */
export class LineTooLongError extends LineSplitterError {
  readonly code = 'SLUICE_LINE_TOO_LONG'
  /** The `maxLineLength` in force, in UTF-16 code units. */
  readonly limit: number
  /** How many characters of the line had arrived when the limit was passed. */
  readonly length: number

  constructor(limit: number, length: number, line: number) {
    super(
      `line ${line} is longer than maxLineLength (${limit} characters): ${length} characters arrived without a line terminator`,
      line,
    )
    this.name = 'LineTooLongError'
    this.limit = limit
    this.length = length
  }
}

/**
 * Thrown in `fatal` mode when the input is not valid UTF-8 (including a multi-byte
 * sequence cut off by the end of the input). The `TextDecoder` error is the `cause`.
 */
export class InvalidUTF8Error extends LineSplitterError {
  readonly code = 'SLUICE_INVALID_UTF8'
  /** Offset in the whole byte stream of the first byte of the chunk that failed to decode. */
  readonly byteOffset: number

  constructor(byteOffset: number, detail: string, line: number, options?: ErrorOptions) {
    super(`invalid UTF-8 ${detail} (byte offset ${byteOffset}, line ${line})`, line, options)
    this.name = 'InvalidUTF8Error'
    this.byteOffset = byteOffset
  }
}

/** Thrown when a chunk is neither a string nor bytes (an ArrayBuffer, a SharedArrayBuffer or a view on one). */
export class InvalidChunkError extends LineSplitterError {
  readonly code = 'SLUICE_INVALID_CHUNK'
  /** 0-based index of the offending chunk in the input. */
  readonly chunkIndex: number
  /** What was received instead, e.g. `number` or `object Array`. */
  readonly received: string

  constructor(chunkIndex: number, received: string, line: number) {
    super(
      `chunk ${chunkIndex} is a ${received}: expected a string, an ArrayBuffer or an ArrayBuffer view such as Uint8Array`,
      line,
    )
    this.name = 'InvalidChunkError'
    this.chunkIndex = chunkIndex
    this.received = received
  }
}
