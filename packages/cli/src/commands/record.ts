import { createWriteStream } from 'node:fs'
import { Writable } from 'node:stream'
import { RecordingEncoderStream } from '@sluice/testing/server'
import { CLIError, UsageError } from '../errors.ts'
import { chatTarget, parseOrUsage, requestOptions, unreachable } from '../request.ts'
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
  -h, --help           this help
`

/** `sluice record`: 0 when the answer was saved, 1 on an HTTP or network error. */
export async function record(args: string[], output: Output, env: NodeJS.ProcessEnv): Promise<number> {
  const { values, positionals } = parseOrUsage(args, { ...requestOptions, output: { type: 'string', short: 'o' } }, 'record')
  if (values.help) {
    output.out(recordHelp)
    return 0
  }
  const file = values.output
  if (!file) throw new UsageError('record needs -o FILE', 'record')
  const { baseURL, apiKey, request } = chatTarget(values, positionals, env, 'record')
  const start = performance.now()
  let response: Response
  try {
    response = await fetch(`${baseURL}/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream', ...(apiKey && { authorization: `Bearer ${apiKey}` }) },
      body: JSON.stringify({ ...request, stream: true, stream_options: { include_usage: true } }),
    })
  } catch (error) {
    throw unreachable(error, baseURL)
  }
  if (!response.ok || !response.body) {
    const text = (await response.text().catch(() => '')).slice(0, 300)
    throw new CLIError(`HTTP ${response.status} ${response.statusText} from ${baseURL}/chat/completions${text ? `: ${text.replace(/\s+/g, ' ')}` : ''}`, { code: 'SLUICE_CLI_HTTP', exitCode: 1 })
  }
  let lines = 0
  const counted = new TransformStream<string, string>({
    transform(line, controller) {
      lines++
      controller.enqueue(line)
    },
  })
  await response.body
    .pipeThrough(new RecordingEncoderStream({ start }))
    .pipeThrough(counted)
    .pipeTo(Writable.toWeb(createWriteStream(file)) as WritableStream<string>)
  output.err(`${file}: ${lines} reads recorded in ${((performance.now() - start) / 1000).toFixed(2)} s (replay: sluice mock --replay ${file})\n`)
  return 0
}
