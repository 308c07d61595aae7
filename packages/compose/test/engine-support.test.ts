// Probes, in the engine this file runs in, every feature of the support table in
// @sluice/test-support's engines.ts (which docs/runtimes.md states): when an engine gains or
// loses one, this fails and the table and the docs are updated together.
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { currentEngine, ENGINES, FEATURES, type FeatureId } from '@sluice/test-support'

const engine = currentEngine()
const expected = ENGINES[engine].has

/** Resolves after a few turns of the event loop: what a pipe or a cancel does asynchronously has happened. */
const turns = () => new Promise((resolve) => setTimeout(resolve, 0))

const probes: Record<FeatureId, () => Promise<boolean>> = {
  async asyncIterator() {
    return typeof (ReadableStream.prototype as Partial<AsyncIterable<unknown>>)[Symbol.asyncIterator] === 'function'
  },
  async readableFrom() {
    const from = (ReadableStream as { from?: (source: Iterable<number>) => ReadableStream<number> }).from
    if (typeof from !== 'function') return false
    const reader = from([1, 2]).getReader()
    return (await reader.read()).value === 1 && (await reader.read()).value === 2 && (await reader.read()).done
  },
  async cancelHook() {
    const calls: unknown[] = []
    const stream = new TransformStream({ cancel: (reason: unknown) => void calls.push(reason) } as Transformer)
    await stream.readable.cancel('stop')
    await turns()
    return calls.length === 1 && calls[0] === 'stop'
  },
  async textDecoderStream() {
    if (typeof TextDecoderStream !== 'function') return false
    const reader = new Response(new Uint8Array([0xc3, 0xa9])).body!.pipeThrough(new TextDecoderStream()).getReader()
    let text = ''
    for (let read = await reader.read(); !read.done; read = await reader.read()) text += read.value
    return text === 'é'
  },
  async responseBody() {
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('data: 1\n\n'))
        controller.close()
      },
    })
    return (await new Response(body).text()) === 'data: 1\n\n'
  },
  async bomAfterStart() {
    const decoder = new TextDecoder()
    const first = decoder.decode(new Uint8Array([0xef, 0xbb, 0xbf, 0x61]), { stream: true })
    const second = decoder.decode(new Uint8Array([0xef, 0xbb, 0xbf, 0x62]), { stream: true })
    assert.is(first, 'a', 'the leading BOM is dropped everywhere')
    return second === '\ufeffb'
  },
  async doneHasValue() {
    const reader = new ReadableStream({ start: (controller) => controller.close() }).getReader()
    const result = await reader.read()
    return result.done && 'value' in result
  },
}

for (const id of Object.keys(FEATURES) as FeatureId[]) {
  const feature = FEATURES[id]
  test(`${engine}: ${expected[id] ? 'has' : 'lacks'} ${feature.name}`, async () => {
    assert.is(await probes[id](), expected[id], `${feature.name} in ${engine}: update engines.ts and docs/runtimes.md`)
  })
}

test.run()
