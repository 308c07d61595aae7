/**
 * MessageAccumulator's parseArguments and parseContent: a tool block's `input` and a text
 * block's `parsed_output` after each event are what a fresh parser gives for the text so far,
 * the whole value at the block's stop, each text read once; JSON that does not parse keeps
 * its text and is a quirk; without the options, snapshots are as they were.
 */
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import fc from 'fast-check'
import { partialJSON } from '@sluice/json'
import { bytes, fromChunks, readToEnd, splitText, stateAfterEach } from '@sluice/test-support'
import { freshValue, recordingParsers } from '@sluice/test-support/partial-values'
import {
  type Message,
  MessageAccumulator,
  type MessageAccumulatorOptions,
  MessageAccumulatorStream,
  type MessageEvent,
  MessageEventStream,
} from '../src/index.ts'
import { CAPTURES } from './captures.ts'

type BlockType = 'tool_use' | 'server_tool_use' | 'mcp_tool_use' | 'text'
interface BlockShape {
  type: BlockType
  pieces: string[]
}

const START: MessageEvent = {
  type: 'message_start',
  message: {
    id: 'msg_1',
    type: 'message',
    role: 'assistant',
    model: 'claude-test',
    content: [],
    stop_reason: null,
    stop_sequence: null,
    usage: { input_tokens: 10, output_tokens: 1 },
  },
} as MessageEvent

/** The events of a message with these blocks, as the API sends them (a tool block's first delta is empty). */
function eventsOf(blocks: readonly BlockShape[], closeBlocks = true): MessageEvent[] {
  const events: MessageEvent[] = [START]
  for (const [index, { type, pieces }] of blocks.entries()) {
    const tool = type !== 'text'
    const block = tool ? { type, id: `toolu_${index}`, name: 'get_weather', input: {} } : { type, text: '' }
    events.push({ type: 'content_block_start', index, content_block: block } as MessageEvent)
    for (const piece of tool ? ['', ...pieces] : pieces) {
      const delta = tool ? { type: 'input_json_delta', partial_json: piece } : { type: 'text_delta', text: piece }
      events.push({ type: 'content_block_delta', index, delta } as MessageEvent)
    }
    if (closeBlocks) events.push({ type: 'content_block_stop', index } as MessageEvent)
  }
  events.push({ type: 'message_delta', delta: { stop_reason: 'tool_use', stop_sequence: null }, usage: {} } as never)
  events.push({ type: 'message_stop' } as MessageEvent)
  return events
}

/** The message after each event, and the accumulator. */
function run(events: readonly MessageEvent[], options?: MessageAccumulatorOptions) {
  const accumulator = new MessageAccumulator(options)
  return { messages: stateAfterEach(accumulator, events, () => accumulator.message!), accumulator }
}

/** What a tolerant parser keeps of `text` that ended, and its error. */
function ended(text: string): { value: unknown; error: Error | undefined } {
  const parser = partialJSON()
  parser.feed(text)
  parser.end()
  return { value: parser.snapshot(), error: parser.error }
}

const TOOL_BLOCKS = new Set(['tool_use', 'server_tool_use', 'mcp_tool_use'])

/**
 * Checks the message after each event against the text each block had received: a tool
 * block's `input` (with `parseArguments`) and a text block's `parsed_output` (with
 * `parseContent`) are what a fresh parser shows for it, and once the block stopped (or
 * `message_delta` closed it) what a parser that read it whole keeps (`{}` for an empty input).
 * Returns which blocks stopped.
 */
