// Runs one web test bundle in Deno or Bun and prints its counts as the last line of
// stdout: `SLUICE_RESULT {json}`. An unhandled rejection is a failure of the file.
import { runBundle } from './run-bundle.mjs'

const bundle = globalThis.Deno ? globalThis.Deno.args[0] : process.argv[2]
const fixtureURL = globalThis.Deno ? globalThis.Deno.env.get('SLUICE_FIXTURE_URL') : process.env.SLUICE_FIXTURE_URL
if (fixtureURL) globalThis.SLUICE_FIXTURE_URL = fixtureURL
const unhandled = []
if (globalThis.Deno) {
  globalThis.addEventListener('unhandledrejection', (event) => {
    unhandled.push(event.reason)
    event.preventDefault()
  })
} else {
  process.on('unhandledRejection', (reason) => unhandled.push(reason))
}

const cwd = globalThis.Deno ? globalThis.Deno.cwd() : process.cwd()
const result = await runBundle(new URL(bundle, `file://${cwd}/`).href, unhandled)
console.log(`SLUICE_RESULT ${JSON.stringify(result)}`)
