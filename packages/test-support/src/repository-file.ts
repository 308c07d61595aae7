import { existsSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

/** `path` (from the repository root), found from wherever this file was bundled to (the harness bundles tests under .cache/). */
export function repositoryFile(path: string): string {
  for (let dir = dirname(fileURLToPath(import.meta.url)); dir !== dirname(dir); dir = dirname(dir)) {
    const candidate = join(dir, path)
    if (existsSync(join(dir, 'pnpm-workspace.yaml')) && existsSync(candidate)) return candidate
  }
  throw new Error(`${path} not found above this test`)
}
