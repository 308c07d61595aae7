/**
 * A seeded byte-level fuzzer of every path: realistic stream pieces (chunks, comments,
 * events, [DONE], errors, tool calls) put together at random, then mutated byte by byte
 * (flips, inserts, deletes, invalid UTF-8, stray CR and LF) and split into random reads.
 * Each case must:
 * - give on every path what the byte-at-a-time model gives (`checkAllPaths`);
 * - end, if it fails, with one of sluice's documented errors (a `code` starting `SLUICE_`);
 * - leave `Object.prototype` untouched (`__proto__` keys in chunks stay data).
 * `pnpm test` runs a short seeded run in every runtime (test/fuzz.test.ts); `pnpm fuzz` runs
 * long ones in Node (scripts/fuzz.ts). A failure names its seed and case: rerun it with
 * `pnpm fuzz --seed S --from N --runs 1`.
 */
import type { ChatReaderOptions } from '../src/index.ts'
import { bytes, chunk, concat, sse } from '@sluice/test-support'
import { mulberry32 as random } from '@sluice/test-support'
import { checkAllPaths, type Pace } from './paths.ts'

type Random = () => number
const pick = <T>(next: Random, items: readonly T[]): T => items[Math.floor(next() * items.length)]!
const int = (next: Random, max: number) => Math.floor(next() * (max + 1))

const MAX_LINE = 600
const TEXTS = ['Hello', ' wörld', ' 🦕', '', '\n', '"quoted"', '\\', '\u2028', 'é'.repeat(40)]

/** The pieces a stream is made of: what providers send, and what they get wrong. */
const PIECES: ((next: Random) => string)[] = [
  (next) => sse([chunk({ content: pick(next, TEXTS) })]),
  (next) => sse([chunk({ role: 'assistant', content: '' })], pick(next, ['\n', '\r\n', '\r'])),
  (next) => sse([chunk({}, { finish: pick(next, ['stop', 'length', 'tool_calls', 'content_filter'] as const) })]),
  (next) =>
    sse([
      chunk({
        tool_calls: [
          {
            index: int(next, 2),
            id: `call_${int(next, 3)}`,
            type: 'function',
            function: { name: 'search', arguments: '' },
          },
        ],
      }),
    ]),
  (next) =>
    sse([
      chunk({
        tool_calls: [{ index: int(next, 2), function: { arguments: pick(next, ['{"q":', '"x"}', '{}', '[1,']) } }],
      }),
    ]),
  () => 'data: [DONE]\n\n',
  () => 'data: [DONE]',
  () => ': OPENROUTER PROCESSING\n\n',
  () => 'event: ping\ndata: {}\n\n',
  () => 'id: 7\nretry: 1000\n\n',
  () => 'event: error\ndata: {"error":{"message":"Overloaded","type":"server_error","code":529}}\n\n',
  () => 'data: {"error":{"message":"rate limited","code":"rate_limit_exceeded"}}\n\n',
  () => 'data: {"choices":[\n\n',
  () => 'data: \n\n',
  () => 'data: 42\n\n',
  () => 'data: {"object":"chat.completion.chunk"}\n\n',
  () =>
    `data: {"__proto__":{"polluted":true},"id":"x","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"content":"p","__proto__":{"polluted":true}},"finish_reason":null}]}\n\n`,
  () =>
    `data: {"id":"x","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"content":"n"},"finish_reason":null}],"nested":${'['.repeat(300)}${']'.repeat(300)}}\n\n`,
  () => `data: ${'x'.repeat(MAX_LINE + 5)}\n\n`,
  () => 'data: {"type":"message_start","message":{}}\n\n',
  () => 'event: response.created\ndata: {"type":"response.created","sequence_number":0,"response":{"id":"r"}}\n\n',
  () => 'data: {"candidates": [{"content": {"parts": [{"text": "g"}],"role": "model"},"index": 0}]}\r\n\r\n',
  () => 'data: {"candidates": [{"content": {"parts": [],"role": "model"},"finishReason": "STOP"}]}\r\n\r\n',
  () => '[{\n  "candidates": []\n}\n]',
  () => sse([chunk({ content: 'a' }), chunk({ content: 'b' })]).replace('\n\ndata', '\ndata'),
  () => '\uFEFF',
  () => '\r\n',
]

