/** The JSON of a chat completion chunk: the fields every generated chunk has, then `fields`. */
export function chunkJSON(fields: object): string {
  return JSON.stringify({
    id: 'chatcmpl-123',
    object: 'chat.completion.chunk',
    created: 1700000000,
    model: 'anthropic/claude-sonnet-4-5',
    ...fields,
  })
}

/** The JSON of a chunk with one choice, index 0. */
export function choiceChunk(delta: object, finishReason: string | null): string {
  return chunkJSON({ choices: [{ index: 0, delta, finish_reason: finishReason }] })
}
