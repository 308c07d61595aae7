#!/usr/bin/env node
// Runs the worker under real `wrangler dev` (local mode) against a slow loopback upstream and
// checks, with Node's fetch (which sends `accept-encoding: gzip, deflate`), that both modes
// stream: the first read of the response body must arrive before the upstream has sent its
// last chunk. Then it aborts a request mid-stream and checks that the upstream sees its
// connection closed. Not part of `pnpm test`: it starts wrangler (~5 s) and needs `pnpm build`.
//
//   pnpm --filter @sluice/example-worker-proxy check:wrangler
//
// It prints the response headers and, for each read of the body, when it arrived (ms after
// the request was sent) next to when the upstream wrote each chunk. Exits non-zero when a
// mode arrives in one piece, the text differs, or the abort does not reach the upstream.
//
// Everything stays on 127.0.0.1: the mock upstream and wrangler listen there, and the
// environment turns off wrangler's telemetry (WRANGLER_SEND_METRICS=false), its update check
// (npm_registry points at a closed loopback port) and miniflare's download of the
// `request.cf` object (NODE_ENV=test: it uses its built-in placeholder). Wrangler and the
// mock are stopped by pid, with bounded waits.
import { spawn } from 'node:child_process'
import { createServer } from 'node:http'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { setTimeout as sleep } from 'node:timers/promises'

const exampleDir = fileURLToPath(new URL('..', import.meta.url))
const wranglerBin = join(exampleDir, 'node_modules', 'wrangler', 'bin', 'wrangler.js')
const HOST = '127.0.0.1'
const CHUNK_INTERVAL_MS = 200
const PARTS = ['The', ' quick', ' brown', ' fox', ' jumps', ' over', ' the', ' lazy', ' dog.']
const READY_TIMEOUT_MS = 90_000
const REQUEST_TIMEOUT_MS = 30_000
const ABORT_TIMEOUT_MS = 5_000
const STOP_TIMEOUT_MS = 10_000

const say = (line = '') => process.stdout.write(`${line}\n`)
const started = performance.now()
const now = () => performance.now() - started

/** Rejects after `ms` with a message naming what did not happen; the timer never outlives the race. */
async function within(promise, ms, what) {
  let timer
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms: ${what}`)), ms)
  })
  try {
    return await Promise.race([promise, timeout])
  } finally {
    clearTimeout(timer)
  }
}

const chunk = (content, finish = null) => ({
  id: 'chatcmpl-check',
  object: 'chat.completion.chunk',
  created: 1,
  model: 'check/slow-upstream',
  choices: [{ index: 0, delta: { content }, finish_reason: finish }],
})

/**
 * An OpenAI-compatible upstream on 127.0.0.1 that writes one SSE chunk every
 * CHUNK_INTERVAL_MS, then `data: [DONE]`. For each request it records when each chunk was
 * written and whether the connection closed before the stream's end.
 */
async function startUpstream() {
  const requests = []
  const server = createServer((req, res) => {
    const record = { writes: [], closedEarly: false, closed: undefined }
    record.closed = new Promise((resolve) => {
      res.on('close', () => {
        record.closedEarly = !res.writableEnded
        resolve(now())
      })
    })
    requests.push(record)
    req.resume()
    req.on('end', async () => {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' })
      res.write(': keep-alive\n\n')
      for (const [index, part] of PARTS.entries()) {
        await sleep(CHUNK_INTERVAL_MS)
        if (res.destroyed) return
        const finish = index === PARTS.length - 1 ? 'stop' : null
        res.write(`data: ${JSON.stringify(chunk(part, finish))}\n\n`)
        record.writes.push(now())
      }
      res.end('data: [DONE]\n\n')
    })
  })
  server.keepAliveTimeout = 1_000
  await new Promise((resolve) => server.listen(0, HOST, resolve))
  return { server, port: server.address().port, requests }
}

/** A port that was free a moment ago on 127.0.0.1. */
async function freePort() {
  const probe = createServer()
  await new Promise((resolve) => probe.listen(0, HOST, resolve))
  const { port } = probe.address()
  await new Promise((resolve) => probe.close(resolve))
  return port
}

/** Starts `wrangler dev` in its own process group; resolves once it says it is ready. */
async function startWrangler(upstreamURL) {
  const port = await freePort()
  const inspectorPort = await freePort()
  const args = [
    wranglerBin,
    'dev',
    '--ip',
    HOST,
    '--port',
    String(port),
    '--inspector-port',
    String(inspectorPort),
    '--var',
    `UPSTREAM_URL:${upstreamURL}`,
    '--var',
    'UPSTREAM_KEY:check-key',
    '--show-interactive-dev-session=false',
  ]
  const child = spawn(process.execPath, args, {
    cwd: exampleDir,
    detached: true, // its own process group: wrangler's node and workerd children stop with it
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      WRANGLER_SEND_METRICS: 'false',
      npm_registry: 'http://127.0.0.1:9/', // registry-url reads npm_registry (rc's npm_ prefix)
      NODE_ENV: 'test',
      NO_COLOR: '1',
      FORCE_COLOR: '0',
    },
  })
  // Should this script die before stopWrangler, wrangler must not outlive it.
  const killOnExit = () => {
    try {
      process.kill(-child.pid, 'SIGKILL')
    } catch {
      // already gone
    }
  }
  process.once('exit', killOnExit)
  let output = ''
  const exited = new Promise((resolve) =>
    child.once('exit', (code, signal) => {
      process.off('exit', killOnExit)
      resolve({ code, signal })
    }),
  )
  const ready = new Promise((resolve) => {
    const onData = (data) => {
      output += data
      if (new RegExp(`Ready on http://${HOST.replaceAll('.', '\\.')}:${port}`).test(output)) resolve()
    }
    child.stdout.on('data', onData)
    child.stderr.on('data', onData)
  })
  const wrangler = { child, port, exited, output: () => output }
  try {
    await within(
      Promise.race([
        ready,
        exited.then(({ code, signal }) => {
          throw new Error(`wrangler exited (code ${code}, signal ${signal}) before it was ready`)
        }),
      ]),
      READY_TIMEOUT_MS,
      'wrangler dev to say "Ready on"',
    )
  } catch (error) {
    await stopWrangler(wrangler)
    say(output)
    throw error
  }
  return wrangler
}

