/**
 * A small benchmark harness. Every case of every group runs in one process, so rows
 * are comparable: same machine state, same runtime, same input.
 *
 * A group is one input read one way (say 4 MiB in 16 KiB reads); its cases are the
 * ways of processing it, sluice first. For each group the harness:
 *
 * 1. runs every case once and checks that all of them computed the same result (the
 *    group's `expected` value, or else the first case's), before any timing: a case
 *    that computes the wrong thing fast is not a win;
 * 2. runs every case `warmup` times, so the JIT has compiled the hot paths;
 * 3. runs every case `runs` times, round-robin (A B C A B C …), so slow drift of the
 *    machine (frequency, other load) spreads over all cases and each case runs amid
 *    the others' garbage, as code in a server does;
 * 4. reports the median throughput (input bytes / seconds) and its ratio to the
 *    first case of the group. A group that counts its input in items (chunks, say)
 *    instead of bytes gets the median time per item instead, in a table of its own; and
 *    groups of one series (the same cases on inputs of growing length) get a table of
 *    how that time grows from the shortest input to the longest.
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
}

/** One input, processed by several cases: its size is either `bytes` or `items`. */
export type BenchGroup = BenchGroupFields & (
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
  /**
   * The groups of one series run the same cases on inputs that differ in one length, listed
   * shortest first; `length` names it as a column heading (`1000 chunks`). The report adds
   * a table of each case's time per item at each length, and the ratio of the longest to
   * the shortest: 1.00 when the cost per item does not grow with the input.
   */
  series?: { name: string; length: string }
}

/** What every group has, whatever its size is counted in. */
export interface BenchGroupFields {
  /** Short label shown in the table, e.g. `lines, 16 KiB reads`. */
  name: string
  /** What the input is and how it is chunked, printed under the table. */
  input: string
  /** The cases; the first is the reference the ratios are computed against (the sluice row). */
  cases: BenchCase[]
  /** The summary every case must resolve with. Without it, every case must agree with the first. */
  expected?: unknown
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
}

const DEFAULT_WARMUP = 5
const DEFAULT_RUNS = 15
const MB = 1e6

/**
 * Checks every group, then times every group, then prints the report to stdout.
 * Progress goes to stderr so stdout is only the report.
 */
export async function runGroups(groups: readonly BenchGroup[], command: string): Promise<BenchResult[]> {
  const loadAtStart = loadavg()[0] ?? 0
  for (const group of groups) await verify(group)
  const results: BenchResult[] = []
  for (const group of groups) results.push(...(await measure(group)))
  process.stdout.write(report(groups, results, command, loadAtStart))
  return results
}

