/**
 * The benchmark harness of `pnpm bench`, in Node: harness-core.ts checks, warms up and
 * times every group (its comment says how), with elapsed time on the clock and
 * `isDeepStrictEqual` to compare the summaries; this module adds what only Node has: the
 * machine's description (CPU model, cores, load average), the markdown report on stdout,
 * progress on stderr. Every case of every group runs in one process, so rows are
 * comparable: same machine state, same runtime, same input.
 */
import { cpus, loadavg } from 'node:os'
import { isDeepStrictEqual } from 'node:util'
import {
  type BenchCase,
  type BenchGroup,
  type BenchResult,
  formatValue,
  type HarnessOptions,
  measure,
  type RunLimits,
  runCounts,
  verify,
  wallClock,
} from './harness-core.ts'

export * from './harness-core.ts'

/** How `pnpm bench` runs the core: elapsed time, Node's deep equality, progress on stderr. */
export const NODE_HARNESS: HarnessOptions = { clock: wallClock, equal: isDeepStrictEqual, log }

/**
 * Checks every group, then times every group, then prints the report to stdout.
 * Progress goes to stderr so stdout is only the report.
 */
export async function runGroups(
  groups: readonly BenchGroup[],
  command: string,
  limits: RunLimits = {},
): Promise<{ results: BenchResult[]; machine: Machine }> {
  const loadAtStart = loadavg()[0] ?? 0
  for (const group of groups) await verify(group, NODE_HARNESS)
  const results: BenchResult[] = []
  for (const group of groups) results.push(...(await measure(group, limits, NODE_HARNESS)))
  const machine = describeMachine(loadAtStart)
  process.stdout.write(report(groups, results, command, machine, limits))
  return { results, machine }
}

/** Where and when the numbers were measured. */
export interface Machine {
  cpu: string
  cores: number
  node: string
  platform: string
  date: string
  /** 1-minute load average at the start and the end of the run. */
  load: { start: number; end: number }
}

/** The machine and this Node process; `loadAtStart`: the 1-minute load average when the run began. */
export function describeMachine(loadAtStart: number): Machine {
  const cpu = cpus()
  return {
    cpu: cpu[0]?.model ?? 'unknown',
    cores: cpu.length,
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    date: new Date().toISOString(),
    load: { start: loadAtStart, end: loadavg()[0] ?? 0 },
  }
}

/**
 * The markdown report: machine header, the tables, then inputs and notes. Groups laid out
 * alike (same unit, same ratio columns, same extra columns) share a table: MB/s first, then
 * µs/chunk and the like; then one table per series.
 * The load average is there because other work on the machine widens the min–max
 * range and lowers every row. The benchmark itself keeps one core busy, so a load
 * well above 1 at the end means it shared the machine: not a run to quote.
 */
export function report(
  groups: readonly BenchGroup[],
  results: readonly BenchResult[],
  command: string,
  machine: Machine,
  limits: RunLimits = {},
): string {
  const out: string[] = [
    `CPU: ${machine.cpu} (${machine.cores} logical cores)`,
    `Node: ${machine.node} (${machine.platform})`,
    `Date: ${machine.date}`,
    `Load average (1 min): ${machine.load.start.toFixed(2)} at start, ${machine.load.end.toFixed(2)} at end`,
    `Command: \`${command}\``,
  ]
  const layouts = new Map<string, { layout: Layout; rows: BenchResult[] }>()
  for (const row of results) {
    const group = groups.find((candidate) => candidate.name === row.group)!
    const layout = layoutOf(group, row)
    const key = JSON.stringify(layout)
    if (!layouts.has(key)) layouts.set(key, { layout, rows: [] })
    layouts.get(key)!.rows.push(row)
  }
  // MB/s first, as before there were other units, then µs/chunk and the like.
  const tables = [...layouts.values()].sort(
    (a, b) => Number(b.layout.unit === 'MB/s') - Number(a.layout.unit === 'MB/s'),
  )
  for (const { layout, rows } of tables) out.push('', ...table(layout, rows))
  out.push(...seriesTables(groups, results))
  out.push('')
  const units = new Set(results.map((row) => row.unit))
  const referenced = groups.some((group) => group.references !== undefined)
  if (units.has('MB/s')) {
    out.push('MB/s is 10⁶ input bytes per second. "vs sluice" is the row\'s median divided by the')
    out.push('median of the first row of its group: above 1.00× is faster than that row.')
    if (referenced) out.push('"vs X" is the row\'s median divided by the median of the row X of its group.')
    out.push('')
  }
  if ([...units].some((unit) => unit !== 'MB/s')) {
    out.push('µs/item is the time of a run divided by the items it processed. "vs sluice" is the median')
    out.push("of the first row of its group divided by the row's median: above 1.00× is faster than that row.", '')
  }
  out.push('Inputs:', '')
  for (const group of groups) {
    const plural = (count: number, noun: string) => `${count} ${noun}${count === 1 ? '' : 's'}`
    const counts = (benchCase?: BenchCase) => {
      const { warmup, runs } = runCounts(group, limits, benchCase)
      return `${plural(warmup, 'warm-up run')}, median of ${plural(runs, 'timed run')}`
    }
    // The cases with fewer runs than their group's (their `limits`), by their counts.
    const fewer = new Map<string, string[]>()
    for (const benchCase of group.cases) {
      if (counts(benchCase) !== counts())
        fewer.set(counts(benchCase), [...(fewer.get(counts(benchCase)) ?? []), benchCase.name])
    }
    const except = [...fewer]
      .map(([few, names]) => `; ${few} for ${names.map((name) => `"${name}"`).join(', ')}`)
      .join('')
    out.push(`- ${group.name}: ${group.input} (${counts()} per case${except})`)
  }
  // Each note once, under the case name. Cases of different files may share a name
  // (`hand-written loop`) but not a note: such a note also says whose it is, by the part
  // of the group name before the comma (`openai` of `openai, 16 KiB reads`).
  const notes: { name: string; note: string; owner: string }[] = []
  for (const group of groups) {
    for (const { name, note } of group.cases) {
      if (note === undefined || notes.some((other) => other.name === name && other.note === note)) continue
      notes.push({ name, note, owner: group.name.split(',')[0]! })
    }
  }
  if (notes.length > 0) out.push('', 'Notes:', '')
  for (const { name, note, owner } of notes) {
    const shared = notes.some((other) => other.name === name && other.note !== note)
    out.push(`- ${name}${shared ? ` (${owner} groups)` : ''}: ${note}`)
  }
  return out.join('\n') + '\n'
}

