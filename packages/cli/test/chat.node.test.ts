/** sluice chat, record, mock and the demo, as processes, against the mock server on 127.0.0.1. */
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { spawn } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseRecording, startMockServer, type MockServerOptions } from '@sluice/testing/server'
import { bundled, runCLI, tempDir } from './run-cli.ts'

/** Runs `body` with a mock server that answers at full speed, and always closes it. */
async function withServer<T>(options: MockServerOptions, body: (url: string) => Promise<T>): Promise<T> {
  const server = await startMockServer({ speed: Number.POSITIVE_INFINITY, ...options })
  try {
    return await body(server.url)
  } finally {
    await server.close()
  }
}

const SUMMARY =
  /^\d+\.\d\d s to first token · [\d.]+ tokens\/s · finish stop · usage \d+ \+ \d+ = \d+ tokens · \d+\.\d\d s\n$/

test('chat prints the answer on stdout and the summary line on stderr', async () => {
  await withServer({ answer: () => ({ text: 'Crème brûlée, à la 🦕.', chunking: 'char' }) }, async (url) => {
    const result = await runCLI(['chat', 'dessert?', '--base-url', url, '--model', 'test/model'], {
      env: { SLUICE_API_KEY: 'sk-test' },
    })
    assert.is(result.status, 0, result.stderr)
    assert.is(result.stdout, 'Crème brûlée, à la 🦕.\n')
    assert.match(result.stderr, SUMMARY)
  })
})

test('chat shows tool calls as they assemble', async () => {
  await withServer(
    { answer: () => ({ toolCalls: [{ name: 'get_weather', arguments: { city: 'Paris' } }] }) },
    async (url) => {
      const result = await runCLI(['chat', 'weather?', '--base-url', url, '--model', 'm'])
      assert.is(result.status, 0, result.stderr)
      assert.is(result.stdout, '→ get_weather({"city":"Paris"})\n')
      assert.match(result.stderr, /finish tool_calls/)
    },
  )
})

test('chat exits 1 with the outcome when the stream fails or is cut off', async () => {
  await withServer({ faults: [{ kind: 'provider-error', afterChunks: 3, message: 'Overloaded' }] }, async (url) => {
    const result = await runCLI(['chat', 'hello there', '--base-url', url, '--model', 'm'])
    assert.is(result.status, 1)
    assert.match(result.stderr, /error: ProviderError: .*Overloaded/)
  })
  await withServer({ faults: [{ kind: 'cut', atByte: 400 }] }, async (url) => {
    const result = await runCLI(['chat', 'hello there', '--base-url', url, '--model', 'm'])
    assert.is(result.status, 1)
    assert.match(result.stderr, /truncated: no \[DONE\]; choice 0 has no finish_reason/)
  })
})

test('chat: HTTP errors, unreachable hosts and missing flags are one line', async () => {
  await withServer({}, async (url) => {
    const notFound = await runCLI(['chat', 'hi', '--base-url', `${url}/nowhere`, '--model', 'm'])
    assert.is(notFound.status, 1)
    assert.match(notFound.stderr, /^sluice: HTTP 404 .*\n$/)
  })
  const closed = await startMockServer()
  await closed.close()
  const refused = await runCLI(['chat', 'hi', '--base-url', closed.url, '--model', 'm'])
  assert.is(refused.status, 1)
  assert.is(refused.stderr, `sluice: cannot reach 127.0.0.1:${closed.port}: ECONNREFUSED\n`)
  const noModel = await runCLI(['chat', 'hi', '--base-url', closed.url])
  assert.is(noModel.status, 2)
  assert.is(noModel.stderr, 'sluice: chat needs --model (or SLUICE_MODEL) (see: sluice chat --help)\n')
})

test('record saves the answer with its timing, and never the API key', async () => {
  const file = join(tempDir('sluice-record-'), 'answer.jsonl')
  await withServer({ answer: () => ({ text: 'recorded answer' }) }, async (url) => {
    const result = await runCLI(['record', 'hi', '--base-url', url, '--model', 'm', '-o', file], {
      env: { SLUICE_API_KEY: 'sk-very-secret' },
    })
    assert.is(result.status, 0, result.stderr)
    assert.match(result.stderr, /answer\.jsonl: \d+ reads recorded in/)
  })
  const text = readFileSync(file, 'utf8')
  assert.not.match(text, /sk-very-secret|authorization/i)
  const entries = parseRecording(text)
  assert.ok(entries.length >= 1)
  assert.ok(entries.every((entry, index) => index === 0 || entry.t >= entries[index - 1]!.t))
  assert.match(entries.map((entry) => entry.data).join(''), /"content":"recorded".*data: \[DONE\]\n\n$/s)
})