function checkValues(
  events: readonly MessageEvent[],
  messages: readonly Message[],
  options: MessageAccumulatorOptions,
): boolean[] {
  const texts: string[] = []
  const stopped: boolean[] = []
  for (const [at, event] of events.entries()) {
    const { index, delta } = event as { index?: number; delta?: { partial_json?: string; text?: string } }
    if (event.type === 'content_block_start') [texts[index!], stopped[index!]] = ['', false]
    if (event.type === 'content_block_delta') texts[index!] += delta!.partial_json ?? delta!.text ?? ''
    if (event.type === 'content_block_stop') stopped[index!] = true
    if (event.type === 'message_delta') stopped.fill(true)
    for (const [index, block] of messages[at]!.content.entries()) {
      const text = texts[index]!
      const value = !stopped[index] ? freshValue(text) : text.trim() === '' ? undefined : ended(text).value
      if (block.type === 'text' && options.parseContent) {
        assert.is('parsed_output' in block, text !== '', `parsed_output of block ${index} after event ${at}`)
        assert.equal(block.parsed_output, value, `block ${index} after event ${at}`)
      }
      if (TOOL_BLOCKS.has(block.type) && options.parseArguments)
        assert.equal(block.input, value === undefined ? {} : value, `block ${index} after event ${at}`)
    }
  }
  return stopped
}

const BOTH: MessageAccumulatorOptions = { parseArguments: partialJSON, parseContent: partialJSON }

test('MessageAccumulator with parseArguments shows the tool input as it streams, sharing what did not change', () => {
  const pieces = ['{"location": "San', ' Francisco", "days": [{"n": 1}], "unit": "cel', 'sius", "alerts": nu', 'll}']
  const { messages } = run(eventsOf([{ type: 'tool_use', pieces }]), { parseArguments: partialJSON })
  const inputs = messages.slice(2, 8).map((message) => message.content[0]!.input)
  assert.equal(inputs, [
    {},
    { location: 'San' },
    { location: 'San Francisco', days: [{ n: 1 }], unit: 'cel' },
    { location: 'San Francisco', days: [{ n: 1 }], unit: 'celsius' },
    { location: 'San Francisco', days: [{ n: 1 }], unit: 'celsius', alerts: null },
    { location: 'San Francisco', days: [{ n: 1 }], unit: 'celsius', alerts: null },
  ])
  const days = (input: unknown) => (input as { days: unknown }).days
  assert.is(days(inputs[3]), days(inputs[2]), 'an array that did not change is the same object')
  assert.ok(Object.isFrozen(inputs[2]) && Object.isFrozen(days(inputs[2])))
  assert.is(messages[7], messages[6], 'the stop keeps the block when the whole value is the one shown')
  assert.is(messages[7]!.content[0]!.partial_json, undefined)
})

test('MessageAccumulator without options leaves input {} until the stop and adds no keys', () => {
  const events = eventsOf([
    { type: 'tool_use', pieces: ['{"a": ', '1}'] },
    { type: 'text', pieces: ['{"b"', ': 2}'] },
  ])
  const { messages } = run(events)
  assert.equal(messages[4]!.content[0]!.input, {})
  assert.is(messages[4], messages[2], 'an input_json_delta makes no snapshot')
  assert.equal(messages.at(-1)!.content, [
    { type: 'tool_use', id: 'toolu_0', name: 'get_weather', input: { a: 1 } },
    { type: 'text', text: '{"b": 2}' },
  ])
})

test('MessageAccumulator with parseContent gives text blocks parsed_output, the anthropic SDK’s name', () => {
  const { messages, accumulator } = run(eventsOf([{ type: 'text', pieces: ['{"answer": "4', '2"}'] }]), {
    parseContent: partialJSON,
  })
  assert.equal(messages[2]!.content[0], { type: 'text', text: '{"answer": "4', parsed_output: { answer: '4' } })
  assert.equal(messages.at(-1)!.content[0]!.parsed_output, { answer: '42' })
  assert.equal(accumulator.progress.quirks, [])
})

