// Chromium: headless Debian chromium driven by playwright-core (no browser download).
// Bundles are served from a loopback HTTP server (pages opened from file:// cannot
// import ES modules); each file runs in a fresh page.
import { execFileSync } from 'node:child_process'
import { createReadStream, existsSync } from 'node:fs'
import { createServer } from 'node:http'
import { basename, dirname, join } from 'node:path'
import { chromium } from 'playwright-core'

const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome']
const INSTALL_HINT =
  'install Chromium (Debian/Ubuntu: `sudo apt-get update && sudo apt-get install -y chromium`), ' +
  'or set CHROMIUM_PATH to a Chromium or Chrome executable; SLUICE_SKIP_BROWSER=1 skips the browser run'

/**
 * Finds Chromium; as root on a Debian-like machine, installs the `chromium` package
 * when it is missing. Throws with what to install otherwise.
 * @param {(line: string) => void} say
 */
export function findChromium(say) {
  if (process.env.CHROMIUM_PATH) {
    if (existsSync(process.env.CHROMIUM_PATH)) return process.env.CHROMIUM_PATH
    throw new Error(`CHROMIUM_PATH=${process.env.CHROMIUM_PATH} does not exist: ${INSTALL_HINT}`)
  }
  const found = CANDIDATES.find((path) => existsSync(path))
  if (found) return found
  const isRoot = process.getuid?.() === 0
  if (isRoot && existsSync('/usr/bin/apt-get')) {
    say('Chromium is missing: installing the Debian package `chromium` (apt-get, ~1 minute)')
    try {
      execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit' })
      execFileSync('apt-get', ['install', '-y', '-qq', 'chromium'], {
        stdio: 'inherit',
        env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
      })
    } catch (error) {
      throw new Error(`apt-get could not install chromium (${error.message}): ${INSTALL_HINT}`)
    }
    const installed = CANDIDATES.find((path) => existsSync(path))
    if (installed) return installed
  }
  throw new Error(`Chromium was not found${isRoot ? '' : ' (and only root may install it here)'}: ${INSTALL_HINT}`)
}

function serve(dir) {
  const server = createServer((request, response) => {
    const name = basename(new URL(request.url, 'http://x').pathname)
    const file = join(dir, name)
    if (name === '' || name === 'index.html') {
      response.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>sluice tests</title>')
    } else if (name.endsWith('.mjs') && existsSync(file)) {
      response.writeHead(200, { 'content-type': 'text/javascript' })
      createReadStream(file).pipe(response)
    } else {
      response.writeHead(404).end()
    }
  })
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)))
}

/**
 * @param {string[]} bundles all in one directory
 * @param {string} executablePath
 */
export async function startChromium(bundles, executablePath) {
  const server = await serve(dirname(bundles[0]))
  const origin = `http://127.0.0.1:${server.address().port}`
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
    server.close()
    throw new Error(`Chromium (${executablePath}) could not start: ${error.message.split('\n')[0]}`)
  }
  return {
    version: browser.version(),
    /** @returns {Promise<import('./report.mjs').FileResult>} */
    async runFile(bundle, timeoutMs) {
      const page = await browser.newPage()
      const console = []
      page.on('pageerror', (error) => console.push(`page error: ${error.message}`))
      try {
        await page.goto(`${origin}/index.html`)
        const run = page.evaluate(
          async ([url, fixtureURL]) => {
            if (fixtureURL) globalThis.SLUICE_FIXTURE_URL = fixtureURL
            const unhandled = []
            addEventListener('unhandledrejection', (event) => {
              unhandled.push(String(event.reason?.stack ?? event.reason))
              event.preventDefault()
            })
            let result
            try {
              result = await (await import(url)).run()
            } catch (error) {
              result = {
                passed: 0,
                failed: 1,
                skipped: 0,
                errors: `the file failed to load or run: ${error?.stack ?? error}`,
              }
            }
            await new Promise((resolve) => setTimeout(resolve, 20))
            for (const reason of unhandled) {
              result.failed++
              result.errors += `\nunhandled rejection: ${reason}`
            }
            return result
          },
          [`/${basename(bundle)}`, process.env.SLUICE_FIXTURE_URL],
        )
        let timer
        const timeout = new Promise((_, reject) => {
          timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms`)), timeoutMs)
        })
        try {
          return await Promise.race([run, timeout])
        } finally {
          clearTimeout(timer)
        }
      } catch (error) {
        return { passed: 0, failed: 1, skipped: 0, errors: `${error.message}\n${console.join('\n')}` }
      } finally {
        await page.close().catch(() => {})
      }
    },
    async stop() {
      await browser.close()
      server.close()
    },
  }
}
