import { test } from 'uvu'
import * as assert from 'uvu/assert'
import { renderChat } from '../src/render-chat.ts'

const chunk = (content: string | null, finish: string | null = null) => ({
  id: 'chatcmpl-1',
  object: 'chat.completion.chunk',
  created: 1,
  model: 'anthropic/claude-sonnet-4-5',
  choices: [{ index: 0, delta: content === null ? {} : { content }, finish_reason: finish }],
})

/** A Response whose body arrives in 17-byte reads, one read per animation-frame-ish tick. */
function sseResponse(text: string): Response {
  const bytes = new TextEncoder().encode(text)
  let offset = 0
  return new Response(
    new ReadableStream<Uint8Array>({
      async pull(controller) {
        await new Promise((resolve) => setTimeout(resolve, 1))
        if (offset >= bytes.length) return controller.close()
        controller.enqueue(bytes.slice(offset, (offset += 17)))
      },
    }),
    { headers: { 'content-type': 'text/event-stream' } },
  )
}

function page() {
  const output = document.createElement('p')
  const status = document.createElement('p')
  document.body.append(output, status)
  return { output, status }
}

test('renderChat streams the answer into the DOM as it arrives', async () => {
  const { output, status } = page()
  const parts = ['Hola', ', hello', ', bonjour 🦕']
  const text =
    [...parts.map((part) => chunk(part)), chunk(null, 'stop')].map((c) => `data: ${JSON.stringify(c)}\n\n`).join('') +
    'data: [DONE]\n\n'
  const seen: string[] = []
  const observer = new MutationObserver(() => seen.push(output.textContent ?? ''))
  observer.observe(output, { childList: true, characterData: true, subtree: true })
  await renderChat(sseResponse(text), output, status)
  await new Promise((resolve) => setTimeout(resolve, 0)) // let the observer report
  observer.disconnect()
  assert.is(output.textContent, 'Hola, hello, bonjour 🦕')
  assert.is(status.dataset['state'], 'done')
  assert.is(status.textContent, 'done (stop)')
  assert.ok(seen.includes('Hola'), `the page did not show the answer growing: ${JSON.stringify(seen)}`)
  assert.is(getComputedStyle(output).display, 'block') // rendered in a real layout engine
})

test('renderChat keeps what it showed and says why when the stream is cut off', async () => {
  const { output, status } = page()
  const text = `data: ${JSON.stringify(chunk('Partial answer'))}\n\n`
  await renderChat(sseResponse(text), output, status)
  assert.is(output.textContent, 'Partial answer')
  assert.is(status.dataset['state'], 'error')
  assert.match(status.textContent ?? '', /^SLUICE_TRUNCATED_STREAM: the stream was cut off/)
})

test.run()
