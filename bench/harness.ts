/**
 * A small benchmark harness. Every case of every group runs in one process, so rows
 * are comparable: same machine state, same runtime, same input.
 *
 * A group is one input read one way (say 4 MiB in 16 KiB reads); its cases are the
 * ways of processing it, sluice first. For each group the harness:
 *
 * 1. runs every case once and checks that all of them computed the same result (the
 *    case's or the group's `expected` value, or else the first case's), before any
 *    timing: a case that computes the wrong thing fast is not a win. Each warm-up and
 *    timed run is checked again, after its clock stops (so a group too costly to run once
 *    more can skip the first check: `checkBeforeTiming: false`);
 * 2. runs every case `warmup` times, so the JIT has compiled the hot paths;
 * 3. runs every case `runs` times, round-robin (A B C A B C …), so slow drift of the
 *    machine (frequency, other load) spreads over all cases and each case runs amid
 *    the others' garbage, as code in a server does;
 * 4. reports the median throughput (input bytes / seconds) and its ratio to the
 *    first case of the group, or to the cases the group names as its references. A
 *    group that counts its input in items (chunks, say) instead of bytes gets the median
 *    time per item instead, in a table of its own; and groups of one series (the same
 *    cases on inputs of growing length) get a table of how that cost grows from the
 *    shortest input to the longest.
 *
 * There is deliberately no forced `gc()` between runs: a forced full collection also
 * shrinks V8's young generation, so the next run pays for growing it back. Tried in
 * the first version of this harness, it made the streaming cases 2 to 3.5 times slower
 * and their spread between runs several times wider: a cost no real stream pays.
 */
import { cpus, loadavg } from 'node:os'
import { isDeepStrictEqual } from 'node:util'

/** One way of processing a group's input. */
export interface BenchCase {
  /** Row label, e.g. `sluice LineSplitterStream`. */
  name: string
  /**
   * Processes the group's whole input once, to the end, and resolves with a summary of
   * the output (say `{ lines, characters }`). The summaries of all cases are compared
   * before timing.
   */
  run: () => Promise<unknown>
  /** A caveat printed under the table, e.g. which inputs the case gets wrong. */
  note?: string
  /**
   * The summary this case must resolve with, when it is not the group's: a case that
   * assembles the completion, in a group whose other cases count chunks.
   */
  expected?: unknown
}

/** One input, processed by several cases: its size is either `bytes` or `items`. */
export type BenchGroup = BenchGroupFields &
  (
    | {
        /** Input bytes processed by one run of any case: the numerator of the throughput. */
        bytes: number
        items?: never
      }
    | {
        /** Input items processed by one run of any case: the table gives the time per item. */
        items: ItemCount
        bytes?: never
      }
  )

/** The size of a group's input in items, for work whose cost is per item, not per byte. */
export interface ItemCount {
  /** Items processed by one run of any case: the denominator of the time per item. */
  count: number
  /** What an item is, singular: `chunk` makes the column `µs/chunk`. */
  unit: string
}

/** What every group has, whatever its size is counted in. */
export interface BenchGroupFields {
  /** Short label shown in the table, e.g. `lines, 16 KiB reads`. */
  name: string
  /** What the input is and how it is chunked, printed under the table. */
  input: string
  /** The cases; the first is the reference the ratios are computed against (the sluice row), unless `references` says otherwise. */
  cases: BenchCase[]
  /**
   * The cases each row is compared with, by name: a column `vs ${label}` each. Without
   * them, one column, `vs sluice`, against the first case.
   */
  references?: readonly { label: string; case: string }[]
  /**
   * What one run of a group of bytes produces, counted (`{ count: 38000, unit: 'chunk' }`):
   * the table gets a column of them per second, in thousands.
   */
  produces?: ItemCount
  /**
   * The groups of one series run the same cases on inputs that differ in one length, listed
   * shortest first; `length` names it as a column heading (`1000 chunks`). The report adds
   * a table of each case's cost (time per item, or per byte) at each length, and the ratio
   * of the longest's to the shortest's: 1.00 when the cost does not grow with the input.
   */
  series?: { name: string; length: string }
  /** A quantity measured on each run besides its time, such as the peak memory use. */
  gauge?: Gauge
  /** The summary every case must resolve with. Without it, every case must agree with the first. */
  expected?: unknown
  /**
   * Whether each case runs once, and is checked, before any group is timed. `false` for an
   * input too costly to process once more (hundreds of MB): its timed runs are checked all
   * the same, so a wrong result still stops the benchmark before any number is reported.
   * @default true
   */
  checkBeforeTiming?: boolean
  /** Untimed runs of each case before timing. @default 5 */
  warmup?: number
  /** Timed runs of each case; the median is reported. @default 15 */
  runs?: number
  /**
   * Builds what the cases read, before the group's first run; `tearDown` drops it after
   * its last. For a large input: kept from the start to the end of the process, it would
   * make every garbage collection of the other groups slower (the heap it leaves behind
   * is scanned by each full collection).
   */
  setUp?: () => void
  /** Drops what `setUp` built. */
  tearDown?: () => void
}

