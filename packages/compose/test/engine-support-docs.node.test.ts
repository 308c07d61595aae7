// docs/runtimes.md states the support table that engine-support.test.ts probes in every engine.
import { readFileSync } from 'node:fs'
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { supportTable } from '@sluice/test-support'
import { repositoryFile } from '@sluice/test-support/node'

test('docs/runtimes.md states the support table the probes check, verbatim', () => {
  const docs = readFileSync(repositoryFile('docs/runtimes.md'), 'utf8')
  const table = supportTable()
  assert.ok(docs.includes(table), `docs/runtimes.md should contain, verbatim:\n\n${table}\n`)
})

test.run()
