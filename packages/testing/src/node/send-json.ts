import type { ServerResponse } from 'node:http'
import { type MockErrorFields, mockErrorBody } from '@sluice/testing'

/** Sends `value` as a JSON response with `status`. */
export function sendJSON(response: ServerResponse, status: number, value: unknown): void {
  const body = JSON.stringify(value)
  response.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) })
  response.end(body)
}

/** Sends an OpenAI-style error response (see `mockErrorBody`). */
export function sendError(response: ServerResponse, status: number, error: string | MockErrorFields): void {
  sendJSON(response, status, mockErrorBody(status, error))
}
