/**
 * `pnpm bench --quick`: every row, on smaller inputs, with fewer runs (run.ts caps those).
 * Read at import, since the files build their inputs then.
 */
export const QUICK = process.argv.includes('--quick')

/** `full`, or `quick` with `--quick`. */
export function scaled<T>(full: T, quick: T): T {
  return QUICK ? quick : full
}
