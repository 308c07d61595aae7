/**
 * The captured chat completion streams that the tests of more than one package read, each
 * as its text. The files stay with the package whose quirks they pin
 * (packages/openai/test/fixtures/, packages/accumulator/test/fixtures/); each opens with
 * comment lines saying which provider behaviour it reproduces.
 *
 * The test bundler (scripts/test/bundle.mjs) inlines `.sse` files as text, so the streams
 * reach every runtime, workerd and Chromium included, without a file system or a fetch
 * (scripts/test/fixtures.d.ts types them). Its own entry
 * (`@sluice/test-support/captured-streams`): Node alone cannot import an `.sse` file.
 */

// packages/openai/test/fixtures: the chunk stage's captures (quirks, endings, errors).
export { default as azureUnterminatedDone } from '../../openai/test/fixtures/azure-unterminated-done.sse'
export { default as azureUnterminatedLastChunk } from '../../openai/test/fixtures/azure-unterminated-last-chunk.sse'
export { default as cutOffMidAnswer } from '../../openai/test/fixtures/cut-off-mid-answer.sse'
export { default as cutOffMidEvent } from '../../openai/test/fixtures/cut-off-mid-event.sse'
export { default as emptyDataHeartbeats } from '../../openai/test/fixtures/empty-data-heartbeats.sse'
export { default as finishReasonTwice } from '../../openai/test/fixtures/finish-reason-twice.sse'
export { default as gatewayFinishWithoutDone } from '../../openai/test/fixtures/gateway-finish-without-done.sse'
export { default as glmMissingSeparator } from '../../openai/test/fixtures/glm-missing-separator.sse'
export { default as llamaCppPythonCRLF } from '../../openai/test/fixtures/llama-cpp-python-crlf.sse'
export { default as mistralContentParts } from '../../openai/test/fixtures/mistral-content-parts.sse'
export { default as n2OneChoiceUnfinished } from '../../openai/test/fixtures/n2-one-choice-unfinished.sse'
export { default as openaiCompleteWithUsage } from '../../openai/test/fixtures/openai-complete-with-usage.sse'
export { default as openrouterKeepAliveComments } from '../../openai/test/fixtures/openrouter-keep-alive-comments.sse'
export { default as openrouterMidStreamError } from '../../openai/test/fixtures/openrouter-mid-stream-error.sse'
export { default as tgiGenerationError } from '../../openai/test/fixtures/tgi-generation-error.sse'

// packages/accumulator/test/fixtures: the accumulator's captures (tool calls across provider quirks).
export { default as bedrockToolCallIndexFrom1 } from '../../accumulator/test/fixtures/bedrock-tool-call-index-from-1.sse'
export { default as geminiMissingToolCallIndex } from '../../accumulator/test/fixtures/gemini-missing-tool-call-index.sse'
export { default as ollamaReusedToolCallIndex } from '../../accumulator/test/fixtures/ollama-reused-tool-call-index.sse'
export { default as openaiParallelToolCalls } from '../../accumulator/test/fixtures/openai-parallel-tool-calls.sse'
export { default as openaiToolCallLength } from '../../accumulator/test/fixtures/openai-tool-call-length.sse'
export { default as proxyEmptyToolCallIdAndType } from '../../accumulator/test/fixtures/proxy-empty-tool-call-id-and-type.sse'
export { default as toolCallConnectionCut } from '../../accumulator/test/fixtures/tool-call-connection-cut.sse'
