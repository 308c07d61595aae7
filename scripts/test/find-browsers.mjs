// Finds the browsers a test run needs, in one step before any runtime starts. When some
// are missing and we are root on a Debian-like machine, installs them with ONE
// `apt-get update` and ONE `apt-get install` (the runtimes run side by side: separate
// apt-get runs would fight over the dpkg lock). Otherwise a missing browser is an error
// that says exactly what to install; the caller counts it as a failure of that runtime.
import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'

/**
 * @typedef {{ env?: string, candidates: string[] }} Binary where to look: `env` (when set,
 *   the only place looked at), else the first candidate that exists
 * @typedef {{ label: string, packages: string[], skip: string, binaries: Record<string, Binary>, hint: string }} Browser
 */

/** @type {Record<string, Browser>} */
export const BROWSERS = {
  chromium: {
    label: 'Chromium',
    packages: ['chromium'],
    skip: 'SLUICE_SKIP_CHROMIUM',
    binaries: {
      executable: {
        env: 'CHROMIUM_PATH',
        candidates: ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'],
      },
    },
    hint: 'or set CHROMIUM_PATH to a Chromium or Chrome executable',
  },
  firefox: {
    label: 'Firefox',
    packages: ['firefox-esr'],
    skip: 'SLUICE_SKIP_FIREFOX',
    binaries: {
      executable: { env: 'FIREFOX_PATH', candidates: ['/usr/bin/firefox-esr', '/usr/bin/firefox'] },
    },
    hint: 'or set FIREFOX_PATH to a Firefox executable',
  },
  // WebKitGTK's MiniBrowser (not on PATH), driven by WebKitWebDriver, shown on an Xvfb display.
  webkit: {
    label: 'WebKit',
    packages: ['webkit2gtk-driver', 'xvfb', 'xauth'],
    skip: 'SLUICE_SKIP_WEBKIT',
    binaries: {
      driver: { candidates: ['/usr/bin/WebKitWebDriver'] },
      miniBrowser: {
        candidates: ['x86_64-linux-gnu', 'aarch64-linux-gnu'].flatMap((triplet) => [
          `/usr/lib/${triplet}/webkit2gtk-4.1/MiniBrowser`,
          `/usr/lib/${triplet}/webkitgtk-6.0/MiniBrowser`,
        ]),
      },
      xvfb: { candidates: ['/usr/bin/Xvfb'] },
    },
    hint: 'the packages provide /usr/bin/WebKitWebDriver, MiniBrowser and Xvfb',
  },
}

/** Thrown when a browser is not where we look; `installable` when apt-get could fix it. */
class BrowserMissingError extends Error {
  /**
   * @param {string} message
   * @param {boolean} installable
   */
  constructor(message, installable) {
    super(message)
    this.name = 'BrowserMissingError'
    this.installable = installable
  }
}

/** What to install, in a sentence. */
function installHint(name) {
  const browser = BROWSERS[name]
  const packages = browser.packages.join(' ')
  return (
    `install it (Debian/Ubuntu: \`sudo apt-get update && sudo apt-get install -y ${packages}\`; ${browser.hint}); ` +
    `${browser.skip}=1 skips ${browser.label} on purpose, SLUICE_SKIP_BROWSER=1 all three browsers`
  )
}

/**
 * The paths of one browser's binaries, without installing anything.
 * @param {string} name `chromium`, `firefox` or `webkit`
 * @param {(path: string) => boolean} [exists]
 * @returns {Record<string, string>} e.g. `{ executable }`, or `{ driver, miniBrowser, xvfb }` for WebKit
 */
export function locateBrowser(name, exists = existsSync) {
  const browser = BROWSERS[name]
  if (!browser) throw new Error(`unknown browser ${name}`)
  /** @type {Record<string, string>} */
  const found = {}
  for (const [part, { env, candidates }] of Object.entries(browser.binaries)) {
    const fromEnv = env && process.env[env]
    if (fromEnv) {
      if (!exists(fromEnv)) {
        throw new BrowserMissingError(`${env}=${fromEnv} does not exist: ${installHint(name)}`, false)
      }
      found[part] = fromEnv
      continue
    }
    const path = candidates.find((candidate) => exists(candidate))
    if (!path) {
      throw new BrowserMissingError(
        `${browser.label} was not found (looked for ${candidates.join(', ')}): ${installHint(name)}`,
        true,
      )
    }
    found[part] = path
  }
  return found
}

/**
 * Finds every browser in `names`, installing the missing ones first when it can.
 * @param {string[]} names
 * @param {(line: string) => void} say
 * @param {{ exists?: (path: string) => boolean, exec?: typeof execFileSync, isRoot?: boolean }} [seams] for trying the logic out
 * @returns {Map<string, { binaries: Record<string, string> } | { error: Error }>}
 */
export function findBrowsers(names, say, seams = {}) {
  const { exists = existsSync, exec = execFileSync, isRoot = process.getuid?.() === 0 } = seams
  /** @type {Map<string, { binaries: Record<string, string> } | { error: Error }>} */
  const results = new Map()
  const locate = (name) => {
    try {
      results.set(name, { binaries: locateBrowser(name, exists) })
    } catch (error) {
      results.set(name, { error })
    }
  }
  for (const name of names) locate(name)
  const missing = names.filter((name) => {
    const result = results.get(name)
    return result && 'error' in result && result.error instanceof BrowserMissingError && result.error.installable
  })
  if (missing.length === 0) return results
  if (!isRoot || !exists('/usr/bin/apt-get')) {
    const why = isRoot ? 'apt-get is not available here' : 'only root may install it here'
    for (const name of missing) {
      const { error } = /** @type {{ error: Error }} */ (results.get(name))
      results.set(name, { error: new Error(`${error.message} (not installed automatically: ${why})`) })
    }
    return results
  }
  const packages = [...new Set(missing.flatMap((name) => BROWSERS[name].packages))]
  say(`missing: ${missing.join(', ')}; installing the Debian packages ${packages.join(' ')} (apt-get, ~1 minute)`)
  try {
    exec('apt-get', ['update', '-qq'], { stdio: 'inherit' })
    exec('apt-get', ['install', '-y', '-qq', ...packages], {
      stdio: 'inherit',
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    })
  } catch (error) {
    for (const name of missing) {
      results.set(name, {
        error: new Error(`apt-get could not install ${packages.join(' ')} (${error.message}): ${installHint(name)}`),
      })
    }
    return results
  }
  for (const name of missing) locate(name)
  return results
}
