/**
 * Gemini streams of every shape, written chunk by chunk as the API documents them: one or
 * two candidates; text and thought parts (a thought signature on the last thought or on a
 * function call); whole function calls (Gemini API); function calls whose arguments
 * stream (Vertex `willContinue` and `partialArgs`); code execution parts; usage on every
 * chunk; and every ending (finish reasons, a blocked prompt, an error chunk, a cut).
 */
import fc from 'fast-check'

export type PieceShape =
  | { kind: 'text'; text: string }
  | { kind: 'thought'; text: string }
  | { kind: 'call'; name: string; args: Record<string, unknown> }
  | { kind: 'streamed-call'; name: string; city: string[]; days: number }
  | { kind: 'code'; code: string }

export interface CandidateShape {
  pieces: PieceShape[]
  finishReason: 'STOP' | 'MAX_TOKENS' | 'SAFETY' | 'MALFORMED_FUNCTION_CALL'
}

export type Ending = 'finished' | 'blocked' | 'error' | 'cut'

export interface GeminiStreamShape {
  candidates: CandidateShape[]
  ending: Ending
  /** For `cut` and `error`: the fraction of the chunks kept. */
  cutAt: number
  /** Usage on every chunk (running totals), or on the last only. */
  usageEveryChunk: boolean
}

type Chunk = Record<string, unknown>

const BASE = { modelVersion: 'gemini-test', responseId: 'resp-gen' }

/** The parts one piece becomes, one chunk each. */
function partsOf(piece: PieceShape): Record<string, unknown>[][] {
  switch (piece.kind) {
    case 'text':
      return [[{ text: piece.text }]]
    case 'thought':
      return [[{ text: piece.text, thought: true, thoughtSignature: 'c2lnbmF0dXJl' }]]
    case 'call':
      return [[{ functionCall: { name: piece.name, args: piece.args } }]]
    case 'code':
      return [[{ executableCode: { language: 'PYTHON', code: piece.code } }]]
    case 'streamed-call': {
      const chunks: Record<string, unknown>[][] = [[{ functionCall: { name: piece.name, willContinue: true } }]]
      for (const [index, text] of piece.city.entries()) {
        const more = index < piece.city.length - 1
        chunks.push([
          {
            functionCall: {
              partialArgs: [{ jsonPath: '$.city', stringValue: text, ...(more ? { willContinue: true } : {}) }],
              willContinue: true,
            },
          },
        ])
      }
      chunks.push([{ functionCall: { partialArgs: [{ jsonPath: '$.days', numberValue: piece.days }] } }])
      return chunks
    }
  }
}

/** The chunks of `shape`, in order (candidates interleaved chunk by chunk). */
export function chunksOf(shape: GeminiStreamShape): Chunk[] {
  if (shape.ending === 'blocked') {
    return [
      {
        promptFeedback: { blockReason: 'SAFETY' },
        usageMetadata: { promptTokenCount: 5, totalTokenCount: 5 },
        ...BASE,
      },
    ]
  }
  const queues = shape.candidates.map((candidate) => candidate.pieces.flatMap(partsOf))
  const chunks: Chunk[] = []
  let produced = 0
  for (let step = 0; queues.some((queue) => queue.length > 0) || step === 0; step++) {
    const candidates = []
    for (const [index, queue] of queues.entries()) {
      const parts = queue.shift()
      const last = queue.length === 0
      if (!parts && step > 0) continue
      const candidate: Record<string, unknown> = { content: { role: 'model', parts: parts ?? [] }, index }
      if (last) candidate.finishReason = shape.candidates[index]!.finishReason
      candidates.push(candidate)
    }
    produced += 2
    chunks.push({ candidates, ...BASE })
  }
  const usage = { promptTokenCount: 5, candidatesTokenCount: produced, totalTokenCount: 5 + produced }
  if (shape.usageEveryChunk) {
    for (const [index, chunk] of chunks.entries())
      chunk.usageMetadata = { promptTokenCount: 5, candidatesTokenCount: 2 * index + 2, totalTokenCount: 7 + 2 * index }
  } else {
    chunks.at(-1)!.usageMetadata = usage
  }
  if (shape.ending === 'cut' || shape.ending === 'error') {
    const kept = Math.floor(shape.cutAt * chunks.length)
    chunks.length = Math.min(kept, chunks.length - 1)
    if (shape.ending === 'error')
      chunks.push({ error: { code: 503, message: 'The model is overloaded.', status: 'UNAVAILABLE' } })
  }
  return chunks
}

/** The chunks as the Gemini API frames them: `data:` lines, CRLF, a blank line after each. */
export function sseOf(chunks: readonly Chunk[]): string {
  return chunks.map((chunk) => `data: ${JSON.stringify(chunk)}\r\n\r\n`).join('')
}

const text = fc.string({ minLength: 1, maxLength: 8, unit: 'grapheme' })

export const pieceShape: fc.Arbitrary<PieceShape> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('text' as const), text }) },
  fc.record({ kind: fc.constant('thought' as const), text }),
  fc.record({
    kind: fc.constant('call' as const),
    name: fc.constantFrom('get_weather', 'search'),
    args: fc.record({ city: fc.string({ maxLength: 6 }), days: fc.nat(9) }),
  }),
  fc.record({
    kind: fc.constant('streamed-call' as const),
    name: fc.constant('get_weather'),
    city: fc.array(fc.string({ minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 3 }),
    days: fc.nat(9),
  }),
  fc.record({ kind: fc.constant('code' as const), code: fc.constant('print(1)') }),
)

export const geminiStreamShape: fc.Arbitrary<GeminiStreamShape> = fc.record({
  candidates: fc.array(
    fc.record({
      pieces: fc.array(pieceShape, { minLength: 1, maxLength: 5 }),
      finishReason: fc.constantFrom(
        'STOP' as const,
        'STOP' as const,
        'MAX_TOKENS' as const,
        'SAFETY' as const,
        'MALFORMED_FUNCTION_CALL' as const,
      ),
    }),
    { minLength: 1, maxLength: 2 },
  ),
  ending: fc.constantFrom<Ending>('finished', 'finished', 'finished', 'blocked', 'error', 'cut'),
  cutAt: fc.double({ min: 0, max: 0.99, noNaN: true }),
  usageEveryChunk: fc.boolean(),
})