test('MessageAccumulator keeps input that is not JSON in partial_json, with the value read before the error, and a quirk', () => {
  const { messages, accumulator } = run(
    eventsOf([
      { type: 'tool_use', pieces: ['{"a": [1, 2', ']} trailing'] },
      { type: 'text', pieces: ['Sure: {"b": 1}'] },
    ]),
    BOTH,
  )
  const [tool, text] = messages.at(-1)!.content
  assert.equal(tool, {
    type: 'tool_use',
    id: 'toolu_0',
    name: 'get_weather',
    input: { a: [1, 2] },
    partial_json: '{"a": [1, 2]} trailing',
  })
  assert.equal(text, { type: 'text', text: 'Sure: {"b": 1}', parsed_output: undefined })
  assert.equal(accumulator.progress.quirks, [
    { code: 'arguments-not-json', message: 'block 0: JSON text at 14: "t" after the value' },
    { code: 'content-not-json', message: 'block 1: JSON text at 0: "S" where a value was expected' },
  ])
})

test('MessageAccumulator keeps an empty input {} with parseArguments, without a quirk', () => {
  const { messages, accumulator } = run(eventsOf([{ type: 'tool_use', pieces: [' ', ''] }]), BOTH)
  assert.equal(messages.at(-1)!.content[0]!.input, {})
  assert.is(messages.at(-1)!.content[0]!.partial_json, undefined)
  assert.equal(accumulator.progress.quirks, [])
})

const blockShape: fc.Arbitrary<BlockShape> = fc.record({
  type: fc.constantFrom<BlockType>('tool_use', 'server_tool_use', 'mcp_tool_use', 'text'),
  pieces: fc.tuple(fc.json(), fc.array(fc.nat(), { maxLength: 6 })).map(([text, cuts]) => splitText(text, cuts)),
})

test('MessageAccumulator values after each event are a fresh parser’s on the text so far; at the stop, JSON.parse', () => {
  fc.assert(
    fc.property(fc.array(blockShape, { minLength: 1, maxLength: 3 }), fc.boolean(), (blocks, closeBlocks) => {
      const events = eventsOf(blocks, closeBlocks)
      const { messages, accumulator } = run(events, BOTH)
      checkValues(events, messages, BOTH)
      for (const [index, block] of messages.at(-1)!.content.entries()) {
        const whole = JSON.parse(blocks[index]!.pieces.join(''))
        assert.equal(block.type === 'text' ? block.parsed_output : block.input, whole)
      }
      assert.equal(accumulator.progress.quirks, [])
    }),
    { numRuns: 150 },
  )
})

test('MessageAccumulator: text that is not JSON keeps the value read before the error and its text, with a quirk', () => {
  const broken = fc
    .tuple(fc.json(), fc.constantFrom(' x', '}', ',', '"'), fc.array(fc.nat(), { maxLength: 4 }))
    .map(([json, tail, cuts]) => splitText(json + tail, cuts))
  fc.assert(
    fc.property(fc.constantFrom<BlockType>('tool_use', 'text'), broken, (type, pieces) => {
      const { messages, accumulator } = run(eventsOf([{ type, pieces }]), BOTH)
      const block = messages.at(-1)!.content[0]!
      const text = pieces.join('')
      const { value, error } = ended(text)
      if (type === 'text') {
        assert.equal(block, { type: 'text', text, parsed_output: value })
      } else {
        assert.equal(block.input, value === undefined ? {} : value)
        assert.is(block.partial_json, text, 'the raw text, as without parsing')
      }
      const code = type === 'text' ? 'content-not-json' : 'arguments-not-json'
      assert.equal(accumulator.progress.quirks, [{ code, message: `block 0: ${error!.message}` }])
    }),
    { numRuns: 150 },
  )
})

test('MessageAccumulator without options gives the snapshots of the options, less what they add', () => {
  fc.assert(
    fc.property(fc.array(blockShape, { minLength: 1, maxLength: 3 }), (blocks) => {
      const events = eventsOf(blocks)
      const plain = run(events).messages
      const parsed = run(events, BOTH).messages
      for (const [at, message] of plain.entries()) {
        assert.ok(message.content.every((block) => !('parsed_output' in block)))
        const stripped = parsed[at]!.content.map((block, index) => {
          const { parsed_output: _parsed, ...rest } = block
          return block.type === 'text' ? rest : { ...rest, input: message.content[index]!.input }
        })
        assert.equal(message.content, stripped)
      }
      assert.equal({ ...plain.at(-1)!, content: [] }, { ...parsed.at(-1)!, content: [] })
    }),
    { numRuns: 100 },
  )
})

