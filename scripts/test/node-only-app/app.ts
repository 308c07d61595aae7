// Uses each published package the way a Node app does, with no DOM lib in scope.
import { pipeline } from 'node:stream/promises'
import { Readable } from 'node:stream'
import { accumulate, DeltaAccumulatorStream } from '@sluice/accumulator'
import { chatStream, type ChatReader, SluiceError } from '@sluice/chat'
import { iterate } from '@sluice/compose'
import { pipelineStage } from '@sluice/compose/node'
import { LineSplitterStream } from '@sluice/lines'
import { ChatChunkParser, ChatChunkStream } from '@sluice/openai'
import { SSEStream } from '@sluice/sse'
import { mockChatResponse } from '@sluice/testing'

export async function main(response: Response): Promise<void> {
  const reader: ChatReader = chatStream(response)
  for await (const text of reader.textStream()) process.stdout.write(text)
  const completion = new DeltaAccumulatorStream()
  const snapshots = response.body!.pipeThrough(new ChatChunkStream()).pipeThrough(completion).getReader()
  for (let read = await snapshots.read(); !read.done; read = await snapshots.read())
    console.log(read.value.choices.length)
  console.log((await completion.outcome).status)
  // A sluice stream's readable side is typed async-iterable, whatever lib the app has.
  const chunks = new ChatChunkStream()
  void response.body!.pipeTo(chunks.writable)
  for await (const chunk of chunks.readable) console.log(chunk.id)
  for await (const chunk of iterate(mockChatResponse({ text: 'hi' }).body!, new ChatChunkParser()))
    console.log(chunk.id)
  await pipeline(
    Readable.from(['data: hi\n\n']),
    pipelineStage(new LineSplitterStream()),
    async (lines: AsyncIterable<string>) => {
      for await (const line of lines) console.log(line)
    },
  )
  console.log(new SSEStream().progress.counts, SluiceError.name, await accumulate([]))
}
