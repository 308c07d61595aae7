// WebKit: WebKitGTK's MiniBrowser driven by WebKitWebDriver through selenium-webdriver,
// shown on an Xvfb display we start (MiniBrowser has no headless mode). WebKitWebDriver
// speaks classic WebDriver only (no BiDi): each file is a navigation to a page of its own,
// and its result comes back from `executeAsyncScript`. Bundles are served from a loopback
// HTTP server (serve-bundles.mjs); find-browsers.mjs finds (or installs) the binaries.
//
// Every process started here (Xvfb, WebKitWebDriver, and with the driver the MiniBrowser
// it starts) is stopped by its pid, also when start-up fails halfway or a file hangs.
import { spawn } from 'node:child_process'
import { createServer } from 'node:net'
import { constants } from 'node:os'
import { dirname } from 'node:path'
import { Builder } from 'selenium-webdriver'
import { locateBrowser } from './find-browsers.mjs'
import { failure, inPageRun, pageArguments, serveBundles, temporaryHome, withTimeout } from './serve-bundles.mjs'

/** Creating a session can hang forever when something is wrong (no display, a bad binary). */
const SESSION_TIMEOUT_MS = 30_000
const START_TIMEOUT_MS = 10_000
/** Beyond the page's own script timeout, how long a WebDriver command may take. */
const COMMAND_GRACE_MS = 10_000
const QUIT_TIMEOUT_MS = 10_000
/** How much of WebKitWebDriver's and MiniBrowser's output a failure report keeps. */
const LOG_CHARS = 3000

// Selenium passes the arguments, then the callback that resolves the command.
const SCRIPT = `const done = arguments[arguments.length - 1];
(${inPageRun})(arguments[0]).then(done, (error) => done({ passed: 0, failed: 1, skipped: 0, errors: 'the runner failed: ' + String(error && error.stack || error) }))`

/** @param {import('node:child_process').ChildProcess} child */
const running = (child) => child.exitCode === null && child.signalCode === null

// Xvfb and WebKitWebDriver are started `detached`, each the leader of a process group of
// its own: ending the group by its leader's pid also ends the MiniBrowser a driver
// started (and its web processes), which SIGTERM to the driver alone leaves running. A
// detached group does not get the terminal's Ctrl-C, so the groups still running are
// ended when this process exits or is interrupted.
/** @type {Set<number>} */
const groups = new Set()
/**
 * @param {number} pid the group's leader
 * @param {NodeJS.Signals} signal
 */
function signalGroup(pid, signal) {
  try {
    process.kill(-pid, signal)
  } catch {} // ESRCH: the group is gone
}

const endGroups = () => {
  for (const pid of groups) signalGroup(pid, 'SIGKILL')
  groups.clear()
}
/** Interrupted: end the groups, and exit as the signal would, running the `exit` handlers (temporary folders). */
const onSignal = (/** @type {NodeJS.Signals} */ signal) => {
  endGroups()
  process.exit(128 + (constants.signals[signal] ?? 0))
}
/** @param {boolean} on */
function watchExit(on) {
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process[on ? 'on' : 'off'](signal, onSignal)
  process[on ? 'on' : 'off']('exit', endGroups)
}

/**
 * Starts a process as the leader of a new process group, remembered until {@link end}.
 * @param {string} file
 * @param {string[]} args
 * @param {import('node:child_process').SpawnOptions} options
 */
function start(file, args, options) {
  const child = spawn(file, args, { ...options, detached: true })
  if (child.pid) {
    if (groups.size === 0) watchExit(true)
    groups.add(child.pid)
  }
  return child
}

/**
 * Ends a process group started by {@link start}: SIGTERM, then, once the leader exited
 * or after 3 s, SIGKILL to whatever is left of the group.
 * @param {import('node:child_process').ChildProcess | undefined} child
 */
async function end(child) {
  if (!child?.pid) return
  if (running(child)) {
    const exited = new Promise((resolve) => child.once('exit', resolve))
    signalGroup(child.pid, 'SIGTERM')
    await withTimeout(exited, 3000, 'exit').catch(() => {})
  }
  signalGroup(child.pid, 'SIGKILL')
  groups.delete(child.pid)
  if (groups.size === 0) watchExit(false)
}

