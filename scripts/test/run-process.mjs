// Deno and Bun: one process per test file (like Node), running runtime-child.mjs, which
// prints the counts as its last line.
import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const child = fileURLToPath(new URL('./runtime-child.mjs', import.meta.url))
const require = createRequire(import.meta.url)
const MARKER = 'SLUICE_RESULT '

/** The binary an npm package ships in its platform package (`relative` inside it). */
function shipped(wrapper, platformPackage, relative) {
  try {
    const base = dirname(require.resolve(`${wrapper}/package.json`))
    const path = join(dirname(require.resolve(`${platformPackage}/package.json`, { paths: [base] })), relative)
    if (existsSync(path)) return path
  } catch {}
  return undefined
}

/** How to start each runtime on a test bundle; `undefined` when it is not installed. */
export const runtimes = {
  deno: () => {
    const binary =
      shipped('deno', '@deno/linux-x64-glibc', 'deno') ?? shipped('deno', '@deno/linux-arm64-glibc', 'deno')
    // Reading files and the environment (uvu's colour library asks), loopback network only.
    return (
      binary &&
      ((bundle) => [
        binary,
        ['run', '--quiet', '--no-prompt', '--allow-read', '--allow-env', '--allow-net=127.0.0.1', child, bundle],
      ])
    )
  },
  bun: () => {
    // The bun package's own launcher needs its postinstall; the platform package holds the binary.
    const binary =
      shipped('bun', '@oven/bun-linux-x64', 'bin/bun') ?? shipped('bun', '@oven/bun-linux-x64-baseline', 'bin/bun')
    return binary && ((bundle) => [binary, ['run', child, bundle]])
  },
}

/**
 * @param {(bundle: string) => [string, string[]]} command
 * @returns {Promise<import('./report.mjs').FileResult>}
 */
export function runInProcess(command, bundle, timeoutMs) {
  const [file, args] = command(bundle)
  return new Promise((resolve) => {
    const process_ = spawn(file, args, { stdio: ['ignore', 'pipe', 'pipe'] })
    let output = ''
    process_.stdout.on('data', (data) => (output += data))
    process_.stderr.on('data', (data) => (output += data))
    let problem = ''
    const timer = setTimeout(() => {
      problem = `timed out after ${timeoutMs} ms`
      process_.kill('SIGKILL')
    }, timeoutMs)
    process_.on('error', (error) => (problem = `could not start ${file}: ${error.message}`))
    process_.on('close', (code) => {
      clearTimeout(timer)
      const line = output
        .split('\n')
        .reverse()
        .find((text) => text.startsWith(MARKER))
      if (line && !problem) return resolve(JSON.parse(line.slice(MARKER.length)))
      const tail = output.split('\n').slice(-30).join('\n')
      resolve({
        passed: 0,
        failed: 1,
        skipped: 0,
        errors: `${problem || `exited with code ${code} without a result`}\n${tail}`,
      })
    })
  })
}
