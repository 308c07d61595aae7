/**
 * The report of `pnpm bench --runtime <name>`: the machine, the runtime and its version, the
 * clock, then one table of the chain groups' rows: time per event on the runtime's clock
 * (CPU time where the runtime reports it, elapsed time in the browsers), throughput, and the
 * ratios to eventsource-parser's stream and to the floor, computed within this run.
 */
import { formatValue } from '../harness-core.ts'
import type { Machine } from '../harness.ts'
import type { ChainRun, GroupFacts } from './chain-bundle.ts'

/** What the report is made of. */
export interface RuntimeReport {
  /** `Deno 2.9.6 (V8 15.0)`. */
  version: string
  command: string
  machine: Machine
  run: ChainRun
  /** How long the whole command took, bundling and start-up included. */
  seconds: number
  /** The heading of the time column, when not the default (`CPU µs/event`). */
  timeHeading?: string
  /** What the clock is, in words, for the header. */
  clockNote: string
}

/** The markdown report of one runtime's run: header, table, legend, inputs. */
export function runtimeReport({
  version,
  command,
  machine,
  run,
  seconds,
  timeHeading,
  clockNote,
}: RuntimeReport): string {
  const kind = run.clock.kind
  const heading = timeHeading ?? `${kind} µs/event`
  const batched = run.results.some((row) => row.runsPerSample !== undefined)
  const out = [
    `Runtime: ${version}`,
    `CPU: ${machine.cpu} (${machine.cores} logical cores)`,
    `Date: ${machine.date}`,
    `Load average (1 min): ${machine.load.start.toFixed(2)} at start, ${machine.load.end.toFixed(2)} at end`,
    `Command: \`${command}\` (${Math.round(seconds)} s)`,
    `Clock: ${clockNote}`,
    '',
  ]
  // The chain's groups count bytes (MB/s); the stream steps count items (µs/item).
  const chain = run.results.filter((row) => row.unit === 'MB/s')
  const steps = run.results.filter((row) => row.unit !== 'MB/s')
  const labels = chain[0]?.ratios.map(({ label }) => label) ?? []
  const headings = [
    'Group',
    'Case',
    `${heading} (median)`,
    'MB/s',
    ...labels.map((label) => `vs ${label}`),
    `min–max ${kind} µs/event`,
    ...(batched ? ['runs/sample'] : []),
  ]
  out.push(...tableHead(headings))
  let previousGroup = ''
  for (const row of chain) {
    const group = run.groups.find((candidate) => candidate.name === row.group)!
    const perEvent = (megabytesPerSecond: number) => cell(microsecondsPerEvent(group, megabytesPerSecond))
    const cells = [
      row.group === previousGroup ? '' : row.group,
      row.case,
      perEvent(row.median),
      cell(row.median),
      ...row.ratios.map(({ value }) => (Number.isFinite(value) ? `${value.toFixed(2)}×` : '–')),
      `${perEvent(row.max)}–${perEvent(row.min)}`,
      ...(batched ? [String(row.runsPerSample ?? 1)] : []),
    ]
    previousGroup = row.group
    out.push(`| ${cells.join(' | ')} |`)
  }
  if (steps.length > 0) {
    out.push('', ...tableHead(['Stream step', `${kind} µs/item (median)`, `min–max ${kind} µs/item`, 'runs/sample'], 1))
    for (const row of steps) {
      out.push(`| ${row.case} | ${cell(row.median)} | ${cell(row.min)}–${cell(row.max)} | ${row.runsPerSample ?? 1} |`)
    }
  }
  const what = kind === 'CPU' ? 'CPU time' : 'elapsed time'
  out.push(
    '',
    `${heading}: the ${what} of a run divided by the events of the stream (one chunk each; the closing`,
    '`[DONE]` not counted). MB/s: 10⁶ input bytes per second of that time. "vs X": the median time of the',
    "row X of the group divided by the row's: above 1.00× is faster than X. Ratios are within this run.",
  )
  if (steps.length > 0) {
    out.push(
      'Stream steps: the same clock per item through each kind of stream machinery the rows use, with no',
      'parsing (bench/runtimes/stream-steps.ts): a row that adds a stage pays its step per item that crosses it.',
    )
  }
  if (batched) {
    out.push('runs/sample: runs of the case in each timed sample, so that one lasts long enough for the clock.')
  }
  out.push('', 'Inputs:', '')
  for (const group of run.groups) out.push(`- ${group.name}: ${group.input} (${runs(group)})`)
  return `${out.join('\n')}\n`
}

/** A value, or `–` for one the clock could not measure (a run shorter than its step reads 0 s: JSON turns the infinite rate into `null`). */
function cell(value: number | null): string {
  return value !== null && Number.isFinite(value) && value > 0 ? formatValue(value) : '–'
}

/** A markdown table's heading and alignment rows: text in the first `textColumns` columns, numbers after. */
function tableHead(headings: readonly string[], textColumns = 2): string[] {
  const align = headings.map((_, index) => (index < textColumns ? ' --- |' : ' ---: |')).join('')
  return [`| ${headings.join(' | ')} |`, `|${align}`]
}

/** A row's time per event, from its throughput. */
function microsecondsPerEvent(group: GroupFacts, megabytesPerSecond: number): number {
  return group.bytes / megabytesPerSecond / group.events
}

function runs({ warmup, runs }: GroupFacts): string {
  const plural = (count: number, noun: string) => `${count} ${noun}${count === 1 ? '' : 's'}`
  return `${plural(warmup, 'warm-up run')}, median of ${plural(runs, 'timed sample')} per case`
}
