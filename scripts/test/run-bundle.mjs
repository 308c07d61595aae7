// Shared by the Node, Deno and Bun children: imports one test bundle, runs it, and adds
// the unhandled rejections seen meanwhile as failures.

/**
 * @param {string} href the bundle's file URL
 * @param {unknown[]} unhandled filled by the caller's runtime-specific listener
 * @returns {Promise<import('./report.mjs').FileResult>}
 */
export async function runBundle(href, unhandled) {
  let result
  try {
    result = await (await import(href)).run()
  } catch (error) {
    result = { passed: 0, failed: 1, skipped: 0, errors: `the file failed to load: ${error?.stack ?? error}` }
  }
  // Rejections are reported as unhandled only after the microtask queue drains.
  await new Promise((resolve) => setTimeout(resolve, 20))
  for (const reason of unhandled) {
    result.failed++
    result.errors += `\nunhandled rejection: ${reason?.stack ?? reason}`
  }
  return result
}
