// Bundle sizes: each package's ESM entry (its workspace dependencies left out) and a few
// apps that import one thing, minified with esbuild and gzipped, next to the budgets of
// the size issue and to eventsource-parser/stream measured the same way.
import { gzipSync } from 'node:zlib'
import * as esbuild from 'esbuild'

const BUDGETS = { '@sluice/lines': 1024, '@sluice/sse': 2048, 'app: SSEStream only': 1536, 'the four packages together': 5120 }

async function gzipped(contents, resolveDir, external = []) {
  const result = await esbuild.build({
    stdin: { contents, resolveDir, loader: 'js' },
    bundle: true,
    minify: true,
    format: 'esm',
    write: false,
    external,
    logLevel: 'silent',
  })
  return gzipSync(result.outputFiles[0].contents, { level: 9 }).length
}

/** @returns {Promise<{ name: string, bytes: number, budget?: number }[]>} (needs the packages built) */
export async function measureSizes(root) {
  const rows = []
  const names = ['lines', 'sse', 'openai', 'accumulator', 'compose']
  const from = `${root}/bench` // the bench package depends on every package
  for (const name of names) {
    const others = names.filter((other) => other !== name).map((other) => `@sluice/${other}`)
    rows.push({ name: `@sluice/${name}`, bytes: await gzipped(`export * from '@sluice/${name}'`, from, others) })
  }
  rows.push({ name: 'app: SSEStream only', bytes: await gzipped(`export { SSEStream } from '@sluice/sse'`, from) })
  rows.push({ name: 'app: ChatChunkStream only', bytes: await gzipped(`export { ChatChunkStream } from '@sluice/openai'`, from) })
  rows.push({
    name: 'the four packages together',
    bytes: await gzipped(['lines', 'sse', 'openai', 'accumulator'].map((name) => `export * from '@sluice/${name}'`).join('\n'), from),
  })
  rows.push({ name: 'eventsource-parser/stream (reference)', bytes: await gzipped(`export { EventSourceParserStream } from 'eventsource-parser/stream'`, from) })
  return rows.map((row) => ({ ...row, budget: BUDGETS[row.name] }))
}
