import type { MockErrorFields } from '@sluice/testing'

/**
 * A chat completion request the mock server turns down before it sends anything. Thrown by
 * the steps of the handler, so that each reads as a straight line; the handler answers with
 * `status` and an OpenAI-style error body, and logs `outcome`. It never leaves the server.
 */
export class RequestRefusedError extends Error {
  readonly status: number
  readonly fields: MockErrorFields
  /** What the log line says after the method and path, e.g. `400 (no messages)`. */
  readonly outcome: string
  /** The body was left unread: the connection cannot carry another request. */
  readonly closeConnection: boolean

  constructor(status: number, fields: MockErrorFields, outcome: string, closeConnection = false) {
    super(fields.message ?? outcome)
    this.name = 'RequestRefusedError'
    this.status = status
    this.fields = fields
    this.outcome = outcome
    this.closeConnection = closeConnection
  }
}
