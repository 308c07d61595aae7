export const KiB = 1024
export const MiB = 1024 * KiB

/** `4.00 MiB`, `256 KiB`, `64.4 KiB`, `64 B`. */
export function formatSize(bytes: number): string {
  if (bytes >= MiB) return `${(bytes / MiB).toFixed(2)} MiB`
  if (bytes >= KiB) return `${(bytes / KiB).toFixed(bytes % KiB === 0 ? 0 : 1)} KiB`
  return `${bytes} B`
}
