/**
 * Where the command writes: stdout for results, stderr for progress and diagnostics, with
 * colour only on a terminal and never when `NO_COLOR` is set (https://no-color.org).
 */
export interface Output {
  out(text: string): void
  err(text: string): void
  /** Styles for what goes to stdout: identity functions when colour is off there. */
  outStyle: Style
  /** Styles for what goes to stderr. */
  errStyle: Style
}

export interface Style {
  bold(text: string): string
  dim(text: string): string
  red(text: string): string
  yellow(text: string): string
  green(text: string): string
  cyan(text: string): string
}

const plain: Style = { bold: (t) => t, dim: (t) => t, red: (t) => t, yellow: (t) => t, green: (t) => t, cyan: (t) => t }

const ansi = (open: number, close: number) => (text: string) => `\u001b[${open}m${text}\u001b[${close}m`
const coloured: Style = { bold: ansi(1, 22), dim: ansi(2, 22), red: ansi(31, 39), yellow: ansi(33, 39), green: ansi(32, 39), cyan: ansi(36, 39) }

/** Whether to colour `stream`: a TTY, `NO_COLOR` unset (any value, even empty, turns colour off), `FORCE_COLOR` aside. */
export function wantsColour(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv): boolean {
  if (env['NO_COLOR'] !== undefined) return false
  if (env['FORCE_COLOR'] !== undefined && env['FORCE_COLOR'] !== '0') return true
  return stream.isTTY === true
}

/** The process's stdout and stderr. */
export function processOutput(env: NodeJS.ProcessEnv = process.env): Output {
  return {
    out: (text) => void process.stdout.write(text),
    err: (text) => void process.stderr.write(text),
    outStyle: wantsColour(process.stdout, env) ? coloured : plain,
    errStyle: wantsColour(process.stderr, env) ? coloured : plain,
  }
}

export { plain as plainStyle }
