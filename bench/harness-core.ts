/**
 * The core of the benchmark harness, in Web APIs only, so that one bundle runs it in Node,
 * Deno, Bun, workerd and the browsers (`pnpm bench --runtime <name>`) as well as in
 * `pnpm bench`: the checks, the warm-up, the round-robin timing, the medians and the
 * ratios. What only Node has (the machine's CPU and load, `isDeepStrictEqual`, stdout,
 * files) is in harness.ts, which calls these functions with it.
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
 *    time per item instead; and groups of one series (the same cases on inputs of growing
 *    length) get a table of how that cost grows from the shortest input to the longest.
 *
 * The clock is the caller's: elapsed time by default, the process's CPU time where the
 * runtime reports it, or, for workerd (whose clocks stand still inside a request), the
 * workerd process's CPU time read from outside. A clock coarser than a run (workerd's is
 * read in 10 ms ticks), or runs so short that one garbage collection would be most of one,
 * get each timed sample made of a batch of runs of the same case, long enough to span many
 * steps of the clock (`minSampleMs`); the sample's time is divided by the runs in it.
 *
 * There is deliberately no forced `gc()` between runs: a forced full collection also
 * shrinks V8's young generation, so the next run pays for growing it back. Tried in
 * the first version of this harness, it made the streaming cases 2 to 3.5 times slower
 * and their spread between runs several times wider: a cost no real stream pays.
 */

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
  /**
   * Runs the case `times` times in one call and resolves with the summary every run agreed
   * on: for a case whose runs happen elsewhere (in workerd, a request per call), where one
   * call per run would add the call's own cost to every run. Without it, a batch of runs
   * calls `run` `times` times.
   */
  runBatch?: (times: number) => Promise<unknown>
  /**
   * At most this many warm-up and timed runs of this case, fewer than its group's: for a case
   * whose run takes seconds beside cases whose runs take milliseconds (a parser whose cost
   * grows with the square of its input, say), so that the others still get all their runs.
   * Its median is of fewer runs; the report says how many.
   */
  limits?: RunLimits
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
  setUp?: () => void | Promise<void>
  /** Drops what `setUp` built. */
  tearDown?: () => void | Promise<void>
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
  /** Runs in each timed sample, when one run was shorter than `minSampleMs`. */
  runsPerSample?: number
}

/** What the harness times runs with. */
export interface Clock {
  /** What it measures, for the report: the CPU time of a process, or elapsed (wall-clock) time. */
  kind: 'CPU' | 'wall'
  /** How it is read, for the report: `performance.now()`, `process.cpuUsage()`. */
  source: string
  /** The current reading, in milliseconds. */
  now: () => number
  /** The smallest change of a reading, in milliseconds, where known; else {@link clockStep} measures it. */
  step?: number
}

/** Elapsed time: `performance.now()`, in every runtime. */
export const wallClock: Clock = { kind: 'wall', source: 'performance.now()', now: () => performance.now() }

/**
 * The CPU time (user and system) of this process, where the runtime has `process.cpuUsage()`
 * (Node, Deno, Bun), in µs steps; `undefined` elsewhere (browsers, workerd).
 */
export function processCPUClock(): Clock | undefined {
  const cpuUsage = (globalThis as { process?: { cpuUsage?: () => { user: number; system: number } } }).process?.cpuUsage
  if (typeof cpuUsage !== 'function') return undefined
  return {
    kind: 'CPU',
    source: 'process.cpuUsage()',
    now: () => {
      const { user, system } = cpuUsage()
      return (user + system) / 1000
    },
  }
}

/**
 * The clock's step, in ms: its own `step`, or else the median of a few differences between
 * consecutive readings that differ (0.1 ms or 1 ms for `performance.now()` in a browser, a
 * few µs elsewhere).
 */
export function clockStep(clock: Clock): number {
  if (clock.step !== undefined) return clock.step
  const steps: number[] = []
  for (let i = 0; i < 5; i++) {
    const start = clock.now()
    let now = start
    // A bound, in case the clock stands still (as workerd's do inside a request).
    for (let spins = 0; now === start && spins < 1e7; spins++) now = clock.now()
    steps.push(now - start)
  }
  return median(steps)
}

/** How the harness runs: its clock, how it compares summaries, where its progress goes. */
export interface HarnessOptions {
  /** What times the runs. @default wallClock */
  clock?: Clock
  /**
   * Whether a run's summary is the one expected. Node passes `isDeepStrictEqual`.
   * @default sameSummary
   */
  equal?: (actual: unknown, expected: unknown) => boolean
  /** Where progress lines go. @default nowhere */
  log?: (line: string) => void
  /**
   * The shortest timed sample, in ms of the clock: a case whose run is shorter is timed over
   * batches of runs, enough of them to last this long. For a clock that moves in coarse
   * steps, at least 20 of them (a step is then at most 5 % of a sample).
   * @default 0 (one run per sample)
   */
  minSampleMs?: number
}

