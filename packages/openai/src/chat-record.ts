import type { StreamRecord } from '@sluice/compose'
import type { ChatProgress } from './outcome.ts'
import type { FinishReason } from './types.ts'

/**
 * The chat part of a stream's record: how a stream of chat chunks must end. Written by the
 * stage that decodes chunks (the chunk decoder; the future wire-format stages), read by the
 * accumulator after it. The `StreamRecord` itself stays format-neutral.
 *
 * @example Has the stream ended as a chat stream must?
 * ```ts
 * import { ChatChunkStream, chatRecordOf } from '@sluice/openai'
 *
 * const chunks = new ChatChunkStream()
 * await response.body!.pipeThrough(chunks).pipeTo(new WritableStream()).catch(() => {})
 * const { sawDone, finishReasons } = chatRecordOf(chunks.record)
 * console.log(sawDone, finishReasons[0])
 * ```
 */
export interface ChatRecord {
  /** `data: [DONE]` arrived. */
  sawDone: boolean
  /** The last `finish_reason` of each choice that appeared (`null`: none yet). */
  finishReasons: Record<number, FinishReason | null>
  /** Whether a stage that decodes chunks writes this part (else the accumulator tracks finish reasons itself). */
  written: boolean
}

const chatRecords = new WeakMap<StreamRecord, ChatRecord>()

/**
 * The `progress` of a chat stage: what the stages up to position `stage` wrote to `record`,
 * with `chat`'s `[DONE]` and finish reasons (copied). What the chunk decoder and the
 * accumulator give, and what a stage of a new wire format gives too.
 *
 * @example
 * ```ts
 * import { ChatChunkStream, chatProgress, chatRecordOf } from '@sluice/openai'
 *
 * const chunks = new ChatChunkStream()
 * const { counts, sawDone } = chatProgress(chunks.record, Infinity, chatRecordOf(chunks.record))
 * ```
 */
export function chatProgress(record: StreamRecord, stage: number, chat: Omit<ChatRecord, 'written'>): ChatProgress {
  return { ...record.progressUpTo(stage), sawDone: chat.sawDone, finishReasons: { ...chat.finishReasons } }
}

/**
 * The chat part of `record`, created empty on first use.
 *
 * @example Did the stream end with [DONE]?
 * ```ts
 * import { ChatChunkStream, chatRecordOf } from '@sluice/openai'
 *
 * const chunks = new ChatChunkStream()
 * await response.body!.pipeThrough(chunks).pipeTo(new WritableStream()).catch(() => {})
 * console.log(chatRecordOf(chunks.record).sawDone)
 * ```
 */
export function chatRecordOf(record: StreamRecord): ChatRecord {
  let chat = chatRecords.get(record)
  if (!chat) chatRecords.set(record, (chat = { sawDone: false, finishReasons: {}, written: false }))
  return chat
}
