import { compose, iterate } from '@sluice/compose'
import { DeltaAccumulator } from '@sluice/accumulator'
import { FormatSwitch, formatParser, type WireFormat } from '@sluice/chat'
import type { ChatCompletionChunk, StreamOutcome } from '@sluice/openai'
import type { ServerSentEvent } from '@sluice/sse'
import { UsageError } from '../errors.ts'
import { parseOrUsage } from '../request.ts'
import { openInput } from '../input.ts'
import type { Output } from '../output.ts'
import { describeOutcome, formatNote } from '../describe-outcome.ts'

export const decodeHelp = `sluice decode [FILE|-] [--events | --chunks | --final]

Decodes a captured SSE chat stream (a file, or stdin) with sluice: OpenAI-compatible chat
chunks, an Anthropic Messages stream, an OpenAI Responses stream or a Gemini stream
(streamGenerateContent?alt=sse; the last three translated to chat chunks, as chatStream()
reads them; the format named on stderr).

Output (stdout):
  (default)  the answer's text, as it arrives
  --events   the server-sent events, one JSON object per line (NDJSON)
  --chunks   the chat.completion.chunk objects, NDJSON
  --final    the assembled chat.completion, as one JSON document

A stream that was cut off or failed exits with status 1 and its outcome on stderr.

Options:
  --trailing-event dispatch-json   dispatch a last event without its blank line (Azure)
  -h, --help                       this help
`

/** `sluice decode`: 0 when the stream is complete, 1 otherwise. */
export async function decode(args: string[], output: Output): Promise<number> {
  const { values, positionals } = parseOrUsage(
    args,
    {
      events: { type: 'boolean' },
      chunks: { type: 'boolean' },
      final: { type: 'boolean' },
      'trailing-event': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    'decode',
  )
  if (values.help) {
    output.out(decodeHelp)
    return 0
  }
  const modes = (['events', 'chunks', 'final'] as const).filter((mode) => values[mode])
  if (modes.length > 1)
    throw new UsageError(
      `choose one of --events, --chunks, --final (got ${modes.map((m) => `--${m}`).join(', ')})`,
      'decode',
    )
  if (positionals.length > 1) throw new UsageError(`decode takes one file, got ${positionals.length}`, 'decode')
  const trailing = values['trailing-event']
  if (trailing !== undefined && trailing !== 'discard' && trailing !== 'dispatch-json') {
    throw new UsageError(`--trailing-event must be discard or dispatch-json, got ${trailing}`, 'decode')
  }
  const mode = modes[0] ?? 'text'
  const input = openInput(positionals[0])
  const onChunk =
    mode === 'text'
      ? (chunk: ChatCompletionChunk) =>
          output.out(chunk.choices.find((choice) => choice.index === 0)?.delta.content ?? '')
      : mode === 'chunks'
        ? (chunk: ChatCompletionChunk) => output.out(`${JSON.stringify(chunk)}\n`)
        : undefined
  const options = {
    truncated: 'close' as const,
    ...(trailing && { trailingEvent: trailing as 'discard' | 'dispatch-json' }),
    ...(mode === 'events' && { onEvent: (event: ServerSentEvent) => output.out(`${JSON.stringify(event)}\n`) }),
  }
  let format: WireFormat | undefined
  const accumulator = new DeltaAccumulator()
  // The format is told at the first event; the accumulator then writes to the parser's record.
  const parser = new FormatSwitch(
    (chosen) => formatParser(chosen, options),
    (chosen, chosenParser) => {
      format = chosen
      accumulator.useRecord(chosenParser.record)
    },
  )
  const tap = {
    transform: (chunk: ChatCompletionChunk, controller: { enqueue(chunk: ChatCompletionChunk): void }) => {
      onChunk?.(chunk)
      controller.enqueue(chunk)
    },
  }
  try {
    for await (const _ of iterate(input.stream, compose(parser, tap, accumulator))) {
      // The hooks above write as the stream is decoded; the snapshots are kept by the accumulator.
    }
  } catch {
    // The outcome below carries the error.
  }
  output.err(formatNote(input.name, format))
  const outcome: StreamOutcome = await accumulator.outcome
  if (mode === 'final' && accumulator.snapshot) output.out(`${JSON.stringify(accumulator.snapshot, null, 2)}\n`)
  if (mode === 'text') output.out('\n')
  if (outcome.status === 'complete') return 0
  output.err(`${input.name}: ${describeOutcome(outcome)}\n`)
  return 1
}
