/** The official `@google/genai` SDK served a stream through a custom `fetch`: what the differential tests share. */
import { GoogleGenAI } from '@google/genai'
import { fromChunks } from '@sluice/test-support'

/**
 * The chunks the SDK's `models.generateContentStream()` yields for `reads` (as plain JSON,
 * without the `sdkHttpResponse` it adds), and the error it ends with. Automatic
 * continuation is off: a served stream cannot be resumed.
 */
export async function sdkChunks(reads: Uint8Array[]): Promise<{ chunks: Record<string, unknown>[]; error: unknown }> {
  const client = new GoogleGenAI({
    apiKey: 'test',
    httpOptions: {
      // Copies: what reads the body may take (detach) its chunks, and the caller reads `reads` again.
      fetch: async () =>
        new Response(fromChunks(reads.map((read) => read.slice())), {
          headers: { 'content-type': 'text/event-stream' },
        }),
    },
  } as ConstructorParameters<typeof GoogleGenAI>[0])
  const chunks: Record<string, unknown>[] = []
  let error: unknown
  try {
    const stream = await client.models.generateContentStream({
      model: 'gemini-test',
      contents: 'hi',
      config: { automaticContinuation: false } as Record<string, unknown>,
    })
    for await (const chunk of stream) {
      const { sdkHttpResponse: _response, ...fields } = JSON.parse(JSON.stringify(chunk)) as Record<string, unknown>
      chunks.push(fields)
    }
  } catch (caught) {
    error = caught
  }
  return { chunks, error }
}
