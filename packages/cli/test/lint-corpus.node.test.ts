/**
 * `sluice lint` over the corpus of real captures (packages/chat/test/corpus): clean on what
 * providers normally send, an error only where a stream loses data or ends in an error.
 */
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { lintStream } from '../src/index.ts'
import { repositoryFile } from './run-cli.ts'

const root = repositoryFile('packages/chat/test/corpus')
const captures = readdirSync(root, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .flatMap((provider) => readdirSync(join(root, provider.name)).map((file) => `${provider.name}/${file}`))

/** The captures lint finds an error in, and why each is right to. */
const ERRORS: Record<string, string[]> = {
  // Groq's tool_use_failed and OpenRouter's mid-stream error: the provider ended the stream with an error.
  'groq/pydantic-ai-tool-use-failed-error-streaming.sse': ['provider-error'],
  'groq/pydantic-ai-tool-use-failed-error-streaming-with-text.sse': ['provider-error'],
  'openrouter/pydantic-ai-openrouter-stream-error.sse': ['provider-error'],
  // The cassette's body starts with " data:" (a leading space from how it was assembled): not an event stream.
  'openrouter/llm-tools-streaming-variant-c.sse': ['not-event-stream'],
}

test(`lint over the ${captures.length} real captures: errors only where the stream failed, warnings only for what sluice repairs or a missing [DONE]`, () => {
  assert.ok(captures.length >= 100, `${captures.length} captures`)
  const found: Record<string, string[]> = {}
  const warnings = new Set<string>()
  for (const capture of captures) {
    const { problems } = lintStream(readFileSync(join(root, capture)))
    const errors = problems.filter((problem) => problem.severity === 'error').map((problem) => problem.code)
    if (errors.length > 0) found[capture] = errors
    for (const problem of problems) if (problem.severity === 'warning') warnings.add(problem.code)
  }
  assert.equal(found, ERRORS)
  assert.equal([...warnings].sort(), [
    'content-parts',
    'ignored-field',
    'missing-role',
    'missing-tool-call-index',
    'no-done',
    'reused-tool-call-index',
  ])
})

test.run()
