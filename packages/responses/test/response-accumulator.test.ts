/** The accumulator: frozen snapshots sharing what did not change, and the deltas of real captures rebuilding the final output. */
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { bytes, collect, fromChunks, readToEnd } from '@sluice/test-support'
import {
  accumulateResponse,
  type ResponseEvent,
  ResponseAccumulatorStream,
  ResponseEventStream,
  type ResponseSnapshot,
} from '../src/index.ts'
import { CAPTURES } from './captures.ts'
import { eventsOf, sseOf } from './generated-streams.ts'

async function eventsIn(text: string): Promise<ResponseEvent[]> {
  return (await readToEnd(fromChunks([bytes(text)]).pipeThrough(new ResponseEventStream()))).items
}

function snapshotsOf(events: ResponseEvent[]): Promise<ResponseSnapshot[]> {
  const source = new ReadableStream<ResponseEvent>({
    start(controller) {
      for (const event of events) controller.enqueue(event)
      controller.close()
    },
  })
  return collect(source.pipeThrough(new ResponseAccumulatorStream()))
}

/** The message texts, refusals, reasoning summaries and texts, and function call arguments of an output, in order. */
function textsOf(output: readonly Record<string, unknown>[]): string[] {
  const texts: string[] = []
  for (const item of output) {
    if (item.type === 'function_call') texts.push(String(item.arguments))
    for (const list of ['content', 'summary']) {
      for (const part of (item[list] as { text?: string; refusal?: string }[] | undefined) ?? [])
        texts.push(String(part.text ?? part.refusal ?? ''))
    }
  }
  return texts
}

test('every snapshot is frozen; items that did not change are the same objects', async () => {
  const shape = {
    items: [
      { kind: 'function_call' as const, name: 'f', deltas: ['{"a"', ':1}'], onlyDone: false },
      { kind: 'message' as const, parts: [{ type: 'output_text' as const, deltas: ['Hel', 'lo'] }] },
    ],
    ending: 'completed' as const,
    cutAt: 0,
    sequence: true,
  }
  const snapshots = await snapshotsOf(await eventsIn(sseOf(eventsOf(shape))))
  for (const snapshot of snapshots) {
    assert.ok(Object.isFrozen(snapshot) && Object.isFrozen(snapshot.output))
    for (const item of snapshot.output) assert.ok(Object.isFrozen(item))
  }
  const textDeltas = snapshots.filter(
    (snapshot) => snapshot.output.length === 2 && snapshot.output[1]!.status === 'in_progress',
  )
  assert.ok(textDeltas.length >= 2)
  assert.is(textDeltas[0]!.output[0], textDeltas.at(-1)!.output[0], 'the finished call is shared')
  assert.is.not(textDeltas[0]!.output[1], textDeltas.at(-1)!.output[1])
  assert.is(snapshots.at(-1)!.status, 'completed')
})

// Captures whose texts are not all in deltas: LM Studio sends the arguments only in .done;
// the image capture's message text comes only in .done.
const DONE_ONLY = [
  'function-call-args-only-in-done-lmstudio-glm-4.7-flash-reconstructed.sse',
  'image-generation-partial-image-gpt-5-b64-shortened-upstream-reconstructed.sse',
]

test('the deltas of every captured stream alone rebuild the texts and arguments of its final output', async () => {
  let checked = 0
  for (const [name, text] of Object.entries(CAPTURES)) {
    if (DONE_ONLY.includes(name)) continue
    const events = await eventsIn(text).catch(() => undefined)
    const terminal = events?.at(-1) as { type: string; response?: { output: Record<string, unknown>[] } } | undefined
    if (!events || terminal?.type !== 'response.completed') continue
    // Without the events that carry whole values, and without the terminal's output.
    const deltasOnly = events.filter((event) => !/\.done$/.test(event.type) && event !== terminal)
    deltasOnly.push({ ...terminal, response: { ...terminal.response!, output: [] } } as ResponseEvent)
    const rebuilt = (await snapshotsOf(deltasOnly)).at(-1)!
    const final = terminal.response!.output.filter((item) => rebuilt.output.some((built) => built.id === item.id))
    assert.equal(
      textsOf(rebuilt.output.filter((item) => final.some((each) => each.id === item.id))),
      textsOf(final),
      name,
    )
    checked++
  }
  assert.ok(checked >= 20, `only ${checked} captures checked`)
})

test('arguments sent only in .done (LM Studio) are set by it', async () => {
  const events = await eventsIn(CAPTURES[DONE_ONLY[0]!]!)
  const beforeEnd = (await snapshotsOf(events.slice(0, -1))).at(-1)!
  const call = beforeEnd.output.find((item) => item.type === 'function_call')!
  const done = events.find((event) => event.type === 'response.function_call_arguments.done') as { arguments: string }
  assert.is(call.arguments, done.arguments)
  assert.ok(done.arguments.length > 2)
})

test('annotations are set at their index; a cut stream rejects accumulateResponse with its error', async () => {
  const events = await eventsIn(CAPTURES['web-search-annotations-gpt-5.2.sse']!)
  const annotated = events.filter((event) => event.type === 'response.output_text.annotation.added')
  assert.ok(annotated.length > 0)
  const beforeEnd = (await snapshotsOf(events.slice(0, -1))).at(-1)!
  const message = beforeEnd.output.find((item) => item.type === 'message')!
  const annotations = (message.content as { annotations: unknown[] }[])[0]!.annotations
  assert.equal(
    annotations,
    annotated.map((event) => (event as { annotation: unknown }).annotation),
  )
  const cut = sseOf(eventsOf({ items: [], ending: 'cut', cutAt: 0.9, sequence: true }))
  await accumulateResponse(fromChunks([bytes(cut)]).pipeThrough(new ResponseEventStream())).then(
    () => assert.unreachable('a cut stream resolved'),
    (error: Error) => assert.is(error.name, 'TruncatedResponseError'),
  )
})

test.run()
