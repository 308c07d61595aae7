import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { ChatChunkStream, type ChatCompletionChunk, type Quirk } from '@sluice/openai'
import { bytes, collect, fromChunks, splitAt } from '@sluice/test-support'
import { mistralContentParts as mistral } from '@sluice/test-support/captured-streams'
import { chatStream } from '../src/index.ts'

const body = (text: string, cuts: number[] = []) => fromChunks(splitAt(bytes(text), cuts))

test('ChatChunkStream joins text parts into content, thinking parts into reasoning_content, and keeps the array (Mistral)', async () => {
  const quirks: Quirk[] = []
  const chunks: ChatCompletionChunk[] = await collect(
    body(mistral).pipeThrough(new ChatChunkStream({ onQuirk: (quirk) => quirks.push(quirk) })),
  )
  const deltas = chunks.map((chunk) => chunk.choices[0]!.delta)
  assert.equal(
    deltas.map((delta) => delta.content),
    ['', null, null, null, '2 + 2', ' = 4.', ''],
  )
  assert.equal(
    deltas.map((delta) => delta.reasoning_content),
    [undefined, 'The user asks 2+2.', ' Adding 2', ' by 2 is 4.', undefined, undefined, undefined],
  )
  assert.equal(deltas[3]!.content_parts, [
    { type: 'thinking', thinking: [{ type: 'text', text: ' by 2 is 4.' }], closed: true },
  ])
  assert.equal(
    quirks.map((quirk) => [quirk.code, quirk.eventIndex]),
    [1, 2, 3, 4, 5].map((index) => ['content-parts', index]),
  )
})

test('chatStream(): textStream, the reasoning and the completion of a content-parts stream, at any split', async () => {
  for (const cuts of [[], [10, 400, 900, 1500], Array.from({ length: 40 }, (_, index) => index * 53)]) {
    assert.equal(await collect(chatStream(body(mistral, cuts)).textStream()), ['2 + 2', ' = 4.'])
    assert.equal(await collect(chatStream(body(mistral, cuts)).textStream({ reasoning: true })), [
      'The user asks 2+2.',
      ' Adding 2',
      ' by 2 is 4.',
    ])
    const stream = chatStream(body(mistral, cuts))
    const { message } = (await stream.completion()).choices[0]!
    assert.is(message.content, '2 + 2 = 4.')
    assert.is(message.reasoning_content, 'The user asks 2+2. Adding 2 by 2 is 4.')
    const outcome = await stream.outcome
    assert.is(outcome.status, 'complete')
    assert.ok(outcome.quirks.some((quirk) => quirk.code === 'content-parts'))
  }
})

test('ChatChunkStream keeps parts of unknown types in content_parts and names them in the quirk; a string thinking is joined too', async () => {
  const chunk = {
    id: 'c',
    object: 'chat.completion.chunk',
    created: 1,
    model: 'm',
    choices: [
      {
        index: 0,
        delta: {
          content: [
            { type: 'image_url', image_url: { url: 'data:,' } },
            { type: 'text', text: 'a' },
            { type: 'thinking', thinking: 'why' },
          ],
        },
        finish_reason: 'stop',
      },
    ],
  }
  const quirks: Quirk[] = []
  const [out] = await collect(
    body(`data: ${JSON.stringify(chunk)}\n\ndata: [DONE]\n\n`).pipeThrough(
      new ChatChunkStream({ onQuirk: (quirk) => quirks.push(quirk) }),
    ),
  )
  const delta = out!.choices[0]!.delta
  assert.is(delta.content, 'a')
  assert.is(delta.reasoning_content, 'why')
  assert.equal(delta.content_parts, chunk.choices[0]!.delta.content)
  assert.match(quirks[0]!.message, /image_url are kept in content_parts only/)
})

test('ChatChunkStream with strict: true refuses content parts with a StrictModeError', async () => {
  let error: unknown
  try {
    await collect(body(mistral).pipeThrough(new ChatChunkStream({ strict: true })))
  } catch (caught) {
    error = caught
  }
  assert.is((error as { code?: string }).code, 'SLUICE_STRICT')
  assert.is((error as { quirk?: Quirk }).quirk?.code, 'content-parts')
})

test.run()
