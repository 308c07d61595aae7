// Bundle sizes: each package's ESM entry (its workspace dependencies left out) and a few
// apps that import one thing, minified with esbuild and gzipped, next to their budgets and
// to eventsource-parser/stream measured the same way. `pnpm test` fails when a size is over
// its budget or when a package README states another size; `pnpm sizes --write` rewrites
// the READMEs (docs/size.md explains the budgets).
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import * as esbuild from 'esbuild'

const PACKAGES = [
  'lines',
  'sse',
  'openai',
  'accumulator',
  'compose',
  'formats',
  'anthropic',
  'responses',
  'gemini',
  'json',
]
const FOUR = ['lines', 'sse', 'openai', 'accumulator']
const REFERENCE = 'eventsource-parser/stream'

/**
 * What is measured: `entry` is the app's source; `external`, the packages left out;
 * `readme`, the package whose README states the size; `reference`, the row measured for
 * comparison. Budgets (bytes, gzipped): the measured size when they were set plus about
 * 8 %, so that growth is a decision.
 */
const ROWS = [
  ...PACKAGES.map((name) => ({
    name: `@sluice/${name}`,
    entry: `export * from '@sluice/${name}'`,
    external: PACKAGES.filter((other) => other !== name).map((other) => `@sluice/${other}`),
    readme: name,
    budget: {
      lines: 2432,
      sse: 3200,
      openai: 4736,
      accumulator: 4800,
      compose: 4224,
      formats: 1856,
      anthropic: 5248,
      responses: 7040,
      gemini: 5184,
      json: 3264,
    }[name],
  })),
  { name: 'app: SSEStream only', entry: `export { SSEStream } from '@sluice/sse'`, readme: 'sse', budget: 7232 },
  {
    name: 'app: ChatChunkStream only',
    entry: `export { ChatChunkStream } from '@sluice/openai'`,
    readme: 'openai',
    budget: 10944,
  },
  {
    name: 'app: partialJSON only',
    entry: `export { partialJSON } from '@sluice/json'`,
    readme: 'json',
    budget: 2784,
  },
  {
    name: 'the four packages together',
    entry: FOUR.map((name) => `export * from '@sluice/${name}'`).join('\n'),
    readme: 'accumulator',
    budget: 16512,
  },
  {
    name: `${REFERENCE} (reference)`,
    entry: `export { EventSourceParserStream } from '${REFERENCE}'`,
    reference: true,
  },
]

async function bundle(contents, resolveDir, external = []) {
  const result = await esbuild.build({
    stdin: { contents, resolveDir, loader: 'js' },
    bundle: true,
    minify: true,
    format: 'esm',
    write: false,
    external,
    metafile: true,
    logLevel: 'silent',
  })
  const [output] = Object.values(result.metafile.outputs)
  const files = Object.entries(output.inputs)
    .filter(([, { bytesInOutput }]) => bytesInOutput > 0)
    .map(([file, { bytesInOutput }]) => ({ file: file.replace(/^(\.\.\/)+/, ''), minified: bytesInOutput }))
  return { bytes: gzipSync(result.outputFiles[0].contents, { level: 9 }).length, files }
}

/**
 * @returns {Promise<{ name: string, bytes: number, budget?: number, readme?: string, reference?: boolean, files: { file: string, minified: number }[] }[]>}
 *   (needs the packages built)
 */
export async function measureSizes(root) {
  const from = join(root, 'bench') // the bench package depends on every package
  const rows = []
  for (const { entry, external, ...row } of ROWS) rows.push({ ...row, ...(await bundle(entry, from, external)) })
  return rows
}

const README_HEADING = '## Size\n\n'

/** The first paragraph of a package README's "Size" section, from the measurements. */
function sizeParagraph(name, rows) {
  const [own, ...apps] = rows.filter((row) => row.readme === name)
  const reference = rows.find((row) => row.reference)
  const sentences = [
    `${own.bytes} B minified and gzipped (ESM entry, other sluice packages not counted; budget ${own.budget} B).`,
    ...apps.map((app) => `${describeApp(app.name)} ${app.bytes} B (budget ${app.budget} B).`),
    `\`pnpm test\` fails when a size is over its budget; \`pnpm sizes\` prints them all, file by`,
    `file (esbuild \`--minify\`, gzip -9); ${REFERENCE} measures ${reference.bytes} B the same`,
    `way. Why the budgets are what they are: [docs/size.md](../../docs/size.md).`,
  ]
  return sentences.join('\n')
}

/** 'app: SSEStream only' -> 'An app importing only `SSEStream` measures'. */
function describeApp(name) {
  const only = /^app: (\w+) only$/.exec(name)
  return only ? `An app importing only \`${only[1]}\` measures` : `${name[0].toUpperCase()}${name.slice(1)} measure`
}

function readmeParts(root, name) {
  const path = join(root, 'packages', name, 'README.md')
  const text = readFileSync(path, 'utf8')
  const start = text.indexOf(README_HEADING)
  if (start === -1) throw new Error(`${path} has no "## Size" section`)
  const from = start + README_HEADING.length
  const end = text.indexOf('\n\n', from)
  return { path, text, from, to: end === -1 ? text.trimEnd().length : end }
}

/** READMEs whose "Size" paragraph is not what the measurements give: `[{ path, expected, found }]`. */
export function staleReadmes(root, rows) {
  return PACKAGES.flatMap((name) => {
    const { path, text, from, to } = readmeParts(root, name)
    const expected = sizeParagraph(name, rows)
    const found = text.slice(from, to)
    return found === expected ? [] : [{ path, expected, found }]
  })
}

/** Rewrites the "Size" paragraph of every package README from the measurements. */
export function writeReadmes(root, rows) {
  for (const name of PACKAGES) {
    const { path, text, from, to } = readmeParts(root, name)
    writeFileSync(path, text.slice(0, from) + sizeParagraph(name, rows) + text.slice(to))
  }
}

/** Whether a row has a budget and is over it. */
export function overBudget({ bytes, budget }) {
  return budget !== undefined && bytes > budget
}

/** One line per row: size, budget, and "over" when it is. */
export function formatRow(row) {
  const { name, bytes, budget } = row
  const outcome = budget === undefined ? '' : `  (budget ${budget} B${overBudget(row) ? ', OVER' : ''})`
  return `${name.padEnd(40)} ${String(bytes).padStart(6)} B${outcome}`
}
