import { SluiceError } from '@sluice/compose'

/**
 * An error the `sluice` command reports as one line on stderr (no stack trace unless
 * `--debug`), with the exit code it ends with.
 */
export class CLIError extends SluiceError {
  readonly code: string
  readonly exitCode: number

  constructor(
    message: string,
    { code = 'SLUICE_CLI', exitCode = 2, cause }: { code?: string; exitCode?: number; cause?: unknown } = {},
  ) {
    super(message, cause === undefined ? undefined : { cause })
    this.name = 'CLIError'
    this.code = code
    this.exitCode = exitCode
  }
}

/** A bad flag, a missing argument, or a flag value that does not parse: exit code 2, with the command's usage hint. */
export class UsageError extends CLIError {
  constructor(message: string, command: string) {
    super(`${message} (see: sluice ${command} --help)`, { code: 'SLUICE_CLI_USAGE', exitCode: 2 })
    this.name = 'UsageError'
  }
}
