import { open, rm } from 'node:fs/promises'
import { Writable } from 'node:stream'
import { RecordingEncoderStream } from '@sluice/testing/server'
import { CLIError, UsageError } from '../errors.ts'
import { chatTarget, parseOrUsage, requestOptions, unreachable, wholeNumber } from '../request.ts'
import type { Output } from '../output.ts'

export const recordHelp = `sluice record "PROMPT" --base-url URL --model ID -o FILE [--system TEXT] [--max-tokens N]

Saves a real streamed answer with its timing, for sluice mock --replay and for tests:
one JSON line per read, {"t": ms since the request, "data": "<the text read>"}. The
request (with the key from SLUICE_API_KEY or OPENAI_API_KEY) is never written: only
what the server sent.

Options:
  -o, --output FILE    where to write the recording (required)
  --base-url URL       the API's base URL (or SLUICE_BASE_URL)
  --model ID           the model (or SLUICE_MODEL)
  --system TEXT        a system message before the prompt
  --max-tokens N       max_tokens of the request
  --idle-timeout MS    give up when the server sends nothing for this long, headers
                       included (default 30000)
  -h, --help           this help

The output file is opened before the request is sent, so a wrong path fails before the
paid request. The API key, and anything shaped like a bearer token or an sk- key, is
redacted from what is printed and saved.
`

/** `sluice record`: 0 when the answer was saved, 1 on an HTTP, network or idle error. */
export async function record(args: string[], output: Output, env: NodeJS.ProcessEnv): Promise<number> {
  const { values, positionals } = parseOrUsage(
    args,
    { ...requestOptions, output: { type: 'string', short: 'o' }, 'idle-timeout': { type: 'string' } },
    'record',
  )
  if (values.help) {
    output.out(recordHelp)
    return 0
  }
  const file = values.output
  if (!file) throw new UsageError('record needs -o FILE', 'record')
  const idleMs = wholeNumber(values['idle-timeout'], '--idle-timeout', 'record') ?? 30_000
  const { baseURL, apiKey, request } = chatTarget(values, positionals, env, 'record')
  const redact = redactor(apiKey)
  // Before the paid request: a path that cannot be written fails now (ENOENT, EISDIR, EACCES).
  let handle: Awaited<ReturnType<typeof open>>
  try {
    handle = await open(file, 'w')
  } catch (error) {
    throw new CLIError(`cannot write ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, {
      code: 'SLUICE_CLI_OUTPUT',
      exitCode: 2,
      cause: error,
    })
  }
  let lines = 0
  try {
    const start = performance.now()
    const idle = new IdleTimer(idleMs)
    let response: Response
    try {
      response = await fetch(`${baseURL}/chat/completions`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'text/event-stream',
          ...(apiKey && { authorization: `Bearer ${apiKey}` }),
        },
        body: JSON.stringify({ ...request, stream: true, stream_options: { include_usage: true } }),
        signal: idle.signal,
      })
    } catch (error) {
      throw idle.fired ? idle.error('the response headers') : unreachable(error, baseURL)
    }
    if (!response.ok || !response.body) {
      idle.touch()
      const text = redact((await response.text().catch(() => '')).slice(0, 300))
      idle.stop()
      throw new CLIError(
        `HTTP ${response.status} ${response.statusText} from ${baseURL}/chat/completions${text ? `: ${text.replace(/\s+/g, ' ')}` : ''}`,
        { code: 'SLUICE_CLI_HTTP', exitCode: 1 },
      )
    }
    const counted = new TransformStream<string, string>({
      transform(line, controller) {
        lines++
        controller.enqueue(redact(line))
      },
    })
    const touched = new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        idle.touch()
        controller.enqueue(chunk)
      },
    })
    idle.touch()
    try {
      await response.body
        .pipeThrough(touched)
        .pipeThrough(new RecordingEncoderStream({ start }))
        .pipeThrough(counted)
        .pipeTo(Writable.toWeb(handle.createWriteStream()) as WritableStream<string>)
    } catch (error) {
      throw idle.fired ? idle.error('the body') : error
    } finally {
      idle.stop()
    }
    output.err(
      `${file}: ${lines} reads recorded in ${((performance.now() - start) / 1000).toFixed(2)} s (replay: sluice mock --replay ${file})\n`,
    )
    return 0
  } catch (error) {
    // Nothing worth keeping was recorded: leave no empty file behind.
    await handle.close().catch(() => {})
    if (lines === 0) await rm(file, { force: true }).catch(() => {})
    throw error
  }
}

/** Aborts when `ms` pass without a `touch()`: bounds the wait for the headers and for each read. */
class IdleTimer {
  readonly #controller = new AbortController()
  readonly #ms: number
  #timer: ReturnType<typeof setTimeout> | undefined
  fired = false

  constructor(ms: number) {
    this.#ms = ms
    this.touch()
  }

  get signal(): AbortSignal {
    return this.#controller.signal
  }

  touch(): void {
    clearTimeout(this.#timer)
    this.#timer = setTimeout(() => {
      this.fired = true
      this.#controller.abort()
    }, this.#ms)
  }

  stop(): void {
    clearTimeout(this.#timer)
  }

  error(what: string): CLIError {
    return new CLIError(`the server sent nothing for ${this.#ms} ms while sending ${what}: gave up (--idle-timeout)`, {
      code: 'SLUICE_CLI_IDLE',
      exitCode: 1,
    })
  }
}

/** Hides the API key, and anything shaped like a bearer token or an `sk-` key, in `text`. */
function redactor(apiKey: string | undefined): (text: string) => string {
  return (text) => {
    let out = text
      .replace(/(Bearer\s+)[A-Za-z0-9._~+/=-]{8,}/gi, '$1[redacted]')
      .replace(/\bsk-[A-Za-z0-9_-]{8,}/g, 'sk-[redacted]')
    if (apiKey && apiKey.length >= 8) out = out.split(apiKey).join('[redacted]')
    return out
  }
}
