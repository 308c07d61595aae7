import type { ForeignFormat } from './types.ts'

/** Event types of Anthropic's Messages stream. */
const ANTHROPIC_EVENTS = new Set([
  'message_start',
  'message_delta',
  'message_stop',
  'content_block_start',
  'content_block_delta',
  'content_block_stop',
])

/** The wire format an event type belongs to, when it is one the chunk decoder knows is not chat chunks. */
export function formatOfEventType(type: string): ForeignFormat | undefined {
  if (ANTHROPIC_EVENTS.has(type)) return 'anthropic-messages'
  if (type.startsWith('response.')) return 'openai-responses'
  return undefined
}

/**
 * The wire format a JSON object without `choices` belongs to, with the evidence, when it is
 * one the chunk decoder knows is not chat chunks.
 */
export function formatOfObject(value: {
  type?: unknown
  object?: unknown
}): { format: ForeignFormat; evidence: string } | undefined {
  if (typeof value.type === 'string') {
    const format = formatOfEventType(value.type)
    if (format) return { format, evidence: `"type":"${value.type}"` }
  }
  if (value.object === 'text_completion')
    return { format: 'legacy-completions', evidence: '"object":"text_completion"' }
  return undefined
}
