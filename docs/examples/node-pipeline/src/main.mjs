// node src/main.mjs OUT.ndjson — calls an OpenAI-compatible endpoint and saves the chunks.
// Needs SLUICE_BASE_URL (e.g. https://api.edenai.run/v3) and SLUICE_API_KEY; SLUICE_MODEL
// defaults to anthropic/claude-sonnet-4-5.
import { Readable } from 'node:stream'
import { saveChunks } from './save-chunks.mjs'

const [path = 'chunks.ndjson'] = process.argv.slice(2)
const {
  SLUICE_BASE_URL: baseURL,
  SLUICE_API_KEY: apiKey,
  SLUICE_MODEL: model = 'anthropic/claude-sonnet-4-5',
} = process.env
if (!baseURL || !apiKey) {
  console.error('set SLUICE_BASE_URL and SLUICE_API_KEY')
  process.exit(2)
}
const response = await fetch(`${baseURL}/chat/completions`, {
  method: 'POST',
  headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` },
  body: JSON.stringify({ model, stream: true, messages: [{ role: 'user', content: 'Say hello in three languages.' }] }),
})
if (!response.ok) throw new Error(`HTTP ${response.status}: ${await response.text()}`)
await saveChunks(Readable.fromWeb(response.body), path)
console.log(`saved to ${path}`)
