// Chromium: headless Debian chromium driven by playwright-core (no browser download).
// Bundles are served from a loopback HTTP server (serve-bundles.mjs); each file runs in
// a fresh page. find-browsers.mjs finds (or installs) the executable.
import { dirname } from 'node:path'
import { chromium } from 'playwright-core'
import { locateBrowser } from './find-browsers.mjs'
import { runInPage, serveBundles, withTimeout } from './serve-bundles.mjs'

/** How long closing a page may take (a page stuck in a loop may never close). */
const CLOSE_TIMEOUT_MS = 10_000

/**
 * @param {string[]} bundles all in one directory
 * @param {string} [executablePath] found by find-browsers.mjs when not given
 * @returns {Promise<{ version: string, runFile(bundle: string, timeoutMs: number): Promise<any>, stop(): Promise<void> }>}
 */
export async function startChromium(bundles, executablePath = locateBrowser('chromium').executable) {
  const server = await serveBundles(dirname(bundles[0]))
  let browser
  try {
    browser = await chromium.launch({
      executablePath,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-dev-shm-usage',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    })
  } catch (error) {
    server.stop()
    throw new Error(`Chromium (${executablePath}) could not start: ${error.message.split('\n')[0]}`)
  }
  return {
    version: browser.version(),
    /** Resolves to what the bundle's `run()` returns; a file that gives no result is a failure. */
    async runFile(bundle, timeoutMs) {
      const page = await browser.newPage()
      try {
        return await runInPage(page, server.pageURL(bundle), bundle, timeoutMs)
      } finally {
        await withTimeout(page.close(), CLOSE_TIMEOUT_MS, 'closing the page').catch(() => {})
      }
    },
    async stop() {
      try {
        await browser.close()
      } finally {
        server.stop()
      }
    },
  }
}