/** The largest batch of runs in one timed sample. */
const MAX_BATCH = 64

const DEFAULT_WARMUP = 5
const DEFAULT_RUNS = 15
const MB = 1e6

/** Warm-up and timed runs of the group, within `limits`; of one of its cases, within that case's `limits` too. */
export function runCounts(
  group: BenchGroup,
  limits: RunLimits = {},
  benchCase?: BenchCase,
): { warmup: number; runs: number } {
  return {
    warmup: Math.min(group.warmup ?? DEFAULT_WARMUP, limits.warmup ?? Infinity, benchCase?.limits?.warmup ?? Infinity),
    runs: Math.min(group.runs ?? DEFAULT_RUNS, limits.runs ?? Infinity, benchCase?.limits?.runs ?? Infinity),
  }
}

/** Runs each case once and throws unless all of them resolve with the same summary. */
export async function verify(group: BenchGroup, options: HarnessOptions = {}): Promise<void> {
  const log = options.log ?? ignore
  const [reference] = group.cases
  if (reference === undefined) throw new Error(`${group.name}: a group needs at least one case`)
  if (group.checkBeforeTiming === false) return log(`unchecked ${group.name}: each of its timed runs will be`)
  const expected = await withInput(group, async () => {
    let expected = group.expected
    for (const benchCase of group.cases) {
      const actual = await benchCase.run()
      // Without an `expected`, the first case's result is the one the others must compute.
      if (benchCase === reference && !('expected' in group)) expected = actual
      check(group, benchCase, actual, expected, options)
    }
    return expected
  })
  log(`checked   ${group.name}: ${group.cases.length} cases agree on ${preview(expected)}`)
}

/** Throws unless `actual` is the summary the case must resolve with. */
function check(
  group: BenchGroup,
  benchCase: BenchCase,
  actual: unknown,
  groupExpected: unknown,
  options: HarnessOptions,
): void {
  const expected = 'expected' in benchCase ? benchCase.expected : groupExpected
  if (!(options.equal ?? sameSummary)(actual, expected)) {
    throw new Error(
      `${group.name} › ${benchCase.name} computed ${preview(actual)}, expected ${preview(expected)}: ` +
        'its timing would not be comparable',
    )
  }
}

/**
 * Whether two summaries are the same plain data: equal primitives (`Object.is`), or arrays
 * or objects of the same prototype whose own enumerable keys hold the same summaries. What
 * `isDeepStrictEqual` says of the summaries the cases return, with Web APIs only.
 */
export function sameSummary(actual: unknown, expected: unknown): boolean {
  if (Object.is(actual, expected)) return true
  if (typeof actual !== 'object' || typeof expected !== 'object' || actual === null || expected === null) return false
  if (Object.getPrototypeOf(actual) !== Object.getPrototypeOf(expected)) return false
  const a = actual as Record<string, unknown>
  const b = expected as Record<string, unknown>
  const keys = Object.keys(a)
  return (
    keys.length === Object.keys(b).length && keys.every((key) => Object.hasOwn(b, key) && sameSummary(a[key], b[key]))
  )
}

/** Runs `work` between the group's `setUp` and `tearDown`. */
async function withInput<T>(group: BenchGroup, work: () => Promise<T>): Promise<T> {
  await group.setUp?.()
  try {
    return await work()
  } finally {
    await group.tearDown?.()
  }
}

/** A summary as JSON, with long strings cut short: a summary may hold a whole reply. */
function preview(summary: unknown): string {
  return JSON.stringify(summary, (_key, value: unknown) =>
    typeof value === 'string' && value.length > 80 ? `${value.slice(0, 60)}… (${value.length} characters)` : value,
  )
}

/** `times` runs of the case, back to back: their summaries, to be checked once the clock has stopped. */
async function runTimes(benchCase: BenchCase, times: number): Promise<unknown[]> {
  if (times === 1) return [await benchCase.run()]
  if (benchCase.runBatch) return [await benchCase.runBatch(times)]
  const summaries: unknown[] = []
  for (let i = 0; i < times; i++) summaries.push(await benchCase.run())
  return summaries
}

/**
 * How many runs of the case a timed sample needs to last `minSampleMs` on the clock: batches
 * of 1, 4, 16 … runs until one lasts a quarter of that, and at least 2 steps of the clock (a
 * reading of 1 step may be a run of almost nothing that crossed a step); then that batch once
 * more, since a process's CPU time may include work left over from before (a collection, a
 * compilation on another thread); the shorter of the two says how many, at most
 * {@link MAX_BATCH}.
 */
