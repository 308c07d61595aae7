/** The official SDK served a capture through a custom `fetch`: what the differential tests share. */
import Anthropic from '@anthropic-ai/sdk'

/** The anthropic SDK's client, answering every request with `text` as an event stream. */
export function sdkClientFor(text: string): Anthropic {
  return new Anthropic({
    apiKey: 'test',
    dangerouslyAllowBrowser: true, // the browser runtimes of the suite; the key is a placeholder
    maxRetries: 0,
    fetch: async () => new Response(text, { headers: { 'content-type': 'text/event-stream' } }),
  })
}

/** The request every differential test sends: its fields do not matter to a served capture. */
export const REQUEST = { model: 'test', max_tokens: 1, messages: [{ role: 'user' as const, content: 'hi' }] }
