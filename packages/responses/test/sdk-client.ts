/** The official `openai` SDK served a stream through a custom `fetch`: what the differential tests share. */
import OpenAI from 'openai'
import { fromChunks } from '@sluice/test-support'

/** The SDK's client, answering every request with `reads` (or one text) as an event stream. */
export function sdkClientFor(body: string | Uint8Array[]): OpenAI {
  return new OpenAI({
    apiKey: 'test',
    dangerouslyAllowBrowser: true, // the browser runtimes of the suite; the key is a placeholder
    maxRetries: 0,
    fetch: async () =>
      new Response(typeof body === 'string' ? body : fromChunks(body), {
        headers: { 'content-type': 'text/event-stream' },
      }),
  })
}

/** The request every differential test sends: its fields do not matter to a served stream. */
export const REQUEST = { model: 'test', input: 'hi' }

/** The fields the SDK's `finalResponse()` adds to what the API sent (`parsed`, `parsed_arguments`, `output_parsed`), dropped. */
export function withoutParsed<T>(value: T): T {
  return JSON.parse(
    JSON.stringify(value, (key, field) =>
      key === 'parsed' || key === 'parsed_arguments' || key === 'output_parsed' ? undefined : field,
    ),
  )
}
