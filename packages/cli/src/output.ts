/**
 * Where the command writes: stdout for results, stderr for progress and diagnostics, with
 * colour only on a terminal and never when `NO_COLOR` is set (https://no-color.org).
 *
 * @example Capture what a command prints
 * ```ts
 * import { main, type Output, type Style } from '@sluice/cli'
 *
 * const plain: Style = { bold: (t) => t, dim: (t) => t, red: (t) => t, yellow: (t) => t, green: (t) => t, cyan: (t) => t }
 * let printed = ''
 * const output: Output = { out: (text) => void (printed += text), err: (text) => void (printed += text), outStyle: plain, errStyle: plain }
 * const status = await main(['lint', 'capture.sse'], output, process.env)
 * ```
 */
export interface Output {
  /** Writes a result (stdout). */
  out(text: string): void
  /** Writes progress or a diagnostic (stderr). */
  err(text: string): void
  /** Styles for what goes to stdout: identity functions when colour is off there. */
  outStyle: Style
  /** Styles for what goes to stderr. */
  errStyle: Style
}

/**
 * Text styles: ANSI colours on a terminal, identity functions otherwise.
 *
 * @example No colour
 * ```ts
 * import type { Style } from '@sluice/cli'
 *
 * const plain: Style = { bold: (t) => t, dim: (t) => t, red: (t) => t, yellow: (t) => t, green: (t) => t, cyan: (t) => t }
 * ```
 */
export interface Style {
  /** Bold text. */
  bold(text: string): string
  /** Faint text (the summary lines). */
  dim(text: string): string
  /** Errors. */
  red(text: string): string
  /** Warnings. */
  yellow(text: string): string
  /** A clean result. */
  green(text: string): string
  /** Tool calls. */
  cyan(text: string): string
}

const plain: Style = { bold: (t) => t, dim: (t) => t, red: (t) => t, yellow: (t) => t, green: (t) => t, cyan: (t) => t }

const ansi = (open: number, close: number) => (text: string) => `\u001b[${open}m${text}\u001b[${close}m`
const coloured: Style = {
  bold: ansi(1, 22),
  dim: ansi(2, 22),
  red: ansi(31, 39),
  yellow: ansi(33, 39),
  green: ansi(32, 39),
  cyan: ansi(36, 39),
}

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
