/**
 * The chain benchmark in whatever runtime loads it: what the bundle of `pnpm bench --runtime
 * <name>` runs, in Node, Deno, Bun and the browsers (workerd runs chain-worker.ts instead).
 * Web APIs only: the groups are chain-groups.ts's, then stream-steps.ts's (what the chain's
 * rows are made of); the checks, the warm-up, the round-robin timing and the medians are
 * harness-core.ts's, as in `pnpm bench`. The bundle resolves with
 * plain data, {@link ChainRun}; the Node driver (runtime-bench.ts) prints the table.
 *
 * The clock is the process's CPU time where the runtime reports it (`process.cpuUsage()`
 * in Node, Deno and Bun), else elapsed time (`performance.now()`, in the browsers, where
 * a page cannot read its CPU time). A timed sample lasts at least {@link SAMPLE}: 25 ms, so
 * that a garbage collection is not most of one, and 20 steps of the clock, for a browser whose
 * `performance.now()` moves in 0.1 or 1 ms steps; the faster cases are timed in batches of runs.
 */
import { chainGroups } from '../chain-groups.ts'
import {
  type BenchGroup,
  type BenchResult,
  type Clock,
  clockStep,
  measure,
  processCPUClock,
  type RunLimits,
  runCounts,
  wallClock,
} from '../harness-core.ts'
import { streamStepsGroup } from './stream-steps.ts'

/** What the driver asks of the bundle. */
export interface ChainRunOptions {
  /** The length of every group's stream, in bytes. */
  size: number
  /** Caps on warm-up and timed runs (`--quick`). */
  limits?: RunLimits
  /** The shortest timed sample. @default SAMPLE */
  sample?: SampleLength
  /** Items of each run of stream-steps.ts's group. @default 20000 */
  stepItems?: number
}

/** The shortest timed sample: `steps` steps of the clock, and `ms` milliseconds. */
export interface SampleLength {
  steps: number
  ms: number
}

/** A timed sample lasts at least 20 steps of the clock (a step is then at most 5 % of it) and 25 ms. */
export const SAMPLE: SampleLength = { steps: 20, ms: 25 }

/** `sample` in milliseconds of a clock of `step` ms, for harness-core.ts's `minSampleMs`. */
export function minSampleMs({ steps, ms }: SampleLength, step: number): number {
  return Math.max(steps * step, ms)
}

/** What a group was, for the report. */
export interface GroupFacts {
  name: string
  input: string
  /** Input bytes of a run; 0 for a group of items (stream steps). */
  bytes: number
  /** Events of the stream that carry a chunk (the closing `[DONE]` is not counted), or the group's items. */
  events: number
  warmup: number
  runs: number
}

/** The groups of a run: the chain's, then the stream steps that explain them. */
export function runtimeGroups(options: ChainRunOptions): BenchGroup[] {
  return [...chainGroups({ size: options.size }), streamStepsGroup(options.stepItems)]
}

/** What the bundle resolves with: JSON. */
export interface ChainRun {
  clock: {
    kind: Clock['kind']
    source: string
    /** The smallest change of a reading, in ms. */
    step: number
  }
  groups: GroupFacts[]
  results: BenchResult[]
}

/** What the report says of a group. */
export function groupFacts(group: BenchGroup, limits: RunLimits = {}): GroupFacts {
  return {
    name: group.name,
    input: group.input,
    bytes: group.bytes ?? 0,
    events: group.produces?.count ?? group.items?.count ?? 0,
    ...runCounts(group, limits),
  }
}

/** Times every case of every group, in this runtime. */
export async function runChain(options: ChainRunOptions): Promise<ChainRun> {
  const unmeasured = processCPUClock() ?? wallClock
  const clock = { ...unmeasured, step: clockStep(unmeasured) }
  const log = (line: string) => console.error(line)
  const groups = runtimeGroups(options)
  const results: BenchResult[] = []
  for (const group of groups) {
    log(`timing    ${group.name}`)
    const sample = minSampleMs(options.sample ?? SAMPLE, clock.step)
    results.push(...(await measure(group, options.limits, { clock, log, minSampleMs: sample })))
  }
  return {
    clock: { kind: clock.kind, source: clock.source, step: clock.step },
    groups: groups.map((group) => groupFacts(group, options.limits)),
    results,
  }
}
