// Runs one web test bundle in Deno or Bun and prints its counts as the last line of
// stdout: `SLUICE_RESULT {json}`. An unhandled rejection is a failure of the file.
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

let result
try {
  const module = await import(new URL(bundle, `file://${globalThis.Deno ? globalThis.Deno.cwd() : process.cwd()}/`).href)
  result = await module.run()
} catch (error) {
  result = { passed: 0, failed: 1, skipped: 0, errors: `the file failed to load: ${error?.stack ?? error}` }
}
await new Promise((resolve) => setTimeout(resolve, 20))
for (const reason of unhandled) {
  result.failed++
  result.errors += `\nunhandled rejection: ${reason?.stack ?? reason}`
}
console.log(`SLUICE_RESULT ${JSON.stringify(result)}`)
