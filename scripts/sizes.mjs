#!/usr/bin/env node
// `pnpm sizes`: every bundle size against its budget, and the files that make up each
// (minified bytes before gzip). `--write` also rewrites the "Size" paragraph of the
// package READMEs, which `pnpm test` checks. Needs the packages built (`pnpm sizes` builds).
//
//   node scripts/sizes.mjs [--write]
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { formatRow, measureSizes, overBudget, staleReadmes, writeReadmes } from './test/sizes.mjs'

const root = fileURLToPath(new URL('..', import.meta.url))
const { values: args } = parseArgs({ options: { write: { type: 'boolean', default: false } } })

const rows = await measureSizes(root)
for (const row of rows) {
  console.log(formatRow(row))
  for (const { file, minified } of row.files)
    console.log(`    ${file.padEnd(52)} ${String(minified).padStart(6)} B minified`)
}
if (args.write) {
  writeReadmes(root, rows)
  console.log('package READMEs rewritten')
} else {
  for (const { path } of staleReadmes(root, rows)) console.log(`${path} states other sizes: run pnpm sizes --write`)
}
process.exitCode = rows.some(overBudget) ? 1 : 0
