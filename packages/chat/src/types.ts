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

/** Extra fields a provider accepts. */
// biome-ignore lint/suspicious/noExplicitAny: see the file comment: `unknown` would refuse interfaces.
type Extras = { [key: string]: any }

/** A text part of a message's content. */
export interface ChatCompletionContentPartText extends Extras {
  type: 'text'
  text: string
}

/** An image part of a user message (a URL or a `data:` URL). */
export interface ChatCompletionContentPartImage extends Extras {
  type: 'image_url'
  image_url: { url: string; detail?: 'auto' | 'low' | 'high' } & Extras
}

/** An audio part of a user message (base64). */
export interface ChatCompletionContentPartInputAudio extends Extras {
  type: 'input_audio'
  input_audio: { data: string; format: 'wav' | 'mp3' | (string & {}) } & Extras
}

/** A file part of a user message (base64 data or an uploaded file's id). */
export interface ChatCompletionContentPartFile extends Extras {
  type: 'file'
  file: { file_data?: string; file_id?: string; filename?: string } & Extras
}

/** A refusal part of an assistant message. */
export interface ChatCompletionContentPartRefusal extends Extras {
  type: 'refusal'
  refusal: string
}

/** A part of a user message's content. */
export type ChatCompletionContentPart =
  | ChatCompletionContentPartText
  | ChatCompletionContentPartImage
  | ChatCompletionContentPartInputAudio
  | ChatCompletionContentPartFile

/** Instructions: `system`, or `developer` (OpenAI's name for them with reasoning models). */
export interface ChatCompletionSystemMessageParam extends Extras {
  role: 'system' | 'developer'
  content: string | readonly ChatCompletionContentPartText[]
  name?: string
}

/** What the user says: text, or parts (text, images, audio, files). */
export interface ChatCompletionUserMessageParam extends Extras {
  role: 'user'
  content: string | readonly ChatCompletionContentPart[]
  name?: string
}

/** A tool call of an earlier assistant message, sent back with the conversation. */
export interface ChatCompletionMessageToolCallParam extends Extras {
  id: string
  type: 'function' | (string & {})
  function: { name: string; arguments: string }
}

/** A call of a custom (free-form input) tool, as OpenAI sends it. */
export interface ChatCompletionMessageCustomToolCallParam extends Extras {
  id: string
  type: 'custom'
  custom: { name: string; input: string }
}

/**
 * An earlier answer of the model, with the tool calls it made. A message of a completion
 * that `ChatStream` assembled goes back in as is, once its `role` is narrowed:
 * `{ ...completion.choices[0].message, role: 'assistant' }`.
 */
export interface ChatCompletionAssistantMessageParam extends Extras {
  role: 'assistant'
  content?: string | readonly (ChatCompletionContentPartText | ChatCompletionContentPartRefusal)[] | null
  tool_calls?: readonly (ChatCompletionMessageToolCallParam | ChatCompletionMessageCustomToolCallParam)[]
  refusal?: string | null
  name?: string
}

/** The result of a tool call, answering the call with id `tool_call_id`. */
export interface ChatCompletionToolMessageParam extends Extras {
  role: 'tool'
  content: string | readonly ChatCompletionContentPartText[]
  tool_call_id: string
}

/** @deprecated The result of a legacy `function_call`; use tools. */
export interface ChatCompletionFunctionMessageParam extends Extras {
  role: 'function'
  name: string
  content: string | null
}

/** One message of the conversation. */
export type ChatCompletionMessageParam =
  | ChatCompletionSystemMessageParam
  | ChatCompletionUserMessageParam
  | ChatCompletionAssistantMessageParam
  | ChatCompletionToolMessageParam
  | ChatCompletionFunctionMessageParam

/** A function the model may call; `parameters` is a JSON Schema. */
export interface ChatCompletionFunctionTool extends Extras {
  type: 'function'
  function: {
    name: string
    description?: string
    parameters?: { [key: string]: unknown }
    strict?: boolean | null
  } & Extras
}

/** A custom tool that takes free-form input (OpenAI). */
export interface ChatCompletionCustomTool extends Extras {
  type: 'custom'
  custom: { name: string; description?: string } & Extras
}

/** A tool the model may call. */
export type ChatCompletionTool = ChatCompletionFunctionTool | ChatCompletionCustomTool

/**
 * Whether and which tool the model must call: `'none'`, `'auto'`, `'required'`, a named
 * function, or a provider's other forms (`allowed_tools`, a custom tool).
 */
export type ChatCompletionToolChoice =
  | 'none'
  | 'auto'
  | 'required'
  | ({ type: 'function'; function: { name: string } } & Extras)
  | ({ type: 'allowed_tools' | 'custom' | (string & {}) } & Extras)

/** The format of the answer: text, any JSON object, or JSON that follows a schema. */
export type ChatCompletionResponseFormat =
  | ({ type: 'text' } & Extras)
  | ({ type: 'json_object' } & Extras)
  | ({
      type: 'json_schema'
      json_schema: { name: string; description?: string; schema?: { [key: string]: unknown }; strict?: boolean | null } & Extras
    } & Extras)

/** Options of a streamed answer. */
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
 * @example A request for Eden AI's OpenAI-compatible API
 * ```ts
 * const request: ChatCompletionRequest = {
 *   model: 'anthropic/claude-sonnet-4-5',
 *   messages: [
 *     { role: 'system', content: 'You answer in one sentence.' },
 *     { role: 'user', content: 'What is a sluice?' },
 *   ],
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
