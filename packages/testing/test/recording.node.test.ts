/** The recording format: its reader and writer, the encoder stream, and replays. */
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { bytes, collect, concat, fromChunks } from '@sluice/test-support'
import { mockChatBody } from '../src/index.ts'
import {
  formatRecordingEntry,
  parseRecording,
  readRecording,
  RecordingEncoderStream,
  RecordingFormatError,
  replayRecording,
  writeRecording,
  type RecordingEntry,
} from '../src/node/index.ts'

const decoder = new TextDecoder()

async function withTempDir(body: (dir: string) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'sluice-recording-'))
  try {
    await body(dir)
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}

test('formatRecordingEntry writes one JSON line, and parseRecording reads it back', () => {
  const entries: RecordingEntry[] = [
    { t: 0, data: ': OPENROUTER PROCESSING\n\n' },
    { t: 12.5, data: 'data: {"choices":[{"delta":{"content":"é🦕\\n"}}]}\r\n\r\n' },
    { t: 12.5, data: 'data: [DONE]\n\n' },
  ]
  const text = entries.map(formatRecordingEntry).join('')
  assert.is(text.split('\n').length, 4)
  assert.is(formatRecordingEntry({ t: 1, data: 'x' }), '{"t":1,"data":"x"}\n')
  assert.equal(parseRecording(text), entries)
})

test('parseRecording skips blank lines, CRs and other fields', () => {
  assert.equal(parseRecording('\n{"t":0,"data":"a","extra":true}\r\n\n{"t":1,"data":"b"}'), [
    { t: 0, data: 'a' },
    { t: 1, data: 'b' },
  ])
})

test('parseRecording names the line of each mistake with RecordingFormatError', () => {
  const cases: [string, number, string][] = [
    ['{"t":0,"data":"a"}\nnot json\n', 2, 'not JSON'],
    ['[1]\n', 1, 'object'],
    ['{"data":"a"}\n', 1, '"t"'],
    ['{"t":-1,"data":"a"}\n', 1, '"t"'],
    ['{"t":5,"data":"a"}\n{"t":4,"data":"b"}\n', 2, 'back in time'],
    ['{"t":0,"data":7}\n', 1, '"data"'],
  ]
  for (const [text, line, words] of cases) {
    try {
      parseRecording(text)
      assert.unreachable(`accepted ${JSON.stringify(text)}`)
    } catch (error) {
      assert.instance(error, RecordingFormatError)
      assert.is((error as RecordingFormatError).line, line)
      assert.is((error as RecordingFormatError).code, 'SLUICE_RECORDING_FORMAT')
      assert.ok((error as Error).message.includes(words), (error as Error).message)
    }
  }
})

test('RecordingEncoderStream stamps each read with the time since start, keeping split characters whole', async () => {
  const times = [105, 130, 170, 171]
  const now = () => times.shift() ?? 999
  const body = bytes('data: é🦕\n\n')
  // 'é' is bytes 6–7: cut between them.
  const lines = await collect(
    fromChunks([body.subarray(0, 7), body.subarray(7, 9), body.subarray(9)]).pipeThrough(
      new RecordingEncoderStream({ start: 100, now }),
    ),
  )
  const entries = parseRecording(lines.join(''))
  assert.equal(entries, [
    { t: 5, data: 'data: ' },
    { t: 30, data: 'é' },
    { t: 70, data: '🦕\n\n' },
  ])
  assert.is(entries.map((entry) => entry.data).join(''), 'data: é🦕\n\n')
})

test('writeRecording and readRecording round-trip a timed recording', async () => {
  await withTempDir(async (dir) => {
    const path = join(dir, 'answer.jsonl')
    const entries = [
      { t: 0, data: 'data: {}\n\n' },
      { t: 250, data: 'data: [DONE]\n\n' },
    ]
    await writeRecording(path, entries)
    assert.equal(await readRecording(path), { entries, timed: true })
  })
})

test('readRecording reads a plain .sse capture as its events, without timing', async () => {
  await withTempDir(async (dir) => {
    const path = join(dir, 'capture.sse')
    await writeFile(path, ': comment\r\n\r\ndata: a\r\ndata: b\r\n\r\ndata: c\n\ndata: [DONE]\r\r')
    assert.equal(await readRecording(path), {
      entries: [
        { t: 0, data: ': comment\r\n\r\n' },
        { t: 0, data: 'data: a\r\ndata: b\r\n\r\n' },
        { t: 0, data: 'data: c\n\n' },
        { t: 0, data: 'data: [DONE]\r\r' },
      ],
      timed: false,
    })
  })
})

test('replayRecording gives back the recorded bytes, read by read', async () => {
  const body = decoder.decode(mockChatBody({ text: 'Replayed answer' }))
  const entries = body.match(/[\s\S]{1,50}/g)!.map((data, index) => ({ t: index, data }))
  const reads = await collect(replayRecording({ entries, timed: true }, { speed: Infinity }))
  assert.equal(
    reads.map((read) => decoder.decode(read)),
    entries.map((entry) => entry.data),
  )
})

test('replayRecording honours cut and drip', async () => {
  const entries = [
    { t: 0, data: 'abcdef' },
    { t: 1, data: 'ghij' },
  ]
  const cut = await collect(
    replayRecording({ entries, timed: true }, { speed: Infinity, faults: [{ kind: 'cut', atByte: 8 }] }),
  )
  assert.is(decoder.decode(concat(cut)), 'abcdefgh')
  const drip = await collect(
    replayRecording({ entries, timed: false }, { faults: [{ kind: 'drip', bytesPerRead: 3, delayMs: 0 }] }),
  )
  assert.equal(
    drip.map((read) => decoder.decode(read)),
    ['abc', 'def', 'ghi', 'j'],
  )
})

test.run()
