/** The decoder's rules one by one: order, routing, verdicts, quirks and errors, each with where it happened. */
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { iterate } from '@sluice/compose'
import { StrictModeError } from '@sluice/openai'
import { bytes, fromChunks, readToEnd } from '@sluice/test-support'
import {
  ProviderError,
  type ResponseEvent,
  ResponseEventParseError,
  ResponseEventParser,
  ResponseEventStream,
  type ResponseEventStreamOptions,
  type ResponseOutcome,
  TruncatedResponseError,
  UnexpectedResponseEventError,
} from '../src/index.ts'
import { eventsOf, sseOf } from './generated-streams.ts'

type Event = Record<string, unknown> & { type: string }

async function decode(text: string, options: ResponseEventStreamOptions = {}) {
  const stream = new ResponseEventStream(options)
  const { items, error } = await readToEnd(fromChunks([bytes(text)]).pipeThrough(stream))
  const outcome: ResponseOutcome = await stream.outcome
  return { events: items as ResponseEvent[], error, outcome, codes: outcome.quirks.map((quirk) => quirk.code) }
}

const frame = (event: Event) => `event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`
const response = (status: string, extra: Record<string, unknown> = {}) => ({
  id: 'resp_1',
  object: 'response',
  status,
  model: 'm',
  output: [],
  ...extra,
})
const created = { type: 'response.created', sequence_number: 0, response: response('in_progress') }
const completed = (sequence: number) => ({
  type: 'response.completed',
  sequence_number: sequence,
  response: response('completed'),
})
const message = (sequence: number) => ({
  type: 'response.output_item.added',
  sequence_number: sequence,
  output_index: 0,
  item: { id: 'msg_1', type: 'message', role: 'assistant', content: [] },
})
const part = (sequence: number) => ({
  type: 'response.content_part.added',
  sequence_number: sequence,
  output_index: 0,
  item_id: 'msg_1',
  content_index: 0,
  part: { type: 'output_text', text: '' },
})
const delta = (sequence: number, text = 'Hi', outputIndex = 0) => ({
  type: 'response.output_text.delta',
  sequence_number: sequence,
  output_index: outputIndex,
  item_id: 'msg_1',
  content_index: 0,
  delta: text,
})

test('a whole stream is complete; the output closes at response.completed', async () => {
  const run = await decode([created, message(1), part(2), delta(3), completed(4)].map(frame).join(''))
  assert.is(run.outcome.status, 'complete')
  assert.is(run.outcome.terminal, 'response.completed')
  assert.is(run.outcome.responseId, 'resp_1')
  assert.is(run.outcome.lastSequenceNumber, 4)
  assert.equal(run.codes, [])
  assert.is(run.events.length, 5)
})

test('response.incomplete is complete with its reason; response.failed is handed over, then a ProviderError', async () => {
  const incomplete = {
    type: 'response.incomplete',
    sequence_number: 1,
    response: response('incomplete', { incomplete_details: { reason: 'max_output_tokens' } }),
  }
  const run = await decode([created, incomplete].map(frame).join(''))
  assert.is(run.outcome.status, 'complete')
  assert.is(run.outcome.incompleteReason, 'max_output_tokens')
  const failed = {
    type: 'response.failed',
    sequence_number: 1,
    response: response('failed', { error: { code: 'server_error', message: 'The model crashed' } }),
  }
  const failure = await decode([created, failed].map(frame).join(''))
  assert.equal(
    failure.events.map((event) => event.type),
    ['response.created', 'response.failed'],
  )
  assert.instance(failure.error, ProviderError)
  assert.is((failure.error as ProviderError).providerCode, 'server_error')
  assert.is((failure.error as ProviderError).retryable, true)
  assert.match((failure.error as Error).message, 'The model crashed')
  assert.is(failure.outcome.status, 'error')
  assert.is(failure.outcome.terminal, 'response.failed')
})

test('error events, flat and nested, are ProviderErrors with their fields, after the events before them', async () => {
  const flat = { type: 'error', sequence_number: 1, code: 'rate_limit_exceeded', message: 'Slow down', param: null }
  const run = await decode([created, flat].map(frame).join(''))
  assert.is(run.events.length, 1)
  assert.instance(run.error, ProviderError)
  assert.is((run.error as ProviderError).providerCode, 'rate_limit_exceeded')
  assert.is((run.error as ProviderError).retryable, true)
  assert.is((run.error as ProviderError).eventIndex, 1)
  const nested = { type: 'error', error: { type: 'invalid_request_error', code: 'bad', message: 'No', param: 'input' } }
  const other = await decode([created, nested].map(frame).join(''))
  assert.is((other.error as ProviderError).type, 'invalid_request_error')
  assert.is((other.error as ProviderError).param, 'input')
  assert.is((other.error as ProviderError).retryable, false)
})

