import { createChatCompletionStream } from '@sluice/chat'
import type { ChatCompletion } from '@sluice/accumulator'
import { CLIError } from '../errors.ts'
import { chatTarget, parseOrUsage, requestOptions, unreachable, wholeNumber } from '../request.ts'
import type { Output } from '../output.ts'
import { describeOutcome } from '../describe-outcome.ts'

export const chatHelp = `sluice chat "PROMPT" --base-url URL --model ID [options]

Streams a chat completion from any OpenAI-compatible API (OpenAI, Eden AI V3 at
https://api.edenai.run/v3, OpenRouter, Groq, vLLM, Ollama, …) and prints the answer as
it arrives, tool calls as they assemble, then one summary line on stderr: time to first
token, tokens/s, finish reason and usage.

The API key comes from SLUICE_API_KEY, or OPENAI_API_KEY (none is sent when both are unset).

Options:
  --base-url URL       the API's base URL, e.g. https://api.openai.com/v1 (or SLUICE_BASE_URL)
  --model ID           the model, e.g. anthropic/claude-sonnet-4-5 (or SLUICE_MODEL)
  --system TEXT        a system message before the prompt
  --max-tokens N       max_tokens of the request
  --idle-timeout MS    fail when nothing arrives for MS milliseconds (default 60000)
  -h, --help           this help
`

/** `sluice chat`: 0 when the answer is complete, 1 when the stream was cut off or failed. */
export async function chat(args: string[], output: Output, env: NodeJS.ProcessEnv): Promise<number> {
  const { values, positionals } = parseOrUsage(args, { ...requestOptions, 'idle-timeout': { type: 'string' } }, 'chat')
  if (values.help) {
    output.out(chatHelp)
    return 0
  }
  const { baseURL, apiKey, request } = chatTarget(values, positionals, env, 'chat')
  const idleTimeoutMs = wholeNumber(values['idle-timeout'], '--idle-timeout', 'chat') ?? 60_000
  const started = performance.now()
  let firstToken: number | undefined
  const stream = await open(
    () => createChatCompletionStream(request, { baseURL, ...(apiKey && { apiKey }), idleTimeoutMs }),
    baseURL,
  )

  const printer = new AnswerPrinter(output)
  let last: ChatCompletion | undefined
  try {
    for await (const snapshot of stream.snapshots()) {
      last = snapshot
      if (printer.print(snapshot) && firstToken === undefined) firstToken = performance.now()
    }
  } catch {
    // The outcome below says what went wrong, in one line.
  }
  printer.end()
  const outcome = await stream.outcome
  const ended = performance.now()
  output.err(
    `${output.errStyle.dim(summary(started, firstToken, ended, last, outcome.status === 'complete' ? undefined : describeOutcome(outcome)))}\n`,
  )
  return outcome.status === 'complete' ? 0 : 1
}

/** Prints what each snapshot adds: content of choice 0, then each tool call's name and growing arguments. */
class AnswerPrinter {
  readonly #output: Output
  #content = 0
  #calls: number[] = []
  #current = -1
  #atLineStart = true

  constructor(output: Output) {
    this.#output = output
  }

  /** @returns whether anything was printed (the first call that prints is the first token) */
  print(snapshot: ChatCompletion): boolean {
    const message = snapshot.choices.find((choice) => choice.index === 0)?.message
    if (!message) return false
    let printed = false
    const content = message.content ?? ''
    if (content.length > this.#content) {
      this.#write(content.slice(this.#content))
      this.#content = content.length
      printed = true
    }
    message.tool_calls?.forEach((call, index) => {
      const shown = this.#calls[index]
      const args = call.function.arguments
      if (shown === undefined) {
        this.#closeCall()
        this.#write(
          `${this.#atLineStart ? '' : '\n'}${this.#output.outStyle.cyan(`→ ${call.function.name || 'tool'}`)}(`,
        )
        this.#calls[index] = 0
        this.#current = index
      } else if (index !== this.#current) {
        this.#closeCall()
        this.#write(`${this.#output.outStyle.cyan(`→ ${call.function.name || 'tool'}`)}(… `)
        this.#current = index
      }
      const from = this.#calls[index] ?? 0
      if (args.length > from) {
        this.#write(args.slice(from))
        this.#calls[index] = args.length
      }
      printed = true
    })
    return printed
  }

  end(): void {
    this.#closeCall()
    if (!this.#atLineStart) this.#write('\n')
  }

  #closeCall(): void {
    if (this.#current === -1) return
    this.#write(')\n')
    this.#current = -1
  }

  #write(text: string): void {
    if (text === '') return
    this.#output.out(text)
    this.#atLineStart = text.endsWith('\n')
  }
}

/** `0.42 s to first token · 38 tokens/s · finish stop · usage 12 + 57 = 69 tokens · 1.91 s`. */
function summary(
  started: number,
  firstToken: number | undefined,
  ended: number,
  completion: ChatCompletion | undefined,
  problem: string | undefined,
): string {
  const parts: string[] = []
  parts.push(firstToken === undefined ? 'no token' : `${seconds(firstToken - started)} to first token`)
  const usage = completion?.usage
  if (usage && firstToken !== undefined && ended > firstToken)
    parts.push(`${(usage.completion_tokens / ((ended - firstToken) / 1000)).toFixed(1)} tokens/s`)
  else parts.push('tokens/s unknown (no usage reported)')
  const finish = completion?.choices.map((choice) => choice.finish_reason ?? 'none').join(', ')
  parts.push(`finish ${finish || 'none'}`)
  if (usage) parts.push(`usage ${usage.prompt_tokens} + ${usage.completion_tokens} = ${usage.total_tokens} tokens`)
  parts.push(seconds(ended - started))
  if (problem) parts.push(problem)
  return parts.join(' · ')
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`

/** Opens the stream; a refused connection or an HTTP error becomes one line naming the host. */
async function open<T>(start: () => Promise<T> | T, baseURL: string): Promise<T> {
  try {
    return await start()
  } catch (error) {
    if (error instanceof Error && error.name === 'HTTPError')
      throw new CLIError(error.message, { code: 'SLUICE_CLI_HTTP', exitCode: 1, cause: error })
    throw unreachable(error, baseURL)
  }
}
