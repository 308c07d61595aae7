/**
 * The decoder and the accumulator against the official `openai` SDK's `responses.stream()`
 * (served each stream through a custom `fetch`): the same events, the same text snapshots
 * delta by delta, the same final response (`finalResponse()`, less the `parsed` fields it
 * adds) — on the 29 captured streams and on generated streams of every shape, at any split.
 * Where the SDK does otherwise, the test says what each does: the SDK's `finalResponse()`
 * resolves on a cut stream, on `response.failed` and on `response.incomplete` (with the
 * status of `response.created`), throws on a resumed replay, and rejects a flat `error`
 * event with a plain object.
 */
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import fc from 'fast-check'
import { bytes, fromChunks, readToEnd, splitAt } from '@sluice/test-support'
import {
  ProviderError,
  ResponseAccumulator,
  type ResponseEvent,
  ResponseEventStream,
  type ResponseSnapshot,
} from '../src/index.ts'
import { CAPTURES } from './captures.ts'
import { eventsOf, sseOf, streamShape } from './generated-streams.ts'
import { REQUEST, sdkClientFor, withoutParsed } from './sdk-client.ts'

interface SDKRun {
  events: unknown[]
  /** `snapshot` of each `response.output_text.delta` and `response.function_call_arguments.delta` the SDK emitted. */
  snapshots: string[]
  final: unknown
  error: unknown
}

async function sdkRun(reads: Uint8Array[]): Promise<SDKRun> {
  const stream = sdkClientFor(reads).responses.stream(REQUEST)
  const snapshots: string[] = []
  stream.on('response.output_text.delta', (event) => snapshots.push(event.snapshot))
  stream.on('response.function_call_arguments.delta', (event) => snapshots.push(event.snapshot))
  // The SDK builds its snapshot out of the events' own objects and changes them later: copy each as emitted.
  const events: unknown[] = []
  stream.on('event', (event) => events.push(JSON.parse(JSON.stringify(event))))
  let final: unknown
  let error: unknown
  try {
    final = withoutParsed(await stream.finalResponse())
  } catch (caught) {
    error = caught
  }
  return { events, snapshots, final, error }
}

interface OurRun {
  events: ResponseEvent[]
  /** The text of the part (or the arguments of the call) each text or arguments delta changed, after it. */
  snapshots: string[]
  final: ResponseSnapshot | undefined
  error: unknown
}

async function ourRun(reads: Uint8Array[]): Promise<OurRun> {
  const stream = new ResponseEventStream()
  const { items: events, error } = await readToEnd(fromChunks(reads).pipeThrough(stream))
  const accumulator = new ResponseAccumulator()
  const snapshots: string[] = []
  const controller = { enqueue() {}, error() {}, terminate() {}, desiredSize: 1 }
  for (const event of events) {
    accumulator.transform(event, controller)
    const at = event as { output_index?: number; content_index?: number }
    const item = accumulator.response?.output[at.output_index ?? -1] as Record<string, unknown> | undefined
    if (event.type === 'response.output_text.delta' && item?.type === 'message')
      snapshots.push(String((item.content as { text?: string }[])[at.content_index!]?.text))
    if (event.type === 'response.function_call_arguments.delta' && item?.type === 'function_call')
      snapshots.push(String(item.arguments))
  }
  return { events, snapshots, final: accumulator.response, error }
}

/**
 * The texts of a response's message items (`output_text` parts) and the arguments of its
 * function calls, in order: what the SDK's own snapshot assembles (it applies no refusal and
 * no reasoning summary deltas, so an incomplete response from `finalResponse()` has neither).
 */
function textsOf(response: unknown): string[] {
  const texts: string[] = []
  for (const item of (response as { output: Record<string, unknown>[] }).output) {
    if (item.type === 'function_call') texts.push(String(item.arguments))
    if (item.type !== 'message') continue
    for (const part of item.content as { type: string; text?: string }[])
      if (part.type === 'output_text') texts.push(String(part.text))
  }
  return texts
}

const RESUMED = 'background-resume-starting-after-gpt-4o.sse'
const ERRORED = 'error-then-failed-insufficient-quota-gpt-5-nano-reconstructed.sse'

for (const [name, text] of Object.entries(CAPTURES)) {
  if (name === RESUMED || name === ERRORED) continue
  test(`${name}: the SDK's events, text snapshots and final response`, async () => {
    const data = bytes(text)
    const cuts = [1, 2, 3].map((part) => Math.floor((part * data.length) / 4) + part)
    for (const reads of [[data], splitAt(data, cuts)]) {
      const [sdk, ours] = await Promise.all([sdkRun(reads), ourRun(reads)])
      assert.is(sdk.error, undefined, 'the SDK reads it')
      assert.is(ours.error, undefined, 'sluice reads it')
      assert.equal(JSON.parse(JSON.stringify(ours.events)), JSON.parse(JSON.stringify(sdk.events)), 'events')
      assert.equal(ours.snapshots, sdk.snapshots, 'snapshots')
      assert.equal(JSON.parse(JSON.stringify(ours.final)), sdk.final, 'final response')
    }
  })
}

