import { parseArgs, type ParseArgsConfig } from 'node:util'
import type { ChatCompletionRequest } from '@sluice/chat'
import { CLIError, UsageError } from './errors.ts'

/** The flags `chat` and `record` share: where to send the prompt and how. */
export const requestOptions = {
  'base-url': { type: 'string' },
  model: { type: 'string' },
  system: { type: 'string' },
  'max-tokens': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} satisfies ParseArgsConfig['options']

/** Parses `args` with `options` (and `allowPositionals`); a bad flag is a usage error naming `command`. */
export function parseOrUsage<T extends NonNullable<ParseArgsConfig['options']>>(
  args: string[],
  options: T,
  command: string,
) {
  try {
    return parseArgs({ args, allowPositionals: true, options })
  } catch (error) {
    throw new UsageError((error as Error).message, command)
  }
}

/** What the request flags and the environment say: the request to send, where, and with which key. */
export interface ChatTarget {
  baseURL: string
  apiKey: string | undefined
  request: ChatCompletionRequest
}

/**
 * The request for `prompt` from the shared flags, with `SLUICE_BASE_URL`, `SLUICE_MODEL`
 * and the key (`SLUICE_API_KEY`, else `OPENAI_API_KEY`) from `env`.
 */
export function chatTarget(
  values: {
    'base-url'?: string | undefined
    model?: string | undefined
    system?: string | undefined
    'max-tokens'?: string | undefined
  },
  positionals: string[],
  env: NodeJS.ProcessEnv,
  command: string,
): ChatTarget {
  const prompt = positionals.join(' ').trim()
  if (prompt === '') throw new UsageError(`${command} needs a prompt`, command)
  const baseURL = (values['base-url'] ?? env['SLUICE_BASE_URL'])?.replace(/\/+$/, '')
  if (!baseURL) throw new UsageError(`${command} needs --base-url (or SLUICE_BASE_URL)`, command)
  if (!/^https?:\/\//.test(baseURL))
    throw new UsageError(`--base-url must be an http(s) URL, got ${JSON.stringify(baseURL)}`, command)
  const model = values.model ?? env['SLUICE_MODEL']
  if (!model) throw new UsageError(`${command} needs --model (or SLUICE_MODEL)`, command)
  const maxTokens = wholeNumber(values['max-tokens'], '--max-tokens', command)
  const request: ChatCompletionRequest = {
    model,
    messages: [
      ...(values.system ? [{ role: 'system' as const, content: values.system }] : []),
      { role: 'user' as const, content: prompt },
    ],
    ...(maxTokens !== undefined && { max_tokens: maxTokens }),
  }
  return { baseURL, apiKey: env['SLUICE_API_KEY'] || env['OPENAI_API_KEY'] || undefined, request }
}

/** A flag that must be a whole number, or `undefined` when absent. */
export function wholeNumber(value: string | undefined, flag: string, command: string): number | undefined {
  if (value === undefined) return undefined
  if (!/^[0-9]+$/.test(value))
    throw new UsageError(`${flag} must be a whole number, got ${JSON.stringify(value)}`, command)
  return Number(value)
}

/** A failed `fetch` as one line naming the host and the system's reason (ECONNREFUSED, ENOTFOUND, …). */
export function unreachable(error: unknown, baseURL: string): CLIError {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause
  const reason = cause?.code ?? cause?.message ?? (error as Error).message
  return new CLIError(`cannot reach ${new URL(baseURL).host}: ${reason}`, {
    code: 'SLUICE_CLI_NETWORK',
    exitCode: 1,
    cause: error,
  })
}
