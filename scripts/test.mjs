#!/usr/bin/env node
// `pnpm test`: builds the packages, checks them (types, publint, attw), then runs every
// test file in Node, workerd, three browsers (headless Chromium, headless Firefox, WebKitGTK
// on Xvfb), Deno and Bun (`*.node.test.ts` files: Node only; `*.browser.test.ts` files: the
// three browsers only).
// Prints a subtotal per runtime and ends with `N passed, N failed, N skipped` summing
// everything; exits non-zero when anything failed. A runtime that cannot start is a
// failure that says what to install, never a silent skip. The browsers are found (and, as
// root on Debian, installed with one apt-get run) before any runtime starts, see
// test/find-browsers.mjs. Skipping on purpose, and saying so: SLUICE_SKIP_BROWSER=1 skips
// the three browsers, SLUICE_SKIP_CHROMIUM=1, SLUICE_SKIP_FIREFOX=1 and SLUICE_SKIP_WEBKIT=1
// one each.
//
//   node scripts/test.mjs [--filter TEXT] [--runtimes node,workerd,chromium,firefox,webkit,deno,bun] [--no-checks]
import { execFile } from 'node:child_process'
import { readdirSync, readFileSync, existsSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs, promisify } from 'node:util'
import { bundleTests } from './test/bundle.mjs'
import { discoverTests } from './test/discover.mjs'
import { startFixtureServer } from './test/fixture-server.mjs'
import { formatRow, measureSizes, overBudget, staleReadmes } from './test/sizes.mjs'
import { Tally, fileLine } from './test/report.mjs'
import { BROWSERS, findBrowsers } from './test/find-browsers.mjs'
import { startChromium } from './test/run-chromium.mjs'
import { startFirefox } from './test/run-firefox.mjs'
import { runNodeFile } from './test/run-node.mjs'
import { runInProcess, runtimes as processRuntimes } from './test/run-process.mjs'
import { startWebKit } from './test/run-webkit.mjs'
import { startWorkerd } from './test/run-workerd.mjs'

const root = fileURLToPath(new URL('..', import.meta.url))
// Per test file. The slowest file in the slowest engine (a corpus shard in Firefox) takes well under a minute alone.
const FILE_TIMEOUT_MS = 360_000
const run = promisify(execFile)

const { values: args } = parseArgs({
  options: {
    filter: { type: 'string' },
    runtimes: { type: 'string', default: 'node,workerd,chromium,firefox,webkit,deno,bun' },
    'no-checks': { type: 'boolean', default: false },
  },
})
const runtimes = new Set(args.runtimes.split(','))
const say = (line) => process.stdout.write(line + '\n')
const started = performance.now()

/** Runs a command; resolves to { ok, output }. */
async function command(file, commandArgs, options = {}) {
  try {
    const { stdout, stderr } = await run(file, commandArgs, { cwd: root, maxBuffer: 64 << 20, ...options })
    return { ok: true, output: stdout + stderr }
  } catch (error) {
    return { ok: false, output: `${error.stdout ?? ''}${error.stderr ?? ''}${error.message}` }
  }
}

const bin = (name) => join(root, 'node_modules', '.bin', name)
const pnpm = process.env.npm_execpath?.includes('pnpm') ? [process.execPath, process.env.npm_execpath] : ['pnpm']

// ------------------------------------------------------------------ checks
const checks = new Tally()
function check(name, { ok, output }) {
  checks.add({ passed: ok ? 1 : 0, failed: ok ? 0 : 1, skipped: 0 })
  say(
    fileLine('check', name, {
      passed: ok ? 1 : 0,
      failed: ok ? 0 : 1,
      skipped: 0,
      errors: ok ? '' : output.split('\n').slice(-40).join('\n'),
    }),
  )
}