/** The columns of a table: rows of groups with the same layout share one. */
interface Layout {
  unit: string
  ratios: string[]
  produces?: string
  gauge?: string
}

function layoutOf(group: BenchGroup, row: BenchResult): Layout {
  const layout: Layout = { unit: row.unit, ratios: row.ratios.map(({ label }) => label) }
  if (group.produces) layout.produces = group.produces.unit
  if (group.gauge) layout.gauge = `${group.gauge.name} (${group.gauge.unit})`
  return layout
}

function table(layout: Layout, rows: readonly BenchResult[]): string[] {
  const { unit } = layout
  const headings = [
    'Group',
    'Case',
    `${unit} (median)`,
    ...(layout.produces === undefined ? [] : [`k ${layout.produces}s/s`]),
    ...layout.ratios.map((label) => `vs ${label}`),
    `min–max ${unit}`,
    ...(layout.gauge === undefined ? [] : [layout.gauge]),
  ]
  const out = [`| ${headings.join(' | ')} |`, `| --- | --- |${' ---: |'.repeat(headings.length - 2)}`]
  let previousGroup = ''
  for (const row of rows) {
    const group = row.group === previousGroup ? '' : row.group
    previousGroup = row.group
    const cells = [
      group,
      row.case,
      formatValue(row.median),
      ...(row.itemsPerSecond === undefined ? [] : [formatValue(row.itemsPerSecond / 1000)]),
      ...row.ratios.map(({ value }) => `${value.toFixed(2)}×`),
      `${formatValue(row.min)}–${formatValue(row.max)}`,
      ...(row.gauge === undefined ? [] : [formatValue(row.gauge)]),
    ]
    out.push(`| ${cells.join(' | ')} |`)
  }
  return out
}

/**
 * For each series, a table of each case's median at each length, and the ratio of its
 * cost at the longest input to its cost at the shortest (time per item, or per byte: the
 * inverse of the throughput); and the same for the gauge, if the series has one.
 */
function seriesTables(groups: readonly BenchGroup[], results: readonly BenchResult[]): string[] {
  const out: string[] = []
  const names = [...new Set(groups.flatMap((group) => (group.series === undefined ? [] : [group.series.name])))]
  for (const name of names) {
    const members = groups.filter((group) => group.series?.name === name)
    const first = members[0]!
    const lengths = members.map((group) => group.series!.length)
    const at = (group: BenchGroup, caseName: string) =>
      results.find((row) => row.group === group.name && row.case === caseName)
    const unit = at(first, first.cases[0]!.name)?.unit ?? ''
    const growth =
      unit === 'MB/s' ? `time per byte, ${lengths.at(-1)} ÷ ${lengths[0]}` : `${lengths.at(-1)} ÷ ${lengths[0]}`
    const seriesTable = (
      title: string,
      heading: string,
      value: (row: BenchResult) => number | undefined,
      cost: (a: number, b: number) => number,
    ) => {
      out.push('', title, '')
      out.push(`| Case | ${lengths.join(' | ')} | ${heading} |`)
      out.push(`| --- |${' ---: |'.repeat(lengths.length + 1)}`)
      for (const { name: caseName } of first.cases) {
        const values = members.map((group) => {
          const row = at(group, caseName)
          return row === undefined ? undefined : value(row)
        })
        const shortest = values[0]
        const longest = values.at(-1)
        const ratio = shortest === undefined || longest === undefined ? '–' : `${cost(shortest, longest).toFixed(2)}×`
        out.push(
          `| ${caseName} | ${values.map((v) => (v === undefined ? '–' : formatValue(v))).join(' | ')} | ${ratio} |`,
        )
      }
    }
    // A throughput falls as the cost per byte grows: its ratio is the shortest's over the longest's.
    seriesTable(
      `${name}: ${unit} (median) by input length`,
      growth,
      (row) => row.median,
      (a, b) => (unit === 'MB/s' ? a / b : b / a),
    )
    if (first.gauge) {
      const gauge = `${first.gauge.name} (${first.gauge.unit})`
      seriesTable(
        `${name}: ${gauge} by input length`,
        `${lengths.at(-1)} ÷ ${lengths[0]}`,
        (row) => row.gauge,
        (a, b) => b / a,
      )
    }
  }
  return out
}

function log(message: string): void {
  process.stderr.write(`${message}\n`)
}
