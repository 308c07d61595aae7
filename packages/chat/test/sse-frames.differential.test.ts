/**
 * toSSEResponse() against the official `openai` SDK (6.30.1, a dev dependency): a proxy's
 * clients often read it with the SDK. Its fetch is given the re-framed response (no
 * network); the SDK must read the same chunks, and the `event: error` as its `APIError`.
 */
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import OpenAI, { APIError } from 'openai'
import { bytes, collect, rejection, sse, textChunks } from '@sluice/test-support'
import { chatStream, type ChatCompletionChunk } from '../src/index.ts'
import { fromParts, mixedStream } from './fixtures.ts'
import { ChatChunkStream } from '@sluice/openai'

/** The chunks the SDK reads from `response`. */
async function sdkChunks(response: Response): Promise<unknown[]> {
  const client = new OpenAI({
    apiKey: 'test-key',
    baseURL: 'http://127.0.0.1:9/v1',
    dangerouslyAllowBrowser: true,
    maxRetries: 0,
    fetch: async () => response,
  })
  const stream = await client.chat.completions.create({
    model: 'gpt-4o-mini',
    messages: [{ role: 'user', content: 'hi' }],
    stream: true,
  })
  const chunks: unknown[] = []
  for await (const chunk of stream) chunks.push(chunk)
  return chunks
}

test('the openai SDK reads the chunks of toSSEResponse() as sent', async () => {
  const text = mixedStream()
  const expected: ChatCompletionChunk[] = await collect(fromParts([bytes(text)]).pipeThrough(new ChatChunkStream()))
  assert.equal(
    await sdkChunks(chatStream(fromParts([bytes(text)])).toSSEResponse()),
    JSON.parse(JSON.stringify(expected)),
  )
})

test("the openai SDK reads toSSEResponse()'s event: error as an APIError with the provider's message", async () => {
  const upstream = chatStream(
    fromParts([
      bytes(sse(textChunks(['So far']).slice(0, 2))),
      bytes(sse(['event: error\ndata: {"error":{"message":"Overloaded","type":"server_error","code":"overloaded"}}'])),
    ]),
  )
  const error = await rejection(sdkChunks(upstream.toSSEResponse()))
  assert.instance(error, APIError)
  assert.match((error as Error).message, /Overloaded/)
  assert.is((error as APIError).type, 'server_error')
  assert.is((error as APIError).code, 'overloaded')
})

test.run()
