// Runs the suites that a test bundle queued (see uvu-defer.mjs) and returns the counts
// as data: { passed, failed, skipped, errors }.
import { queue } from './uvu-defer.mjs'

export async function run() {
  const runners = queue[0].slice(1)
  const result = { passed: 0, failed: 0, skipped: 0, errors: '' }
  if (runners.length === 0) {
    result.failed = 1
    result.errors = 'the file queued no test suite (is test.run() missing?)'
    return result
  }
  for (const runner of runners) {
    // uvu's runner resolves to [errors | true, passed, skipped, total].
    const [errors, passed, skipped, total] = await runner()
    result.passed += passed
    result.failed += total - passed
    result.skipped += skipped
    if (errors !== true) result.errors += errors
  }
  return result
}
