/**
 * The request body of `POST /chat/completions`, as OpenAI-compatible APIs take it. Written
 * here (no dependency on the `openai` package) and checked in the tests: the official SDK's
 * `ChatCompletionCreateParamsStreaming` is assignable to {@link ChatCompletionRequest}.
 *
 * Every object type has an index signature for what providers add (`cache_control` on a
 * part, `reasoning` or `provider` options of a gateway, …). It is typed `any`, not
 * `unknown`, on purpose: TypeScript lets an interface (the SDK's types, yours) be assigned
 * to a type with an index signature only when that signature is `any`.
 */

/**
 * Extra fields a provider accepts, on the request and on every object in it: any key, any
 * value. Typed `any`, not `unknown`, so that an interface (the official SDK's types, yours)
 * is assignable to the types that extend it.
 *
 * @example OpenRouter's routing options, sent with the request as they are
 * ```ts
 * import type { ChatCompletionRequest, Extras } from '@sluice/chat'
 *
 * const routing: Extras = { provider: { order: ['anthropic', 'amazon-bedrock'], allow_fallbacks: false } }
 * const request: ChatCompletionRequest = {
 *   model: 'anthropic/claude-sonnet-4-5',
 *   messages: [{ role: 'user', content: 'What is a sluice?' }],
 *   ...routing,
 * }
 * ```
 */
// biome-ignore lint/suspicious/noExplicitAny: see the file comment: `unknown` would refuse interfaces.
export type Extras = { [key: string]: any }

/**
 * A text part of a message's content.
 *
 * @example A long document, cached by the provider (cache_control is an extra field)
 * ```ts
 * import { readFile } from 'node:fs/promises'
 * import type { ChatCompletionContentPartText } from '@sluice/chat'
 *
 * const contract: ChatCompletionContentPartText = {
 *   type: 'text',
 *   text: await readFile('contract.txt', 'utf8'),
 *   cache_control: { type: 'ephemeral' },
 * }
 * ```
 */
export interface ChatCompletionContentPartText extends Extras {
  type: 'text'
  text: string
}

/**
 * An image part of a user message (a URL or a `data:` URL).
 *
 * @example A question about a photo
 * ```ts
 * import type { ChatCompletionContentPartImage, ChatCompletionUserMessageParam } from '@sluice/chat'
 *
 * const receipt: ChatCompletionContentPartImage = { type: 'image_url', image_url: { url: 'https://example.com/receipt.jpg', detail: 'high' } }
 * const question: ChatCompletionUserMessageParam = { role: 'user', content: [{ type: 'text', text: 'What is the total?' }, receipt] }
 * ```
 */
export interface ChatCompletionContentPartImage extends Extras {
  type: 'image_url'
  image_url: { url: string; detail?: 'auto' | 'low' | 'high' } & Extras
}

/**
 * An audio part of a user message (base64).
 *
 * @example A spoken question, from a WAV file
 * ```ts
 * import { readFile } from 'node:fs/promises'
 * import type { ChatCompletionContentPartInputAudio } from '@sluice/chat'
 *
 * const audio: ChatCompletionContentPartInputAudio = {
 *   type: 'input_audio',
 *   input_audio: { data: (await readFile('question.wav')).toString('base64'), format: 'wav' },
 * }
 * ```
 */
export interface ChatCompletionContentPartInputAudio extends Extras {
  type: 'input_audio'
  input_audio: { data: string; format: 'wav' | 'mp3' | (string & {}) } & Extras
}

/**
 * A file part of a user message (base64 data or an uploaded file's id).
 *
 * @example A PDF, sent as a data: URL
 * ```ts
 * import { readFile } from 'node:fs/promises'
 * import type { ChatCompletionContentPartFile } from '@sluice/chat'
 *
 * const report: ChatCompletionContentPartFile = {
 *   type: 'file',
 *   file: { filename: 'report.pdf', file_data: `data:application/pdf;base64,${(await readFile('report.pdf')).toString('base64')}` },
 * }
 * ```
 */
export interface ChatCompletionContentPartFile extends Extras {
  type: 'file'
  file: { file_data?: string; file_id?: string; filename?: string } & Extras
}

