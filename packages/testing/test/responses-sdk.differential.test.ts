/**
 * Generated OpenAI Responses streams of every shape (the mocks in `format:
 * 'openai-responses'`: text, reasoning, one and several function calls, an error, a cut at
 * every event) read by the official `openai` SDK (`responses.stream()`, through a custom
 * fetch) and by `@sluice/responses`: the same final response, or both fail. Cut at any
 * event, sluice says `truncated`; the SDK's `finalResponse()` resolves with the partial
 * response it had (status `in_progress`), as if the stream had ended.
 */
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import OpenAI from 'openai'
import { accumulateResponse, ResponseEventStream } from '@sluice/responses'
import { bytes, fromChunks } from '@sluice/test-support'
import { mockChatBody, type MockChatOptions } from '../src/index.ts'
import { SHAPES } from './answers.ts'

const body = (options: MockChatOptions) =>
  new TextDecoder().decode(mockChatBody({ ...options, format: 'openai-responses' }))

/** The SDK's parse helpers' fields (`output_parsed`, a text part's `parsed`, a call's `parsed_arguments`), left out. */
const SDK_HELPERS = new Set(['output_parsed', 'parsed', 'parsed_arguments'])
const withoutHelpers = (value: unknown): unknown =>
  JSON.parse(JSON.stringify(value), (key, field) => (SDK_HELPERS.has(key) ? undefined : field))

async function sdk(text: string): Promise<{ response?: unknown; error?: unknown }> {
  const client = new OpenAI({
    apiKey: 'test',
    dangerouslyAllowBrowser: true, // the browser runtimes of the suite; the key is a placeholder
    maxRetries: 0,
    fetch: async () => new Response(text, { headers: { 'content-type': 'text/event-stream' } }),
  })
  try {
    const response = await client.responses.stream({ model: 'test', input: 'hi' }).finalResponse()
    return { response: withoutHelpers(response) }
  } catch (error) {
    return { error }
  }
}

async function sluice(text: string): Promise<{ response?: unknown; error?: unknown; status: string }> {
  const events = new ResponseEventStream()
  try {
    const response = await accumulateResponse(fromChunks([bytes(text)]).pipeThrough(events))
    return { response: JSON.parse(JSON.stringify(response)), status: (await events.outcome).status }
  } catch (error) {
    return { error, status: (await events.outcome).status }
  }
}

for (const [shape, options] of Object.entries(SHAPES)) {
  test(`${shape}: the SDK's final response and sluice's are the same`, async () => {
    const text = body(options)
    const [theirs, ours] = await Promise.all([sdk(text), sluice(text)])
    assert.ok(theirs.response, String(theirs.error))
    assert.equal(ours.response, theirs.response)
    assert.is(ours.status, 'complete')
  })

  test(`${shape}: cut at every event, sluice says truncated; the SDK's finalResponse() resolves with the partial response`, async () => {
    const text = body(options)
    const ends = [...text.matchAll(/\n\n/g)].map((match) => match.index + 2).slice(0, -1)
    assert.ok(ends.length >= 4)
    for (const end of ends) {
      const cut = text.slice(0, end)
      const [theirs, ours] = await Promise.all([sdk(cut), sluice(cut)])
      assert.is(ours.status, 'truncated', `cut at ${end}`)
      assert.ok(ours.error, `cut at ${end}: sluice raises the truncation`)
      assert.is((ours.error as Error).name, 'TruncatedResponseError')
      // The SDK takes the snapshot it had when the body ended for the final response.
      assert.ok(theirs.response, `cut at ${end}: finalResponse() resolves (${String(theirs.error)})`)
      assert.is.not((theirs.response as { status?: string }).status, 'completed', `cut at ${end}`)
    }
  })
}

test('an error event: both fail with the error', async () => {
  const text = body({
    text: 'a b c d e',
    faults: [{ kind: 'provider-error', afterChunks: 3, code: 'server_error' }],
  })
  const [theirs, ours] = await Promise.all([sdk(text), sluice(text)])
  assert.instance(theirs.error, OpenAI.APIError)
  assert.is((theirs.error as InstanceType<typeof OpenAI.APIError>).code, 'server_error')
  assert.is((ours.error as Error).name, 'ProviderError')
  assert.is((ours.error as { providerCode?: unknown }).providerCode, 'server_error')
  assert.is(ours.status, 'error')
})

test.run()
