/**
 * Type-level tests, checked by `tsc -p tsconfig.test.json` (part of `pnpm test`): the
 * official SDK's request type is assignable to ours, and so is an assistant message of a
 * completion ChatReader assembled, sent back for a tool loop.
 */
import type { ChatCompletionCreateParamsStreaming } from 'openai/resources/chat/completions'
import type {
  ChatCompletion,
  ChatCompletionMessageParam,
  ChatCompletionRequest,
  ChatReader,
  IterableReadableStream,
} from '../src/index.ts'

declare const fromSDK: ChatCompletionCreateParamsStreaming
export const accepted: ChatCompletionRequest = fromSDK

declare const completion: ChatCompletion
const message = completion.choices[0]!.message
export const replayed: ChatCompletionMessageParam = { ...message, role: 'assistant' }

// @ts-expect-error a request needs a model
export const noModel: ChatCompletionRequest = { messages: [] }

// @ts-expect-error a tool message needs the id of the call it answers
export const noCallId: ChatCompletionMessageParam = { role: 'tool', content: 'ok' }

declare const stream: ChatReader
export const chunks: AsyncIterable<unknown> = stream
export const text: IterableReadableStream<string> = stream.textStream()
export const readable: ReadableStream<string> = stream.textStream()
