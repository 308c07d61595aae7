// Runs one test bundle in this Node process and sends its counts to the parent over IPC.
// An unhandled rejection during the run is a failure of the file, not a silent warning.
import { pathToFileURL } from 'node:url'

const [bundle] = process.argv.slice(2)
if (process.env.SLUICE_FIXTURE_URL) globalThis.SLUICE_FIXTURE_URL = process.env.SLUICE_FIXTURE_URL
const unhandled = []
process.on('unhandledRejection', (reason) => {
  // A test that provokes a known runtime bug can claim the rejection it expects
  // (globalThis.SLUICE_EXPECTED_REJECTION = (reason) => boolean); any other one counts.
  if (globalThis.SLUICE_EXPECTED_REJECTION?.(reason)) return
  unhandled.push(reason)
})

let result
try {
  const module = await import(pathToFileURL(bundle).href)
  result = await module.run()
} catch (error) {
  result = { passed: 0, failed: 1, skipped: 0, errors: `the file failed to load: ${error?.stack ?? error}` }
}
// Rejections are reported as unhandled only after the microtask queue drains.
await new Promise((resolve) => setTimeout(resolve, 20))
for (const reason of unhandled) {
  result.failed++
  result.errors += `\nunhandled rejection: ${reason?.stack ?? reason}`
}
process.send(result, () => process.disconnect())
