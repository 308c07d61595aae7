// What the three browser runners (run-chromium.mjs, run-firefox.mjs, run-webkit.mjs) share:
// the loopback HTTP server the bundles are loaded from (pages opened from file:// cannot
// import ES modules), the script that runs one bundle inside a page, the shape of a
// failed file, and a throw-away HOME. The runners differ only in how they drive their browser.
import { createReadStream, existsSync, mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:http'
import { tmpdir } from 'node:os'
import { basename, join } from 'node:path'

/**
 * Serves the `.mjs` files of `dir` and an empty `index.html` on 127.0.0.1 (a free port).
 * Each file gets its own page URL (`index.html?file=…`), so every navigation loads a new
 * document: a fresh global scope and module map, whatever the previous file left behind.
 * @param {string} dir
 * @returns {Promise<{ origin: string, pageURL(bundle: string): string, stop(): void }>}
 */
export async function serveBundles(dir) {
  const server = createServer((request, response) => {
    const name = basename(new URL(request.url ?? '/', 'http://x').pathname)
    const file = join(dir, name)
    const headers = { 'cache-control': 'no-store' }
    if (name === '' || name === 'index.html') {
      response
        .writeHead(200, { ...headers, 'content-type': 'text/html; charset=utf-8' })
        .end('<!doctype html><meta charset="utf-8"><title>sluice tests</title><body></body>')
    } else if (name.endsWith('.mjs') && existsSync(file)) {
      response.writeHead(200, { ...headers, 'content-type': 'text/javascript; charset=utf-8' })
      createReadStream(file).pipe(response)
    } else {
      response.writeHead(404, headers).end()
    }
  })
  await new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(undefined)))
  const address = server.address()
  const origin = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`
  return {
    origin,
    pageURL: (bundle) => `${origin}/index.html?file=${encodeURIComponent(basename(bundle))}`,
    stop() {
      server.closeAllConnections?.()
      server.close()
    },
  }
}

/**
 * What a runner passes to {@link inPageRun} for one bundle.
 * @param {string} bundle
 */
export const pageArguments = (bundle) => ({
  url: `/${basename(bundle)}`,
  fixtureURL: process.env.SLUICE_FIXTURE_URL ?? null,
})

/**
 * Runs in the page (the browsers serialise it with `Function.prototype.toString`, so it
 * uses nothing from this module): imports the bundle, calls its `run()` and resolves to
 * what `run()` returns. An unhandled rejection during the run counts as a failure, as in
 * Node, Deno and Bun. Must stay self-contained.
 * @param {{ url: string, fixtureURL: string | null }} options
 * @returns {Promise<any>}
 */
export async function inPageRun({ url, fixtureURL }) {
  // Firefox's and WebKit's `stack` holds only the frames, not the message.
  const describe = (reason) => {
    if (typeof reason?.stack !== 'string') return String(reason)
    const head = `${reason.name}: ${reason.message}`
    return reason.stack.startsWith(head) ? reason.stack : `${head}\n${reason.stack}`
  }
  if (fixtureURL) globalThis.SLUICE_FIXTURE_URL = fixtureURL
  const unhandled = []
  addEventListener('unhandledrejection', (event) => {
    unhandled.push(describe(event.reason))
    event.preventDefault()
  })
  let result
  try {
    result = await (await import(url)).run()
  } catch (error) {
    result = { passed: 0, failed: 1, skipped: 0, errors: `the file failed to load or run: ${describe(error)}` }
  }
  // Rejections are reported after a task or so; let late ones arrive.
  await new Promise((resolve) => setTimeout(resolve, 20))
  if (unhandled.length === 0) return result
  return {
    ...result,
    failed: (result?.failed ?? 0) + unhandled.length,
    errors: (result?.errors ?? '') + unhandled.map((reason) => `\nunhandled rejection: ${reason}`).join(''),
  }
}

/**
 * A file that did not produce a result of its own.
 * @param {string} errors
 * @returns {import('./report.mjs').FileResult}
 */
export const failure = (errors) => ({ passed: 0, failed: 1, skipped: 0, errors })

/**
 * `promise`, or a rejection after `ms` milliseconds. The loser's outcome is ignored.
 * @template T
 * @param {Promise<T>} promise
 * @param {number} ms
 * @param {string} what names the step in the message
 * @returns {Promise<T>}
 */
export function withTimeout(promise, ms, what) {
  let timer
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms)
  })
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer))
}

/** How many lines of a page's console a failure report shows at most. */
const CONSOLE_LINES = 40

/**
 * Collects what a page logs and throws (playwright and puppeteer pages emit the same
 * `console` and `pageerror` events); register it before the first navigation.
 * @param {{ on(event: string, listener: (value: any) => void): unknown }} page
 * @returns {() => string} the last lines, for a failure report
 */
export function watchPage(page) {
  const lines = []
  page.on('console', (message) => lines.push(`console.${message.type()}: ${message.text()}`))
  page.on('pageerror', (error) => lines.push(`page error: ${error?.message ?? error}`))
  return () => lines.slice(-CONSOLE_LINES).join('\n')
}

/**
 * Opens `url` in a fresh `page` (playwright's or puppeteer's: the same `goto` and `evaluate`)
 * and runs the bundle there; whatever goes wrong is a failed result with the page's last lines.
 * @returns {Promise<any>} what the bundle's `run()` returns
 */
export async function runInPage(page, url, bundle, timeoutMs) {
  const log = watchPage(page)
  try {
    await page.goto(url, { timeout: timeoutMs })
    return await withTimeout(page.evaluate(inPageRun, pageArguments(bundle)), timeoutMs, 'the file')
  } catch (error) {
    return failure(`${error.message}\n${log()}`)
  }
}

/**
 * A temporary folder to be a browser's `HOME` (browsers write caches and settings there),
 * removed by `remove()` or, at the latest, when this process exits.
 * @param {string} browser names the folder
 * @returns {{ path: string, remove(): void }}
 */
export function temporaryHome(browser) {
  const path = mkdtempSync(join(tmpdir(), `sluice-${browser}-home-`))
  const remove = () => {
    process.off('exit', remove)
    rmSync(path, { recursive: true, force: true })
  }
  process.on('exit', remove)
  return { path, remove }
}
