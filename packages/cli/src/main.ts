import { chat, chatHelp } from './commands/chat.ts'
import { decode, decodeHelp } from './commands/decode.ts'
import { lint, lintHelp } from './commands/lint.ts'
import { mock, mockHelp } from './commands/mock.ts'
import { record, recordHelp } from './commands/record.ts'
import { CLIError } from './errors.ts'
import type { Output } from './output.ts'

/** A subcommand: its help text and what it does with its arguments (resolving to the exit status). Internal. */
export interface Command {
  summary: string
  help: string
  run(args: string[], output: Output, env: NodeJS.ProcessEnv): Promise<number>
}

/** The subcommands, by name. Internal. */
export const commands: Record<string, Command> = {
  chat: {
    summary: 'stream a chat answer from any OpenAI-compatible API, with a summary line',
    help: chatHelp,
    run: chat,
  },
  decode: {
    summary: 'decode a captured SSE stream: text, events, chunks or the final completion',
    help: decodeHelp,
    run: decode,
  },
  lint: {
    summary: 'check a captured SSE stream and report every problem with its line and byte offset',
    help: lintHelp,
    run: lint,
  },
  mock: { summary: 'run an OpenAI-compatible mock server on 127.0.0.1', help: mockHelp, run: mock },
  record: { summary: 'save a real streamed answer with its timing, for replay', help: recordHelp, run: record },
}

/** The version `sluice --version` prints. Internal. */
export const VERSION = '0.0.0'

export function mainHelp(): string {
  const width = Math.max(...Object.keys(commands).map((name) => name.length))
  return `sluice ${VERSION}: streaming chat completions, decoded to the letter of the SSE rules

Usage: sluice <command> [options]

Commands:
${Object.entries(commands)
  .map(([name, command]) => `  ${name.padEnd(width)}  ${command.summary}`)
  .join('\n')}

Run sluice <command> --help for a command's options. --debug prints stack traces.
Colour only on a terminal; NO_COLOR turns it off.
`
}

/**
 * Runs the `sluice` command line `argv` (without the node and script paths) and resolves
 * to the exit status. Errors are one line on stderr (`sluice: …`), with the stack trace
 * only under `--debug`.
 *
 * @example The command in a script of your own
 * ```ts
 * import { main } from '@sluice/cli'
 *
 * const output = {
 *   out: (text: string) => void process.stdout.write(text),
 *   err: (text: string) => void process.stderr.write(text),
 *   outStyle: { bold: String, dim: String, red: String, yellow: String, green: String, cyan: String },
 *   errStyle: { bold: String, dim: String, red: String, yellow: String, green: String, cyan: String },
 * }
 * process.exitCode = await main(['decode', '--final', 'capture.sse'], output, process.env)
 * ```
 */
export async function main(argv: string[], output: Output, env: NodeJS.ProcessEnv): Promise<number> {
  const debug = argv.includes('--debug')
  const args = argv.filter((arg) => arg !== '--debug')
  const [name, ...rest] = args
  try {
    if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
      output.out(mainHelp())
      return name === undefined ? 2 : 0
    }
    if (name === '--version' || name === '-v') {
      output.out(`${VERSION}\n`)
      return 0
    }
    const command = commands[name]
    if (!command)
      throw new CLIError(
        `unknown command ${JSON.stringify(name)}: the commands are ${Object.keys(commands).join(', ')} (see: sluice --help)`,
      )
    return await command.run(rest, output, env)
  } catch (error) {
    output.err(`${output.errStyle.red('sluice:')} ${oneLine(error)}\n`)
    if (debug && error instanceof Error && error.stack) output.err(`${error.stack}\n`)
    return error instanceof CLIError ? error.exitCode : 1
  }
}

/** An error as one line: its message, and its cause's when that says more (a network error's code). */
function oneLine(error: unknown): string {
  if (!(error instanceof Error)) return String(error)
  if (error instanceof CLIError) return error.message // written to be read as is
  const cause = error.cause instanceof Error ? error.cause : undefined
  const detail = cause && !error.message.includes(cause.message) ? `: ${cause.message}` : ''
  return `${error.message}${detail}`.replace(/\s*\n\s*/g, ' ')
}