/** SIGTERM to wrangler's process group, then SIGKILL if it has not exited in time. */
async function stopWrangler({ child, exited }) {
  if (child.exitCode !== null || child.signalCode !== null) return
  const signalGroup = (signal) => {
    try {
      process.kill(-child.pid, signal)
    } catch {
      // the group is already gone
    }
  }
  signalGroup('SIGTERM')
  try {
    await within(exited, STOP_TIMEOUT_MS, 'wrangler to exit after SIGTERM')
  } catch {
    signalGroup('SIGKILL')
    await within(exited, STOP_TIMEOUT_MS, 'wrangler to exit after SIGKILL')
  }
}

const REQUEST_BODY = JSON.stringify({ model: 'check/slow-upstream', messages: [{ role: 'user', content: 'hi' }] })

/** One request through the worker: the headers and, for each read of the body, when it arrived. */
async function measure(base, format, headers = {}) {
  const sent = now()
  const response = await within(
    fetch(`${base}/chat?format=${format}`, { method: 'POST', headers, body: REQUEST_BODY }),
    REQUEST_TIMEOUT_MS,
    `the ${format} response headers`,
  )
  const headersAt = now() - sent
  const reads = []
  const decoder = new TextDecoder()
  let text = ''
  const reader = response.body.getReader()
  for (;;) {
    const { done, value } = await within(reader.read(), REQUEST_TIMEOUT_MS, `a read of the ${format} body`)
    if (done) break
    const piece = decoder.decode(value, { stream: true })
    text += piece
    reads.push({ at: now() - sent, absolute: now(), bytes: value.byteLength, piece })
  }
  return { status: response.status, headers: response.headers, headersAt, reads, text, sent }
}

const SHOWN_HEADERS = ['content-type', 'content-encoding', 'cache-control', 'transfer-encoding', 'content-length']

function report(title, result, upstreamWrites) {
  say(`\n## ${title}`)
  say(`status ${result.status}; headers after ${result.headersAt.toFixed(0)} ms`)
  for (const name of SHOWN_HEADERS) say(`  ${name}: ${result.headers.get(name) ?? '(none)'}`)
  const writes = upstreamWrites.map((at) => (at - result.sent).toFixed(0))
  say(`upstream wrote its ${writes.length} chunks at (ms): ${writes.join(', ')}`)
  say(`client received ${result.reads.length} reads:`)
  for (const read of result.reads) {
    const preview = JSON.stringify(read.piece.length > 60 ? `${read.piece.slice(0, 57)}...` : read.piece)
    say(`  +${read.at.toFixed(0).padStart(5)} ms  ${String(read.bytes).padStart(5)} B  ${preview}`)
  }
}