/** A loopback server whose handler the test writes; it counts requests and closes every connection at the end. */
async function withHandler<T>(
  handler: (request: IncomingMessage, response: ServerResponse) => void,
  body: (url: string, requests: () => number) => Promise<T>,
): Promise<T> {
  let requests = 0
  const server = createServer((request, response) => {
    requests++
    handler(request, response)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  try {
    return await body(`http://127.0.0.1:${(server.address() as { port: number }).port}/v1`, () => requests)
  } finally {
    server.closeAllConnections()
    server.close()
  }
}

test('record checks the output path before the paid request', async () => {
  await withHandler(
    (_, response) => response.end(),
    async (url, requests) => {
      const missing = join(tempDir('sluice-record-'), 'no', 'such', 'dir.jsonl')
      const result = await runCLI(['record', 'hi', '--base-url', url, '--model', 'm', '-o', missing])
      assert.is(result.status, 2)
      assert.match(result.stderr, /^sluice: cannot write .*dir\.jsonl: ENOENT\n$/)
      const directory = await runCLI(['record', 'hi', '--base-url', url, '--model', 'm', '-o', tmpdir()])
      assert.is(directory.status, 2)
      assert.match(directory.stderr, /EISDIR/)
      assert.is(requests(), 0, 'no request was sent')
    },
  )
})

test('record gives up on a server that stalls, headers or body (--idle-timeout), and leaves no empty file', async () => {
  await withHandler(
    (request, response) => {
      if (request.url?.includes('headers')) return // never answers
      response.writeHead(200, { 'content-type': 'text/event-stream' })
      response.write(': hi\n\n') // then nothing more
    },
    async (url) => {
      for (const [base, what] of [
        [`${url}/headers`, 'the response headers'],
        [url, 'the body'],
      ] as const) {
        const file = join(tempDir('sluice-record-'), 'stalled.jsonl')
        const started = Date.now()
        const result = await runCLI([
          'record',
          'hi',
          '--base-url',
          base,
          '--model',
          'm',
          '-o',
          file,
          '--idle-timeout',
          '300',
        ])
        assert.is(result.status, 1, result.stderr)
        assert.match(result.stderr, new RegExp(`sent nothing for 300 ms while sending ${what}`))
        assert.ok(Date.now() - started < 8_000)
        if (what === 'the response headers') assert.not.ok(existsSync(file), 'no empty recording left behind')
      }
    },
  )
})

test('record redacts the API key and bearer tokens from what it prints and saves', async () => {
  const key = 'sk-live-0123456789abcdef'
  await withHandler(
    (request, response) => {
      // A server that echoes the request headers in its error body, as some proxies do.
      response
        .writeHead(401, { 'content-type': 'application/json' })
        .end(JSON.stringify({ error: { message: 'bad key', headers: request.headers } }))
    },
    async (url) => {
      const file = join(tempDir('sluice-record-'), 'denied.jsonl')
      const result = await runCLI(['record', 'hi', '--base-url', url, '--model', 'm', '-o', file], {
        env: { SLUICE_API_KEY: key },
      })
      assert.is(result.status, 1)
      assert.match(result.stderr, /HTTP 401/)
      assert.match(result.stderr, /\[redacted\]/)
      assert.not.match(result.stderr, /0123456789abcdef/)
    },
  )
  await withHandler(
    (request, response) => {
      response.writeHead(200, { 'content-type': 'text/event-stream' })
      response.end(`: you sent ${request.headers.authorization}\n\ndata: [DONE]\n\n`)
    },
    async (url) => {
      const file = join(tempDir('sluice-record-'), 'echo.jsonl')
      const result = await runCLI(['record', 'hi', '--base-url', url, '--model', 'm', '-o', file], {
        env: { SLUICE_API_KEY: key },
      })
      assert.is(result.status, 0, result.stderr)
      const saved = readFileSync(file, 'utf8')
      assert.not.match(saved, /0123456789abcdef/)
      assert.match(saved, /Bearer \[redacted\]/)
    },
  )
})

test('mock serves until SIGTERM, then stops and exits 0', async () => {
  const bundle = await bundled()
  const child = spawn(process.execPath, [bundle, 'mock', '--speed', 'Infinity'], {
    env: { PATH: process.env['PATH'] },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  try {
    let stdout = ''
    child.stdout.setEncoding('utf8')
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no URL printed: ${stdout}`)), 10_000)
      child.stdout.on('data', (text: string) => {
        stdout += text
        const match = /listening on (http:\/\/127\.0\.0\.1:\d+\/v1)/.exec(stdout)
        if (match) {
          clearTimeout(timer)
          resolve(match[1]!)
        }
      })
    })
    const reply = await fetch(`${url}/chat/completions`, {
      method: 'POST',
      body: JSON.stringify({ model: 'm', messages: [{ role: 'user', content: 'ping' }] }),
    })
    assert.is(reply.status, 200)
    assert.match(
      ((await reply.json()) as { choices: { message: { content: string } }[] }).choices[0]!.message.content,
      /ping/,
    )
  } finally {
    child.kill('SIGTERM')
  }
  const status = await new Promise<number | null>((resolve) => child.on('close', resolve))
  assert.is(status, 0)
})

test('mock refuses a bad --fault or --speed with a usage error', async () => {
  const fault = await runCLI(['mock', '--fault', 'explode'])
  assert.is(fault.status, 2)
  assert.match(fault.stderr, /^sluice: --fault explode: unknown fault "explode"/)
  const speed = await runCLI(['mock', '--speed', '0'])
  assert.is(speed.status, 2)
})

test('the demo streams an answer from the mock server and prints the summary', async () => {
  const result = await runCLI([], { entry: 'docs/demo/demo.mjs', env: { SLUICE_DEMO_SPEED: 'Infinity' } })
  assert.is(result.status, 0, result.stderr)
  assert.match(result.stdout, /^A sluice is a gate .* whether the stream was complete\.\n$/)
  assert.match(result.stderr, /asking the mock server at http:\/\/127\.0\.0\.1:\d+\/v1/)
  assert.match(result.stderr.split('\n\n')[1] ?? '', SUMMARY)
})

test.run()
