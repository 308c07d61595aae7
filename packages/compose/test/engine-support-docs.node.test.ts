// docs/runtimes.md states the support table that engine-support.test.ts probes in every engine.
import { readFileSync } from 'node:fs'
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { supportTable } from '@sluice/test-support'
import { repositoryFile } from '@sluice/test-support/node'

/** A Markdown table's lines with their cells trimmed and dash runs shortened: as written, whatever the padding Biome adds. */
function normalized(lines: string[]): string[] {
  return lines.map((line) =>
    line
      .split('|')
      .slice(1, -1)
      .map((cell) => cell.trim().replace(/^(:?)-+(:?)$/, '$1-$2'))
      .join('|'),
  )
}

test('docs/runtimes.md states the support table the probes check', () => {
  const docs = readFileSync(repositoryFile('docs/runtimes.md'), 'utf8').split('\n')
  const expected = normalized(supportTable().split('\n'))
  const start = normalized(docs).indexOf(expected[0]!)
  assert.ok(start >= 0, `docs/runtimes.md has no support table; it should state:\n\n${supportTable()}\n`)
  assert.equal(normalized(docs.slice(start, start + expected.length)), expected, 'the table in docs/runtimes.md')
})

test.run()
