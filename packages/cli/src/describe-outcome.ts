import type { WireFormat } from '@sluice/chat'
import { TruncatedStreamError, type StreamOutcome } from '@sluice/openai'

/** The formats read through a translation to chat chunks, as stderr names them. */
const TRANSLATED: Partial<Record<WireFormat, string>> = {
  'anthropic-messages': 'an Anthropic Messages stream',
  'openai-responses': 'an OpenAI Responses stream',
  gemini: 'a Gemini stream',
}

/** The stderr line that names a translated format (`capture.sse: read as an OpenAI Responses stream`), or `''` for chat chunks. */
export function formatNote(name: string, format: WireFormat | undefined): string {
  const described = format === undefined ? undefined : TRANSLATED[format]
  return described === undefined ? '' : `${name}: read as ${described}\n`
}

/** One line for stderr: the status and what it rests on, e.g. `truncated: no [DONE]; choice 0 has no finish_reason (after 12 chunks)`. */
export function describeOutcome(outcome: StreamOutcome): string {
  const { error } = outcome
  if (outcome.status === 'truncated') {
    // A chat stream's own error, or another format's (Anthropic's TruncatedMessageError,
    // the Responses TruncatedResponseError, TruncatedGeminiError) with its own reasons.
    const message =
      error instanceof Error && error.name.startsWith('Truncated')
        ? error.message
        : new TruncatedStreamError(outcome).message
    return `truncated: ${message.replace(/^the stream was cut off: /, '')}`
  }
  if (outcome.status === 'error')
    return `error: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`
  if (outcome.status === 'cancelled') return `cancelled${error === undefined ? '' : `: ${String(error)}`}`
  return `complete (${outcome.sawDone ? '[DONE]' : 'finish_reason on every choice'}, ${outcome.counts.chunks} chunks)`
}
