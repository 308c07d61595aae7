/** The mock server's Gemini route (issue #21): the `@google/genai` SDK streams the scripted answer, faults included. */
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { ApiError, GoogleGenAI } from '@google/genai'
import { startMockServer, type MockServerOptions } from '../src/node/index.ts'

async function withServer(options: MockServerOptions, body: (baseUrl: string) => Promise<void>): Promise<void> {
  const server = await startMockServer({ speed: Number.POSITIVE_INFINITY, ...options })
  try {
    // The SDK adds /v1beta/models/MODEL:streamGenerateContent?alt=sse to its base URL: the server's origin.
    await body(new URL(server.url).origin)
  } finally {
    await server.close()
  }
}

const client = (baseUrl: string) => new GoogleGenAI({ apiKey: 'test', httpOptions: { baseUrl } })

/** The SDK's chunks of one request, and the error it ends with. */
async function stream(baseUrl: string, contents: string) {
  const chunks: Awaited<ReturnType<GoogleGenAI['models']['generateContent']>>[] = []
  try {
    const response = await client(baseUrl).models.generateContentStream({
      model: 'gemini-test',
      contents,
      config: { automaticContinuation: false } as Record<string, unknown>,
    })
    for await (const chunk of response) chunks.push(chunk)
    return { chunks }
  } catch (error) {
    return { chunks, error }
  }
}

test('the SDK streams the answer: text, finishReason, usage, the model of the path, the default answer from contents', async () => {
  await withServer({ answer: () => ({ text: 'Bonjour, tout le monde.' }) }, async (baseUrl) => {
    const { chunks, error } = await stream(baseUrl, 'Say hello')
    assert.is(error, undefined, String(error))
    assert.is(chunks.map((chunk) => chunk.text ?? '').join(''), 'Bonjour, tout le monde.')
    const last = chunks.at(-1)!
    assert.is(last.candidates?.[0]?.finishReason, 'STOP')
    assert.is(last.modelVersion, 'gemini-test')
    assert.ok((last.usageMetadata?.promptTokenCount ?? 0) > 0, 'usage counted from the contents')
  })
  await withServer({}, async (baseUrl) => {
    const { chunks } = await stream(baseUrl, 'Capital of France?')
    assert.match(chunks.map((chunk) => chunk.text ?? '').join(''), /Capital of France\?/)
  })
})

test('a tool call reaches the SDK as a functionCall', async () => {
  await withServer(
    { answer: () => ({ toolCalls: [{ name: 'get_weather', arguments: '{"city":"Paris"}' }] }) },
    async (baseUrl) => {
      const { chunks, error } = await stream(baseUrl, 'Weather?')
      assert.is(error, undefined, String(error))
      const calls = chunks.flatMap((chunk) => chunk.functionCalls ?? [])
      assert.is(calls.length, 1)
      assert.is(calls[0]!.name, 'get_weather')
      assert.equal(calls[0]!.args, { city: 'Paris' })
    },
  )
})

test('a provider-error fault reaches the SDK as its ApiError, after the chunks before it', async () => {
  await withServer(
    { answer: () => ({ text: 'a b c d' }), faults: [{ kind: 'provider-error', afterChunks: 3, code: 503 }] },
    async (baseUrl) => {
      const { chunks, error } = await stream(baseUrl, 'hi')
      assert.instance(error, ApiError)
      assert.is((error as ApiError).status, 503)
      assert.is(chunks.map((chunk) => chunk.text ?? '').join(''), 'a b')
    },
  )
})

test('without alt=sse: the same chunks as one JSON array; without contents: a 400', async () => {
  await withServer({ answer: () => ({ text: 'one two' }) }, async (baseUrl) => {
    const post = (query: string, body: unknown) =>
      fetch(`${baseUrl}/v1beta/models/gemini-test:streamGenerateContent${query}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      })
    const contents = [{ role: 'user', parts: [{ text: 'hi' }] }]
    const array = await post('', { contents })
    assert.is(array.status, 200)
    const chunks = (await array.json()) as { candidates: { content: { parts: { text: string }[] } }[] }[]
    assert.is(chunks.map((chunk) => chunk.candidates[0]!.content.parts[0]!.text).join(''), 'one two')
    const sse = await post('?alt=sse', { contents })
    assert.match(sse.headers.get('content-type') ?? '', /text\/event-stream/)
    const noContents = await post('?alt=sse', { prompt: 'hi' })
    assert.is(noContents.status, 400)
    assert.match(await noContents.text(), /'contents'/)
  })
})

test.run()