/** A mutation of the bytes: what a broken proxy, a cut connection or a bad encoder does. */
function mutate(next: Random, input: Uint8Array): Uint8Array {
  const out = Array.from(input)
  const count = int(next, 3)
  for (let step = 0; step < count; step++) {
    const at = int(next, out.length)
    switch (int(next, 5)) {
      case 0:
        if (at < out.length) out[at] = int(next, 255)
        break
      case 1:
        out.splice(at, 0, pick(next, [0x0a, 0x0d, 0x3a, 0x20, 0xff, 0xc3, 0xf0, 0x00, 0x22, 0x7b]))
        break
      case 2:
        out.splice(at, 1 + int(next, 8))
        break
      case 3:
        out.length = Math.min(out.length, at) // cut off
        break
      default:
        break // no change
    }
  }
  return new Uint8Array(out)
}

/** The input, options, reads and consumer pace of case `index` of `seed`. */
export function fuzzCase(seed: number, index: number) {
  const next = random(seed * 1_000_003 + index)
  const pieces = Array.from({ length: 1 + int(next, 7) }, () => pick(next, PIECES)(next))
  let input = bytes(pieces.join(''))
  if (next() < 0.6) input = mutate(next, input)
  const cuts = Array.from({ length: int(next, 5) }, () => int(next, input.length))
  const reads: Uint8Array[] = []
  let start = 0
  for (const cut of cuts.sort((a, b) => a - b)) {
    reads.push(input.subarray(start, cut))
    start = cut
  }
  reads.push(input.subarray(start))
  const options: ChatReaderOptions = {
    maxLineLength: MAX_LINE,
    ...(next() < 0.3 && { fatal: true }),
    ...(next() < 0.2 && { trailingEvent: 'dispatch-json' as const }),
  }
  const pace: Pace = next() < 0.5 ? 'fast' : 'slow'
  return { input: concat(reads), reads, options, pace }
}

/** How each case ended, counted by error code (or `closed`). */
export type Tally = Record<string, number>

/** Runs `runs` cases of `seed` from case `from`; throws at the first case that breaks a rule, naming it. */
export async function fuzz(seed: number, runs: number, from = 0, tally: Tally = {}): Promise<Tally> {
  const prototypeBefore = Object.getOwnPropertyNames(Object.prototype).join()
  for (let index = from; index < from + runs; index++) {
    const { input, reads, options, pace } = fuzzCase(seed, index)
    try {
      const model = await checkAllPaths(input, reads, pace, options)
      if (model.ending.status === 'error') {
        const { code, name, error } = model.ending
        if (typeof code !== 'string' || !code.startsWith('SLUICE_')) {
          throw new Error(`an undocumented error: ${name}: ${(error as Error)?.message} (code ${String(code)})`, {
            cause: error,
          })
        }
      }
      const key = model.ending.status === 'closed' ? 'closed' : String(model.ending.code)
      tally[key] = (tally[key] ?? 0) + 1
      if (
        Object.getOwnPropertyNames(Object.prototype).join() !== prototypeBefore ||
        ({} as { polluted?: unknown }).polluted !== undefined
      ) {
        throw new Error('Object.prototype was changed')
      }
    } catch (error) {
      const text = new TextDecoder().decode(input)
      throw new Error(
        `fuzz case ${index} of seed ${seed} (${reads.length} reads, ${pace}, ${JSON.stringify(options)}): ${(error as Error)?.message}\ninput: ${JSON.stringify(text.slice(0, 600))}`,
        { cause: error },
      )
    }
  }
  return tally
}
