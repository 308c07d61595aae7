import type { ChatCompletionDelta, ContentPart } from './types.ts'

/**
 * A delta whose `content` is an array of parts (Mistral's thinking models, some gateways)
 * made like every other: the text parts joined into `content`, the thinking parts into
 * `reasoning_content`, the parts kept in `content_parts`. Returns the quirk's message.
 */
export function joinContentParts(delta: ChatCompletionDelta, choice: number): string {
  const parts = delta.content as unknown as unknown[]
  let text: string | null = null
  let thinking = ''
  const kinds: string[] = []
  for (const part of parts) {
    const { type } = (part ?? {}) as { type?: unknown }
    kinds.push(typeof type === 'string' ? type : typeof part)
    if (type === 'text' && typeof (part as ContentPart).text === 'string')
      text = (text ?? '') + (part as ContentPart).text
    else if (type === 'thinking') thinking += thinkingText((part as ContentPart).thinking)
  }
  delta.content_parts = parts as ContentPart[]
  delta.content = text
  if (thinking !== '') {
    delta.reasoning_content = (typeof delta.reasoning_content === 'string' ? delta.reasoning_content : '') + thinking
  }
  const unknown = kinds.filter((kind) => kind !== 'text' && kind !== 'thinking')
  const kept =
    unknown.length > 0 ? `; parts of type ${[...new Set(unknown)].join(', ')} are kept in content_parts only` : ''
  const count = `${parts.length} part${parts.length === 1 ? '' : 's'}`
  return `choice ${choice}'s content was an array of ${count} (${[...new Set(kinds)].join(', ')}): text joined into content, thinking into reasoning_content${kept}`
}

/** The text of a thinking part: a string, or its text parts joined. */
function thinkingText(thinking: ContentPart['thinking']): string {
  if (typeof thinking === 'string') return thinking
  if (!Array.isArray(thinking)) return ''
  let text = ''
  for (const part of thinking) if (typeof part?.text === 'string') text += part.text
  return text
}