/**
 * A refusal part of an assistant message.
 *
 * @example An earlier refusal, sent back with the conversation
 * ```ts
 * import type { ChatCompletionAssistantMessageParam, ChatCompletionContentPartRefusal } from '@sluice/chat'
 *
 * const refusal: ChatCompletionContentPartRefusal = { type: 'refusal', refusal: "I can't help with that." }
 * const answer: ChatCompletionAssistantMessageParam = { role: 'assistant', content: [refusal] }
 * ```
 */
export interface ChatCompletionContentPartRefusal extends Extras {
  type: 'refusal'
  refusal: string
}

/**
 * A part of a user message's content.
 *
 * @example Text and an image in one message
 * ```ts
 * import type { ChatCompletionContentPart } from '@sluice/chat'
 *
 * const parts: ChatCompletionContentPart[] = [
 *   { type: 'text', text: 'What does this chart show?' },
 *   { type: 'image_url', image_url: { url: 'https://example.com/chart.png' } },
 * ]
 * ```
 */
export type ChatCompletionContentPart =
  | ChatCompletionContentPartText
  | ChatCompletionContentPartImage
  | ChatCompletionContentPartInputAudio
  | ChatCompletionContentPartFile

/**
 * Instructions: `system`, or `developer` (OpenAI's name for them with reasoning models).
 *
 * @example
 * ```ts
 * import type { ChatCompletionSystemMessageParam } from '@sluice/chat'
 *
 * const system: ChatCompletionSystemMessageParam = { role: 'system', content: 'You answer in one sentence.' }
 * const developer: ChatCompletionSystemMessageParam = { role: 'developer', content: 'Answer in French.' }
 * ```
 */
export interface ChatCompletionSystemMessageParam extends Extras {
  role: 'system' | 'developer'
  content: string | readonly ChatCompletionContentPartText[]
  name?: string
}

/**
 * What the user says: text, or parts (text, images, audio, files).
 *
 * @example
 * ```ts
 * import type { ChatCompletionUserMessageParam } from '@sluice/chat'
 *
 * const question: ChatCompletionUserMessageParam = { role: 'user', content: 'What is a sluice?' }
 * const aboutPhoto: ChatCompletionUserMessageParam = {
 *   role: 'user',
 *   content: [
 *     { type: 'text', text: 'Is this a sluice?' },
 *     { type: 'image_url', image_url: { url: 'https://example.com/photo.jpg' } },
 *   ],
 * }
 * ```
 */
export interface ChatCompletionUserMessageParam extends Extras {
  role: 'user'
  content: string | readonly ChatCompletionContentPart[]
  name?: string
}

/**
 * A tool call of an earlier assistant message, sent back with the conversation.
 *
 * @example
 * ```ts
 * import type { ChatCompletionMessageToolCallParam } from '@sluice/chat'
 *
 * const call: ChatCompletionMessageToolCallParam = {
 *   id: 'call_abc123',
 *   type: 'function',
 *   function: { name: 'get_weather', arguments: '{"city":"Paris"}' },
 * }
 * ```
 */
export interface ChatCompletionMessageToolCallParam extends Extras {
  id: string
  type: 'function' | (string & {})
  function: { name: string; arguments: string }
}

/**
 * A call of a custom (free-form input) tool, as OpenAI sends it.
 *
 * @example
 * ```ts
 * import type { ChatCompletionMessageCustomToolCallParam } from '@sluice/chat'
 *
 * const call: ChatCompletionMessageCustomToolCallParam = {
 *   id: 'call_def456',
 *   type: 'custom',
 *   custom: { name: 'run_sql', input: 'SELECT count(*) FROM orders' },
 * }
 * ```
 */
export interface ChatCompletionMessageCustomToolCallParam extends Extras {
  id: string
  type: 'custom'
  custom: { name: string; input: string }
}

/**
 * An earlier answer of the model, with the tool calls it made. A message of a completion
 * that `ChatReader` assembled goes back in as is, once its `role` is narrowed:
 * `{ ...completion.choices[0].message, role: 'assistant' }`.
 *
 * @example Keep the model's answer in the conversation
 * ```ts
 * import { chatStream, type ChatCompletionAssistantMessageParam, type ChatCompletionMessageParam } from '@sluice/chat'
 *
 * const conversation: ChatCompletionMessageParam[] = [{ role: 'user', content: 'What is the weather in Paris?' }]
 * const completion = await chatStream(response).completion()
 * const answer: ChatCompletionAssistantMessageParam = { ...completion.choices[0]!.message, role: 'assistant' }
 * conversation.push(answer)
 * ```
 */
