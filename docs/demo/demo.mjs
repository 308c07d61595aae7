// The main demo: a chat answer streamed through the whole sluice chain and shown as it
// arrives, then the summary line (time to first token, tokens/s, finish reason, usage).
//
// By default it starts the mock server of @sluice/testing on 127.0.0.1 and asks it: no key,
// no network. With SLUICE_BASE_URL and a key (SLUICE_API_KEY or OPENAI_API_KEY) set, it asks
// that provider instead (SLUICE_MODEL picks the model). Run from the repository root:
// `pnpm demo`.
import { main } from '@sluice/cli'
import { startMockServer } from '@sluice/testing/server'

const prompt = process.argv[2] ?? 'What is a sluice, and why would a stream need one?'
const model = process.env.SLUICE_MODEL ?? 'anthropic/claude-sonnet-4-5'
const output = {
  out: (text) => void process.stdout.write(text),
  err: (text) => void process.stderr.write(text),
  outStyle: plainOrColour(process.stdout),
  errStyle: plainOrColour(process.stderr),
}

const baseURL = process.env.SLUICE_BASE_URL
const key = process.env.SLUICE_API_KEY || process.env.OPENAI_API_KEY
if (baseURL && key) {
  console.error(`asking ${model} at ${baseURL}\n`)
  process.exitCode = await main(['chat', prompt, '--base-url', baseURL, '--model', model], output, process.env)
} else {
  const server = await startMockServer({
    speed: Number(process.env.SLUICE_DEMO_SPEED ?? 1),
    answer: () => ({
      text:
        'A sluice is a gate that lets water through in a controlled way. A streamed chat answer needs one too: ' +
        'bytes arrive in arbitrary pieces, lines end in LF, CRLF or a lone CR, characters are cut between reads, ' +
        'providers send keep-alive comments, errors and quirks. sluice turns that flow into lines, events, ' +
        'typed chunks and the assembled answer — and says at the end whether the stream was complete.',
      chunking: 'word',
    }),
  })
  console.error(
    `asking the mock server at ${server.url} (set SLUICE_BASE_URL and SLUICE_API_KEY to ask a real provider)\n`,
  )
  try {
    process.exitCode = await main(['chat', prompt, '--base-url', server.url, '--model', model], output, {})
  } finally {
    await server.close()
  }
}

/** Colour on a terminal unless NO_COLOR is set, as the sluice command does. */
function plainOrColour(stream) {
  const on = process.env.NO_COLOR === undefined && stream.isTTY === true
  const ansi = (open, close) => (text) => (on ? `\u001b[${open}m${text}\u001b[${close}m` : text)
  return {
    bold: ansi(1, 22),
    dim: ansi(2, 22),
    red: ansi(31, 39),
    yellow: ansi(33, 39),
    green: ansi(32, 39),
    cyan: ansi(36, 39),
  }
}