/** Keeps the tail of a process's output. */
function capture(child) {
  let log = ''
  const keep = (data) => (log = (log + data).slice(-LOG_CHARS))
  child.stdout?.on('data', keep)
  child.stderr?.on('data', keep)
  return () => log
}

/**
 * Starts `Xvfb -displayfd 3`, which picks a free display and writes its number to fd 3.
 * @param {string} path
 * @param {(child: import('node:child_process').ChildProcess) => void} started receives the process at once, so it can be stopped even if this fails
 * @returns {Promise<string>} the display, `:N`
 */
function startXvfb(path, started) {
  const child = start(path, ['-displayfd', '3', '-nolisten', 'tcp', '-screen', '0', '1280x1024x24'], {
    stdio: ['ignore', 'pipe', 'pipe', 'pipe'],
  })
  started(child)
  const log = capture(child)
  const display = new Promise((resolve, reject) => {
    let written = ''
    child.stdio[3]?.on('data', (data) => {
      written += data
      if (written.includes('\n')) resolve(`:${written.trim()}`)
    })
    child.once('error', (error) => reject(new Error(`Xvfb (${path}) could not start: ${error.message}`)))
    child.once('exit', (code, signal) =>
      reject(new Error(`Xvfb exited (${signal ?? code}) before it was ready:\n${log()}`)),
    )
  })
  return withTimeout(display, START_TIMEOUT_MS, 'starting Xvfb')
}

/** A free loopback port (another process may take it before us: the caller retries). */
function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0))
    })
  })
}

/** Resolves once WebKitWebDriver answers on `url`; rejects if it exits first. */
async function driverReady(url, child, log) {
  const deadline = Date.now() + START_TIMEOUT_MS
  while (Date.now() < deadline) {
    if (!running(child)) throw new Error(`WebKitWebDriver exited (${child.signalCode ?? child.exitCode}):\n${log()}`)
    try {
      if ((await fetch(`${url}/status`, { signal: AbortSignal.timeout(1000) })).ok) return
    } catch {}
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  throw new Error(`WebKitWebDriver did not answer within ${START_TIMEOUT_MS} ms:\n${log()}`)
}

/**
 * @typedef {{ child: import('node:child_process').ChildProcess, driver?: import('selenium-webdriver').WebDriver, version: string, log(): string, scriptTimeout?: number }} Session
 */

/**
 * Quits the session (MiniBrowser with it) and ends WebKitWebDriver's process group.
 * @param {Session | undefined} session
 * @param {boolean} quit false when the browser may be stuck (a WebDriver command would wait for it)
 */
async function closeSession(session, quit = true) {
  if (!session) return
  if (quit && session.driver) await withTimeout(session.driver.quit(), QUIT_TIMEOUT_MS, 'quitting').catch(() => {})
  await end(session.child)
}

/**
 * Starts WebKitWebDriver on a free port and opens a MiniBrowser session through it.
 * @param {Record<string, string>} binaries from find-browsers.mjs
 * @param {{ display: string, home: string, sessionTimeoutMs: number }} options
 * @returns {Promise<Session>}
 */
async function openSession(binaries, { display, home, sessionTimeoutMs }) {
  for (let attempt = 1; ; attempt++) {
    const port = await freePort()
    const child = start(binaries.driver, [`--port=${port}`, '--host=127.0.0.1'], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, DISPLAY: display, HOME: home },
    })
    /** @type {Session} */
    const session = { child, version: '', log: capture(child) }
    child.once('error', () => {}) // seen by driverReady as an exit
    const url = `http://127.0.0.1:${port}`
    try {
      await driverReady(url, child, session.log)
    } catch (error) {
      await end(child)
      // The port was taken between freePort() and the driver's bind: try another.
      if (attempt < 3) continue
      throw error
    }
    try {
      const building = new Builder()
        .usingServer(url)
        .withCapabilities({
          browserName: 'MiniBrowser',
          'webkitgtk:browserOptions': { binary: binaries.miniBrowser, args: ['--automation'] },
        })
        .build()
      // Awaiting the ThenableWebDriver itself: a failed session also rejects a promise it
      // keeps inside, which would be unhandled if we only awaited a command.
      const driver = await withTimeout(Promise.resolve(building), sessionTimeoutMs, 'creating a WebKit session')
      const capabilities = await driver.getCapabilities()
      session.driver = driver
      session.version = String(capabilities.get('browserVersion') ?? '')
      return session
    } catch (error) {
      await end(child)
      throw new Error(`${error.message}\n${session.log()}`)
    }
  }
}

