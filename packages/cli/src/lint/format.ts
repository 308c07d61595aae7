import type { Style } from '../output.ts'
import type { LintReport } from './lint-stream.ts'

/** The report for people: one line per problem (`file:line (byte N)  severity  code  message`), then a summary. */
export function formatReport(file: string, report: LintReport, style: Style): string {
  const lines = report.problems.map((problem) => {
    const where = problem.line === null ? `${file}` : `${file}:${problem.line} (byte ${problem.byteOffset})`
    const severity = problem.severity === 'error' ? style.red('error  ') : style.yellow('warning')
    return `${where}  ${severity}  ${style.bold(problem.code)}  ${problem.message}`
  })
  const errors = report.problems.filter((problem) => problem.severity === 'error').length
  const warnings = report.problems.length - errors
  const outcome = `outcome: ${report.outcome.status}${report.outcome.sawDone ? ', [DONE]' : ', no [DONE]'}, ${report.outcome.counts.chunks} chunks in ${report.outcome.counts.events} events, ${report.lines} lines, ${report.bytes} bytes`
  const summary =
    report.problems.length === 0
      ? style.green(`${file}: clean`)
      : `${file}: ${report.problems.length} problem${report.problems.length === 1 ? '' : 's'} (${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'})`
  return [...lines, summary, style.dim(outcome)].join('\n') + '\n'
}

/** The report for machines: `{ file, clean, problems, outcome }` as one JSON document (the outcome's `error` as its message). */
export function reportJSON(file: string, report: LintReport): string {
  const { error, ...outcome } = report.outcome
  return `${JSON.stringify(
    {
      file,
      clean: report.problems.length === 0,
      problems: report.problems,
      outcome: {
        ...outcome,
        ...(error !== undefined && {
          error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
        }),
      },
      lines: report.lines,
      bytes: report.bytes,
    },
    null,
    2,
  )}\n`
}
