import { readFileSync, readdirSync } from 'node:fs'
import { ResponseEventStream, ResponseAccumulatorStream, ResponsesToChatChunksStream } from '../src/index.ts'
import OpenAI from 'openai'
const dir = new URL('./fixtures/', import.meta.url)
for (const name of readdirSync(dir).filter((f) => f.endsWith('.sse'))) {
  const text = readFileSync(new URL(name, dir), 'utf8')
  const quirks: string[] = []
  const events = new ResponseEventStream({ onQuirk: (q) => quirks.push(q.code) })
  let n = 0,
    last: unknown,
    err: unknown
  try {
    for await (const s of new Response(text).body!.pipeThrough(events).pipeThrough(new ResponseAccumulatorStream())) {
      n++
      last = s
    }
  } catch (e) {
    err = e
  }
  const outcome = await events.outcome
  let sdk: string
  try {
    const client = new OpenAI({
      apiKey: 'x',
      maxRetries: 0,
      fetch: async () => new Response(text, { headers: { 'content-type': 'text/event-stream' } }),
    })
    const stream = client.responses.stream({ model: 'x', input: 'hi' })
    const final = await stream.finalResponse()
    const strip = (v: unknown) =>
      JSON.stringify(v, (k, x) => (k === 'parsed' || k === 'parsed_arguments' || k === 'output_parsed' ? undefined : x))
    sdk = strip(final) === strip(last) ? 'same output' : 'DIFF output'
  } catch (e) {
    sdk = `sdk error: ${(e as Error).message.slice(0, 80)}`
  }
  console.log(
    name.padEnd(70),
    outcome.status,
    outcome.incompleteReason ?? '',
    n,
    err ? `ERR ${(err as Error).message.slice(0, 150)}` : '',
    [...new Set(quirks)].join(','),
    '|',
    sdk,
  )
}
