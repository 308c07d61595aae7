// Runs one test bundle in this Node process and sends its counts to the parent over IPC.
// An unhandled rejection during the run is a failure of the file, not a silent warning.
import { pathToFileURL } from 'node:url'
import { runBundle } from './run-bundle.mjs'

const [bundle] = process.argv.slice(2)
if (process.env.SLUICE_FIXTURE_URL) globalThis.SLUICE_FIXTURE_URL = process.env.SLUICE_FIXTURE_URL
const unhandled = []
process.on('unhandledRejection', (reason) => {
  // A test that provokes a known runtime bug can claim the rejection it expects
  // (globalThis.SLUICE_EXPECTED_REJECTION = (reason) => boolean); any other one counts.
  if (globalThis.SLUICE_EXPECTED_REJECTION?.(reason)) return
  unhandled.push(reason)
})

const result = await runBundle(pathToFileURL(bundle).href, unhandled)
process.send(result, () => process.disconnect())