/** Runs each case once and throws unless all of them resolve with the same summary. */
export async function verify(group: BenchGroup): Promise<void> {
  const [reference] = group.cases
  if (reference === undefined) throw new Error(`${group.name}: a group needs at least one case`)
  const expected = await withInput(group, async () => {
    const expected = 'expected' in group ? group.expected : await reference.run()
    for (const benchCase of group.cases) {
      const actual = await benchCase.run()
      if (!isDeepStrictEqual(actual, expected)) {
        throw new Error(
          `${group.name} › ${benchCase.name} computed ${preview(actual)}, expected ${preview(expected)}: ` +
            'its timing would not be comparable',
        )
      }
    }
    return expected
  })
  log(`checked   ${group.name}: ${group.cases.length} cases agree on ${preview(expected)}`)
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
export async function measure(group: BenchGroup): Promise<BenchResult[]> {
  const warmup = group.warmup ?? DEFAULT_WARMUP
  const runs = group.runs ?? DEFAULT_RUNS
  const seconds: number[][] = group.cases.map(() => [])
  await withInput(group, async () => {
    for (let i = 0; i < warmup; i++) {
      for (const benchCase of group.cases) await benchCase.run()
    }
    for (let i = 0; i < runs; i++) {
      for (const [k, benchCase] of group.cases.entries()) {
        const start = performance.now()
        await benchCase.run()
        seconds[k]!.push((performance.now() - start) / 1000)
      }
    }
  })
  const { unit, perRun } = rate(group)
  const rows = group.cases.map((benchCase, k): BenchResult => {
    const values = seconds[k]!.map(perRun)
    return {
      group: group.name,
      case: benchCase.name,
      unit,
      median: median(values),
      min: Math.min(...values),
      max: Math.max(...values),
      ratio: 0,
    }
  })
  const reference = rows[0]!.median
  // A throughput is higher when faster, a time per item lower.
  for (const row of rows) row.ratio = group.items === undefined ? row.median / reference : reference / row.median
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
 * The markdown report: machine header, one table per unit (MB/s, then µs/chunk and the
 * like), one table per series, then inputs and notes.
 * The load average is there because other work on the machine widens the min–max
 * range and lowers every row. The benchmark itself keeps one core busy, so a load
 * well above 1 at the end means it shared the machine: not a run to quote.
 */
export function report(
  groups: readonly BenchGroup[],
  results: readonly BenchResult[],
  command: string,
  loadAtStart: number,
): string {
  const cpu = cpus()
  const loadAtEnd = loadavg()[0] ?? 0
  const out: string[] = [
    `CPU: ${cpu[0]?.model ?? 'unknown'} (${cpu.length} logical cores)`,
    `Node: ${process.version} (${process.platform} ${process.arch})`,
    `Date: ${new Date().toISOString()}`,
    `Load average (1 min): ${loadAtStart.toFixed(2)} at start, ${loadAtEnd.toFixed(2)} at end`,
    `Command: \`${command}\``,
  ]
  // One table per unit: MB/s first, as before there were other units, then µs/chunk and the like.
  const units = [...new Set(results.map((row) => row.unit))].sort((a, b) => Number(b === 'MB/s') - Number(a === 'MB/s'))
  for (const unit of units) {
    out.push('', `| Group | Case | ${unit} (median) | vs sluice | min–max ${unit} |`, '| --- | --- | ---: | ---: | ---: |')
    let previousGroup = ''
    for (const row of results.filter((result) => result.unit === unit)) {
      const group = row.group === previousGroup ? '' : row.group
      previousGroup = row.group
      const range = `${formatValue(row.min)}–${formatValue(row.max)}`
      out.push(`| ${group} | ${row.case} | ${formatValue(row.median)} | ${row.ratio.toFixed(2)}× | ${range} |`)
    }
  }
  out.push(...seriesTables(groups, results))
  out.push('')
  if (units.includes('MB/s')) {
    out.push('MB/s is 10⁶ input bytes per second. "vs sluice" is the row\'s median divided by the')
    out.push('median of the first row of its group: above 1.00× is faster than that row.', '')
  }
  if (units.some((unit) => unit !== 'MB/s')) {
    out.push('µs/item is the time of a run divided by the items it processed. "vs sluice" is the median')
    out.push('of the first row of its group divided by the row\'s median: above 1.00× is faster than that row.', '')
  }
  out.push('Inputs:', '')
  for (const group of groups) {
    const warmup = group.warmup ?? DEFAULT_WARMUP
    const runs = group.runs ?? DEFAULT_RUNS
    out.push(`- ${group.name}: ${group.input} (${warmup} warm-up runs, median of ${runs} timed runs per case)`)
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

/**
 * For each series, a table of each case's median time per item at each length, and the
 * ratio of the longest input's to the shortest's.
 */
function seriesTables(groups: readonly BenchGroup[], results: readonly BenchResult[]): string[] {
  const out: string[] = []
  const names = [...new Set(groups.flatMap((group) => (group.items?.series === undefined ? [] : [group.items.series.name])))]
  for (const name of names) {
    const members = groups.filter((group) => group.items?.series?.name === name)
    const first = members[0]!
    const last = members[members.length - 1]!
    const unit = `µs/${first.items!.unit}`
    const lengths = members.map((group) => group.items!.series!.length)
    out.push('', `${name}: ${unit} (median) by input length`, '')
    out.push(`| Case | ${lengths.join(' | ')} | ${lengths[lengths.length - 1]} ÷ ${lengths[0]} |`)
    out.push(`| --- |${' ---: |'.repeat(lengths.length + 1)}`)
    for (const { name: caseName } of first.cases) {
      const at = (group: BenchGroup) => results.find((row) => row.group === group.name && row.case === caseName)?.median
      const cells = members.map((group) => {
        const value = at(group)
        return value === undefined ? '–' : formatValue(value)
      })
      const shortest = at(first)
      const longest = at(last)
      const growth = shortest === undefined || longest === undefined ? '–' : `${(longest / shortest).toFixed(2)}×`
      out.push(`| ${caseName} | ${cells.join(' | ')} | ${growth} |`)
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

