// Checks and completes MockChatOptions once, so that the renderers read plain values.
// Internal: not exported from the package.
import type { CompletionUsage, FinishReason } from '@sluice/openai'
import { MockOptionsError } from './errors.ts'
import type {
  CutFault,
  DripFault,
  Fault,
  GarbageFault,
  KeepAliveFault,
  MissingSeparatorsFault,
  MockChatOptions,
  ProviderErrorFault,
} from './types.ts'

export const DEFAULT_TEXT = 'Hello! This is a mock answer, streamed by @sluice/testing.'
export const DEFAULT_MODEL = 'anthropic/claude-sonnet-4-5'
/** 2025-11-25T12:00:00Z: a fixed time, so that the same options give the same bytes. */
export const DEFAULT_CREATED = 1764072000
export const DEFAULT_ERROR_MESSAGE = 'The server had an error while processing your request. Sorry about that!'
export const DEFAULT_KEEP_ALIVE_COMMENT = 'OPENROUTER PROCESSING'

/** A tool call with its id and its arguments as text. */
export interface ResolvedToolCall {
  id: string
  name: string
  arguments: string
}

/** Every option checked, every default filled in, the faults sorted by what they act on. */
export interface ResolvedOptions {
  text: string
  reasoning: string
  toolCalls: ResolvedToolCall[]
  model: string
  id: string
  created: number
  /** `false`, or the fields given (the rest is counted from the answer). */
  usage: false | Partial<CompletionUsage>
  chunking: 'word' | 'char' | number
  readSize: number | undefined
  delayMs: number
  signal: AbortSignal | undefined
  eol: '\n' | '\r\n'
  finishReason: FinishReason
  format: NonNullable<MockChatOptions['format']>
  /** The earliest cut. */
  cut: CutFault | undefined
  /** The earliest provider error. */
  providerError: ProviderErrorFault | undefined
  /** Every garbage fault, in the order given. */
  garbage: GarbageFault[]
  /** Chunks per event (1 without `missing-separators`). */
  chunksPerEvent: number
  noDone: boolean
  drip: DripFault | undefined
  keepAlive: KeepAliveFault | undefined
}

const isCount = (value: unknown): value is number => Number.isSafeInteger(value) && (value as number) >= 0
const isPositiveCount = (value: unknown): value is number => Number.isSafeInteger(value) && (value as number) > 0
const isDelay = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value) && value >= 0
const show = (value: unknown) => (typeof value === 'string' ? JSON.stringify(value) : String(value))

/**
 * 32-bit FNV-1a of `text` (UTF-16 code units), from `seed`: ids derived from the options,
 * so that they look random but the same options give the same bytes.
 */
function fnv1a(text: string, seed: number): number {
  let hash = seed >>> 0
  for (let index = 0; index < text.length; index++) {
    hash ^= text.charCodeAt(index)
    hash = Math.imul(hash, 0x01000193) >>> 0
  }
  return hash
}

/** 24 hex digits derived from `text`: three FNV-1a hashes with different seeds. */
export function digest(text: string): string {
  return [0x811c9dc5, 0x050c5d1f, 0x2f4a8b3d].map((seed) => fnv1a(text, seed).toString(16).padStart(8, '0')).join('')
}

function string(value: unknown, option: string): string {
  if (typeof value !== 'string') throw new MockOptionsError(option, `must be a string, got ${show(value)}`)
  return value
}

function toolCalls(value: unknown): ResolvedToolCall[] {
  if (value === undefined) return []
  if (!Array.isArray(value)) throw new MockOptionsError('toolCalls', `must be an array, got ${show(value)}`)
  return value.map((call: unknown, index) => {
    const option = `toolCalls[${index}]`
    if (typeof call !== 'object' || call === null)
      throw new MockOptionsError(option, `must be an object, got ${show(call)}`)
    const { name, arguments: args, id } = call as { name?: unknown; arguments?: unknown; id?: unknown }
    if (typeof name !== 'string' || name === '')
      throw new MockOptionsError(`${option}.name`, `must be a non-empty string, got ${show(name)}`)
    let text: string
    if (typeof args === 'string') text = args
    else if (typeof args === 'object' && args !== null) text = JSON.stringify(args)
    else throw new MockOptionsError(`${option}.arguments`, `must be a string or an object, got ${show(args)}`)
    const callId = id === undefined ? `call_${digest(`${index}\0${name}\0${text}`)}` : string(id, `${option}.id`)
    return { id: callId, name, arguments: text }
  })
}

