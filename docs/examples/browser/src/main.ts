// The page's entry: POSTs the question to an OpenAI-compatible endpoint (through your own
// backend or proxy, which holds the key: see the worker-proxy example) and renders the answer.
import { renderChat } from './render-chat.ts'

const form = document.querySelector('form')!
form.addEventListener('submit', async (event) => {
  event.preventDefault()
  const question = (form.elements.namedItem('question') as HTMLInputElement).value
  const response = await fetch('/api/chat?format=sse', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'anthropic/claude-sonnet-4-5', messages: [{ role: 'user', content: question }] }),
  })
  await renderChat(response, document.querySelector('#answer')!, document.querySelector('#status')!)
})
