import { DeltaAccumulator } from '@sluice/accumulator'
import {
  ChunkDecoder,
  outcomeOf,
  outcomeOfEnd,
  ProviderError,
  UnsupportedFormatError,
  type ChatCompletionChunk,
  type ChunkParseError,
  type Quirk,
  type StreamOutcome,
} from '@sluice/openai'
import { NotEventStreamError, SSEDecoder, type ServerSentEvent } from '@sluice/sse'
import { rawLines, type RawLine } from './raw-lines.ts'

/**
 * How bad a problem is. Any problem makes `sluice lint` exit 1.
 *
 * @example
 * ```ts
 * import { lintStream, type Severity } from '@sluice/cli'
 *
 * const worst: Severity = lintStream(new TextEncoder().encode('data: x\n\n')).problems.some((p) => p.severity === 'error') ? 'error' : 'warning'
 * ```
 */
export type Severity = 'error' | 'warning'

/**
 * One problem found in a captured stream, where it is.
 *
 * @example Print problems like a compiler
 * ```ts
 * import { lintStream, type LintProblem } from '@sluice/cli'
 *
 * const show = (p: LintProblem) => `capture.sse:${p.line ?? '-'} (byte ${p.byteOffset ?? '-'}) ${p.severity} ${p.code}: ${p.message}`
 * lintStream(new TextEncoder().encode('retry: soon\n\n')).problems.map(show)
 * ```
 */
export interface LintProblem {
  /** Stable identifier: one of the codes in the README's table, or a sluice quirk code. */
  code: string
  severity: Severity
  /** 1-based line number; `null` for the stream as a whole. */
  line: number | null
  /** Offset of the line's first byte; `null` for the stream as a whole. */
  byteOffset: number | null
  message: string
}

/**
 * What `lintStream` found: the problems in input order, and the outcome sluice draws.
 *
 * @example
 * ```ts
 * import { lintStream, type LintReport } from '@sluice/cli'
 *
 * const report: LintReport = lintStream(new TextEncoder().encode('data: [DONE]\n\n'))
 * console.log(report.outcome.status, report.problems.length, report.lines, report.bytes)
 * ```
 */
export interface LintReport {
  problems: LintProblem[]
  outcome: StreamOutcome
  lines: number
  bytes: number
}

const FIELDS = new Set(['data', 'event', 'id', 'retry'])
const SEVERITY_OF_QUIRK: Record<string, Severity> = { 'event-after-done': 'warning' }

/**
 * Checks a captured SSE chat stream: line terminators, UTF-8, fields the SSE rules ignore,
 * events that are not JSON chunks, provider errors, `[DONE]`, truncation, an unfinished
 * last event, open tool calls, and every repair sluice would make. It reads the stream the
 * way sluice does (`SSEDecoder`, `ChunkDecoder`, `DeltaAccumulator`), but never stops at
 * the first problem.
 *
 * @example
 * ```ts
 * import { readFile } from 'node:fs/promises'
 * import { lintStream } from '@sluice/cli'
 *
 * const report = lintStream(await readFile('capture.sse'))
 * for (const problem of report.problems) console.log(problem.line, problem.code, problem.message)
 * ```
 */
