/**
 * `pnpm bench --quick`: every row, on smaller inputs, with fewer runs (run.ts caps those).
 * Read at import, since the files build their inputs then. `false` where there is no
 * `process` (the bundle of `pnpm bench --runtime`, in a browser or workerd, is told its
 * sizes instead).
 */
export const QUICK = globalThis.process?.argv?.includes('--quick') ?? false

/** `full`, or `quick` with `--quick`. */
export function scaled<T>(full: T, quick: T): T {
  return QUICK ? quick : full
}
