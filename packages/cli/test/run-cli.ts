/**
 * Runs the `sluice` command as a process, built from the current sources (esbuild, the
 * `sluice-source` condition) so that the test needs no prior build.
 */
import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import * as esbuild from 'esbuild'

let built: Promise<string> | undefined

/** packages/cli/src/cli.ts, found from wherever this file was bundled to (the harness bundles tests under .cache/). */
function cliSource(): string {
  for (let dir = dirname(fileURLToPath(import.meta.url)); dir !== dirname(dir); dir = dirname(dir)) {
    const candidate = join(dir, 'packages', 'cli', 'src', 'cli.ts')
    if (existsSync(candidate)) return candidate
  }
  throw new Error('packages/cli/src/cli.ts not found above this test')
}

/** The path of a bundle of src/cli.ts, built once per test file. */
export function cliBundle(): Promise<string> {
  built ??= (async () => {
    const outfile = join(mkdtempSync(join(tmpdir(), 'sluice-cli-')), 'cli.mjs')
    await esbuild.build({
      entryPoints: [cliSource()],
      outfile,
      bundle: true,
      format: 'esm',
      platform: 'node',
      target: 'node20',
      conditions: ['sluice-source'],
      logLevel: 'silent',
    })
    return outfile
  })()
  return built
}

export interface CLIResult {
  status: number | null
  stdout: string
  stderr: string
}

/** Runs `sluice ...args` with `stdin` as its input; killed after `timeoutMs`. */
export async function runCLI(args: string[], { stdin, env = {}, timeoutMs = 20_000 }: { stdin?: string | Uint8Array; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): Promise<CLIResult> {
  const bundle = await cliBundle()
  const child = spawn(process.execPath, [bundle, ...args], { env: { PATH: process.env['PATH'], ...env }, stdio: ['pipe', 'pipe', 'pipe'] })
  let stdout = ''
  let stderr = ''
  child.stdout.setEncoding('utf8').on('data', (text: string) => (stdout += text))
  child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text))
  child.stdin.end(stdin ?? '')
  const timer = setTimeout(() => child.kill(), timeoutMs)
  const status = await new Promise<number | null>((resolve) => child.on('close', resolve))
  clearTimeout(timer)
  return { status, stdout, stderr }
}