export function lintStream(input: Uint8Array): LintReport {
  const problems: LintProblem[] = []
  const lines = rawLines(input)
  const at = (line: RawLine | undefined, code: string, severity: Severity, message: string) =>
    problems.push({ code, severity, line: line?.number ?? null, byteOffset: line?.byteOffset ?? null, message })
  const lineAt = (number: number | undefined) => (number === undefined ? undefined : lines[number - 1])
  /** The first line of the block a blank line at `number` dispatched: where a reader looks for the event. */
  const eventAt = (number: number | undefined) => {
    if (number === undefined) return undefined
    let first = number
    while (first > 1 && (lines[first - 2]?.bytes.length ?? 0) > 0) first--
    return lineAt(first)
  }

  checkTerminators(lines, at)

  const sse = new SSEDecoder({ requireEventStream: true })
  const quirks: Quirk[] = []
  const chunkLines: number[] = []
  const decoder = new ChunkDecoder({
    afterDone: 'drain',
    invalidJSON: 'skip',
    truncated: 'close',
    onQuirk: (quirk) => quirks.push(quirk),
    onInvalidJSON: (error: ChunkParseError) => at(eventAt(error.line), 'invalid-json', 'error', error.message),
    onChunk: (_, info) => void chunkLines.push(info.lineNumber ?? 0),
  })
  const accumulator = new DeltaAccumulator({ onQuirk: (quirk) => quirks.push(quirk) })
  // One record for the three stages, as compose() would link them.
  decoder.useRecord(sse.record)
  accumulator.useRecord(sse.record)

  let firstError: unknown
  const chunks: ChatCompletionChunk[] = []
  const toChunks = collector<ChatCompletionChunk>((chunk) => chunks.push(chunk))
  const toEvents = collector<ServerSentEvent>((event) => {
    try {
      decoder.transform(event, toChunks)
    } catch (error) {
      firstError ??= error
      const line = eventAt(sse.record.lines!)
      if (error instanceof ProviderError) at(line, 'provider-error', 'error', error.message)
      else if (error instanceof UnsupportedFormatError) at(line, 'unsupported-format', 'error', error.message)
      else at(line, 'unexpected-chunk', 'error', (error as Error).message)
    }
    for (const chunk of chunks.splice(0)) {
      try {
        accumulator.add(chunk)
      } catch (error) {
        at(eventAt(sse.record.lines!), 'invalid-chunk', 'error', (error as Error).message)
      }
    }
  })

  const utf8 = new TextDecoder('utf-8', { fatal: true })
  const lenient = new TextDecoder('utf-8')
  for (const line of lines) {
    let text: string
    try {
      text = utf8.decode(line.bytes)
    } catch {
      text = lenient.decode(line.bytes)
      at(line, 'invalid-utf8', 'error', `line ${line.number} is not valid UTF-8: the bad bytes read as U+FFFD`)
    }
    checkField(text, line, at)
    try {
      sse.transform(text, toEvents)
    } catch (error) {
      // Only the first line can throw: a body that is not an event stream (the rest is read on).
      if (!(error instanceof NotEventStreamError)) throw error
      at(line, 'not-event-stream', 'error', `${error.message} (sluice's chat decoders stop here)`)
    }
  }
  sse.flush(toEvents)
  // truncated: 'close': the decoder's flush reports a cut-off stream in the outcome, it does not throw.
  // It may also take a last `data: [DONE]` without its blank line as [DONE] (quirk unterminated-done).
  decoder.flush()
  const unfinished = decoder.progress.unfinishedEvent
  if (unfinished) {
    at(
      lineAt(unfinished.lastLine - unfinished.lines + 1),
      'unfinished-event',
      'error',
      `the last event (${unfinished.lines} line${unfinished.lines === 1 ? '' : 's'}, ${unfinished.dataLength} chars of data) has no closing blank line: the SSE rules discard it`,
    )
  }
  // One problem per repair kind, at its first place: a provider that needs a repair needs it on every chunk.
  const repeats = new Map<string, number>()
  for (const quirk of quirks) repeats.set(quirk.code, (repeats.get(quirk.code) ?? 0) + 1)
  for (const quirk of quirks) {
    const count = repeats.get(quirk.code)
    if (count === undefined) continue
    repeats.delete(quirk.code)
    const line = quirk.line ?? (quirk.chunkIndex === undefined ? undefined : chunkLines[quirk.chunkIndex])
    const more = count > 1 ? ` (and ${count - 1} more like it)` : ''
    at(
      quirk.code === 'unterminated-event' || quirk.code === 'unterminated-done' ? lineAt(line) : eventAt(line),
      quirk.code,
      SEVERITY_OF_QUIRK[quirk.code] ?? 'warning',
      `${quirk.message}${more} (sluice repairs this)`,
    )
  }

  const outcome: StreamOutcome =
    firstError === undefined
      ? outcomeOf(accumulator.progress, accumulator.openToolCalls)
      : outcomeOfEnd(accumulator.progress, firstError, accumulator.openToolCalls)
  if (!outcome.sawDone && Object.values(outcome.finishReasons).length > 0 && outcome.status === 'complete') {
    at(
      undefined,
      'no-done',
      'warning',
      'no data: [DONE] (the stream is complete by its finish_reason; some clients wait for [DONE])',
    )
  }
  // Cut off: judged from the facts, also when an error came first (lint reports every problem)
  // — but not after a provider error: the provider ended the stream, and said why.
  const unfinishedChoices = Object.entries(outcome.finishReasons).filter(([, reason]) => reason === null)
  if (
    !outcome.sawDone &&
    !(firstError instanceof ProviderError) &&
    (unfinishedChoices.length > 0 || outcome.counts.chunks === 0)
  ) {
    const which =
      outcome.counts.chunks === 0
        ? 'no chunk arrived'
        : unfinishedChoices.map(([choice]) => `choice ${choice} has no finish_reason`).join('; ')
    at(undefined, 'truncated', 'error', `no data: [DONE] and ${which}: the stream was cut off`)
  }
  for (const call of outcome.openToolCalls) {
    at(
      undefined,
      'open-tool-call',
      'error',
      `tool call ${call.index} of choice ${call.choice} (${call.name || 'unnamed'}) ends with incomplete JSON arguments (${call.argumentsLength} chars)`,
    )
  }
  problems.sort((a, b) => (a.line ?? Number.MAX_SAFE_INTEGER) - (b.line ?? Number.MAX_SAFE_INTEGER))
  return { problems, outcome, lines: lines.length, bytes: input.length }
}

