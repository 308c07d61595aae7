// The chunks of a whole answer, before any fault: what a provider streams for one
// completion. Internal: `mockChatChunks` gives the chunks a stream actually carries.
import type { ChatCompletionChunk, ChatCompletionDelta, CompletionUsage, FinishReason } from '@sluice/openai'
import type { ResolvedOptions } from './options.ts'

/**
 * A word with the white space before it, or white space at the end: every character is
 * in exactly one match, so the pieces join back to the text.
 */
const WORD = /\s*\S+|\s+/gu

/**
 * JSON as a model streams it: a run of letters, digits and `_`, or a run of anything else
 * that is not white space, with the white space before it (`{"`, `city`, `":"`, `Paris`, `"}`).
 */
const JSON_TOKEN = /\s*(?:[\p{L}\p{N}_]+|[^\s\p{L}\p{N}_]+)|\s+/gu

/** Prompt tokens counted when the usage does not say: the mock never sees a prompt. */
const DEFAULT_PROMPT_TOKENS = 12

/**
 * Cuts `text` into deltas; the pieces join back to `text`, and none is empty. With
 * `'word'`, JSON (`json: true`: tool-call arguments) is cut at punctuation too.
 */
export function splitText(text: string, chunking: 'word' | 'char' | number, json = false): string[] {
  if (text === '') return []
  if (chunking === 'word') return text.match(json ? JSON_TOKEN : WORD) ?? []
  // Whole code points: a provider never splits a character between two deltas.
  const points = Array.from(text)
  if (chunking === 'char') return points
  const pieces: string[] = []
  for (let start = 0; start < points.length; start += chunking)
    pieces.push(points.slice(start, start + chunking).join(''))
  return pieces
}

/** Tokens of `text`, counted as words: stable whatever the chunking. */
const tokens = (text: string, json = false) => splitText(text, 'word', json).length

/** The usage the answer reports: the fields given, the others counted. */
export function answerUsage(options: ResolvedOptions): CompletionUsage | undefined {
  if (options.usage === false) return undefined
  const given = options.usage
  const reasoningTokens = tokens(options.reasoning)
  const completionTokens =
    given.completion_tokens ??
    reasoningTokens +
      tokens(options.text) +
      options.toolCalls.reduce((sum, call) => sum + 1 + tokens(call.arguments, true), 0)
  const promptTokens = given.prompt_tokens ?? DEFAULT_PROMPT_TOKENS
  const usage: CompletionUsage = {
    ...given,
    prompt_tokens: promptTokens,
    completion_tokens: completionTokens,
    total_tokens: given.total_tokens ?? promptTokens + completionTokens,
  }
  if (given.completion_tokens_details === undefined && reasoningTokens > 0)
    usage.completion_tokens_details = { reasoning_tokens: reasoningTokens }
  return usage
}

/**
 * Every chunk of the answer, in the order OpenAI sends them: the role (with empty
 * content), the reasoning, the text, each tool call (its id, type and name first, then
 * its arguments), the finish reason with an empty delta, then the usage with
 * `choices: []`.
 */
export function answerChunks(options: ResolvedOptions): ChatCompletionChunk[] {
  const { id, created, model, chunking } = options
  const chunk = (delta: ChatCompletionDelta, finishReason: FinishReason | null = null): ChatCompletionChunk => ({
    id,
    object: 'chat.completion.chunk',
    created,
    model,
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
  })
  const chunks = [chunk({ role: 'assistant', content: '' })]
  for (const piece of splitText(options.reasoning, chunking)) chunks.push(chunk({ reasoning_content: piece }))
  for (const piece of splitText(options.text, chunking)) chunks.push(chunk({ content: piece }))
  for (const [index, call] of options.toolCalls.entries()) {
    chunks.push(
      chunk({ tool_calls: [{ index, id: call.id, type: 'function', function: { name: call.name, arguments: '' } }] }),
    )
    for (const piece of splitText(call.arguments, chunking, true))
      chunks.push(chunk({ tool_calls: [{ index, function: { arguments: piece } }] }))
  }
  chunks.push(chunk({}, options.finishReason))
  const usage = answerUsage(options)
  if (usage) chunks.push({ id, object: 'chat.completion.chunk', created, model, choices: [], usage })
  return chunks
}