async function batchSize(
  benchCase: BenchCase,
  minSampleMs: number,
  step: number,
  clock: Clock,
  checkRun: (actual: unknown) => void,
): Promise<number> {
  const timed = async (times: number) => {
    const { ms, summaries } = await timedSample(benchCase, times, clock)
    for (const actual of summaries) checkRun(actual)
    return ms
  }
  for (let times = 1; ; times *= 4) {
    const ms = await timed(times)
    if (ms >= Math.max(minSampleMs / 4, 2 * step)) {
      const shorter = Math.min(ms, await timed(times))
      return Math.max(1, Math.min(MAX_BATCH, Math.ceil((times * minSampleMs) / Math.max(shorter, step))))
    }
    if (times >= MAX_BATCH) return MAX_BATCH
  }
}

/** One timed sample: `times` runs of the case, their time on the clock, and their summaries. */
async function timedSample(
  benchCase: BenchCase,
  times: number,
  clock: Clock,
): Promise<{ ms: number; summaries: unknown[] }> {
  const start = clock.now()
  const summaries = await runTimes(benchCase, times)
  return { ms: clock.now() - start, summaries }
}

/** Warms up, then times each case of the group round-robin; see the module comment. */
export async function measure(
  group: BenchGroup,
  limits: RunLimits = {},
  options: HarnessOptions = {},
): Promise<BenchResult[]> {
  const { clock = wallClock, minSampleMs = 0 } = options
  const step = minSampleMs > 0 ? clockStep(clock) : 0
  const { warmup, runs } = runCounts(group, limits)
  const seconds: number[][] = group.cases.map(() => [])
  const gauges: number[][] = group.cases.map(() => [])
  // Runs per timed sample: one, unless the clock is too coarse for the case's run.
  const batches = group.cases.map(() => 1)
  await withInput(group, async () => {
    // Without an `expected`, the first case's first output is the one every run must compute.
    let expected = group.expected
    let known = 'expected' in group
    const checkRun = (benchCase: BenchCase, actual: unknown) => {
      if (!known && benchCase === group.cases[0]) {
        expected = actual
        known = true
      }
      check(group, benchCase, actual, expected, options)
    }
    for (let i = 0; i < warmup; i++) {
      for (const benchCase of group.cases) {
        if (i < (benchCase.limits?.warmup ?? warmup)) checkRun(benchCase, await benchCase.run())
      }
    }
    if (minSampleMs > 0) {
      for (const [k, benchCase] of group.cases.entries()) {
        batches[k] = await batchSize(benchCase, minSampleMs, step, clock, (actual) => checkRun(benchCase, actual))
      }
    }
    for (let i = 0; i < runs; i++) {
      for (const [k, benchCase] of group.cases.entries()) {
        if (i >= (benchCase.limits?.runs ?? runs)) continue
        group.gauge?.reset()
        let sample = await timedSample(benchCase, batches[k]!, clock)
        // A sample that read 0 on the clock was shorter than a step: it is taken again, with
        // twice the runs (for this case's later samples too).
        while (sample.ms === 0 && minSampleMs > 0 && batches[k]! < MAX_BATCH) {
          for (const actual of sample.summaries) checkRun(benchCase, actual)
          batches[k] = Math.min(MAX_BATCH, batches[k]! * 2)
          sample = await timedSample(benchCase, batches[k]!, clock)
        }
        seconds[k]!.push(sample.ms / 1000 / batches[k]!)
        if (group.gauge) gauges[k]!.push(group.gauge.read())
        for (const actual of sample.summaries) checkRun(benchCase, actual)
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
    if (batches[k]! > 1) row.runsPerSample = batches[k]!
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
  const log = options.log ?? ignore
  for (const row of rows) log(`measured  ${row.group} › ${row.case}: ${formatValue(row.median)} ${unit}`)
  return rows
}

/** What the group's rows report, and how one run's seconds become it. */
function rate(group: BenchGroup): { unit: string; perRun: (seconds: number) => number } {
  if (group.items === undefined) return { unit: 'MB/s', perRun: (s) => group.bytes / s / MB }
  const { count } = group.items
  return { unit: `µs/${group.items.unit}`, perRun: (s) => (s * 1e6) / count }
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = sorted.length >> 1
  if (sorted.length % 2 === 1) return sorted[middle]!
  return (sorted[middle - 1]! + sorted[middle]!) / 2
}

/** Three significant digits or so: `147`, `54.1`, `0.44`. */
export function formatValue(value: number): string {
  if (value >= 100) return value.toFixed(0)
  if (value >= 10) return value.toFixed(1)
  return value.toFixed(2)
}

function ignore(_line: string): void {}
