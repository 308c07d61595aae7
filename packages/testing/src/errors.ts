import { SluiceError } from '@sluice/compose'

/**
 * Base class of every error `@sluice/testing` raises. Branch on the subclass with
 * `instanceof`, or on the stable `code` string.
 *
 * @example
 * ```ts
 * import { mockChatResponse, TestingError } from '@sluice/testing'
 *
 * try {
 *   mockChatResponse({ readSize: 0 })
 * } catch (error) {
 *   if (error instanceof TestingError) console.error(error.code) // 'SLUICE_MOCK_OPTIONS'
 * }
 * ```
 */
export abstract class TestingError extends SluiceError {}

/**
 * Thrown, synchronously, when options of a mock are invalid: a mistake in the test, never
 * a simulated failure (those are `faults`). `option` names the offending option.
 *
 * @example
 * ```ts
 * import { MockOptionsError, mockChatStream } from '@sluice/testing'
 *
 * try {
 *   mockChatStream({ chunking: 0 })
 * } catch (error) {
 *   // chunking must be 'word', 'char' or a positive integer, got 0
 *   if (error instanceof MockOptionsError) console.error(error.option, error.message)
 * }
 * ```
 */
export class MockOptionsError extends TestingError {
  readonly code = 'SLUICE_MOCK_OPTIONS'
  /** The option, as a path: `readSize`, `faults[1].atByte`, … */
  readonly option: string

  constructor(option: string, problem: string) {
    super(`${option} ${problem}`)
    this.name = 'MockOptionsError'
    this.option = option
  }
}

/**
 * Thrown when a recording (JSON lines of `{ "t", "data" }`) cannot be read: a line that is
 * not JSON, or lacks a field, or goes back in time. `line` is 1-based.
 *
 * @example
 * ```ts
 * import { parseRecording, RecordingFormatError } from '@sluice/testing/server'
 *
 * try {
 *   parseRecording('{"t":0}\n')
 * } catch (error) {
 *   if (error instanceof RecordingFormatError) console.error(error.line) // 1
 * }
 * ```
 */
export class RecordingFormatError extends TestingError {
  readonly code = 'SLUICE_RECORDING_FORMAT'
  /** 1-based number of the offending line. */
  readonly line: number

  constructor(line: number, problem: string, options?: ErrorOptions) {
    super(`recording line ${line}: ${problem}`, options)
    this.name = 'RecordingFormatError'
    this.line = line
  }
}

/**
 * The codes of `@sluice/testing`'s errors (each a `SluiceError`).
 *
 * @example
 * ```ts
 * import type { TestingErrorCode } from '@sluice/testing'
 *
 * const code: TestingErrorCode = 'SLUICE_MOCK_OPTIONS'
 * ```
 */
export type TestingErrorCode = MockOptionsError['code'] | RecordingFormatError['code']
