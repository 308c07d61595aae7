/**
 * Runs every `*.bench.ts` file of this folder in one process and prints one markdown
 * table. Run it with `pnpm bench` from the repository root (it builds the packages
 * first: the benchmarks import the built `dist`, which is what users get).
 *
 * Each `*.bench.ts` file exports `groups: BenchGroup[]`. An argument keeps only the
 * files whose name contains it: `pnpm bench lines`. `--quick` runs every row on smaller
 * inputs (see `QUICK` in inputs.ts) with at most 1 warm-up and 3 timed runs: a check
 * that everything runs, in well under a minute, not a measurement.
 *
 * A full run of every file (no filter, no `--quick`) also writes what it measured to
 * docs/benchmarks.json, and the chart of the chain benchmark to docs/benchmarks.svg.
 */
import { readdirSync, writeFileSync } from 'node:fs'
import { chainChart } from './chart.ts'
import { runGroups, runCounts, type BenchGroup, type RunLimits } from './harness.ts'
import { QUICK } from './inputs.ts'

const COMMAND = 'pnpm bench'
const QUICK_LIMITS: RunLimits = { warmup: 1, runs: 3 }

const filter = process.argv.slice(2).find((arg) => !arg.startsWith('--')) ?? ''
const directory = new URL('./', import.meta.url)
const files = readdirSync(directory)
  .filter((file) => file.endsWith('.bench.ts') && file.includes(filter))
  .sort()
if (files.length === 0) throw new Error(`no *.bench.ts file matches ${JSON.stringify(filter)}`)

const groups: BenchGroup[] = []
for (const file of files) {
  const module = (await import(new URL(file, directory).href)) as { groups?: BenchGroup[] }
  if (!Array.isArray(module.groups)) throw new Error(`${file} does not export groups: BenchGroup[]`)
  groups.push(...module.groups)
}

const started = performance.now()
const command = [COMMAND, filter, QUICK ? '--quick' : ''].filter((part) => part !== '').join(' ')
const limits = QUICK ? QUICK_LIMITS : {}
const { results, machine } = await runGroups(groups, command, limits)
const seconds = (performance.now() - started) / 1000
process.stderr.write(`done in ${seconds.toFixed(1)} s\n`)

if (filter === '' && !QUICK) {
  const docs = new URL('../docs/', import.meta.url)
  const measured = {
    command,
    machine,
    seconds: Math.round(seconds),
    groups: groups.map((group) => ({
      name: group.name,
      input: group.input,
      ...(group.bytes === undefined ? { items: group.items } : { bytes: group.bytes }),
      ...(group.produces ? { produces: group.produces } : {}),
      ...(group.series ? { series: group.series } : {}),
      ...runCounts(group, limits),
    })),
    results,
  }
  writeFileSync(new URL('benchmarks.json', docs), `${JSON.stringify(measured, null, 2)}\n`)
  writeFileSync(new URL('benchmarks.svg', docs), chainChart(groups, results, machine))
  process.stderr.write('wrote docs/benchmarks.json and docs/benchmarks.svg\n')
}