test('a stream without a terminal event is truncated, with where to resume; truncated: close closes', async () => {
  const text = [created, message(1), part(2), delta(3)].map(frame).join('')
  const run = await decode(text)
  assert.instance(run.error, TruncatedResponseError)
  assert.is(run.outcome.status, 'truncated')
  assert.is(run.outcome.lastSequenceNumber, 3)
  assert.equal(run.outcome.openItems, [{ outputIndex: 0, type: 'message', characters: 2 }])
  assert.match((run.error as Error).message, 'output item 0 (message) is open after 2 chars')
  let heard: TruncatedResponseError | undefined
  const closed = await decode(text, { truncated: 'close', onTruncated: (error) => (heard = error) })
  assert.is(closed.error, undefined)
  assert.is(closed.events.length, 4)
  assert.instance(heard, TruncatedResponseError)
})

test('an open function call says whether its arguments are whole JSON', async () => {
  const call = {
    type: 'response.output_item.added',
    output_index: 0,
    item: { id: 'fc_1', type: 'function_call', call_id: 'c', name: 'f', arguments: '' },
  }
  const args = { type: 'response.function_call_arguments.delta', output_index: 0, item_id: 'fc_1', delta: '{"a":' }
  const run = await decode([created, call, args].map(frame).join(''))
  assert.equal(run.outcome.openItems, [{ outputIndex: 0, type: 'function_call', characters: 5, completeJSON: false }])
})

test('routing: an item never added, an item done before, an item added twice are UnexpectedResponseEventErrors', async () => {
  const never = await decode([created, delta(1, 'x', 3)].map(frame).join(''))
  assert.instance(never.error, UnexpectedResponseEventError)
  assert.match((never.error as Error).message, 'output item 3 was never added')
  assert.is((never.error as UnexpectedResponseEventError).eventIndex, 1)
  assert.is((never.error as UnexpectedResponseEventError).line, 6) // the blank line that ended it
  const done = {
    type: 'response.output_item.done',
    output_index: 0,
    item: { id: 'msg_1', type: 'message', content: [] },
  }
  const after = await decode([created, message(1), part(2), done, delta(4)].map(frame).join(''))
  assert.match((after.error as Error).message, 'output item 0 was done before')
  const twice = await decode([created, message(1), message(2)].map(frame).join(''))
  assert.match((twice.error as Error).message, 'output item 0 was added before')
  const bad = await decode([created, { ...delta(1), output_index: -1 }].map(frame).join(''))
  assert.match((bad.error as Error).message, 'it needs output_index (an integer >= 0), got -1')
})

test('two responses in one body, and an event: name that is not the data type, are errors', async () => {
  const second = { ...created, response: response('in_progress', { id: 'resp_2' }) }
  const run = await decode([created, second].map(frame).join(''))
  assert.match((run.error as Error).message, 'another response (resp_2) started in the stream of resp_1')
  const renamed = `event: response.completed\ndata: ${JSON.stringify(created)}\n\n`
  const mismatch = await decode(renamed)
  assert.instance(mismatch.error, UnexpectedResponseEventError)
  assert.match((mismatch.error as Error).message, 'its data\'s type is "response.created"')
})

test('data that is not an event is a ResponseEventParseError; a chat chunk stream is named', async () => {
  const garbage = await decode('data: {"type":\n\n')
  assert.instance(garbage.error, ResponseEventParseError)
  assert.match((garbage.error as Error).message, 'data is not JSON')
  const chunk = { id: 'c', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [] }
  const chat = await decode(`data: ${JSON.stringify(chunk)}\n\ndata: [DONE]\n\n`)
  assert.instance(chat.error, ResponseEventParseError)
  assert.match((chat.error as Error).message, 'this is a Chat Completions stream')
  const html = await decode('<html>502 Bad Gateway</html>')
  assert.is((html.error as Error).name, 'NotEventStreamError')
})

