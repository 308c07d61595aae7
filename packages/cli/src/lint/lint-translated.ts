import { DeltaAccumulator } from '@sluice/accumulator'
import { formatParser, type WireFormat } from '@sluice/chat'
import { compose, type Quirk, type TransformController } from '@sluice/compose'
import type { LintProblem, LintReport } from './lint-stream.ts'

/**
 * Checks a captured Anthropic Messages stream the way `chatStream()` reads it (the Messages
 * decoder, the translation to chat chunks, the accumulator): every quirk is a warning, the
 * error that ends it (a provider `error` event, an event out of order, data that is not
 * JSON) and a cut-off stream (no `message_stop`) are errors. The checks of raw lines that
 * `lintStream` makes for chat streams are not made here.
 *
 * @example
 * ```ts
 * import { readFileSync } from 'node:fs'
 * import { lintMessagesStream } from '@sluice/cli'
 *
 * const report = await lintMessagesStream(readFileSync('capture.sse'))
 * for (const problem of report.problems) console.log(problem.severity, problem.code, problem.message)
 * ```
 */
export function lintMessagesStream(input: Uint8Array): Promise<LintReport> {
  return lintTranslatedStream(input, 'anthropic-messages')
}

/**
 * Checks a captured OpenAI Responses stream the way `chatStream()` reads it (the Responses
 * decoder, the translation to chat chunks, the accumulator): every quirk is a warning
 * (a `sequence_number` gap, a resumed stream, an `item_id` that changes, …), the error that
 * ends it (an `error` event, `response.failed`, an event out of order, data that is not
 * JSON) and a cut-off stream (no `response.completed`, `response.incomplete` or
 * `response.failed`) are errors. The checks of raw lines that `lintStream` makes for chat
 * streams are not made here.
 *
 * @example
 * ```ts
 * import { readFileSync } from 'node:fs'
 * import { lintResponsesStream } from '@sluice/cli'
 *
 * const report = await lintResponsesStream(readFileSync('capture.sse'))
 * for (const problem of report.problems) console.log(problem.severity, problem.code, problem.message)
 * ```
 */
export function lintResponsesStream(input: Uint8Array): Promise<LintReport> {
  return lintTranslatedStream(input, 'openai-responses')
}

/**
 * Checks a captured Gemini stream (`streamGenerateContent?alt=sse`) the way `chatStream()`
 * reads it (the Gemini decoder, the translation to chat chunks, the accumulator): every
 * quirk is a warning (a `finishReason` sent again or unknown, parts after it, a last chunk
 * without its blank line, …), the error that ends it (an error chunk, data that is not JSON,
 * a malformed chunk, a body that is one JSON array: no `alt=sse`) and a cut-off stream (a
 * candidate without `finishReason`) are errors. The checks of raw lines that `lintStream`
 * makes for chat streams are not made here.
 *
 * @example
 * ```ts
 * import { readFileSync } from 'node:fs'
 * import { lintGeminiStream } from '@sluice/cli'
 *
 * const report = await lintGeminiStream(readFileSync('capture.sse'))
 * for (const problem of report.problems) console.log(problem.severity, problem.code, problem.message)
 * ```
 */
export function lintGeminiStream(input: Uint8Array): Promise<LintReport> {
  return lintTranslatedStream(input, 'gemini')
}

/** The lint of each format `chatStream()` translates to chat chunks. */
export const LINT_TRANSLATED: Record<Exclude<WireFormat, 'openai-chat'>, (input: Uint8Array) => Promise<LintReport>> = {
  'anthropic-messages': lintMessagesStream,
  'openai-responses': lintResponsesStream,
  gemini: lintGeminiStream,
}

/** A stream of a format `chatStream()` translates to chat chunks, linted as it reads it. */
async function lintTranslatedStream(
  input: Uint8Array,
  format: Exclude<WireFormat, 'openai-chat'>,
): Promise<LintReport> {
  const problems: LintProblem[] = []
  const quirks: Quirk[] = []
  const onQuirk = (quirk: Quirk) => void quirks.push(quirk)
  const parser = formatParser(format, { onQuirk })
  const accumulator = new DeltaAccumulator({ onQuirk })
  accumulator.useRecord(parser.record)
  const stages = compose(parser, accumulator)
  const controller: TransformController<unknown> = {
    desiredSize: 1,
    enqueue: () => {},
    error: () => {},
    terminate: () => {},
  }
  let failure: unknown
  try {
    stages.start?.(controller as TransformController<never>)
    stages.transform(input, controller as TransformController<never>)
    stages.flush?.(controller as TransformController<never>)
  } catch (error) {
    failure = error
    stages.cancel(error)
  }
  const outcome = await accumulator.outcome
  for (const quirk of quirks) {
    problems.push({
      code: quirk.code,
      severity: 'warning',
      line: quirk.line ?? null,
      byteOffset: null,
      message: quirk.message,
    })
  }
  if (failure !== undefined) {
    const error = failure as { code?: unknown; line?: unknown; message?: unknown; name?: unknown }
    const truncated = String(error.name).startsWith('Truncated')
    problems.push({
      code: truncated ? 'truncated' : typeof error.code === 'string' ? error.code : 'error',
      severity: 'error',
      line: typeof error.line === 'number' ? error.line : null,
      byteOffset: null,
      message: String(error.message ?? failure),
    })
  }
  problems.sort((a, b) => (a.line ?? Number.MAX_SAFE_INTEGER) - (b.line ?? Number.MAX_SAFE_INTEGER))
  return { problems, outcome, lines: outcome.counts.lines ?? 0, bytes: input.byteLength }
}
