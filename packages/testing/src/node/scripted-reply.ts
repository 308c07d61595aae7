import type { MockChatOptions } from '@sluice/testing'
import { type ChatCompletionRequest, contentText, requestMessages } from './chat-completion-request.ts'
import type { MockServerContext } from './mock-server-context.ts'
import { EVENT_DELAY_MS } from './replay.ts'
import { RequestRefusedError } from './request-refused-error.ts'

/**
 * The options of the reply to `request`: what the server's `answer` scripts, laid over the
 * server's own (the request's model, or the path's `model`, usage as the request and `format` ask, the pace of `speed`), with
 * the server's faults before the answer's.
 *
 * @throws {RequestRefusedError} 500 when `answer` throws or gives no options object
 */
export async function scriptedReply(
  request: ChatCompletionRequest,
  context: MockServerContext,
  format: MockChatOptions['format'] = 'openai-chat',
  model: string | undefined = undefined,
): Promise<MockChatOptions> {
  const scripted = await callAnswer(request, context)
  // A JSON answer always carries its usage, as OpenAI's does; a chat stream only when asked;
  // a Responses stream always (in its response.completed), a Gemini stream too (usageMetadata).
  const includeUsage =
    request.stream !== true ||
    request.stream_options?.include_usage === true ||
    format === 'openai-responses' ||
    format === 'gemini'
  const base: MockChatOptions = {
    // Gemini's request names its model in the path (`model`), not in the body.
    model: model ?? (typeof request.model === 'string' ? request.model : context.model),
    usage: includeUsage && { prompt_tokens: promptTokens(request) },
    delayMs: EVENT_DELAY_MS / context.speed,
  }
  return { ...base, ...scripted, faults: [...context.faults, ...(scripted.faults ?? [])] }
}

/** The options `context.answer` gives for `request`: its errors become 500 responses. */
async function callAnswer(request: ChatCompletionRequest, context: MockServerContext): Promise<MockChatOptions> {
  let scripted: MockChatOptions
  try {
    scripted = await context.answer(request)
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error)
    throw new RequestRefusedError(
      500,
      { message: `The mock server's answer() failed: ${message}`, type: 'server_error' },
      `500 (answer() threw: ${message})`,
    )
  }
  if (typeof scripted !== 'object' || scripted === null) {
    throw new RequestRefusedError(
      500,
      {
        message: `The mock server's answer() must return an options object, got ${String(scripted)}`,
        type: 'server_error',
      },
      '500 (answer() returned no options)',
    )
  }
  return scripted
}

/** Prompt tokens, counted as words of the messages' text: the mock's estimate. */
function promptTokens(request: ChatCompletionRequest): number {
  return requestMessages(request).reduce(
    (sum, message) => sum + (contentText(message?.content).match(/\S+/g)?.length ?? 0) + 4,
    0,
  )
}
