/** The answers the translated formats' mock tests (Anthropic, Responses, Gemini) render, once. */
import type { MockChatOptions } from '../src/index.ts'

/** Answers whose rendering `chatStream()` must read back as the chat mock completion. */
export const ANSWERS: MockChatOptions[] = [
  { text: 'Paris is the capital of France.' },
  { text: 'Let me check.', toolCalls: [{ name: 'get_weather', arguments: '{"city":"Paris"}' }] },
  {
    toolCalls: [
      { name: 'get_weather', arguments: '{"city":"Paris"}' },
      { name: 'get_time', arguments: '{"zone":"Europe/Paris"}' },
    ],
  },
  { reasoning: 'The user asks a capital.', text: 'Paris.', usage: true },
]

/** The shapes the SDK differential tests render: text, reasoning, one and parallel tool calls. */
export const SHAPES: Record<string, MockChatOptions> = {
  text: { text: 'Paris is the capital of France. Éclairs, 🦕, 日本語.' },
  reasoning: { reasoning: 'The user asks for a capital; France has one.', text: 'Paris.' },
  'one tool call': {
    text: 'Let me look.',
    toolCalls: [{ name: 'get_weather', arguments: '{"city":"Paris","unit":"c"}' }],
  },
  'parallel tool calls': {
    toolCalls: [
      { name: 'get_weather', arguments: '{"city":"Paris"}' },
      { name: 'get_time', arguments: '{"zone":"Europe/Paris"}' },
    ],
  },
}