/**
 * @param {string[]} bundles all in one directory
 * @param {{ binaries?: Record<string, string>, sessionTimeoutMs?: number }} [options] the binaries are found by find-browsers.mjs when not given
 * @returns {Promise<{ version: string, runFile(bundle: string, timeoutMs: number): Promise<any>, stop(): Promise<void> }>}
 */
export async function startWebKit(bundles, options = {}) {
  const binaries = options.binaries ?? locateBrowser('webkit')
  const sessionTimeoutMs = options.sessionTimeoutMs ?? SESSION_TIMEOUT_MS
  // MiniBrowser writes its data and cache under $HOME.
  const home = temporaryHome('webkit')
  /** @type {Awaited<ReturnType<typeof serveBundles>> | undefined} */
  let server
  /** @type {import('node:child_process').ChildProcess | undefined} */
  let xvfb
  let display = ''
  /** @type {Session | undefined} */
  let session
  const stop = async () => {
    try {
      await closeSession(session)
      session = undefined
      await end(xvfb)
    } finally {
      server?.stop()
      home.remove()
    }
  }
  try {
    server = await serveBundles(dirname(bundles[0]))
    display = await startXvfb(binaries.xvfb, (child) => (xvfb = child))
    session = await openSession(binaries, { display, home: home.path, sessionTimeoutMs })
  } catch (error) {
    await stop().catch(() => {})
    throw new Error(`WebKit (${binaries.miniBrowser}) could not start: ${error.message}`)
  }
  const version = session.version
  const bundleServer = server
  return {
    version,
    /** Resolves to what the bundle's `run()` returns; a file that gives no result is a failure. */
    async runFile(bundle, timeoutMs) {
      // WebKit's own timeouts come first; ours catch a browser too stuck to apply them.
      const limit = timeoutMs + COMMAND_GRACE_MS
      const stuck = `(stuck: WebKit's own ${timeoutMs} ms timeout did not fire)`
      /** Opens the file's page, in a new browser if there is none or the current one is gone. */
      const open = async (/** @type {boolean} */ retry) => {
        if (!session) {
          try {
            session = await openSession(binaries, { display, home: home.path, sessionTimeoutMs })
          } catch (error) {
            throw new Error(`WebKit could not start again: ${error.message}`)
          }
        }
        const current = session
        const driver = /** @type {import('selenium-webdriver').WebDriver} */ (current.driver)
        try {
          if (current.scriptTimeout !== timeoutMs) {
            await driver.manage().setTimeouts({ script: timeoutMs, pageLoad: timeoutMs })
            current.scriptTimeout = timeoutMs
          }
          await withTimeout(driver.get(bundleServer.pageURL(bundle)), limit, `the page ${stuck}`)
          return current
        } catch (error) {
          // The browser crashed or hung before this file started: not this file's failure.
          session = undefined
          await closeSession(current, false)
          if (retry) return open(false)
          throw new Error(`${error.name}: ${error.message}
${current.log()}`)
        }
      }
      let current
      try {
        current = await open(true)
      } catch (error) {
        return failure(error.message)
      }
      try {
        const driver = /** @type {import('selenium-webdriver').WebDriver} */ (current.driver)
        return await withTimeout(driver.executeAsyncScript(SCRIPT, pageArguments(bundle)), limit, `the file ${stuck}`)
      } catch (error) {
        // A page still running (or a browser gone) must not hold the next file: close it all.
        session = undefined
        await closeSession(current, false)
        return failure(`${error.name}: ${error.message}\n${current.log()}`)
      }
    },
    stop,
  }
}
