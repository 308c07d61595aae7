import type { ServerResponse } from 'node:http'
import { sendJSON } from './send-json.ts'

/** 2025-11-25T12:00:00Z, the mock responses' `created`. */
const MODEL_CREATED = 1764072000

/** Answers `GET /v1/models`: a list that holds the server's one model. */
export function sendModelList(response: ServerResponse, model: string): void {
  sendJSON(response, 200, {
    object: 'list',
    data: [{ id: model, object: 'model', created: MODEL_CREATED, owned_by: 'sluice-mock' }],
  })
}
