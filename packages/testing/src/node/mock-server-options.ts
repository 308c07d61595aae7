import { type Fault, type MockChatOptions, MockOptionsError } from '@sluice/testing'
import type { ChatCompletionRequest } from './chat-completion-request.ts'
import { checkSpeed } from './replay.ts'

/** The same default as the mock responses'. */
export const DEFAULT_MODEL = 'anthropic/claude-sonnet-4-5'
/** Loopback only: nothing outside the machine reaches the mock server. */
export const DEFAULT_HOST = '127.0.0.1'

/**
 * Options of {@link startMockServer}.
 *
 * @example A slow server whose answers fail half-way
 * ```ts
 * import type { MockServerOptions } from '@sluice/testing/server'
 *
 * const options: MockServerOptions = { speed: 0.5, faults: [{ kind: 'provider-error', afterChunks: 10 }] }
 * ```
 */
export interface MockServerOptions {
  /** @default 0 (a free port, chosen by the system) */
  port?: number
  /** @default '127.0.0.1' (loopback only) */
  host?: string
  /** The model `GET /v1/models` lists, and answers name when the request names none. @default 'anthropic/claude-sonnet-4-5' */
  model?: string
  /**
   * Path of a recorded stream to serve to every streamed request instead of a generated
   * answer: a recording (JSON lines of `{ "t", "data" }`, see `readRecording`) replayed on its
   * timeline, or a plain captured `.sse` body. Read once, when the server starts.
   */
  replay?: string
  /**
   * How fast answers stream: at `1`, an event every 20 ms (about 50 tokens a second) and
   * a recording at its recorded pace; `2` is twice as fast; `Infinity` sends everything at once
   * (use it in tests).
   * @default 1
   */
  speed?: number
  /** Faults applied to every streamed answer, before the answer's own (a replay honours `cut` and `drip` only). */
  faults?: Fault[]
  /**
   * Scripts the reply from the request body. Its options are laid over the server's
   * (`model` from the request, `usage` as `stream_options.include_usage` asks, the pace of
   * `speed`). An error it throws becomes a 500 response.
   * @default {@link defaultAnswer}: quotes the last user message
   */
  answer?: (request: ChatCompletionRequest) => MockChatOptions | Promise<MockChatOptions>
  /**
   * A line per request (`POST /v1/chat/completions 200 stream`): `true` prints them to
   * stderr. Headers are never logged, so an `Authorization` header stays private.
   * @default false
   */
  log?: boolean | ((line: string) => void)
}

/**
 * Checks every option of {@link startMockServer}, before anything starts.
 *
 * @throws {MockOptionsError} at the first option that is invalid
 */
export function checkMockServerOptions(options: MockServerOptions): void {
  const { port = 0, host = DEFAULT_HOST, model = DEFAULT_MODEL, replay, log, answer } = options
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new MockOptionsError('port', `must be an integer from 0 to 65535, got ${String(port)}`)
  if (typeof host !== 'string' || host === '')
    throw new MockOptionsError('host', `must be a host name or address, got ${String(host)}`)
  if (typeof model !== 'string') throw new MockOptionsError('model', `must be a string, got ${String(model)}`)
  if (replay !== undefined && typeof replay !== 'string')
    throw new MockOptionsError('replay', `must be a file path, got ${String(replay)}`)
  if (log !== undefined && typeof log !== 'boolean' && typeof log !== 'function')
    throw new MockOptionsError('log', `must be a boolean or a function, got ${String(log)}`)
  if (answer !== undefined && typeof answer !== 'function')
    throw new MockOptionsError('answer', `must be a function, got ${String(answer)}`)
  if (options.faults !== undefined && !Array.isArray(options.faults))
    throw new MockOptionsError('faults', `must be an array, got ${String(options.faults)}`)
  checkSpeed(options.speed ?? 1)
}
