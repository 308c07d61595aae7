// Finds the test files of every workspace package: packages/<name>/test/**/*.test.ts
// (and docs/examples/<name>/test). `*.node.test.ts` files may import `node:*` and run only
// in Node; `*.browser.test.ts` files use the DOM and run only in the browsers (Chromium,
// Firefox and WebKit); the others run in every runtime.
import { readdirSync, existsSync } from 'node:fs'
import { join, relative } from 'node:path'

/** @typedef {{ path: string, name: string, nodeOnly: boolean, browserOnly: boolean }} TestFile */

const TEST_FILE = /\.test\.ts$/
const NODE_ONLY = /\.node\.test\.ts$/
const BROWSER_ONLY = /\.browser\.test\.ts$/

function* walk(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) yield* walk(path)
    else if (TEST_FILE.test(entry.name)) yield path
  }
}

/**
 * @param {string} root the workspace root
 * @param {string | undefined} filter only files whose path contains this text
 * @returns {TestFile[]}
 */
export function discoverTests(root, filter) {
  const files = []
  for (const parent of ['packages', 'docs/examples']) {
    const base = join(root, parent)
    if (!existsSync(base)) continue
    for (const entry of readdirSync(base, { withFileTypes: true })) {
      const testDir = join(base, entry.name, 'test')
      if (!entry.isDirectory() || !existsSync(testDir)) continue
      for (const path of walk(testDir)) {
        const name = relative(root, path)
        if (filter && !name.includes(filter)) continue
        files.push({ path, name, nodeOnly: NODE_ONLY.test(name), browserOnly: BROWSER_ONLY.test(name) })
      }
    }
  }
  return files.sort((a, b) => a.name.localeCompare(b.name))
}