export interface ChatCompletionAssistantMessageParam extends Extras {
  role: 'assistant'
  content?: string | readonly (ChatCompletionContentPartText | ChatCompletionContentPartRefusal)[] | null
  tool_calls?: readonly (ChatCompletionMessageToolCallParam | ChatCompletionMessageCustomToolCallParam)[]
  refusal?: string | null
  name?: string
}

/**
 * The result of a tool call, answering the call with id `tool_call_id`.
 *
 * @example
 * ```ts
 * import type { ChatCompletionToolMessageParam } from '@sluice/chat'
 *
 * const result: ChatCompletionToolMessageParam = {
 *   role: 'tool',
 *   tool_call_id: 'call_abc123',
 *   content: JSON.stringify({ temperature: 18, unit: 'celsius' }),
 * }
 * ```
 */
export interface ChatCompletionToolMessageParam extends Extras {
  role: 'tool'
  content: string | readonly ChatCompletionContentPartText[]
  tool_call_id: string
}

/**
 * @deprecated The result of a legacy `function_call`; use tools.
 *
 * @example
 * ```ts
 * import type { ChatCompletionFunctionMessageParam } from '@sluice/chat'
 *
 * const result: ChatCompletionFunctionMessageParam = { role: 'function', name: 'get_weather', content: '{"temperature":18}' }
 * ```
 */
export interface ChatCompletionFunctionMessageParam extends Extras {
  role: 'function'
  name: string
  content: string | null
}

/**
 * One message of the conversation.
 *
 * @example A conversation with a tool call and its result
 * ```ts
 * import type { ChatCompletionMessageParam } from '@sluice/chat'
 *
 * const conversation: ChatCompletionMessageParam[] = [
 *   { role: 'system', content: 'You answer in one sentence.' },
 *   { role: 'user', content: 'What is the weather in Paris?' },
 *   {
 *     role: 'assistant',
 *     content: null,
 *     tool_calls: [{ id: 'call_abc123', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }],
 *   },
 *   { role: 'tool', tool_call_id: 'call_abc123', content: '{"temperature":18,"unit":"celsius"}' },
 * ]
 * ```
 */
export type ChatCompletionMessageParam =
  | ChatCompletionSystemMessageParam
  | ChatCompletionUserMessageParam
  | ChatCompletionAssistantMessageParam
  | ChatCompletionToolMessageParam
  | ChatCompletionFunctionMessageParam

/**
 * A function the model may call; `parameters` is a JSON Schema.
 *
 * @example
 * ```ts
 * import type { ChatCompletionFunctionTool } from '@sluice/chat'
 *
 * const getWeather: ChatCompletionFunctionTool = {
 *   type: 'function',
 *   function: {
 *     name: 'get_weather',
 *     description: 'The current weather in a city',
 *     parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'], additionalProperties: false },
 *     strict: true,
 *   },
 * }
 * ```
 */
export interface ChatCompletionFunctionTool extends Extras {
  type: 'function'
  function: {
    name: string
    description?: string
    parameters?: { [key: string]: unknown }
    strict?: boolean | null
  } & Extras
}

/**
 * A custom tool that takes free-form input (OpenAI).
 *
 * @example
 * ```ts
 * import type { ChatCompletionCustomTool } from '@sluice/chat'
 *
 * const runSQL: ChatCompletionCustomTool = {
 *   type: 'custom',
 *   custom: { name: 'run_sql', description: 'Runs one read-only SQL query on the orders database' },
 * }
 * ```
 */
export interface ChatCompletionCustomTool extends Extras {
  type: 'custom'
  custom: { name: string; description?: string } & Extras
}

/**
 * A tool the model may call.
 *
 * @example The tools of a request
 * ```ts
 * import type { ChatCompletionRequest, ChatCompletionTool } from '@sluice/chat'
 *
 * const tools: ChatCompletionTool[] = [
 *   {
 *     type: 'function',
 *     function: { name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } },
 *   },
 * ]
 * const request: ChatCompletionRequest = { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Weather in Paris?' }], tools }
 * ```
 */
export type ChatCompletionTool = ChatCompletionFunctionTool | ChatCompletionCustomTool

