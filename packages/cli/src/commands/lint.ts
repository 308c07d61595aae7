import { UsageError } from '../errors.ts'
import { parseOrUsage } from '../request.ts'
import { openInput, readAll } from '../input.ts'
import { formatReport, reportJSON } from '../lint/format.ts'
import { sniffFormat } from '@sluice/chat'
import { LINT_TRANSLATED } from '../lint/lint-translated.ts'
import { formatNote } from '../describe-outcome.ts'
import { lintStream } from '../lint/lint-stream.ts'
import type { Output } from '../output.ts'

export const lintHelp = `sluice lint [FILE|-] [--json] [--strict]

Checks a captured SSE chat stream (a file, or stdin; an Anthropic Messages, OpenAI
Responses or Gemini stream is read as chatStream() reads it, its repairs and its ending
checked; the format named on stderr) and reports each problem with its line and byte offset:
mixed or lone-CR line terminators, invalid UTF-8, fields the SSE rules ignore, events that
are not JSON, provider error events, no [DONE], a cut-off stream (choices without
finish_reason), a last event never dispatched, tool calls with incomplete arguments, and
every quirk sluice would repair.

Exit status: 0 when there is no error (warnings are printed), 1 when there is an error
(with --strict: any problem), 2 on a usage or input error.

Options:
  --json     one JSON document: { file, clean, problems, outcome, lines, bytes }
  --strict   exit 1 on warnings too
  -h, --help this help
`

/** `sluice lint`: 0 when no problem is an error (or, with `--strict`, when there is none), 1 otherwise. */
export async function lint(args: string[], output: Output): Promise<number> {
  const { values, positionals } = parseOrUsage(
    args,
    { json: { type: 'boolean' }, strict: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
    'lint',
  )
  if (values.help) {
    output.out(lintHelp)
    return 0
  }
  if (positionals.length > 1) throw new UsageError(`lint takes one file, got ${positionals.length}`, 'lint')
  const input = openInput(positionals[0])
  const bytes = await readAll(input.stream)
  const format = sniffFormat(new TextDecoder().decode(bytes.subarray(0, 65536)), true)
  output.err(formatNote(input.name, format))
  // Final: the format is always told.
  const translated = format === undefined || format === 'openai-chat' ? undefined : LINT_TRANSLATED[format]
  const report = translated ? await translated(bytes) : lintStream(bytes)
  output.out(values.json ? reportJSON(input.name, report) : formatReport(input.name, report, output.outStyle))
  const failing = values.strict ? report.problems : report.problems.filter((problem) => problem.severity === 'error')
  return failing.length === 0 ? 0 : 1
}