test('a resumed replay (no response.created): the SDK throws, sluice reads it as resumed', async () => {
  const reads = [bytes(CAPTURES[RESUMED]!)]
  const [sdk, ours] = await Promise.all([sdkRun(reads), ourRun(reads)])
  assert.match(String((sdk.error as Error).message), "expected 'response.created' event")
  assert.is(ours.error, undefined)
  assert.is(ours.final?.status, 'completed')
  const completed = ours.events.at(-1) as { response: unknown }
  assert.equal(JSON.parse(JSON.stringify(ours.final)), completed.response)
})

test('an error event then response.failed: both fail with the provider message; sluice hands over the events before it', async () => {
  const reads = [bytes(CAPTURES[ERRORED]!)]
  const [sdk, ours] = await Promise.all([sdkRun(reads), ourRun(reads)])
  assert.instance(ours.error, ProviderError)
  assert.is((ours.error as ProviderError).providerCode, 'insufficient_quota')
  assert.ok((ours.error as Error).message.includes((sdk.error as Error).message), (ours.error as Error).message)
  assert.equal(
    ours.events.map((event) => event.type),
    ['response.created', 'response.in_progress'],
  )
})

test('generated streams of every shape, at any split: the SDK and sluice agree, or differ as documented', async () => {
  await fc.assert(
    fc.asyncProperty(
      streamShape,
      fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 6 }),
      async (shape, fractions) => {
        const events = eventsOf(shape)
        const data = bytes(sseOf(events))
        const reads = splitAt(
          data,
          fractions.map((fraction) => Math.floor(fraction * data.length)).sort((a, b) => a - b),
        )
        const [sdk, ours] = await Promise.all([sdkRun(reads), ourRun(reads)])
        const whole = await ourRun([data])
        assert.equal(ours.events, whole.events, 'any split gives the events of one read')
        assert.equal(ours.snapshots, sdk.snapshots, 'text and arguments snapshots')
        const sdkEvents = JSON.parse(JSON.stringify(sdk.events)) as { type: string }[]
        const ourEvents = JSON.parse(JSON.stringify(ours.events)) as unknown[]
        const last = events.at(-1)!
        switch (shape.ending) {
          case 'completed':
            assert.is(ours.error, undefined)
            assert.equal(ourEvents, sdkEvents)
            assert.equal(JSON.parse(JSON.stringify(ours.final)), sdk.final)
            break
          case 'incomplete': {
            assert.is(ours.error, undefined)
            assert.equal(ourEvents, sdkEvents)
            // sluice: the response of response.incomplete; the SDK: its own snapshot, still 'in_progress'.
            assert.equal(JSON.parse(JSON.stringify(ours.final)), last.response)
            assert.is((sdk.final as { status: string }).status, 'in_progress')
            // (its items stay as added: it applies neither response.output_item.done nor
            // response.function_call_arguments.done, so arguments sent only there are lost).
            const sdkTexts = shape.items.flatMap((item) =>
              item.kind === 'function_call'
                ? [item.onlyDone ? '' : item.deltas.join('')]
                : item.kind === 'message'
                  ? item.parts.filter((part) => part.type === 'output_text').map((part) => part.deltas.join(''))
                  : [],
            )
            assert.equal(textsOf(sdk.final), sdkTexts)
            assert.equal(textsOf(ours.final), textsOf(last.response))
            break
          }
          case 'failed':
            // sluice hands over response.failed, then fails with its error; the SDK resolves.
            assert.instance(ours.error, ProviderError)
            assert.is((ours.error as ProviderError).providerCode, 'server_error')
            assert.equal(ourEvents, sdkEvents)
            assert.is(ours.final?.status, 'failed')
            assert.is(sdk.error, undefined)
            break
          case 'error-flat':
          case 'error-nested':
            assert.instance(ours.error, ProviderError)
            assert.is((ours.error as ProviderError).providerCode, 'server_error')
            assert.equal(
              ourEvents,
              sdkEvents.filter((event) => event.type !== 'error'),
            )
            // The SDK rejects a flat error event with the event itself, a plain object.
            assert.is((sdk.error as { message: string }).message, 'the server failed')
            assert.is(sdk.error instanceof Error, shape.ending === 'error-nested')
            break
          case 'cut':
            // sluice: truncated, after every event; the SDK's finalResponse() resolves with what it had.
            assert.is((ours.error as Error).name, 'TruncatedResponseError')
            assert.equal(ourEvents, sdkEvents)
            assert.is(sdk.error, undefined)
            assert.is((sdk.final as { status: string }).status, 'in_progress')
        }
      },
    ),
    { numRuns: 80 },
  )
})

test.run()