function fault(value: unknown, index: number): Fault {
  const option = `faults[${index}]`
  if (typeof value !== 'object' || value === null)
    throw new MockOptionsError(option, `must be an object, got ${show(value)}`)
  const fault = value as Fault
  const need = (field: string, ok: boolean, what: string) => {
    if (!ok)
      throw new MockOptionsError(
        `${option}.${field}`,
        `must be ${what}, got ${show((fault as unknown as Record<string, unknown>)[field])}`,
      )
  }
  switch (fault.kind) {
    case 'cut':
      need('atByte', isCount(fault.atByte), 'a non-negative integer')
      break
    case 'provider-error':
      need('afterChunks', isCount(fault.afterChunks), 'a non-negative integer')
      need('message', fault.message === undefined || typeof fault.message === 'string', 'a string')
      need(
        'code',
        fault.code === undefined || typeof fault.code === 'string' || typeof fault.code === 'number',
        'a string or a number',
      )
      break
    case 'garbage':
      need('afterChunks', isCount(fault.afterChunks), 'a non-negative integer')
      need('bytes', fault.bytes === undefined || fault.bytes instanceof Uint8Array, 'a Uint8Array')
      break
    case 'missing-separators':
      need(
        'chunksPerEvent',
        fault.chunksPerEvent === undefined || isPositiveCount(fault.chunksPerEvent),
        'a positive integer',
      )
      break
    case 'no-done':
      break
    case 'drip':
      need('bytesPerRead', isPositiveCount(fault.bytesPerRead), 'a positive integer')
      need('delayMs', isDelay(fault.delayMs), 'a non-negative number of milliseconds')
      break
    case 'keep-alive':
      need('every', isPositiveCount(fault.every), 'a positive integer')
      need('comment', fault.comment === undefined || typeof fault.comment === 'string', 'a string')
      break
    default:
      throw new MockOptionsError(
        `${option}.kind`,
        `must be one of 'cut', 'provider-error', 'garbage', 'missing-separators', 'no-done', 'drip', 'keep-alive', got ${show((fault as { kind?: unknown }).kind)}`,
      )
  }
  return fault
}

