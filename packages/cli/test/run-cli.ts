/**
 * Runs the `sluice` command as a process, built from the current sources (esbuild, the
 * `sluice-source` condition) so that the test needs no prior build.
 */
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { repositoryFile } from '@sluice/test-support/node'
import * as esbuild from 'esbuild'

const built = new Map<string, Promise<string>>()

export { repositoryFile }

/** A new temporary directory, removed when the test process exits. */
export function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix))
  process.on('exit', () => rmSync(dir, { recursive: true, force: true }))
  return dir
}

/** The path of a bundle of `entry` (a repository path), built once per test file. */
export function bundled(entry = 'packages/cli/src/cli.ts'): Promise<string> {
  let bundle = built.get(entry)
  if (bundle) return bundle
  bundle = (async () => {
    const outfile = join(tempDir('sluice-cli-'), 'bundle.mjs')
    await esbuild.build({
      entryPoints: [repositoryFile(entry)],
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
  built.set(entry, bundle)
  return bundle
}

export interface CLIResult {
  status: number | null
  stdout: string
  stderr: string
}

export interface RunOptions {
  stdin?: string | Uint8Array
  env?: NodeJS.ProcessEnv
  timeoutMs?: number
  /** The script to run, from the repository root. @default the sluice command */
  entry?: string
}

/** Runs `sluice ...args` (or another `entry`) with `stdin` as its input; killed after `timeoutMs`. */
export async function runCLI(
  args: string[],
  { stdin, env = {}, timeoutMs = 20_000, entry }: RunOptions = {},
): Promise<CLIResult> {
  const bundle = await bundled(entry)
  const child = spawn(process.execPath, [bundle, ...args], {
    env: { PATH: process.env['PATH'], ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  })
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
