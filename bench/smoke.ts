/**
 * The smoke test of the benchmarks: runs `run.ts --quick` in a process of its own and
 * checks that it exits cleanly and prints a row for every case of every group (a case
 * whose output is wrong stops the run, so a clean exit also means every output was
 * checked). It asserts nothing about speed: a quick run's numbers are not measurements.
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

const directory = new URL('./', import.meta.url)
const started = performance.now()
const { stdout } = await promisify(execFile)(
  process.execPath,
  [...process.execArgv, new URL('run.ts', directory).pathname, '--quick'],
  { maxBuffer: 64 << 20 },
)

const printed = printedRows(stdout)
let passed = 0
let failed = 0
for (const file of readdirSync(directory)
  .filter((name) => name.endsWith('.bench.ts'))
  .sort()) {
  const { groups } = (await import(new URL(file, directory).href)) as { groups: BenchGroup[] }
  for (const group of groups) {
    const missing = group.cases.filter((benchCase) => !printed.has(`${group.name} › ${benchCase.name}`))
    if (missing.length === 0) passed++
    else {
      failed++
      process.stdout.write(
        `FAIL ${file} › ${group.name}: no row for ${missing.map((benchCase) => benchCase.name).join(', ')}\n`,
      )
    }
  }
}
process.stdout.write(
  `bench smoke: every group of pnpm bench --quick printed its rows, in ${((performance.now() - started) / 1000).toFixed(1)} s\n`,
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