/** The events of a captured stream (up to its error, if it has one). */
async function eventsIn(name: string): Promise<MessageEvent[]> {
  return (await readToEnd(fromChunks([bytes(CAPTURES[name]!)]).pipeThrough(new MessageEventStream()))).items
}

for (const name of Object.keys(CAPTURES)) {
  test(`${name}: each block's values follow its text, each character read once; a stopped input is JSON.parse's`, async () => {
    const events = await eventsIn(name)
    const plain = run(events).messages.at(-1)
    const [args, content] = [recordingParsers(), recordingParsers()]
    const options = { parseArguments: args.make, parseContent: content.make }
    const { messages } = run(events, options)
    const stopped = checkValues(events, messages, options)
    const final = messages.at(-1)
    const pieces = { tool: 0, text: 0 }
    for (const event of events) {
      const delta = (event as { delta?: { type?: string; partial_json?: string; text?: string } }).delta
      if (delta?.type === 'input_json_delta') pieces.tool += delta.partial_json!.length
      if (delta?.type === 'text_delta') pieces.text += delta.text!.length
    }
    assert.is(args.read(), pieces.tool)
    assert.is(content.read(), pieces.text)
    for (const [index, block] of (plain?.content ?? []).entries()) {
      if (TOOL_BLOCKS.has(block.type) && stopped[index] && block.partial_json === undefined)
        assert.equal(final!.content[index]!.input, block.input, `block ${index}: as without parsing`)
    }
  })
}

test('text-then-tool-use-with-args-sonnet37.sse: through the streams, the input grows snapshot by snapshot', async () => {
  const stream = new MessageAccumulatorStream({ parseArguments: partialJSON })
  const { items } = await readToEnd(
    fromChunks([bytes(CAPTURES['text-then-tool-use-with-args-sonnet37.sse']!)])
      .pipeThrough(new MessageEventStream())
      .pipeThrough(stream),
  )
  const inputs = items.map((message) => message.content[1]?.input).filter((input) => input !== undefined)
  assert.ok(new Set(inputs).size > 3, `${new Set(inputs).size} different inputs`)
  assert.equal(inputs.at(-1), items.at(-1)!.content[1]!.input)
  assert.equal(stream.progress.quirks, [])
})

test('max-tokens-unterminated-tool-input.sse: the cut input keeps its text in partial_json, what was read in input, and a quirk', async () => {
  const events = await eventsIn('max-tokens-unterminated-tool-input.sse')
  const plain = run(events).messages.at(-1)!
  const { messages, accumulator } = run(events, { parseArguments: partialJSON })
  const final = messages.at(-1)!
  const at = plain.content.findIndex((block) => typeof block.partial_json === 'string')
  const text = plain.content[at]!.partial_json as string
  assert.equal(final.content[at], { ...plain.content[at], input: ended(text).value })
  assert.not.equal(final.content[at]!.input, {}, 'what was read of the cut input')
  assert.equal(accumulator.progress.quirks, [
    { code: 'arguments-not-json', message: `block ${at}: ${ended(text).error!.message}` },
  ])
})

test('text-basic-haiku45.sse: with parseContent, prose is a content-not-json quirk and its text is kept', async () => {
  const events = await eventsIn('text-basic-haiku45.sse')
  const plain = run(events).messages.at(-1)!
  const { messages, accumulator } = run(events, { parseContent: partialJSON })
  assert.equal(messages.at(-1)!.content[0], { ...plain.content[0], parsed_output: undefined })
  assert.equal(
    accumulator.progress.quirks.map((quirk) => quirk.code),
    ['content-not-json'],
  )
})

test.run()
