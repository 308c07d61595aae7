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
 *    first case of the group.
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

/** One input, processed by several cases. */
export interface BenchGroup {
  /** Short label shown in the table, e.g. `lines, 16 KiB reads`. */
  name: string
  /** What the input is and how it is chunked, printed under the table. */
  input: string
  /** Input bytes processed by one run of any case: the numerator of the throughput. */
  bytes: number
  /** The cases; the first is the reference the ratios are computed against (the sluice row). */
  cases: BenchCase[]
  /** The summary every case must resolve with. Without it, every case must agree with the first. */
  expected?: unknown
  /** Untimed runs of each case before timing. @default 5 */
  warmup?: number
  /** Timed runs of each case; the median is reported. @default 15 */
  runs?: number
}

/** One row of the results table. */
export interface BenchResult {
  group: string
  case: string
  /** Median throughput in MB/s (10⁶ bytes per second). */
  median: number
  min: number
  max: number
  /** `median` divided by the median of the group's first case: above 1 is faster than it. */
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
  log(`checked   ${group.name}: ${group.cases.length} cases agree on ${preview(expected)}`)
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
  for (let i = 0; i < warmup; i++) {
    for (const benchCase of group.cases) await benchCase.run()
  }
  const seconds: number[][] = group.cases.map(() => [])
  for (let i = 0; i < runs; i++) {
    for (const [k, benchCase] of group.cases.entries()) {
      const start = performance.now()
      await benchCase.run()
      seconds[k]!.push((performance.now() - start) / 1000)
    }
  }
  const rows = group.cases.map((benchCase, k): BenchResult => {
    const throughputs = seconds[k]!.map((s) => group.bytes / s / MB)
    return {
      group: group.name,
      case: benchCase.name,
      median: median(throughputs),
      min: Math.min(...throughputs),
      max: Math.max(...throughputs),
      ratio: 0,
    }
  })
  const reference = rows[0]!.median
  for (const row of rows) row.ratio = row.median / reference
  for (const row of rows) log(`measured  ${row.group} › ${row.case}: ${formatMBps(row.median)} MB/s`)
  return rows
}

/**
 * The markdown report: machine header, one table for all groups, then inputs and notes.
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
    '',
    '| Group | Case | MB/s (median) | vs sluice | min–max MB/s |',
    '| --- | --- | ---: | ---: | ---: |',
  ]
  let previousGroup = ''
  for (const row of results) {
    const group = row.group === previousGroup ? '' : row.group
    previousGroup = row.group
    const range = `${formatMBps(row.min)}–${formatMBps(row.max)}`
    out.push(`| ${group} | ${row.case} | ${formatMBps(row.median)} | ${row.ratio.toFixed(2)}× | ${range} |`)
  }
  out.push('', 'MB/s is 10⁶ input bytes per second. "vs sluice" is the row\'s median divided by the')
  out.push('median of the first row of its group: above 1.00× is faster than that row.', '')
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

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = sorted.length >> 1
  if (sorted.length % 2 === 1) return sorted[middle]!
  return (sorted[middle - 1]! + sorted[middle]!) / 2
}

function formatMBps(value: number): string {
  if (value >= 100) return value.toFixed(0)
  if (value >= 10) return value.toFixed(1)
  return value.toFixed(2)
}

function log(message: string): void {
  process.stderr.write(`${message}\n`)
}

