/**
 * Type-level tests, checked by `tsc -p tsconfig.test.json` (part of `pnpm test`): the
 * official SDK's chunk type is assignable to ours; ours is not assignable to the SDK's,
 * because ours accepts more (unknown finish reasons, optional tool-call index, ...).
 */
import type { ChatCompletionChunk as OpenAIChunk } from 'openai/resources/chat/completions'
import type { ChatCompletionChunk } from '../src/index.ts'

declare const fromSDK: OpenAIChunk
export const accepted: ChatCompletionChunk = fromSDK

declare const ours: ChatCompletionChunk
// @ts-expect-error ours accepts more than the SDK's type describes
export const refused: OpenAIChunk = ours