/** A quantity a run makes besides its time: the highest value over the timed runs is reported. */
export interface Gauge {
  /** Column heading, e.g. `peak RSS`. */
  name: string
  /** e.g. `MB`. */
  unit: string
  /** Called just before each run. */
  reset: () => void
  /** Called just after each run: its value for that run. */
  read: () => number
}

/** Caps on the runs of every group, for a short run of every row (`--quick`). */
export interface RunLimits {
  warmup?: number
  runs?: number
}

/** One row of the results table. */
export interface BenchResult {
  group: string
  case: string
  /** `MB/s` (10⁶ bytes per second) for a group of `bytes`; `µs/chunk` and the like for a group of `items`. */
  unit: string
  /** The median run, in `unit`. */
  median: number
  /** The lowest and highest value of a run, in `unit`. */
  min: number
  max: number
  /** How much faster than the group's first case the median run is: above 1 is faster than it. */
  ratio: number
  /** The same against each of the group's `references`, or else against its first case (`sluice`). */
  ratios: { label: string; value: number }[]
  /** For a group that `produces` items: the median number of them per second. */
  itemsPerSecond?: number
  /** For a group with a `gauge`: its highest value over the timed runs. */
  gauge?: number
}

const DEFAULT_WARMUP = 5
const DEFAULT_RUNS = 15
const MB = 1e6

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
  for (const group of groups) await verify(group)
  const results: BenchResult[] = []
  for (const group of groups) results.push(...(await measure(group, limits)))
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

