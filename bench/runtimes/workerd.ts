/**
 * `pnpm bench --runtime workerd`: the chain benchmark in workerd, timed from outside.
 *
 * Inside a request workerd's clocks stand still, so the worker (chain-worker.ts) times
 * nothing. This driver starts workerd on it, as scripts/test/run-workerd.mjs starts it for the
 * tests (the `workerd` npm package's binary, a capnp config, `--control-fd=3` for the port,
 * no `nodejs_compat`), and runs harness-core.ts's `measure` here, in Node, over cases whose
 * `run` is a request to the worker, with a clock that reads the workerd process's CPU time:
 * `utime + stime` of /proc/<pid>/stat, before and after each request. That is what a Worker
 * is billed for, less the little that is not the benchmark's (parsing the request, writing
 * the summary as JSON: well under 1 % of a sample). The clock moves in ticks (10 ms where
 * `getconf CLK_TCK` says 100), so each timed sample is a batch of runs of one case, in one
 * request, lasting many ticks (runtime-bench.ts says how many); the sample's time is divided
 * by its runs.
 */
import { execFileSync, spawn } from 'node:child_process'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { basename, dirname, join } from 'node:path'
import { isDeepStrictEqual } from 'node:util'
import { type BenchGroup, type BenchResult, type Clock, measure } from '../harness-core.ts'
import { buildBundle } from './bundle.ts'
import { type ChainRun, type ChainRunOptions, groupFacts, minSampleMs, SAMPLE } from './chain-bundle.ts'
import type { RemoteGroup } from './chain-worker.ts'

/** At least 2022-11-30, or workerd refuses the `ReadableStream` constructor. */
const COMPATIBILITY_DATE = '2025-09-01'

const config = (bundle: string) => `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [ (name = "bench", worker = .worker) ],
  sockets = [ (name = "http", address = "127.0.0.1:0", http = (), service = "bench") ],
);
const worker :Workerd.Worker = (
  modules = [ (name = "main.mjs", esModule = embed ${JSON.stringify(basename(bundle))}) ],
  compatibilityDate = ${JSON.stringify(COMPATIBILITY_DATE)},
);
`

/** The workerd binary the `workerd` npm package ships, and the package's version. */
function workerdBinary(): { binary: string; packageVersion: string } {
  const require = createRequire(import.meta.url)
  const wrapper = require.resolve('workerd/package.json')
  const platform = require.resolve('@cloudflare/workerd-linux-64/package.json', { paths: [dirname(wrapper)] })
  const binary = join(dirname(platform), 'bin', 'workerd')
  if (!existsSync(binary)) throw new Error(`the workerd binary is missing (${binary}): run \`pnpm install\``)
  return { binary, packageVersion: (JSON.parse(readFileSync(wrapper, 'utf8')) as { version: string }).version }
}

/** Clock ticks per second, the unit of /proc/<pid>/stat's times. */
function clockTicksPerSecond(): number {
  try {
    const ticks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim())
    if (ticks > 0) return ticks
  } catch {}
  return 100
}

/** The CPU time of process `pid`, user and system, all its threads: fields 14 and 15 of /proc/<pid>/stat. */
function processCPUTime(pid: number, tickMs: number): Clock {
  return {
    kind: 'CPU',
    source: `/proc/<workerd pid>/stat utime + stime, in ${tickMs} ms ticks`,
    step: tickMs,
    now() {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
      // The fields after the command name, which is in parentheses and may hold spaces: state is field 3.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
      return (Number(fields[14 - 3]) + Number(fields[15 - 3])) * tickMs
    },
  }
}

/** Bundles the worker, starts workerd on it, times every case from outside, stops it. */
export async function runChainInWorkerd(
  dir: string,
  options: ChainRunOptions,
  log: (line: string) => void,
): Promise<{ version: string; run: ChainRun }> {
  const bundle = await buildBundle(dir, 'chain-worker.mjs', 'worker', options)
  writeFileSync(join(dir, 'config.capnp'), config(bundle))
  const { binary, packageVersion } = workerdBinary()
  const version = `${execFileSync(binary, ['--version'], { encoding: 'utf8' }).trim()} (npm workerd ${packageVersion})`
  const workerd = spawn(binary, ['serve', 'config.capnp', '--control-fd=3'], {
    cwd: dir,
    stdio: ['ignore', 'pipe', 'pipe', 'pipe'],
  })
  let output = ''
  workerd.stdout!.on('data', (data) => (output += data))
  workerd.stderr!.on('data', (data) => (output += data))
  try {
    const port = await listening(workerd, () => output)
    const get = async (path: string): Promise<unknown> => {
      const response = await fetch(`http://127.0.0.1:${port}${path}`)
      if (!response.ok) throw new Error(`workerd: ${path}: HTTP ${response.status}: ${await response.text()}`)
      return response.json()
    }
    const tickMs = 1000 / clockTicksPerSecond()
    const clock = processCPUTime(workerd.pid!, tickMs)
    const sample = minSampleMs(options.sample ?? SAMPLE, tickMs)
    const groups = ((await get('/describe')) as RemoteGroup[]).map(
      (remote, g): BenchGroup => ({
        ...remote,
        setUp: async () => void (await get(`/set-up?group=${g}`)),
        tearDown: async () => void (await get('/tear-down')),
        cases: remote.cases.map((benchCase, k) => ({
          ...benchCase,
          run: () => get(`/run?case=${k}&times=1`),
          runBatch: (times: number) => get(`/run?case=${k}&times=${times}`),
        })),
      }),
    )
    const results: BenchResult[] = []
    for (const group of groups) {
      log(`timing    ${group.name}`)
      results.push(
        ...(await measure(group, options.limits, { clock, equal: isDeepStrictEqual, log, minSampleMs: sample })),
      )
    }
    return {
      version,
      run: {
        clock: { kind: clock.kind, source: clock.source, step: tickMs },
        groups: groups.map((group) => groupFacts(group, options.limits)),
        results,
      },
    }
  } catch (error) {
    throw new Error(`${(error as Error).message}\nworkerd's output:\n${output.slice(-3000)}`, { cause: error })
  } finally {
    workerd.kill('SIGTERM')
  }
}

/** The port workerd reports on its control pipe (fd 3) once it listens. */
function listening(workerd: ReturnType<typeof spawn>, output: () => string): Promise<number> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('workerd did not start within 30 s')), 30_000)
    let control = ''
    workerd.stdio[3]!.on('data', (data) => {
      // Whole lines only: the last piece may be the start of the next one.
      const lines = `${control}${data}`.split('\n')
      control = lines.pop()!
      for (const line of lines) {
        if (!line.trim()) continue
        const event = JSON.parse(line) as { event?: string; port?: number }
        if (event.event === 'listen' && event.port !== undefined) {
          clearTimeout(timer)
          resolve(event.port)
        }
      }
    })
    workerd.on('error', (error) => reject(new Error(`workerd could not start: ${error.message}`)))
    workerd.on('exit', (code) => reject(new Error(`workerd exited with code ${code}:\n${output()}`)))
  })
}