test('quirks: no event: line, a sequence gap, a sequence not rising, a duplicate response.created, [DONE], events after the end', async () => {
  const text = [
    `data: ${JSON.stringify(created)}\n\n`,
    frame(message(1)),
    frame(part(4)),
    frame(delta(4)),
    frame({ ...created, sequence_number: 5 }),
    'data: [DONE]\n\n',
    frame(completed(6)),
    frame({ type: 'response.rate_limits.updated', rate_limits: [] }),
  ].join('')
  const run = await decode(text, { afterTerminal: 'drain' })
  const codes = [
    'missing-event-type',
    'sequence-gap',
    'sequence-not-rising',
    'duplicate-response-created',
    'done-marker',
  ]
  assert.equal(run.codes, codes) // the stream drains what follows response.completed unread
  assert.is(run.outcome.status, 'complete')
  assert.is(run.events.length, 5)
  assert.match(run.outcome.quirks[1]!.message, 'sequence_number 4 follows 1: 2 events are missing')
  assert.is(run.outcome.quirks[1]!.line, 8)
  // The plain parser, told to drain, reads what follows and discards it.
  const parser = new ResponseEventParser({ afterTerminal: 'drain' })
  const events: unknown[] = []
  for await (const event of iterate(fromChunks([bytes(text)]), parser)) events.push(event)
  assert.is(events.length, 5)
  assert.equal(
    parser.progress.quirks.map((quirk) => quirk.code), // the outcome was settled at response.completed
    [...codes, 'event-after-terminal'],
  )
})

test('a resumed replay is read: items not seen added are taken; no response.created is not missing', async () => {
  const text = [delta(7), completed(8)].map(frame).join('')
  const run = await decode(text)
  assert.is(run.outcome.status, 'complete')
  assert.is(run.outcome.resumed, true)
  assert.equal(run.codes, ['resumed-stream'])
  const cut = await decode(frame(delta(7)))
  assert.equal(
    cut.outcome.status === 'truncated' && (cut.error as Error).message.includes('no response.created'),
    false,
  )
})

test('a delta for a content part never added adds it (a quirk); an item_id that changes is a quirk', async () => {
  const run = await decode(
    [created, message(1), delta(2), { ...delta(3), item_id: 'msg_2' }, completed(4)].map(frame).join(''),
  )
  assert.equal(run.codes, ['missing-content-part', 'item-id-changed'])
  assert.is(run.outcome.status, 'complete')
})

test('unknown event types and keepalive pass through unchanged', async () => {
  const keepalive = { type: 'keepalive', sequence_number: 1 }
  const hosted = { type: 'response.web_search_call.searching', sequence_number: 3, output_index: 0, item_id: 'ws_1' }
  const added = {
    type: 'response.output_item.added',
    sequence_number: 2,
    output_index: 0,
    item: { id: 'ws_1', type: 'web_search_call' },
  }
  const future = { type: 'response.something_new', sequence_number: 4, note: 'x' }
  const run = await decode([created, keepalive, added, hosted, future, completed(5)].map(frame).join(''))
  assert.equal(run.events, [created, keepalive, added, hosted, future, completed(5)])
  assert.equal(run.codes, [])
})

test('the terminal event without its closing blank line is taken (a quirk)', async () => {
  const text = [created].map(frame).join('') + `event: response.completed\ndata: ${JSON.stringify(completed(1))}`
  const run = await decode(text)
  assert.is(run.outcome.status, 'complete')
  assert.equal(run.codes, ['unterminated-terminal-event'])
  assert.is(run.events.at(-1)?.type, 'response.completed')
})

test('strict turns a quirk into a StrictModeError', async () => {
  const run = await decode(`data: ${JSON.stringify(created)}\n\n`, { strict: true })
  assert.instance(run.error, StrictModeError)
})

test('the options are checked', () => {
  assert.throws(() => new ResponseEventStream({ afterTerminal: 'later' as 'auto' }), /afterTerminal must be/)
  assert.throws(() => new ResponseEventStream({ truncated: 'ignore' as 'close' }), /truncated must be/)
})

test('an event longer than maxEventSize is an EventTooLargeError, after the events before it', async () => {
  const long = frame({ ...delta(1), delta: 'x'.repeat(5000) })
  const run = await decode(frame(created) + long, { maxEventSize: 1000 })
  assert.equal(
    run.events.map((event) => event.type),
    ['response.created'],
  )
  assert.is((run.error as Error).name, 'EventTooLargeError')
  assert.is(run.outcome.status, 'error')
})

test('a line longer than maxLineLength is a LineTooLongError', async () => {
  const run = await decode(sseOf(eventsOf({ items: [], ending: 'completed', cutAt: 0, sequence: true })), {
    maxLineLength: 100,
  })
  assert.is((run.error as Error).name, 'LineTooLongError')
})

test.run()
