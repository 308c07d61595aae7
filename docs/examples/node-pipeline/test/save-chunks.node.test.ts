import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { createServer, request, type IncomingMessage } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ProviderError } from '@sluice/openai'
// @ts-expect-error the example is plain JavaScript
import { saveChunks } from '../src/save-chunks.mjs'

const chunk = (content: string, finish: string | null = null) => ({
  id: 'chatcmpl-1',
  object: 'chat.completion.chunk',
  created: 1,
  model: 'anthropic/claude-sonnet-4-5',
  choices: [{ index: 0, delta: { content }, finish_reason: finish }],
})

/** A loopback upstream that answers every request with `text`, in small writes; closed by the caller. */
async function upstream(text: string) {
  const server = createServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'text/event-stream' })
    const bytes = Buffer.from(text)
    for (let offset = 0; offset < bytes.length; offset += 29) response.write(bytes.subarray(offset, offset + 29))
    response.end()
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/chat/completions`
  const get = () => new Promise<IncomingMessage>((resolve, reject) => request(url, resolve).on('error', reject).end())
  return { server, get }
}

test('saveChunks writes each chunk of an HTTP chat stream as one NDJSON line', async () => {
  const sent = [chunk('Hola'), chunk(', hello'), chunk(', bonjour 🦕', 'stop')]
  const { server, get } = await upstream(
    `${sent.map((c) => `data: ${JSON.stringify(c)}\r\n\r\n`).join('')}data: [DONE]\r\n\r\n`,
  )
  const dir = mkdtempSync(join(tmpdir(), 'sluice-example-'))
  try {
    await saveChunks(await get(), join(dir, 'out.ndjson'))
    const lines = readFileSync(join(dir, 'out.ndjson'), 'utf8').trimEnd().split('\n')
    assert.equal(
      lines.map((line) => JSON.parse(line)),
      sent,
    )
  } finally {
    server.close()
    rmSync(dir, { recursive: true, force: true })
  }
})

test('saveChunks rejects with the provider error of a failing stream', async () => {
  const { server, get } = await upstream(
    `data: ${JSON.stringify(chunk('Hi'))}\n\nevent: error\ndata: {"error":{"message":"rate limited","type":"rate_limit_error"}}\n\n`,
  )
  const dir = mkdtempSync(join(tmpdir(), 'sluice-example-'))
  try {
    await saveChunks(await get(), join(dir, 'out.ndjson'))
    assert.unreachable('saveChunks resolved')
  } catch (error) {
    assert.instance(error, ProviderError)
    assert.is((error as ProviderError).type, 'rate_limit_error')
  } finally {
    server.close()
    rmSync(dir, { recursive: true, force: true })
  }
})

test.run()