/**
 * Whether and which tool the model must call: `'none'`, `'auto'`, `'required'`, a named
 * function, or a provider's other forms (`allowed_tools`, a custom tool).
 *
 * @example Make the model call get_weather
 * ```ts
 * import type { ChatCompletionRequest, ChatCompletionToolChoice } from '@sluice/chat'
 *
 * const toolChoice: ChatCompletionToolChoice = { type: 'function', function: { name: 'get_weather' } }
 * const request: ChatCompletionRequest = {
 *   model: 'gpt-4o-mini',
 *   messages: [{ role: 'user', content: 'Weather in Paris?' }],
 *   tools: [{ type: 'function', function: { name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } } }],
 *   tool_choice: toolChoice,
 * }
 * ```
 */
export type ChatCompletionToolChoice =
  | 'none'
  | 'auto'
  | 'required'
  | ({ type: 'function'; function: { name: string } } & Extras)
  | ({ type: 'allowed_tools' | 'custom' | (string & {}) } & Extras)

/**
 * The format of the answer: text, any JSON object, or JSON that follows a schema.
 *
 * @example JSON that follows a schema
 * ```ts
 * import type { ChatCompletionResponseFormat } from '@sluice/chat'
 *
 * const responseFormat: ChatCompletionResponseFormat = {
 *   type: 'json_schema',
 *   json_schema: {
 *     name: 'city',
 *     schema: {
 *       type: 'object',
 *       properties: { name: { type: 'string' }, country: { type: 'string' } },
 *       required: ['name', 'country'],
 *       additionalProperties: false,
 *     },
 *     strict: true,
 *   },
 * }
 * ```
 */
export type ChatCompletionResponseFormat =
  | ({ type: 'text' } & Extras)
  | ({ type: 'json_object' } & Extras)
  | ({
      type: 'json_schema'
      json_schema: {
        name: string
        description?: string
        schema?: { [key: string]: unknown }
        strict?: boolean | null
      } & Extras
    } & Extras)

/**
 * Options of a streamed answer.
 *
 * @example No obfuscation padding on the deltas (an OpenAI option, sent as an extra field)
 * ```ts
 * import type { ChatCompletionStreamOptions } from '@sluice/chat'
 *
 * const streamOptions: ChatCompletionStreamOptions = { include_usage: true, include_obfuscation: false }
 * ```
 */
export interface ChatCompletionStreamOptions extends Extras {
  /** Send a last chunk with the token `usage` (and `choices: []`). `createChatCompletionStream` sets it. */
  include_usage?: boolean
}

/**
 * The body of a chat completion request. `createChatCompletionStream` sends it with
 * `stream: true` and `stream_options.include_usage: true` (unless the request sets it).
 * Fields a provider adds (`top_p`, `seed`, `reasoning_effort`, OpenRouter's `provider`, …)
 * go in as they are.
 *
 * @example A request with a tool, for Eden AI's OpenAI-compatible API
 * ```ts
 * import type { ChatCompletionRequest } from '@sluice/chat'
 *
 * const request: ChatCompletionRequest = {
 *   model: 'anthropic/claude-sonnet-4-5',
 *   messages: [
 *     { role: 'system', content: 'You answer in one sentence.' },
 *     { role: 'user', content: 'What is the weather in Paris?' },
 *   ],
 *   tools: [
 *     {
 *       type: 'function',
 *       function: {
 *         name: 'get_weather',
 *         description: 'The current weather in a city',
 *         parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
 *       },
 *     },
 *   ],
 *   tool_choice: 'auto',
 *   max_tokens: 200,
 * }
 * ```
 */
export interface ChatCompletionRequest extends Extras {
  /** The model id, e.g. `gpt-4o-mini`, or `anthropic/claude-sonnet-4-5` through a gateway. */
  model: string
  messages: readonly ChatCompletionMessageParam[]
  tools?: readonly ChatCompletionTool[]
  tool_choice?: ChatCompletionToolChoice
  temperature?: number | null
  /** @deprecated by OpenAI for `max_completion_tokens`, still the field most compatible APIs read. */
  max_tokens?: number | null
  max_completion_tokens?: number | null
  stop?: string | readonly string[] | null
  /** How many choices to generate. */
  n?: number | null
  response_format?: ChatCompletionResponseFormat
  stream_options?: ChatCompletionStreamOptions | null
}
