/**
 * The smoke test of the benchmarks: runs `run.ts --quick` in a process of its own and
 * checks that it exits cleanly and prints a row for every case of every group (a case
 * whose output is wrong stops the run, so a clean exit also means every output was
 * checked). It asserts nothing about speed: a quick run's numbers are not measurements.
 *
 * Beside it, in a second process, `run.ts --runtime node,deno,bun,workerd --quick`: the
 * chain benchmark's bundle in each of those runtimes (about 8 s, while the first runs), each
 * of whose reports must have a row for every case of every chain group. The browsers are
 * left to `pnpm bench --runtime chromium|firefox|webkit`: they may need installing first.
 *
 * Run: `pnpm --filter @sluice/bench run smoke` (after `pnpm build`). Ends with
 * `N passed, N failed` and exits non-zero on a failure.
 */
import { execFile } from 'node:child_process'
import { readdirSync } from 'node:fs'
import { promisify } from 'node:util'
import type { BenchGroup } from './harness.ts'

// The bench files size their inputs at import: import them as the quick run does.
if (!process.argv.includes('--quick')) process.argv.push('--quick')

/** The runtimes whose `--runtime … --quick` run is part of the smoke test. */
const RUNTIMES = ['node', 'deno', 'bun', 'workerd']

const directory = new URL('./', import.meta.url)
const started = performance.now()
const run = (args: string[]) =>
  promisify(execFile)(process.execPath, [...process.execArgv, new URL('run.ts', directory).pathname, ...args], {
    maxBuffer: 64 << 20,
  })
const [{ stdout }, { stdout: runtimeStdout }] = await Promise.all([
  run(['--quick']),
  run(['--runtime', RUNTIMES.join(','), '--quick']),
])

let passed = 0
let failed = 0
/** Counts a group whose every case has a row in `printed`; reports the missing ones. */
const checkGroup = (where: string, group: BenchGroup, printed: Set<string>) => {
  const missing = group.cases.filter((benchCase) => !printed.has(`${group.name} › ${benchCase.name}`))
  if (missing.length === 0) passed++
  else {
    failed++
    process.stdout.write(`FAIL ${where} › ${group.name}: no row for ${missing.map(({ name }) => name).join(', ')}\n`)
  }
}

const printed = printedRows(stdout)
for (const file of readdirSync(directory)
  .filter((name) => name.endsWith('.bench.ts'))
  .sort()) {
  const { groups } = (await import(new URL(file, directory).href)) as { groups: BenchGroup[] }
  for (const group of groups) checkGroup(file, group, printed)
}

// One report per runtime, each beginning with its `Runtime:` line, in the order asked.
const reports = runtimeStdout.split(/^(?=Runtime: )/m).filter((report) => report.startsWith('Runtime: '))
if (reports.length !== RUNTIMES.length) {
  failed++
  process.stdout.write(`FAIL --runtime: ${reports.length} reports for ${RUNTIMES.length} runtimes\n`)
}
const { groups: chain } = (await import(new URL('chain.bench.ts', directory).href)) as { groups: BenchGroup[] }
for (const [index, report] of reports.entries()) {
  for (const group of chain) checkGroup(`--runtime ${RUNTIMES[index]}`, group, printedRows(report))
}

process.stdout.write(
  `bench smoke: every group of pnpm bench --quick, and of pnpm bench --runtime ${RUNTIMES.join(',')} --quick, ` +
    `printed its rows, in ${((performance.now() - started) / 1000).toFixed(1)} s\n`,
)
process.stdout.write(`${passed} passed, ${failed} failed\n`)
process.exitCode = failed > 0 ? 1 : 0

/** `group › case` of every row of the report's `| Group | Case | …` tables; a blank group cell repeats the one above. */
function printedRows(report: string): Set<string> {
  const rows = new Set<string>()
  let inTable = false
  let group = ''
  for (const line of report.split('\n')) {
    if (!line.startsWith('|')) {
      inTable = false
      continue
    }
    const cells = line.split(' | ').map((cell) => cell.replace(/^\| ?|\s*\|$/g, '').trim())
    if (cells[0] === 'Group' && cells[1] === 'Case') inTable = true
    else if (inTable && !cells[0]!.startsWith('---')) {
      if (cells[0] !== '') group = cells[0]!
      rows.add(`${group} › ${cells[1]}`)
    }
  }
  return rows
}
