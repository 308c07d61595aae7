// workerd: all web bundles as modules of one worker, each loaded with a dynamic import()
// and run in its own request. compatibilityDate must be >= 2022-11-30 for the
// ReadableStream constructor; nodejs_compat stays off (uvu would think it runs in Node).
import { spawn } from 'node:child_process'
import { existsSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { basename, dirname, join } from 'node:path'

const COMPATIBILITY_DATE = '2025-09-01'

const mainModule = (names) => `
const files = {
${names.map((name) => `  ${JSON.stringify(name)}: () => import(${JSON.stringify('./' + name)}),`).join('\n')}
}
const unhandled = []
addEventListener('unhandledrejection', (event) => { unhandled.push(event.reason); event.preventDefault() })

export default {
  async fetch(request) {
    const name = new URL(request.url).searchParams.get('file')
    unhandled.length = 0
    let result
    try {
      result = await (await files[name]()).run()
    } catch (error) {
      result = { passed: 0, failed: 1, skipped: 0, errors: 'the file failed to load or run: ' + (error?.stack ?? error) }
    }
    await new Promise((resolve) => setTimeout(resolve, 20))
    // workerd raises 'unhandledrejection' for every errored TransformStream, even when
    // the error was read and handled (workerd 2026-11-17: a transform that throws, with
    // its write promise caught and its read caught, still raises one). So here they are
    // shown in the report, not counted; Node and Chromium count them as failures.
    result.warnings = unhandled.length
    return Response.json(result)
  },
}
`

const config = (names) => `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [ (name = "tests", worker = .worker) ],
  sockets = [ (name = "http", address = "127.0.0.1:0", http = (), service = "tests") ],
);
const worker :Workerd.Worker = (
  modules = [
    (name = "main.mjs", esModule = embed "main.mjs"),
${names.map((name) => `    (name = ${JSON.stringify(name)}, esModule = embed ${JSON.stringify(name)}),`).join('\n')}
  ],
  compatibilityDate = ${JSON.stringify(COMPATIBILITY_DATE)},
);
`

/** The workerd binary that the `workerd` npm package ships. */
function workerdBinary() {
  const require = createRequire(import.meta.url)
  try {
    const binary = join(
      dirname(
        require.resolve('@cloudflare/workerd-linux-64/package.json', {
          paths: [dirname(require.resolve('workerd/package.json'))],
        }),
      ),
      'bin',
      'workerd',
    )
    if (existsSync(binary)) return binary
  } catch {}
  return join(process.cwd(), 'node_modules', '.bin', 'workerd')
}

/**
 * Starts workerd with the given bundles (all in one directory).
 * @param {string[]} bundles
 * @returns {Promise<{ runFile(bundle: string, timeoutMs: number): Promise<import('./report.mjs').FileResult>, stop(): void }>}
 */
export async function startWorkerd(bundles) {
  const dir = dirname(bundles[0])
  const names = bundles.map((bundle) => basename(bundle))
  writeFileSync(join(dir, 'main.mjs'), mainModule(names))
  writeFileSync(join(dir, 'config.capnp'), config(names))
  const binary = workerdBinary()
  if (!existsSync(binary)) {
    throw new Error(
      `the workerd binary is missing (${binary}): run \`pnpm install\` at the workspace root (the workerd package ships it)`,
    )
  }
  const workerd = spawn(binary, ['serve', 'config.capnp', '--control-fd=3'], {
    cwd: dir,
    stdio: ['ignore', 'pipe', 'pipe', 'pipe'],
  })
  let log = ''
  workerd.stdout.on('data', (data) => (log += data))
  workerd.stderr.on('data', (data) => (log += data))
  const port = await new Promise((resolve, reject) => {
    // It compiles every bundle (about 90 MB of tests, fixtures and SDKs) before it listens:
    // 30 s was once not enough on a loaded 2-core machine.
    const timer = setTimeout(() => reject(new Error(`workerd did not start within 120 s:\n${log}`)), 120_000)
    let control = ''
    workerd.stdio[3].on('data', (data) => {
      control += data
      const listen = control
        .split('\n')
        .map((line) => line.trim() && JSON.parse(line))
        .find((event) => event?.event === 'listen')
      if (listen) {
        clearTimeout(timer)
        resolve(listen.port)
      }
    })
    workerd.on('error', (error) => reject(new Error(`workerd could not start: ${error.message}`)))
    workerd.on('exit', (code) => reject(new Error(`workerd exited with code ${code} before listening:\n${log}`)))
  })
  return {
    async runFile(bundle, timeoutMs) {
      try {
        const response = await fetch(`http://127.0.0.1:${port}/?file=${encodeURIComponent(basename(bundle))}`, {
          signal: AbortSignal.timeout(timeoutMs),
        })
        if (!response.ok) throw new Error(`HTTP ${response.status}: ${await response.text()}`)
        return await response.json()
      } catch (error) {
        return {
          passed: 0,
          failed: 1,
          skipped: 0,
          errors: `workerd request failed: ${error.message}\n${log.slice(-3000)}`,
        }
      }
    },
    stop() {
      workerd.kill('SIGTERM')
    },
  }
}
