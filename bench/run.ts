/**
 * Runs every `*.bench.ts` file of this folder in one process and prints one markdown
 * table. Run it with `pnpm bench` from the repository root (it builds the packages
 * first: the benchmarks import the built `dist`, which is what users get).
 *
 * Each `*.bench.ts` file exports `groups: BenchGroup[]`. An argument keeps only the
 * files whose name contains it: `pnpm bench lines`.
 */
import { readdirSync } from 'node:fs'
import { runGroups, type BenchGroup } from './harness.ts'

const COMMAND = 'pnpm bench'

const filter = process.argv[2] ?? ''
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
await runGroups(groups, filter === '' ? COMMAND : `${COMMAND} ${filter}`)
process.stderr.write(`done in ${((performance.now() - started) / 1000).toFixed(1)} s\n`)
