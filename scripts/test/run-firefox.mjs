// Firefox: headless Debian firefox-esr driven by puppeteer-core over WebDriver BiDi (no
// browser download). Bundles are served from a loopback HTTP server (serve-bundles.mjs);
// each file runs in a fresh page of its own browser context. find-browsers.mjs finds (or
// installs) the executable.
import { dirname, join } from 'node:path'
import puppeteer from 'puppeteer-core'
import { locateBrowser } from './find-browsers.mjs'
import { failure, runInPage, serveBundles, temporaryHome, withTimeout } from './serve-bundles.mjs'

/** How long closing a page may take (a page stuck in a loop may never close). */
const CLOSE_TIMEOUT_MS = 10_000
const LAUNCH_TIMEOUT_MS = 60_000

/**
 * @param {string[]} bundles all in one directory
 * @param {string} [executablePath] found by find-browsers.mjs when not given
 * @returns {Promise<{ version: string, runFile(bundle: string, timeoutMs: number): Promise<any>, stop(): Promise<void> }>}
 */
export async function startFirefox(bundles, executablePath = locateBrowser('firefox').executable) {
  // Firefox writes to $HOME (~/.mozilla, ~/.cache) besides its profile.
  const home = temporaryHome('firefox')
  /** @type {Awaited<ReturnType<typeof serveBundles>> | undefined} */
  let server
  /** @type {import('puppeteer-core').Browser | undefined} */
  let browser
  let launches = 0
  const launch = async () => {
    try {
      return await puppeteer.launch({
        browser: 'firefox',
        executablePath,
        headless: true,
        timeout: LAUNCH_TIMEOUT_MS,
        // No per-call limit of puppeteer's own (180 s by default): runFile's timeout bounds each
        // file, and the corpus file alone takes about 2 minutes in Firefox on a busy 2-core machine.
        protocolTimeout: 0,
        // The profile inside our HOME, a new one per launch: puppeteer removes a profile of
        // its own only when Firefox closes normally, and a crashed Firefox's lock stays.
        userDataDir: join(home.path, `profile-${++launches}`),
        env: { ...process.env, HOME: home.path },
      })
    } catch (error) {
      throw new Error(`Firefox (${executablePath}) could not start: ${error.message.split('\n')[0]}`)
    }
  }
  const stop = async () => {
    try {
      await browser?.close()
    } finally {
      server?.stop()
      home.remove()
    }
  }
  try {
    server = await serveBundles(dirname(bundles[0]))
    browser = await launch()
  } catch (error) {
    await stop().catch(() => {})
    throw error
  }
  const bundleServer = server
  // `firefox/153.8.0`
  const version = (await browser.version()).replace(/^firefox\//i, '')
  return {
    version,
    /** Resolves to what the bundle's `run()` returns; a file that gives no result is a failure. */
    async runFile(bundle, timeoutMs) {
      if (!browser?.connected) {
        // Firefox went away, or a page would not close: the next file gets a new one.
        await browser?.close().catch(() => {})
        try {
          browser = await launch()
        } catch (error) {
          browser = undefined
          return failure(error.message)
        }
      }
      const current = browser
      let context
      try {
        context = await current.createBrowserContext()
        const page = await context.newPage()
        return await runInPage(page, bundleServer.pageURL(bundle), bundle, timeoutMs)
      } catch (error) {
        return failure(`Firefox could not open a page: ${error.message}`)
      } finally {
        const closing = context?.close() ?? Promise.resolve()
        await withTimeout(closing, CLOSE_TIMEOUT_MS, 'closing the page').catch(async () => {
          await current.close().catch(() => {}) // relaunched for the next file
        })
      }
    },
    stop,
  }
}
