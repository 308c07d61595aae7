// Counting and printing. Every runtime gets a subtotal line; the very last line of the
// run is the grand total `N passed, N failed, N skipped`, which CI reads.

/** @typedef {{ passed: number, failed: number, skipped: number, errors: string, warnings?: number }} FileResult */

// uvu colours its failure reports when it thinks it writes to a terminal.
const ANSI = /\u001b\[[0-9;]*m/g

export class Tally {
  passed = 0
  failed = 0
  skipped = 0

  /** @param {Pick<FileResult, 'passed' | 'failed' | 'skipped'>} result */
  add(result) {
    this.passed += result.passed
    this.failed += result.failed
    this.skipped += result.skipped
  }

  toString() {
    return `${this.passed} passed, ${this.failed} failed, ${this.skipped} skipped`
  }
}

/**
 * One line per file, with the failure report indented under it.
 * @param {string} runtime
 * @param {string} name
 * @param {FileResult} result
 */
export function fileLine(runtime, name, result) {
  const mark = result.failed > 0 ? '✗' : '✓'
  const counts = `${result.passed} passed${result.failed ? `, ${result.failed} failed` : ''}${result.skipped ? `, ${result.skipped} skipped` : ''}`
  let line = `  ${mark} ${runtime.padEnd(8)} ${name}  ${counts}`
  if (result.warnings)
    line += `  (${result.warnings} unhandled rejections from errored streams, not counted: see run-workerd.mjs)`
  if (result.failed > 0 && result.errors) {
    line +=
      '\n' +
      result.errors
        .replace(ANSI, '')
        .trim()
        .split('\n')
        .map((text) => `      ${text}`)
        .join('\n')
  }
  return line
}
