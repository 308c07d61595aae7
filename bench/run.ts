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
 *
 * `--runtime <name>` (node, deno, bun, workerd, chromium, firefox or webkit; several with
 * commas, run one after the other) runs the chain benchmark in that runtime instead, from
 * one bundle, and prints its table (runtimes/runtime-bench.ts); `--quick` works with it.
 */
import { readdirSync, writeFileSync } from 'node:fs'
import { chainChart } from './chart.ts'
import { runGroups, runCounts, type BenchGroup, type RunLimits } from './harness.ts'
import { QUICK } from './inputs.ts'
import { benchRuntime } from './runtimes/runtime-bench.ts'

const COMMAND = 'pnpm bench'
const QUICK_LIMITS: RunLimits = { warmup: 1, runs: 3 }

const args = process.argv.slice(2)
/** `--runtime deno` or `--runtime=deno`. */
const runtimeAt = args.findIndex((arg) => arg === '--runtime' || arg.startsWith('--runtime='))
const runtimeArg = runtimeAt === -1 ? undefined : (args[runtimeAt]!.split('=')[1] ?? args[runtimeAt + 1])
const filter = args.find((arg, index) => !arg.startsWith('--') && (runtimeAt === -1 || index !== runtimeAt + 1)) ?? ''

if (runtimeArg !== undefined) {
  if (runtimeArg === '' || runtimeArg.startsWith('--'))
    throw new Error('--runtime needs a name: node, deno, bun, workerd, chromium, firefox or webkit')
  if (filter !== '') throw new Error(`--runtime runs the chain benchmark only: drop ${JSON.stringify(filter)}`)
  for (const runtime of runtimeArg.split(',')) await benchRuntime(runtime, { quick: QUICK })
} else {
  await runFiles()
}

/** `pnpm bench [filter]`: every matching *.bench.ts in this Node process. */
async function runFiles(): Promise<void> {
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
}
