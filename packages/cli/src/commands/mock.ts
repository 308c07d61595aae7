import type { Fault } from '@sluice/testing'
import { startMockServer } from '@sluice/testing/server'
import { UsageError } from '../errors.ts'
import { parseOrUsage } from '../request.ts'
import type { Output } from '../output.ts'

export const mockHelp = `sluice mock [--port N] [--replay FILE] [--speed X] [--fault SPEC]...

Runs an OpenAI-compatible mock server on 127.0.0.1 (POST /v1/chat/completions, stream
true or false; POST /v1/messages and POST /v1/responses, the same answer as an Anthropic
Messages or an OpenAI Responses stream; POST
/v1beta/models/MODEL:streamGenerateContent?alt=sse, the same answer as a Gemini stream, one
JSON array without alt=sse; GET /v1/models) until Ctrl-C. Point any client at the URL it
prints. The faults act on every format (Gemini has no keep-alive or missing-separators).

Options:
  --port N          the port (default: a free one)
  --replay FILE     serve this capture (.sse) or recording (sluice record) to every request
  --speed X         pace: 1 = an event every 20 ms or the recording's own pace; 2 = twice
                    as fast; Infinity = all at once (default 1)
  --fault SPEC      apply a fault to every answer; repeatable:
                      cut:BYTE              end the body at that byte offset
                      error:AFTER_CHUNKS    a provider error event after that many chunks
                      garbage:AFTER_CHUNKS  invalid bytes after that many chunks
                      missing-separators    several data: lines per event (GLM, Kimi)
                      no-done               no data: [DONE]
                      drip:BYTES:MS         BYTES per read, MS apart
                      keep-alive:EVERY      a ": OPENROUTER PROCESSING" comment every EVERY events
  --log             print a line per request on stderr (never headers)
  -h, --help        this help
`

/** `sluice mock`: serves until SIGINT or SIGTERM, then closes the server and exits 0. */
export async function mock(args: string[], output: Output): Promise<number> {
  const { values } = parseOrUsage(
    args,
    {
      port: { type: 'string' },
      replay: { type: 'string' },
      speed: { type: 'string' },
      fault: { type: 'string', multiple: true },
      log: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    'mock',
  )
  if (values.help) {
    output.out(mockHelp)
    return 0
  }
  const port = values.port === undefined ? 0 : wholeNumber(values.port, '--port')
  const speed =
    values.speed === undefined ? 1 : values.speed === 'Infinity' ? Number.POSITIVE_INFINITY : Number(values.speed)
  if (!(speed > 0))
    throw new UsageError(`--speed must be a number above 0 or Infinity, got ${JSON.stringify(values.speed)}`, 'mock')
  const faults = (values.fault ?? []).map(parseFault)
  const server = await startMockServer({
    port,
    speed,
    faults,
    ...(values.replay !== undefined && { replay: values.replay }),
    ...(values.log && { log: (line: string) => output.err(`${line}\n`) }),
  })
  output.out(`mock server listening on ${server.url} (POST ${server.url}/chat/completions); Ctrl-C stops it\n`)
  await new Promise<void>((resolve) => {
    const stop = () => resolve()
    process.once('SIGINT', stop)
    process.once('SIGTERM', stop)
  })
  await server.close()
  output.err('mock server stopped\n')
  return 0
}

/** `cut:600`, `error:3`, `drip:16:10`, … as a Fault. */
export function parseFault(spec: string): Fault {
  const [kind, ...rest] = spec.split(':')
  const numbers = rest.map((part) => wholeNumber(part, `--fault ${spec}`))
  const arity = (count: number) => {
    if (numbers.length !== count)
      throw new UsageError(`--fault ${spec}: ${kind} takes ${count} number${count === 1 ? '' : 's'}`, 'mock')
  }
  switch (kind) {
    case 'cut':
      arity(1)
      return { kind: 'cut', atByte: numbers[0]! }
    case 'error':
      arity(1)
      return { kind: 'provider-error', afterChunks: numbers[0]! }
    case 'garbage':
      arity(1)
      return { kind: 'garbage', afterChunks: numbers[0]! }
    case 'missing-separators':
      arity(0)
      return { kind: 'missing-separators' }
    case 'no-done':
      arity(0)
      return { kind: 'no-done' }
    case 'drip':
      arity(2)
      return { kind: 'drip', bytesPerRead: numbers[0]!, delayMs: numbers[1]! }
    case 'keep-alive':
      arity(1)
      return { kind: 'keep-alive', every: numbers[0]! }
    default:
      throw new UsageError(
        `--fault ${spec}: unknown fault ${JSON.stringify(kind)} (cut, error, garbage, missing-separators, no-done, drip, keep-alive)`,
        'mock',
      )
  }
}

function wholeNumber(value: string, flag: string): number {
  if (!/^[0-9]+$/.test(value))
    throw new UsageError(`${flag} must be a whole number, got ${JSON.stringify(value)}`, 'mock')
  return Number(value)
}