/** LF, CRLF and CR each end a line, but a stream should use one; a lone CR trips most hand-written parsers. */
function checkTerminators(
  lines: RawLine[],
  at: (line: RawLine, code: string, severity: Severity, message: string) => void,
): void {
  const first = lines.find((line) => line.terminator !== '')?.terminator
  let mixedReported = false
  for (const line of lines) {
    if (line.terminator === 'CR') {
      at(
        line,
        'lone-cr',
        'warning',
        `line ${line.number} ends with a lone CR: valid SSE, but split('\\n') parsers do not see the line end`,
      )
    } else if (!mixedReported && line.terminator !== '' && line.terminator !== first) {
      mixedReported = true
      at(
        line,
        'mixed-terminators',
        'warning',
        `line ${line.number} ends with ${line.terminator} where the stream began with ${first}: mixed line terminators`,
      )
    }
  }
}

/** A field the SSE rules ignore: probably a typo or a server bug, and its value is lost. */
function checkField(
  text: string,
  line: RawLine,
  at: (line: RawLine, code: string, severity: Severity, message: string) => void,
): void {
  if (text === '' || text.startsWith(':')) return
  const colon = text.indexOf(':')
  const field = colon === -1 ? text : text.slice(0, colon)
  const value = colon === -1 ? '' : text.slice(text.charCodeAt(colon + 1) === 0x20 ? colon + 2 : colon + 1)
  if (!FIELDS.has(field)) {
    const hint = FIELDS.has(field.trim().toLowerCase())
      ? ` (did you mean "${field.trim().toLowerCase()}"? field names are exact)`
      : ''
    at(
      line,
      'ignored-field',
      'warning',
      `field ${JSON.stringify(field)} is not an SSE field: the line is ignored${hint}`,
    )
  } else if (field === 'retry' && !/^[0-9]+$/.test(value)) {
    at(line, 'ignored-field', 'warning', `retry: ${JSON.stringify(value)} is not only ASCII digits: ignored`)
  } else if (field === 'id' && value.includes('\0')) {
    at(line, 'ignored-field', 'warning', 'an id containing NULL is ignored')
  }
}

/** A controller that hands each item to `take` (the stages run synchronously, without streams). */
function collector<T>(take: (item: T) => void): TransformStreamDefaultController<T> {
  return {
    desiredSize: 1,
    enqueue: (item?: T) => take(item as T),
    error: (reason?: unknown) => {
      throw reason
    },
    terminate: () => {},
  }
}
