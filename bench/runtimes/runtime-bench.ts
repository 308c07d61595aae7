/**
 * `pnpm bench --runtime <name>`: the chain benchmark (chain-groups.ts) in one runtime, from
 * one bundle (bundle.ts), with the peers that run there, every ratio computed within the run.
 * Node, Deno and Bun run the bundle as a script of their own process (its progress on
 * stderr, its result on stdout); Chromium, Firefox and WebKit load it in a page through the
 * test suite's drivers (scripts/test/run-chromium.mjs, run-firefox.mjs, run-webkit.mjs:
 * `start…(bundles) -> { version, runFile(bundle, timeoutMs), stop() }`); workerd runs it as a
 * Worker timed from outside (workerd.ts). The report (runtime-report.ts) goes to stdout.
 *
 * Every runtime reads the same streams, of {@link FULL_SIZE} (not the 8 MiB of `pnpm bench`:
 * a run of one runtime takes a minute or two on 2 cores), in the same five groups of reads,
 * and the stream steps of stream-steps.ts.
 */
import { execFileSync, spawn } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { loadavg, tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { describeMachine } from '../harness.ts'
import { KiB, MiB, formatSize } from '../inputs.ts'
import { buildBundle, RESULT_MARKER } from './bundle.ts'
import type { ChainRun, ChainRunOptions } from './chain-bundle.ts'
import { runtimeReport } from './runtime-report.ts'
import { runChainInWorkerd } from './workerd.ts'

/** The runtimes `--runtime` accepts. */
export const RUNTIMES = ['node', 'deno', 'bun', 'workerd', 'chromium', 'firefox', 'webkit'] as const
export type RuntimeName = (typeof RUNTIMES)[number]

/** The length of every group's stream in a full run. */
export const FULL_SIZE = 1 * MiB

/**
 * A full run: 1 MiB streams in every runtime, timed samples of at least 25 ms and 20 steps of
 * the clock (chain-bundle.ts's `SAMPLE`); in workerd, whose /proc clock ticks every 10 ms, 10
 * ticks: each reading is cut to a whole tick, so a sample of 100 ms or more is off by less
 * than a tick (10 %), about 4 % on average, and the median of five samples by less; 20 ticks
 * would make the run last twice as long.
 */
function fullOptions(runtime: RuntimeName): ChainRunOptions {
  return { size: FULL_SIZE, ...(runtime === 'workerd' ? { sample: { steps: 10, ms: 0 } } : {}) }
}

/**
 * `--quick`: a check that every row runs and prints, in a few seconds; not a measurement.
 * Timed samples of 8 steps of the clock; in workerd, whose ticks are 10 ms, one timed sample
 * of 3 ticks per case.
 */
function quickOptions(runtime: RuntimeName): ChainRunOptions {
  const quick = { size: 64 * KiB, stepItems: 2000 }
  if (runtime === 'workerd') return { ...quick, limits: { warmup: 1, runs: 1 }, sample: { steps: 3, ms: 0 } }
  return { ...quick, limits: { warmup: 1, runs: 3 }, sample: { steps: 8, ms: 0 } }
}

/** How long a browser may take over the whole run before it is given up. */
const BROWSER_TIMEOUT_MS = 10 * 60_000

/** What a runtime's driver returns: its version and the bundle's result. */
interface Outcome {
  version: string
  run: ChainRun
}

type Driver = (dir: string, options: ChainRunOptions, log: (line: string) => void) => Promise<Outcome>

/** Runs the chain benchmark in `name` and prints its report. */
export async function benchRuntime(name: string, { quick }: { quick: boolean }): Promise<void> {
  if (!(RUNTIMES as readonly string[]).includes(name)) {
    throw new Error(`--runtime ${name}: not one of ${RUNTIMES.join(', ')}`)
  }
  const runtime = name as RuntimeName
  const options: ChainRunOptions = quick ? quickOptions(runtime) : fullOptions(runtime)
  const log = (line: string) => process.stderr.write(`${line}\n`)
  const loadAtStart = loadavg()[0] ?? 0
  const started = performance.now()
  const dir = mkdtempSync(join(tmpdir(), `sluice-bench-${runtime}-`))
  try {
    log(`${runtime}: the chain benchmark on ${formatSize(options.size)} streams${quick ? ' (--quick)' : ''}`)
    const { version, run } = await DRIVERS[runtime](dir, options, log)
    const seconds = (performance.now() - started) / 1000
    log(`${runtime}: done in ${seconds.toFixed(1)} s`)
    const command = `pnpm bench --runtime ${runtime}${quick ? ' --quick' : ''}`
    const clockNote =
      runtime === 'workerd'
        ? `CPU time of the workerd process (${run.clock.source}), read by the driver before and after each request`
        : run.clock.kind === 'CPU'
          ? `CPU time of the ${runtime} process, user + system, all its threads (${run.clock.source})`
          : `elapsed time (${run.clock.source}, in steps of about ${formatStep(run.clock.step)}): a page cannot read its CPU time`
    process.stdout.write(
      runtimeReport({
        version,
        command,
        machine: describeMachine(loadAtStart),
        run,
        seconds,
        clockNote,
        ...(runtime === 'workerd' ? { timeHeading: 'CPU µs/event = ms/1,000 events' } : {}),
      }),
    )
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

function formatStep(ms: number): string {
  return ms >= 1 ? `${ms.toFixed(1)} ms` : `${Math.round(ms * 1000)} µs`
}

const DRIVERS: Record<RuntimeName, Driver> = {
  node: (dir, options) =>
    inProcess(dir, options, {
      binary: process.execPath,
      args: (bundle) => [bundle],
      version: `Node ${process.version} (V8 ${process.versions.v8})`,
    }),
  deno: (dir, options) => {
    const binary = shipped('deno', ['@deno/linux-x64-glibc', '@deno/linux-arm64-glibc'], 'deno')
    const [deno, v8] = execFileSync(binary, ['--version'], { encoding: 'utf8' }).split('\n')
    return inProcess(dir, options, {
      binary,
      // The openai SDK reads its OPENAI_* variables when a client is made.
      args: (bundle) => ['run', '--quiet', '--no-prompt', `--allow-read=${dir}`, '--allow-env', bundle],
      version: `Deno ${deno?.split(' ')[1]} (V8 ${v8?.split(' ')[1]})`,
    })
  },
  bun: (dir, options) => {
    // The bun package's own launcher needs its postinstall; the platform package holds the binary.
    const binary = shipped('bun', ['@oven/bun-linux-x64', '@oven/bun-linux-x64-baseline'], 'bin/bun')
    const version = execFileSync(binary, ['--version'], { encoding: 'utf8' }).trim()
    return inProcess(dir, options, { binary, args: (bundle) => [bundle], version: `Bun ${version} (JavaScriptCore)` })
  },
  workerd: runChainInWorkerd,
  chromium: (dir, options, log) =>
    inBrowser('chromium', dir, options, log, async (bundles, binaries) => {
      const { startChromium } = (await testDriver('run-chromium.mjs')) as { startChromium: StartBrowser }
      return startChromium(bundles, binaries.executable)
    }),
  firefox: (dir, options, log) =>
    inBrowser('firefox', dir, options, log, async (bundles, binaries) => {
      const { startFirefox } = (await testDriver('run-firefox.mjs')) as { startFirefox: StartBrowser }
      return startFirefox(bundles, binaries.executable)
    }),
  webkit: (dir, options, log) =>
    inBrowser('webkit', dir, options, log, async (bundles) => {
      const { startWebKit } = (await testDriver('run-webkit.mjs')) as { startWebKit: StartBrowser }
      return startWebKit(bundles)
    }),
}

/** What scripts/test/run-<browser>.mjs start: a browser serving `bundles` (all in one directory). */
type StartBrowser = (
  bundles: string[],
  executablePath?: string,
) => Promise<{
  version: string
  runFile: (bundle: string, timeoutMs: number) => Promise<unknown>
  stop: () => unknown
}>

/** One of the test suite's modules (scripts/test/), by file name; a clear error when it is not there. */
async function testDriver(file: string): Promise<unknown> {
  const url = new URL(`../../scripts/test/${file}`, import.meta.url)
  if (!existsSync(url)) throw new Error(`scripts/test/${file} is missing: the benchmark runs that browser through it`)
  return import(url.href)
}

/**
 * Finds the browser as the test suite does (scripts/test/find-browsers.mjs: installs it with
 * apt-get when missing and allowed), bundles the benchmark as a module, runs its `run()` in
 * a page, stops the browser.
 */
async function inBrowser(
  name: 'chromium' | 'firefox' | 'webkit',
  dir: string,
  options: ChainRunOptions,
  log: (line: string) => void,
  start: (bundles: string[], binaries: Record<string, string>) => ReturnType<StartBrowser>,
): Promise<Outcome> {
  const { findBrowsers } = (await testDriver('find-browsers.mjs')) as {
    findBrowsers: (
      names: string[],
      say: (line: string) => void,
    ) => Map<string, { binaries: Record<string, string> } | { error: Error }>
  }
  const found = findBrowsers([name], log).get(name)
  if (found === undefined || 'error' in found) throw found?.error ?? new Error(`${name}: not found`)
  const bundle = await buildBundle(dir, 'chain.mjs', 'module', options)
  const browser = await start([bundle], found.binaries)
  try {
    const label = { chromium: 'Chromium', firefox: 'Firefox', webkit: 'WebKitGTK' }[name]
    const version = `${label} ${browser.version}`
    log(`${name}: running in a page of ${version}; its progress shows when it ends`)
    const result = (await browser.runFile(bundle, BROWSER_TIMEOUT_MS)) as Partial<ChainRun> & { errors?: string }
    // A failed run, or one with unhandled rejections, comes back with `errors`.
    if (!Array.isArray(result?.results) || result.errors !== undefined) {
      throw new Error(`${name}: the benchmark failed: ${result?.errors ?? JSON.stringify(result)}`)
    }
    return { version, run: result as ChainRun }
  } finally {
    await browser.stop()
  }
}

/** Bundles the benchmark as a script, runs it in a process of the runtime, reads its result line. */
function inProcess(
  dir: string,
  options: ChainRunOptions,
  runtime: { binary: string; args: (bundle: string) => string[]; version: string },
): Promise<Outcome> {
  return buildBundle(dir, 'chain.mjs', 'script', options).then(
    (bundle) =>
      new Promise((resolve, reject) => {
        // Progress (stderr) shows as it comes; the result is the marked line of stdout.
        const child = spawn(runtime.binary, runtime.args(bundle), { cwd: dir, stdio: ['ignore', 'pipe', 'inherit'] })
        let stdout = ''
        child.stdout.on('data', (data) => (stdout += data))
        child.on('error', (error) => reject(new Error(`could not start ${runtime.binary}: ${error.message}`)))
        child.on('close', (code, signal) => {
          const line = stdout.split('\n').find((text) => text.startsWith(RESULT_MARKER))
          if (code === 0 && line !== undefined) {
            resolve({ version: runtime.version, run: JSON.parse(line.slice(RESULT_MARKER.length)) as ChainRun })
          } else {
            reject(new Error(`${runtime.version} exited (code ${code}, signal ${signal}) without a result:\n${stdout}`))
          }
        })
      }),
  )
}

/** The binary an npm package ships in one of its platform packages (`relative` inside it). */
function shipped(wrapper: string, platformPackages: readonly string[], relative: string): string {
  const require = createRequire(import.meta.url)
  const base = dirname(require.resolve(`${wrapper}/package.json`))
  for (const platformPackage of platformPackages) {
    try {
      const path = join(dirname(require.resolve(`${platformPackage}/package.json`, { paths: [base] })), relative)
      if (existsSync(path)) return path
    } catch {}
  }
  throw new Error(`the ${wrapper} binary is missing (${platformPackages.join(' or ')}): run \`pnpm install\``)
}
