/**
 * mulberry32: a small, fast, seeded generator of numbers in [0, 1), so that generated
 * input is the same on every run and every machine. One copy for the benchmarks' inputs
 * (bench/inputs/) and the fuzzer (packages/chat/test/fuzz.ts); Web APIs only, so the
 * fuzzer's bundles run it in every runtime.
 * `mulberry32(0x5eed)()` gives the same number on every run.
 */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}
