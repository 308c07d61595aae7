/**
 * The translation to chat chunks, checked against the `@google/genai` SDK: each complete
 * capture and generated stream, translated by `GeminiToChatChunksStream` and assembled by
 * `@sluice/accumulator`, gives the chat completion that the SDK's chunks map to, aggregated
 * here (the mapping written out from docs/gemini.md's table, independently of the
 * translation; Vertex's streamed arguments assembled by a small path setter of the test's
 * own). At any split of the bytes.
 */
import { test } from 'uvu'
import * as assert from 'uvu/assert'
import fc from 'fast-check'
import { accumulate } from '@sluice/accumulator'
import { bytes, fromChunks, splitAt } from '@sluice/test-support'
import { GeminiChunkStream, GeminiToChatChunksStream } from '../src/index.ts'
import { CAPTURES } from './captures.ts'
import { chunksOf, geminiStreamShape, sseOf } from './generated-streams.ts'
import { sdkChunks } from './sdk-client.ts'

type Json = Record<string, unknown>
type Piece = {
  jsonPath: string
  stringValue?: string
  numberValue?: number
  boolValue?: boolean
  willContinue?: boolean
}

const FILTERS = ['SAFETY', 'RECITATION', 'BLOCKLIST', 'PROHIBITED_CONTENT', 'SPII', 'IMAGE_SAFETY', 'LANGUAGE']

/** Sets each piece's value at its path (`$.a[0].b`); a string after one that continues at the same path is appended. */
function assemble(pieces: Piece[]): Json {
  const root: Json = {}
  let continuing: string | undefined
  for (const piece of pieces) {
    const keys = piece.jsonPath
      .slice(1)
      .split(/[.[\]]/)
      .filter((key) => key !== '')
      .map((key) => (/^\d+$/.test(key) ? Number(key) : key))
    const value = piece.stringValue ?? piece.numberValue ?? piece.boolValue ?? null
    let node = root as Record<string | number, unknown>
    keys.slice(0, -1).forEach((key, index) => {
      node[key] ??= typeof keys[index + 1] === 'number' ? [] : {}
      node = node[key] as Record<string | number, unknown>
    })
    const last = keys.at(-1)!
    node[last] = continuing === piece.jsonPath && typeof value === 'string' ? `${node[last] as string}${value}` : value
    continuing = piece.willContinue && typeof value === 'string' ? piece.jsonPath : undefined
  }
  return root
}

/** The SDK's chunks, aggregated per candidate and mapped to what each choice of a chat completion says. */
function expectedFromSDK(chunks: Json[]) {
  const choices = new Map<
    number,
    { content: string; reasoning: string; calls: Json[]; finish: string | null; pieces: Piece[] | null }
  >()
  let usage: Json | undefined
  let id = ''
  let model = ''
  for (const chunk of chunks) {
    if (chunk.usageMetadata) usage = chunk.usageMetadata as Json
    if (!id && typeof chunk.responseId === 'string') id = chunk.responseId
    if (!model && typeof chunk.modelVersion === 'string') model = chunk.modelVersion
    if ((chunk.promptFeedback as Json | undefined)?.blockReason && !(chunk.candidates as unknown[] | undefined)?.length)
      choices.set(0, { content: '', reasoning: '', calls: [], finish: 'content_filter', pieces: null })
    for (const candidate of (chunk.candidates as Json[] | undefined) ?? []) {
      const index = (candidate.index as number | undefined) ?? 0
      let choice = choices.get(index)
      if (!choice) choices.set(index, (choice = { content: '', reasoning: '', calls: [], finish: null, pieces: null }))
      for (const part of ((candidate.content as Json | undefined)?.parts as Json[] | undefined) ?? []) {
        const call = part.functionCall as (Json & { partialArgs?: Piece[]; willContinue?: boolean }) | undefined
        if (call && choice.pieces && call.name === undefined) {
          choice.pieces.push(...(call.partialArgs ?? []))
          if (!call.willContinue) {
            choice.calls.at(-1)!.arguments = assemble(choice.pieces)
            choice.pieces = null
          }
        } else if (call) {
          const pieces = [...(call.partialArgs ?? [])]
          choice.calls.push({ id: call.id ?? '', name: call.name, arguments: call.args ?? assemble(pieces) })
          if (call.willContinue) choice.pieces = pieces
        } else if (typeof part.text === 'string') {
          if (part.thought) choice.reasoning += part.text
          else choice.content += part.text
        }
      }
      const reason = candidate.finishReason as string | undefined
      if (reason) {
        choice.finish =
          reason === 'STOP'
            ? choice.calls.length > 0
              ? 'tool_calls'
              : 'stop'
            : reason === 'MAX_TOKENS'
              ? 'length'
              : FILTERS.includes(reason)
                ? 'content_filter'
                : reason.toLowerCase()
      }
    }
  }
  return {
    id,
    model,
    choices: [...choices.entries()]
      .sort(([a], [b]) => a - b)
      .map(([index, { content, reasoning, calls, finish }]) => ({ index, content, reasoning, calls, finish })),
    usage: usage && {
      prompt: ((usage.promptTokenCount as number) ?? 0) + ((usage.toolUsePromptTokenCount as number) ?? 0),
      completion: ((usage.candidatesTokenCount as number) ?? 0) + ((usage.thoughtsTokenCount as number) ?? 0),
    },
  }
}

async function translated(reads: Uint8Array[]) {
  const completion = await accumulate(
    fromChunks(reads).pipeThrough(new GeminiChunkStream()).pipeThrough(new GeminiToChatChunksStream()),
  )
  return {
    id: completion.id,
    model: completion.model,
    choices: completion.choices.map((choice) => ({
      index: choice.index,
      content: choice.message.content ?? '',
      reasoning: (choice.message as { reasoning_content?: string }).reasoning_content ?? '',
      calls: (choice.message.tool_calls ?? []).map((call) => ({
        id: call.id,
        name: call.function.name,
        arguments: JSON.parse(call.function.arguments),
      })),
      finish: choice.finish_reason,
    })),
    usage: completion.usage && {
      prompt: completion.usage.prompt_tokens,
      completion: completion.usage.completion_tokens,
    },
  }
}

for (const [name, text] of Object.entries(CAPTURES)) {
  if (!name.endsWith('.sse') || name.startsWith('error-')) continue
  test(`${name}: the chat completion of the translated chunks is the SDK's chunks, aggregated and mapped`, async () => {
    const data = bytes(text)
    const expected = expectedFromSDK((await sdkChunks([data])).chunks)
    const cuts = [1, 2, 3].map((part) => Math.floor((part * data.length) / 4) + part)
    for (const reads of [[data], splitAt(data, cuts)]) assert.equal(await translated(reads), expected)
  })
}

test('generated streams that finish or are blocked: the translation is the SDK chunks, aggregated and mapped', async () => {
  await fc.assert(
    fc.asyncProperty(
      geminiStreamShape.filter((shape) => shape.ending === 'finished' || shape.ending === 'blocked'),
      async (shape) => {
        const data = bytes(sseOf(JSON.parse(JSON.stringify(chunksOf(shape)))))
        assert.equal(await translated([data]), expectedFromSDK((await sdkChunks([data])).chunks))
      },
    ),
    { numRuns: 60 },
  )
})

test.run()
