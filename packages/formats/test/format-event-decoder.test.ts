/** The shared decoder base through a small format whose stream must end with a `done` event. */
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import type { StreamProgress, TransformController } from '@sluice/compose'
import { StrictModeError } from '@sluice/openai'
import { type ServerSentEvent, SSEStream } from '@sluice/sse'
import { bytes, fromChunks, readToEnd } from '@sluice/test-support'
import {
  checkAfterEnd,
  describePosition,
  endedOutcome,
  EventParser,
  FormatEventDecoder,
  type FormatDecoderOptions,
  type FormatOutcome,
  quotePayload,
} from '../src/index.ts'
import { RecordedTransformStream } from '@sluice/compose'

type DoneProgress = StreamProgress & { done: boolean }

class CutError extends Error {
  constructor(readonly outcome: FormatOutcome<DoneProgress>) {
    super(`cut off after ${outcome.counts.events} events`)
    this.name = 'CutError'
  }
}

class DoneDecoder extends FormatEventDecoder<string, DoneProgress, CutError> {
  #done = false
  constructor(options: FormatDecoderOptions<CutError> & { onQuirk?: (quirk: { code: string }) => void } = {}) {
    super('DoneDecoder', options)
  }
  protected decode(event: ServerSentEvent, eventIndex: number, controller: TransformController<string>): void {
    if (event.data === 'bad') throw new TypeError(`bad data at ${describePosition(this.position(eventIndex))}`)
    if (event.type === 'odd') this.quirk('odd-event', 'an odd event', eventIndex)
    if (event.type === 'done') {
      this.#done = true
      this.settle(this.completeOutcome())
      return controller.terminate()
    }
    controller.enqueue(event.data)
  }
  protected formatProgress(progress: StreamProgress): DoneProgress {
    return { ...progress, done: this.#done }
  }
  protected missingParts(progress: DoneProgress): string[] {
    return progress.done ? [] : ['no done event']
  }
  protected truncatedError(outcome: FormatOutcome<DoneProgress>): CutError {
    return new CutError(outcome)
  }
}

async function run(text: string, decoder = new DoneDecoder()) {
  const stream = new RecordedTransformStream(new EventParser(decoder, {}))
  const { items, error } = await readToEnd(fromChunks([bytes(text)]).pipeThrough(stream))
  return { items, error, outcome: await decoder.outcome }
}

test('complete at the format’s last event; the events counted in the shared record', async () => {
  const { items, outcome } = await run('data: a\n\ndata: b\n\nevent: done\ndata: x\n\n')
  assert.equal(items, ['a', 'b'])
  assert.is(outcome.status, 'complete')
  assert.is(outcome.counts.events, 3)
  assert.is(outcome.counts.lines, 7)
})

test('a cut is the format’s truncation error, or a close with onTruncated', async () => {
  const cut = await run('data: a\n\n')
  assert.instance(cut.error, CutError)
  assert.is(cut.outcome.status, 'truncated')
  let heard: CutError | undefined
  const closed = await run(
    'data: a\n\n',
    new DoneDecoder({ truncated: 'close', onTruncated: (error) => (heard = error) }),
  )
  assert.is(closed.error, undefined)
  assert.is(closed.outcome.status, 'truncated')
  assert.instance(heard, CutError)
  assert.throws(() => new DoneDecoder({ truncated: 'maybe' as 'close' }), /DoneDecoder: truncated must be/)
})

test('an error in decode is the outcome’s, after the items before it, with where it happened', async () => {
  const { items, error, outcome } = await run('data: a\n\ndata: bad\n\n')
  assert.equal(items, ['a'])
  assert.is((error as Error).message, 'bad data at event 1 (ending at line 4)')
  assert.is(outcome.status, 'error')
})

test('quirks go to onQuirk and the record, or become a StrictModeError', async () => {
  const heard: string[] = []
  const { outcome } = await run(
    'event: odd\ndata: a\n\nevent: done\ndata: x\n\n',
    new DoneDecoder({ onQuirk: (quirk) => heard.push(quirk.code) }),
  )
  assert.equal(heard, ['odd-event'])
  assert.equal(
    outcome.quirks.map((quirk) => [quirk.code, quirk.line]),
    [['odd-event', 3]],
  )
  const strict = await run('event: odd\ndata: a\n\n', new DoneDecoder({ strict: true }))
  assert.instance(strict.error, StrictModeError)
})

test('a cancel is the outcome’s; endedOutcome tells errors, cancels and truncations apart', async () => {
  const decoder = new DoneDecoder()
  const stream = new RecordedTransformStream(new EventParser(decoder, {}))
  await stream.readable.cancel('user left')
  assert.is((await decoder.outcome).status, 'cancelled')
  const progress = new SSEStream().progress
  assert.is(endedOutcome(progress, new TypeError('x')).status, 'error')
  assert.is(endedOutcome(progress, new DOMException('t', 'TimeoutError')).status, 'cancelled')
  const truncated = new CutError({ ...progress, done: false, status: 'truncated' })
  assert.is(endedOutcome(progress, truncated).status, 'truncated')
})

test('checkAfterEnd names the option; quotePayload cuts long payloads', () => {
  assert.is(checkAfterEnd(undefined, 'afterStop', 'X'), 'auto')
  assert.is(checkAfterEnd('drain', 'afterStop', 'X'), 'drain')
  assert.throws(
    () => checkAfterEnd('later', 'afterStop', 'X'),
    /X: afterStop must be 'auto', 'cancel' or 'drain', got later/,
  )
  assert.is(quotePayload('ab'), '"ab"')
  assert.is(quotePayload('x'.repeat(100)), JSON.stringify(`${'x'.repeat(80)}…`))
})

test.run()
