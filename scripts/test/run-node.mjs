// Node: one child process per test file, so a file cannot disturb another, and a file
// that leaves handles open (a server not closed, a timer) is caught.
import { fork } from 'node:child_process'
import { fileURLToPath } from 'node:url'

const child = fileURLToPath(new URL('./node-child.mjs', import.meta.url))
/** How long a file may take to exit once its tests are done. */
const EXIT_GRACE_MS = 5000

/**
 * @param {string} bundle
 * @param {number} timeoutMs
 * @returns {Promise<import('./report.mjs').FileResult>}
 */
export function runNodeFile(bundle, timeoutMs) {
  return new Promise((resolve) => {
    const node = fork(child, [bundle], { execArgv: ['--enable-source-maps'], stdio: ['ignore', 'pipe', 'pipe', 'ipc'] })
    let output = ''
    let result
    let problem = ''
    node.stdout.on('data', (data) => (output += data))
    node.stderr.on('data', (data) => (output += data))
    const kill = (why) => {
      problem = why
      node.kill('SIGKILL')
    }
    let timer = setTimeout(() => kill(`timed out after ${timeoutMs} ms`), timeoutMs)
    node.on('message', (message) => {
      result = message
      clearTimeout(timer)
      timer = setTimeout(
        () => kill(`did not exit ${EXIT_GRACE_MS} ms after its tests finished (open handles?)`),
        EXIT_GRACE_MS,
      )
    })
    // 'close', not 'exit': 'exit' can come before the IPC message with the result has been
    // read (a child that sends its result and exits at once, on a loaded machine); 'close'
    // waits for the stdio streams and the IPC channel to close.
    node.on('close', (code, signal) => {
      clearTimeout(timer)
      const base = result ?? { passed: 0, failed: 0, skipped: 0, errors: '' }
      if (!result && !problem) problem = `the Node process exited (code ${code}, signal ${signal}) without a result`
      if (!problem) return resolve(base)
      const lastOutput = output.split('\n').slice(-30).join('\n')
      resolve({ ...base, failed: base.failed + 1, errors: `${base.errors}\n${problem}\n${lastOutput}` })
    })
  })
}