const failures = []
function expect(condition, message) {
  say(`${condition ? 'ok  ' : 'FAIL'} ${message}`)
  if (!condition) failures.push(message)
}

/** The content of a `?format=sse` body, from its `data:` lines. */
function sseContent(text) {
  let content = ''
  for (const line of text.split('\n')) {
    if (!line.startsWith('data: ') || line === 'data: [DONE]') continue
    content += JSON.parse(line.slice('data: '.length)).choices[0]?.delta.content ?? ''
  }
  return content
}

function checkStreamed(result, record, content) {
  const lastWrite = record.writes.at(-1)
  const firstRead = result.reads[0]?.absolute ?? Number.POSITIVE_INFINITY
  expect(content === PARTS.join(''), `the content arrives whole (${JSON.stringify(content)})`)
  expect(result.reads.length > 1, `the body arrives in more than one read (${result.reads.length})`)
  expect(
    firstRead < lastWrite,
    `the first read arrives before the upstream's last chunk (${(firstRead - result.sent).toFixed(0)} ms < ${(lastWrite - result.sent).toFixed(0)} ms)`,
  )
}

const upstream = await startUpstream()
const upstreamURL = `http://${HOST}:${upstream.port}/v1`
say(`mock upstream on ${upstreamURL} (a chunk every ${CHUNK_INTERVAL_MS} ms, ${PARTS.length} chunks)`)
let wrangler
try {
  wrangler = await startWrangler(upstreamURL)
  const base = `http://${HOST}:${wrangler.port}`
  say(`wrangler dev ready on ${base} after ${now().toFixed(0)} ms (pid ${wrangler.child.pid})`)

  const runs = [
    { title: 'text mode, Node fetch (accept-encoding: gzip, deflate)', format: 'text' },
    { title: 'sse mode, Node fetch (accept-encoding: gzip, deflate)', format: 'sse' },
    {
      title: 'text mode, accept-encoding: br, gzip (as a browser sends)',
      format: 'text',
      headers: { 'accept-encoding': 'br, gzip' },
    },
  ]
  for (const run of runs) {
    const before = upstream.requests.length
    const result = await measure(base, run.format, run.headers)
    const record = upstream.requests[before]
    report(run.title, result, record?.writes ?? [])
    if (!record) {
      expect(false, 'the request reached the upstream')
      continue
    }
    checkStreamed(result, record, run.format === 'sse' ? sseContent(result.text) : result.text)
    if (run.format === 'sse') expect(result.text.trimEnd().endsWith('data: [DONE]'), 'the SSE ends with data: [DONE]')
  }

  for (const format of ['text', 'sse']) {
    say(`\n## ${format} mode, the client aborts after its first read`)
    const before = upstream.requests.length
    const controller = new AbortController()
    const sent = now()
    const response = await within(
      fetch(`${base}/chat?format=${format}`, { method: 'POST', body: REQUEST_BODY, signal: controller.signal }),
      REQUEST_TIMEOUT_MS,
      `the ${format} response headers`,
    )
    const reader = response.body.getReader()
    await within(reader.read(), REQUEST_TIMEOUT_MS, 'the first read')
    const abortedAt = now()
    controller.abort()
    // Not awaited: a body that had already arrived whole is not errored by the abort.
    reader.cancel().catch(() => {})
    const record = upstream.requests[before]
    try {
      const closedAt = await within(record.closed, ABORT_TIMEOUT_MS, 'the upstream connection to close')
      say(
        `aborted at +${(abortedAt - sent).toFixed(0)} ms; upstream connection closed at +${(closedAt - sent).toFixed(0)} ms, after ${record.writes.length} of ${PARTS.length} chunks`,
      )
      expect(record.closedEarly, 'the upstream connection closes before the stream ends')
    } catch (error) {
      expect(false, `the upstream connection closes after the abort: ${error.message}`)
    }
  }
} catch (error) {
  failures.push(error.message)
  say(`FAIL ${error.stack ?? error}`)
} finally {
  if (wrangler) await stopWrangler(wrangler)
  upstream.server.closeAllConnections()
  await new Promise((resolve) => upstream.server.close(resolve))
}

say(failures.length === 0 ? '\nall checks passed' : `\n${failures.length} check(s) failed`)
process.exitCode = failures.length === 0 ? 0 : 1