function describeMachine(loadAtStart: number): Machine {
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

/** Warm-up and timed runs of the group, within `limits`. */
export function runCounts(group: BenchGroup, limits: RunLimits = {}): { warmup: number; runs: number } {
  return {
    warmup: Math.min(group.warmup ?? DEFAULT_WARMUP, limits.warmup ?? Infinity),
    runs: Math.min(group.runs ?? DEFAULT_RUNS, limits.runs ?? Infinity),
  }
}

/** Runs each case once and throws unless all of them resolve with the same summary. */
export async function verify(group: BenchGroup): Promise<void> {
  const [reference] = group.cases
  if (reference === undefined) throw new Error(`${group.name}: a group needs at least one case`)
  if (group.checkBeforeTiming === false) return log(`unchecked ${group.name}: each of its timed runs will be`)
  const expected = await withInput(group, async () => {
    let expected = group.expected
    for (const benchCase of group.cases) {
      const actual = await benchCase.run()
      // Without an `expected`, the first case's result is the one the others must compute.
      if (benchCase === reference && !('expected' in group)) expected = actual
      check(group, benchCase, actual, expected)
    }
    return expected
  })
  log(`checked   ${group.name}: ${group.cases.length} cases agree on ${preview(expected)}`)
}

/** Throws unless `actual` is the summary the case must resolve with. */
function check(group: BenchGroup, benchCase: BenchCase, actual: unknown, groupExpected: unknown): void {
  const expected = 'expected' in benchCase ? benchCase.expected : groupExpected
  if (!isDeepStrictEqual(actual, expected)) {
    throw new Error(
      `${group.name} › ${benchCase.name} computed ${preview(actual)}, expected ${preview(expected)}: ` +
        'its timing would not be comparable',
    )
  }
}

/** Runs `work` between the group's `setUp` and `tearDown`. */
async function withInput<T>(group: BenchGroup, work: () => Promise<T>): Promise<T> {
  group.setUp?.()
  try {
    return await work()
  } finally {
    group.tearDown?.()
  }
}

/** A summary as JSON, with long strings cut short: a summary may hold a whole reply. */
function preview(summary: unknown): string {
  return JSON.stringify(summary, (_key, value: unknown) =>
    typeof value === 'string' && value.length > 80 ? `${value.slice(0, 60)}… (${value.length} characters)` : value,
  )
}

/** Warms up, then times each case of the group round-robin; see the module comment. */
export async function measure(group: BenchGroup, limits: RunLimits = {}): Promise<BenchResult[]> {
  const { warmup, runs } = runCounts(group, limits)
  const seconds: number[][] = group.cases.map(() => [])
  const gauges: number[][] = group.cases.map(() => [])
  await withInput(group, async () => {
    // Without an `expected`, the first case's first output is the one every run must compute.
    let expected = group.expected
    const checkRun = (benchCase: BenchCase, actual: unknown, first: boolean) => {
      if (first && benchCase === group.cases[0] && !('expected' in group)) expected = actual
      check(group, benchCase, actual, expected)
    }
    for (let i = 0; i < warmup; i++) {
      for (const benchCase of group.cases) checkRun(benchCase, await benchCase.run(), i === 0)
    }
    for (let i = 0; i < runs; i++) {
      for (const [k, benchCase] of group.cases.entries()) {
        group.gauge?.reset()
        const start = performance.now()
        const actual = await benchCase.run()
        seconds[k]!.push((performance.now() - start) / 1000)
        if (group.gauge) gauges[k]!.push(group.gauge.read())
        checkRun(benchCase, actual, warmup === 0 && i === 0)
      }
    }
  })
  const { unit, perRun } = rate(group)
  const rows = group.cases.map((benchCase, k): BenchResult => {
    const values = seconds[k]!.map(perRun)
    const row: BenchResult = {
      group: group.name,
      case: benchCase.name,
      unit,
      median: median(values),
      min: Math.min(...values),
      max: Math.max(...values),
      ratio: 0,
      ratios: [],
    }
    if (group.produces) row.itemsPerSecond = median(seconds[k]!.map((s) => group.produces!.count / s))
    if (group.gauge) row.gauge = Math.max(...gauges[k]!)
    return row
  })
  // A throughput is higher when faster, a time per item lower.
  const faster = (row: BenchResult, reference: BenchResult) =>
    group.items === undefined ? row.median / reference.median : reference.median / row.median
  const references = (group.references ?? [{ label: 'sluice', case: group.cases[0]!.name }]).map(
    ({ label, case: name }) => {
      const reference = rows.find((row) => row.case === name)
      if (reference === undefined) throw new Error(`${group.name}: no case ${JSON.stringify(name)} to compare with`)
      return { label, reference }
    },
  )
  for (const row of rows) {
    row.ratio = faster(row, rows[0]!)
    row.ratios = references.map(({ label, reference }) => ({ label, value: faster(row, reference) }))
  }
  for (const row of rows) log(`measured  ${row.group} › ${row.case}: ${formatValue(row.median)} ${unit}`)
  return rows
}

/** What the group's rows report, and how one run's seconds become it. */
function rate(group: BenchGroup): { unit: string; perRun: (seconds: number) => number } {
  if (group.items === undefined) return { unit: 'MB/s', perRun: (s) => group.bytes / s / MB }
  const { count } = group.items
  return { unit: `µs/${group.items.unit}`, perRun: (s) => (s * 1e6) / count }
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
    const { warmup, runs } = runCounts(group, limits)
    const plural = (count: number, noun: string) => `${count} ${noun}${count === 1 ? '' : 's'}`
    out.push(
      `- ${group.name}: ${group.input} (${plural(warmup, 'warm-up run')}, median of ${plural(runs, 'timed run')} per case)`,
    )
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

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = sorted.length >> 1
  if (sorted.length % 2 === 1) return sorted[middle]!
  return (sorted[middle - 1]! + sorted[middle]!) / 2
}

/** Three significant digits or so: `147`, `54.1`, `0.44`. */
function formatValue(value: number): string {
  if (value >= 100) return value.toFixed(0)
  if (value >= 10) return value.toFixed(1)
  return value.toFixed(2)
}

function log(message: string): void {
  process.stderr.write(`${message}\n`)
}
