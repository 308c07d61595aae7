import type { AccumulatorErrorCode, AccumulatorQuirkCode } from '@sluice/accumulator'
import type { ComposeErrorCode } from '@sluice/compose'
import type { LinesErrorCode } from '@sluice/lines'
import type { ChunkErrorCode, ChunkQuirkCode } from '@sluice/openai'
import type { SSEErrorCode, SSEQuirkCode } from '@sluice/sse'
import type { ChatErrorCode } from './errors.ts'

/**
 * The `code` of every error the stages of a chat stream raise (each a `SluiceError`), from
 * every package: what a `switch` over `error.code` can meet.
 *
 * @example A message per kind of failure
 * ```ts
 * import { chatStream, SluiceError, type SluiceErrorCode } from '@sluice/chat'
 *
 * const retry = new Set<SluiceErrorCode>(['SLUICE_TRUNCATED_STREAM', 'SLUICE_STREAM_IDLE'])
 * try {
 *   await chatStream(response).completion()
 * } catch (error) {
 *   if (error instanceof SluiceError && retry.has(error.code as SluiceErrorCode)) console.warn('retrying')
 * }
 * ```
 */
export type SluiceErrorCode =
  | ComposeErrorCode
  | LinesErrorCode
  | SSEErrorCode
  | ChunkErrorCode
  | AccumulatorErrorCode
  | ChatErrorCode

/**
 * The `code` of every quirk the stages of a chat stream meet, from every package.
 *
 * @example
 * ```ts
 * import { chatStream, type QuirkCode } from '@sluice/chat'
 *
 * const seen = new Set<QuirkCode>()
 * const stream = chatStream(response, { onQuirk: (quirk) => seen.add(quirk.code) })
 * ```
 */
export type QuirkCode = SSEQuirkCode | ChunkQuirkCode | AccumulatorQuirkCode
