// The stream helpers every package's tests share live with the test harness.
export * from '../../../scripts/test/stream-helpers.ts'