/** Checks `options` and fills in the defaults. @throws {MockOptionsError} */
export function resolveOptions(options: MockChatOptions): ResolvedOptions {
  if (typeof options !== 'object' || options === null)
    throw new MockOptionsError('options', `must be an object, got ${show(options)}`)
  const calls = toolCalls(options.toolCalls)
  const text = options.text === undefined ? (calls.length > 0 ? '' : DEFAULT_TEXT) : string(options.text, 'text')
  const reasoning = options.reasoning === undefined ? '' : string(options.reasoning, 'reasoning')
  const model = options.model === undefined ? DEFAULT_MODEL : string(options.model, 'model')
  const {
    created = DEFAULT_CREATED,
    usage = true,
    chunking = 'word',
    readSize,
    delayMs = 0,
    signal,
    // Gemini ends its lines with CRLF.
    eol = options.format === 'gemini' ? '\r\n' : '\n',
  } = options
  if (!isCount(created))
    throw new MockOptionsError('created', `must be a non-negative integer (Unix seconds), got ${show(created)}`)
  if (typeof usage !== 'boolean' && (typeof usage !== 'object' || usage === null)) {
    throw new MockOptionsError('usage', `must be a boolean or a usage object, got ${show(usage)}`)
  }
  if (chunking !== 'word' && chunking !== 'char' && !isPositiveCount(chunking)) {
    throw new MockOptionsError('chunking', `must be 'word', 'char' or a positive integer, got ${show(chunking)}`)
  }
  if (readSize !== undefined && !isPositiveCount(readSize))
    throw new MockOptionsError('readSize', `must be a positive integer, got ${show(readSize)}`)
  if (!isDelay(delayMs))
    throw new MockOptionsError('delayMs', `must be a non-negative number of milliseconds, got ${show(delayMs)}`)
  if (signal !== undefined && !(typeof signal === 'object' && signal !== null && 'aborted' in signal)) {
    throw new MockOptionsError('signal', `must be an AbortSignal, got ${show(signal)}`)
  }
  if (eol !== '\n' && eol !== '\r\n') throw new MockOptionsError('eol', `must be '\\n' or '\\r\\n', got ${show(eol)}`)
  const finishReason =
    options.finishReason === undefined
      ? calls.length > 0
        ? 'tool_calls'
        : 'stop'
      : string(options.finishReason, 'finishReason')
  // The id derives from the answer, so that two different answers do not share one.
  const id =
    options.id === undefined
      ? `chatcmpl-${digest(JSON.stringify([model, text, reasoning, calls]))}`
      : string(options.id, 'id')

  if (options.faults !== undefined && !Array.isArray(options.faults))
    throw new MockOptionsError('faults', `must be an array, got ${show(options.faults)}`)
  const faults = (options.faults ?? []).map(fault)
  // Faults of one kind combine so that a list can be merged from two sources (the mock
  // server's and an answer's): the earliest cut or error wins, every garbage is sent, and
  // for the rest the later one replaces the earlier.
  const earliest = <F extends Fault>(kind: F['kind'], at: (fault: F) => number): F | undefined =>
    faults
      .filter((fault): fault is F => fault.kind === kind)
      .reduce<F | undefined>((best, fault) => (best === undefined || at(fault) < at(best) ? fault : best), undefined)
  const last = <F extends Fault>(kind: F['kind']): F | undefined =>
    faults.filter((fault): fault is F => fault.kind === kind).at(-1)
  const separators = last<MissingSeparatorsFault>('missing-separators')
  return {
    text,
    reasoning,
    toolCalls: calls,
    model,
    id,
    created,
    usage: usage === true ? {} : usage,
    chunking,
    readSize,
    delayMs,
    signal,
    eol,
    finishReason,
    format: messageFormat(
      options.format,
      separators !== undefined,
      faults.some((fault) => fault.kind === 'keep-alive'),
    ),
    cut: earliest<CutFault>('cut', (fault) => fault.atByte),
    providerError: earliest<ProviderErrorFault>('provider-error', (fault) => fault.afterChunks),
    garbage: faults.filter((fault): fault is GarbageFault => fault.kind === 'garbage'),
    chunksPerEvent: separators ? (separators.chunksPerEvent ?? 2) : 1,
    noDone: faults.some((fault) => fault.kind === 'no-done'),
    drip: last<DripFault>('drip'),
    keepAlive: last<KeepAliveFault>('keep-alive'),
  }
}

/** The formats the mock speaks besides chat chunks, as messages name them. */
export const TRANSLATED_FORMATS: Record<string, string> = {
  'anthropic-messages': 'an Anthropic Messages stream',
  'openai-responses': 'an OpenAI Responses stream',
  gemini: 'a Gemini stream',
}

/**
 * The `format` option, checked: the translated formats have no form of
 * `missing-separators`, and Gemini none of `keep-alive`.
 */
function messageFormat(
  format: unknown,
  missingSeparators: boolean,
  keepAlive: boolean,
): NonNullable<MockChatOptions['format']> {
  if (format === undefined || format === 'openai-chat') return 'openai-chat'
  if (format !== 'anthropic-messages' && format !== 'openai-responses' && format !== 'gemini')
    throw new MockOptionsError(
      'format',
      `must be 'openai-chat', 'anthropic-messages', 'openai-responses' or 'gemini', got ${show(format)}`,
    )
  if (missingSeparators)
    throw new MockOptionsError(
      'faults',
      `'missing-separators' has no form in ${TRANSLATED_FORMATS[format]} (each event is one JSON object)`,
    )
  if (keepAlive && format === 'gemini')
    throw new MockOptionsError('faults', `'keep-alive' has no form in a Gemini stream (Gemini sends no keep-alive)`)
  return format
}
