import { UsageError } from '../errors.ts'
import { parseOrUsage } from '../request.ts'
import { openInput, readAll } from '../input.ts'
import { formatReport, reportJSON } from '../lint/format.ts'
import { lintStream } from '../lint/lint-stream.ts'
import type { Output } from '../output.ts'

export const lintHelp = `sluice lint [FILE|-] [--json]

Checks a captured SSE chat stream (a file, or stdin) and reports each problem with its
line and byte offset: mixed or lone-CR line terminators, invalid UTF-8, fields the SSE
rules ignore, events that are not JSON, provider error events, no [DONE], a cut-off
stream (choices without finish_reason), a last event never dispatched, tool calls with
incomplete arguments, and every quirk sluice would repair.

Exit status: 0 when clean, 1 when there is a problem, 2 on a usage or input error.

Options:
  --json     one JSON document: { file, clean, problems, outcome, lines, bytes }
  -h, --help this help
`

/** `sluice lint`: 0 when the stream is clean, 1 otherwise. */
export async function lint(args: string[], output: Output): Promise<number> {
  const { values, positionals } = parseOrUsage(args, { json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } }, 'lint')
  if (values.help) {
    output.out(lintHelp)
    return 0
  }
  if (positionals.length > 1) throw new UsageError(`lint takes one file, got ${positionals.length}`, 'lint')
  const input = openInput(positionals[0])
  const report = lintStream(await readAll(input.stream))
  output.out(values.json ? reportJSON(input.name, report) : formatReport(input.name, report, output.outStyle))
  return report.problems.length === 0 ? 0 : 1
}
