/**
 * Base class of every error `@sluice/sse` raises. Branch on the subclass with
 * `instanceof`, or on the stable `code` string.
 */
export abstract class SSEError extends Error {
  /** Stable machine-readable identifier of the error kind. */
  abstract readonly code: string
}

/**
 * Thrown when the data of one event grows past `maxEventSize` characters. It is raised
 * on the `data:` line that passes the limit, before the rest of the event is buffered.
 */
export class EventTooLargeError extends SSEError {
  readonly code = 'SLUICE_EVENT_TOO_LARGE'
  /** The `maxEventSize` in force, in UTF-16 code units. */
  readonly limit: number
  /** The event's data length, in UTF-16 code units, with the line that passed the limit. */
  readonly size: number
  /** 1-based number of the line that passed the limit. */
  readonly line: number

  constructor(limit: number, size: number, line: number) {
    super(`event data at line ${line} is larger than maxEventSize (${limit} characters): ${size} characters without a dispatching blank line`)
    this.name = 'EventTooLargeError'
    this.limit = limit
    this.size = size
    this.line = line
  }
}

/** Thrown when {@link SSEDecoder} receives something other than a string as a line. */
export class InvalidLineError extends SSEError {
  readonly code = 'SLUICE_INVALID_LINE'
  /** 1-based number of the offending line. */
  readonly line: number
  /** What was received instead, e.g. `object Uint8Array`. */
  readonly received: string

  constructor(line: number, received: string) {
    super(`line ${line} is a ${received}, not a string: pipe bytes through LineSplitterStream first, or use SSEStream`)
    this.name = 'InvalidLineError'
    this.line = line
    this.received = received
  }
}

/**
 * Thrown by {@link SSEEncoder} when a message field cannot be written safely: a `type`
 * or `id` with CR or LF (it would inject fields or frames), an `id` with NULL (the
 * receiver would ignore it), a `retry` that is not a non-negative integer, or a field
 * of the wrong type.
 */
export class InvalidMessageError extends SSEError {
  readonly code = 'SLUICE_INVALID_MESSAGE'
  /** The offending field. */
  readonly field: 'data' | 'type' | 'id' | 'retry' | 'comment' | 'message'
  /** 0-based index of the message in the encoder's input. */
  readonly index: number

  constructor(field: InvalidMessageError['field'], index: number, reason: string) {
    super(`message ${index}: ${field === 'message' ? '' : `${field} `}${reason}`)
    this.name = 'InvalidMessageError'
    this.field = field
    this.index = index
  }
}
