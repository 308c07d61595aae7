/** The mock server's POST /v1/responses (issue #20): the openai SDK streams the scripted answer, faults included. */
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import OpenAI from 'openai'
import { startMockServer, type MockServerOptions } from '../src/node/index.ts'

async function withServer(options: MockServerOptions, body: (baseURL: string) => Promise<void>): Promise<void> {
  const server = await startMockServer({ speed: Number.POSITIVE_INFINITY, ...options })
  try {
    // The openai SDK appends /responses to its base URL, which ends with /v1.
    await body(server.url)
  } finally {
    await server.close()
  }
}

const client = (baseURL: string) => new OpenAI({ apiKey: 'test', baseURL, maxRetries: 0 })

/** The text of a response's message items (the streamed final response has no `output_text`). */
const outputText = (response: OpenAI.Responses.Response) =>
  response.output
    .flatMap((item) => (item.type === 'message' ? item.content : []))
    .map((part) => (part.type === 'output_text' ? part.text : ''))
    .join('')

test('the openai SDK streams the answer from POST /v1/responses: text, usage, the default answer from input', async () => {
  await withServer({ answer: () => ({ text: 'Bonjour, tout le monde.' }) }, async (baseURL) => {
    const response = await client(baseURL).responses.stream({ model: 'gpt-test', input: 'Say hello' }).finalResponse()
    assert.is(outputText(response), 'Bonjour, tout le monde.')
    assert.is(response.status, 'completed')
    assert.is(response.model, 'gpt-test')
    assert.ok((response.usage?.input_tokens ?? 0) > 0, 'usage counted from the input')
  })
  await withServer({}, async (baseURL) => {
    const input = [{ role: 'user' as const, content: [{ type: 'input_text' as const, text: 'Capital of France?' }] }]
    const response = await client(baseURL).responses.stream({ model: 'gpt-test', input }).finalResponse()
    assert.match(outputText(response), /Capital of France\?/)
  })
})

test('a tool call reaches the openai SDK as a function_call item', async () => {
  await withServer(
    { answer: () => ({ toolCalls: [{ name: 'get_weather', arguments: '{"city":"Paris"}' }] }) },
    async (baseURL) => {
      const response = await client(baseURL).responses.stream({ model: 'gpt-test', input: 'Weather?' }).finalResponse()
      const call = response.output.find((item) => item.type === 'function_call')
      assert.ok(call && call.type === 'function_call')
      assert.is(call.name, 'get_weather')
      assert.equal(JSON.parse(call.arguments), { city: 'Paris' })
    },
  )
})

test('a provider-error fault reaches the openai SDK as its APIError', async () => {
  await withServer(
    {
      answer: () => ({ text: 'a b c d' }),
      faults: [{ kind: 'provider-error', afterChunks: 2, code: 'rate_limit_exceeded' }],
    },
    async (baseURL) => {
      const error = await client(baseURL)
        .responses.stream({ model: 'gpt-test', input: 'hi' })
        .finalResponse()
        .catch((caught: unknown) => caught)
      assert.instance(error, OpenAI.APIError)
      assert.is((error as InstanceType<typeof OpenAI.APIError>).code, 'rate_limit_exceeded')
    },
  )
})

test('POST /v1/responses without stream: true, or without input, is refused with a 400 that says why', async () => {
  await withServer({}, async (baseURL) => {
    const post = (body: unknown) =>
      fetch(`${baseURL}/responses`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      })
    const unstreamed = await post({ model: 'm', input: 'hi' })
    assert.is(unstreamed.status, 400)
    assert.match(await unstreamed.text(), /POST \/v1\/responses as a stream: send stream: true/)
    const noInput = await post({ model: 'm', stream: true })
    assert.is(noInput.status, 400)
    assert.match(await noInput.text(), /'input'/)
  })
})

test.run()