if (!args['no-checks']) {
  say('checks')
  check(
    'build: pnpm -r build',
    await command(pnpm[0], [...pnpm.slice(1), '-r', '--filter', './packages/**', 'run', 'build']),
  )
  const [source, tests] = await Promise.all([
    command(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json']),
    command(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.test.json']),
  ])
  check('typecheck: tsc -p tsconfig.json (sources, Web types only)', source)
  check('typecheck: tsc -p tsconfig.test.json (tests, bench, scripts)', tests)
  // The published types in a Node-only app: lib es2022, @types/node, skipLibCheck false.
  check(
    'typecheck: a Node-only app against the published .d.ts (no DOM lib)',
    await command(process.execPath, [
      join(root, 'node_modules/typescript/bin/tsc'),
      '-p',
      'scripts/test/node-only-app',
    ]),
  )
  // Docs (scripts/docs/): the API reference builds without a warning (every export documented,
  // with an @example), and every TypeScript block of the docs type-checks.
  const apiOut = join(root, '.cache', 'typedoc', String(process.pid))
  const [typedoc, codeBlocks] = await Promise.all([
    command(bin('typedoc'), ['--treatWarningsAsErrors', '--out', apiOut]),
    command(process.execPath, [join(root, 'scripts/docs/check-code-blocks.mjs')]),
  ])
  rmSync(apiOut, { recursive: true, force: true })
  check('typedoc (warnings as errors)', typedoc)
  check('format and lint: biome check (pnpm format fixes)', await command(bin('biome'), ['check', '.']))
  check('code blocks in README.md and docs/*.md type-check', codeBlocks)
  for (const entry of readdirSync(join(root, 'packages'), { withFileTypes: true })) {
    const dir = join(root, 'packages', entry.name)
    const manifest = join(dir, 'package.json')
    if (!entry.isDirectory() || !existsSync(manifest)) continue
    const pkg = JSON.parse(readFileSync(manifest, 'utf8'))
    if (pkg.private) continue
    check(`publint --strict ${pkg.name}`, await command(bin('publint'), ['--strict', dir]))
    check(
      `attw --pack ${pkg.name}`,
      await command(bin('attw'), ['--pack', dir, '--format', 'table-flipped'], {
        env: { ...process.env, FORCE_COLOR: '0' },
      }),
    )
  }
  // The benchmarks run, every row of them, on small inputs: a smoke test, no speed asserted.
  check(
    'bench smoke: pnpm bench --quick prints every row',
    await command(pnpm[0], [...pnpm.slice(1), '--filter', '@sluice/bench', 'run', 'smoke']),
  )
  // Sizes (scripts/test/sizes.mjs): each within its budget, and stated as measured in the READMEs.
  say('sizes (ESM, minified, gzipped)')
  let sizes = []
  try {
    sizes = await measureSizes(root)
    for (const row of sizes) say(`  ${formatRow(row)}`)
  } catch (error) {
    check('sizes measured', { ok: false, output: error.stack })
  }
  if (sizes.length > 0) {
    const over = sizes.filter(overBudget)
    check('sizes within their budgets', { ok: over.length === 0, output: over.map(formatRow).join('\n') })
    const stale = staleReadmes(root, sizes)
    const staleOutput = stale.map(({ path, expected, found }) => `${path}: states\n${found}\ninstead of\n${expected}`)
    check('package READMEs state the measured sizes', {
      ok: stale.length === 0,
      output: [...staleOutput, 'run: pnpm sizes --write'].join('\n'),
    })
  }
  say(`checks: ${checks}`)
}

// ------------------------------------------------------------------ tests
const files = discoverTests(root, args.filter)
// One folder per run, so that runs side by side (helpers, an editor's watcher) do not delete each other's bundles.
const cache = join(root, '.cache', 'tests', String(process.pid))
process.on('exit', () => rmSync(cache, { recursive: true, force: true }))
const [nodeBundles, webBundles] = await Promise.all([
  bundleTests(
    files.filter((file) => !file.browserOnly),
    join(cache, 'node'),
    'node',
  ),
  bundleTests(
    files.filter((file) => !file.nodeOnly),
    join(cache, 'web'),
    'web',
  ),
])
const webFiles = files.filter((file) => !file.nodeOnly && !file.browserOnly)
const nodeFiles = files.filter((file) => !file.browserOnly)
const browserFiles = files.filter((file) => !file.nodeOnly)

/**
 * Runs `list` one file at a time with `runFile`; a file that failed to bundle is a failure.
 * @returns {Promise<{ tally: Tally, lines: string[] }>}
 */
async function runAll(runtime, list, bundles, runFile) {
  const tally = new Tally()
  const lines = []
  for (const file of list) {
    const { bundle, error } = bundles.get(file.name)
    const result = bundle ? await runFile(bundle, FILE_TIMEOUT_MS) : { passed: 0, failed: 1, skipped: 0, errors: error }
    tally.add(result)
    lines.push(fileLine(runtime, file.name, result))
  }
  return { tally, lines }
}

/** A runtime that could not start: every file it should have run counts as failed. */
function notStarted(runtime, list, error) {
  const tally = new Tally()
  tally.add({ passed: 0, failed: Math.max(1, list.length), skipped: 0 })
  return {
    tally,
    lines: [
      fileLine(runtime, '(runtime did not start)', {
        passed: 0,
        failed: tally.failed,
        skipped: 0,
        errors: error.message,
      }),
    ],
  }
}

async function inWorkerd() {
  if (webFiles.length === 0) return { tally: new Tally(), lines: [] }
  const ready = webFiles.filter((file) => webBundles.get(file.name).bundle)
  if (ready.length === 0) return runAll('workerd', webFiles, webBundles, () => undefined) // every file failed to bundle: say so per file
  let workerd
  try {
    workerd = await startWorkerd(ready.map((file) => webBundles.get(file.name).bundle))
  } catch (error) {
    return notStarted('workerd', webFiles, error)
  }
  try {
    return await runAll('workerd', webFiles, webBundles, (bundle, timeout) => workerd.runFile(bundle, timeout))
  } finally {
    workerd.stop()
  }
}

/** How each browser starts, given the binaries find-browsers.mjs found; `version` names it. */
const browserStarts = {
  chromium: {
    start: (bundles, { executable }) => startChromium(bundles, executable),
    version: (version) => `Chromium ${version}`,
  },
  firefox: {
    start: (bundles, { executable }) => startFirefox(bundles, executable),
    version: (version) => `Firefox ${version}`,
  },
  webkit: {
    start: (bundles, binaries) => startWebKit(bundles, { binaries }),
    version: (version) => `WebKitGTK ${version}, MiniBrowser`,
  },
}

/**
 * Chromium, Firefox or WebKit: one browser for the run, a fresh page per file.
 * @param {'chromium' | 'firefox' | 'webkit'} runtime
 * @param {Map<string, { binaries: Record<string, string> } | { error: Error }>} found by findBrowsers
 */
async function inBrowser(runtime, found) {
  if (browserFiles.length === 0) return { tally: new Tally(), lines: [] }
  const ready = browserFiles.filter((file) => webBundles.get(file.name).bundle)
  if (ready.length === 0) return runAll(runtime, browserFiles, webBundles, () => undefined) // every file failed to bundle: say so per file
  let browser
  try {
    const located = found.get(runtime)
    if (!located || 'error' in located) throw located?.error ?? new Error(`${runtime} was not looked for`)
    browser = await browserStarts[runtime].start(
      ready.map((file) => webBundles.get(file.name).bundle),
      located.binaries,
    )
  } catch (error) {
    return notStarted(runtime, browserFiles, error)
  }
  try {
    const outcome = await runAll(runtime, browserFiles, webBundles, (bundle, timeout) =>
      browser.runFile(bundle, timeout),
    )
    outcome.lines.unshift(`  (${browserStarts[runtime].version(browser.version)})`)
    return outcome
  } finally {
    // The results are in: a browser that does not close cleanly is reported, not fatal to the run.
    await browser.stop().catch((error) => say(`${runtime}: the browser did not stop cleanly: ${error.message}`))
  }
}

/** Deno and Bun: a process per web test file, with the binary their npm package ships. */
async function inProcessRuntime(runtime) {
  if (webFiles.length === 0) return { tally: new Tally(), lines: [] }
  const command = processRuntimes[runtime]()
  if (!command) {
    return notStarted(
      runtime,
      webFiles,
      new Error(
        `the ${runtime} binary is missing: run \`pnpm install\` at the workspace root (the ${runtime} npm package ships it)`,
      ),
    )
  }
  return runAll(runtime, webFiles, webBundles, (bundle, timeout) => runInProcess(command, bundle, timeout))
}

/** Why a runtime is not run, or `undefined` when it is. */
function notRunBecause(runtime) {
  if (!runtimes.has(runtime)) return `--runtimes ${args.runtimes}`
  if (!(runtime in BROWSERS)) return undefined
  if (process.env.SLUICE_SKIP_BROWSER === '1') return 'SLUICE_SKIP_BROWSER=1'
  const skip = BROWSERS[runtime].skip
  return process.env[skip] === '1' ? `${skip}=1` : undefined
}
// One step before the runtimes start side by side: find every browser the run needs, and
// install the missing ones with a single apt-get run when we may.
const browsersNeeded = browserFiles.length > 0 ? Object.keys(BROWSERS).filter((name) => !notRunBecause(name)) : []
const browsers = browsersNeeded.length > 0 ? findBrowsers(browsersNeeded, say) : new Map()
const plan = [
  ['node', () => runAll('node', nodeFiles, nodeBundles, runNodeFile)],
  ['workerd', inWorkerd],
  ['chromium', () => inBrowser('chromium', browsers)],
  ['firefox', () => inBrowser('firefox', browsers)],
  ['webkit', () => inBrowser('webkit', browsers)],
  ['deno', () => inProcessRuntime('deno')],
  ['bun', () => inProcessRuntime('bun')],
]
// The runtimes run side by side (each runs its files one at a time); output is printed
// per runtime, in a fixed order, once all are done. The fixture server's URL reaches the
// child processes through the environment (and the browsers' pages through serve-bundles.mjs).
const fixtures = await startFixtureServer()
process.env.SLUICE_FIXTURE_URL = fixtures.url
const outcomes = await Promise.all(plan.map(([runtime, start]) => (notRunBecause(runtime) ? null : start())))
fixtures.stop()
const total = new Tally()
total.add(checks)
for (const [index, [runtime]] of plan.entries()) {
  const outcome = outcomes[index]
  say('')
  if (!outcome) {
    say(`${runtime}: not run (${notRunBecause(runtime)})`)
    continue
  }
  say(runtime)
  for (const line of outcome.lines) say(line)
  say(`${runtime}: ${outcome.tally}`)
  total.add(outcome.tally)
}
say('')
say(`finished in ${((performance.now() - started) / 1000).toFixed(1)} s`)
say(`${total}`)
process.exitCode = total.failed > 0 || total.passed === 0 ? 1 : 0
