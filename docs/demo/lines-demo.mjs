// The line splitter and the SSE decoder on a recorded chat stream, read in tiny chunks the way a network
// delivers it: reads end inside multi-byte characters and between the CR and LF of a
// CRLF. Run from the repository root: `pnpm demo:lines` (or `node docs/demo/lines-demo.mjs FILE [READ_SIZE]`).
import { readFileSync } from 'node:fs'
import { LineSplitterStream } from '@sluice/lines'
import { SSEStream } from '@sluice/sse'

const file = process.argv[2] ?? new URL('./chat-stream.sse', import.meta.url)
const readSize = Number(process.argv[3] ?? 3)
const bytes = readFileSync(file)

/** The file as a stream of `readSize`-byte chunks. */
function reads() {
  let offset = 0
  return new ReadableStream({
    pull(controller) {
      if (offset >= bytes.length) return controller.close()
      controller.enqueue(bytes.subarray(offset, (offset += readSize)))
    },
  })
}

console.log(`${String(file)}: ${bytes.length} bytes, read ${readSize} bytes at a time\n`)
let count = 0
for await (const line of reads().pipeThrough(new LineSplitterStream())) {
  count++
  console.log(`${String(count).padStart(3)} │ ${line.length > 90 ? `${line.slice(0, 12)} … ${line.slice(-75)}` : line}`)
}

// What the usual hand-rolled loop makes of the same reads: a fresh decode per read and
// split('\n') — stray CRs, and characters cut between reads turned into U+FFFD.
const naive = []
let buffer = ''
for await (const chunk of reads()) {
  buffer += new TextDecoder().decode(chunk)
  const parts = buffer.split('\n')
  buffer = parts.pop()
  naive.push(...parts)
}
const strayCR = naive.filter((line) => line.endsWith('\r')).length
const broken = naive.filter((line) => line.includes('\uFFFD')).length
console.log(`\nsluice: ${count} lines, none with a stray CR or a broken character`)
console.log(
  `hand-rolled loop: ${naive.length} lines, ${strayCR} ending in a stray CR, ${broken} with characters broken into U+FFFD`,
)

// The same reads through SSEStream: bytes in, events out.
console.log('\nSSEStream events:')
const stream = new SSEStream({ onComment: (text) => console.log(`  (comment: ${text})`) })
for await (const event of reads().pipeThrough(stream)) {
  const data = event.data.startsWith('{') ? JSON.parse(event.data).choices[0]?.delta : event.data
  console.log(`  ${event.type.padEnd(8)} id=${JSON.stringify(event.lastEventId).padEnd(5)} ${JSON.stringify(data)}`)
}
console.log(`  unfinished event at the end: ${JSON.stringify(stream.unfinishedEvent)}`)
