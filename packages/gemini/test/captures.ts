/** The captured Gemini streams (fixtures/, sources in fixtures/SOURCES.md), by file name: `.sse` bodies of `alt=sse`, `.json.txt` bodies without it (one JSON array). */
import codeExecutionGemini3flashSse from './fixtures/code-execution-gemini3flash.sse'
import codeExecutionToolUseUsageGemini25flashSse from './fixtures/code-execution-tool-use-usage-gemini25flash.sse'
import errorHttp400JsonBodyNotSseGemini20flashexpSse from './fixtures/error-http400-json-body-not-sse-gemini20flashexp.sse'
import functionCallGemini20flashSse from './fixtures/function-call-gemini20flash.sse'
import functionCallJsonArrayGemini20flashJsonTxt from './fixtures/function-call-json-array-gemini20flash.json.txt'
import functionCallParallelOneChunkGemini20flashSse from './fixtures/function-call-parallel-one-chunk-gemini20flash.sse'
import functionCallParallelSplitChunksIdsGemini35flashSse from './fixtures/function-call-parallel-split-chunks-ids-gemini35flash.sse'
import functionCallThoughtSignatureGemini3proSse from './fixtures/function-call-thought-signature-gemini3pro.sse'
import groundingGoogleSearchGemini25proSse from './fixtures/grounding-google-search-gemini25pro.sse'
import maxTokensTurnTokenGemini25flashReconstructedSse from './fixtures/max-tokens-turn-token-gemini25flash-reconstructed.sse'
import serverToolCallFileSearchGemini3flashSse from './fixtures/server-tool-call-file-search-gemini3flash.sse'
import textGemini20flashexpSse from './fixtures/text-gemini20flashexp.sse'
import textJsonArrayGemini15flashJsonTxt from './fixtures/text-json-array-gemini15flash.json.txt'
import textLongGemini20flashSse from './fixtures/text-long-gemini20flash.sse'
import textUsageEveryChunkGemini25flashSse from './fixtures/text-usage-every-chunk-gemini25flash.sse'
import thinkingFunctionCallJsonArrayGemini25flashJsonTxt from './fixtures/thinking-function-call-json-array-gemini25flash.json.txt'
import thinkingGemini35flashSse from './fixtures/thinking-gemini35flash.sse'
import thinkingThoughtPartsGemini25proSse from './fixtures/thinking-thought-parts-gemini25pro.sse'
import urlContextGemini25flashSse from './fixtures/url-context-gemini25flash.sse'
import vertexFlexSingleChunkGemini3flashSse from './fixtures/vertex-flex-single-chunk-gemini3flash.sse'
import vertexJsonArrayEnumIntGemini25flashJsonTxt from './fixtures/vertex-json-array-enum-int-gemini25flash.json.txt'
import vertexPartialArgsArrayPathsNoTerminalGemini3flashReconstructedSse from './fixtures/vertex-partial-args-array-paths-no-terminal-gemini3flash-reconstructed.sse'
import vertexPartialArgsSingleChunkGemini3proReconstructedSse from './fixtures/vertex-partial-args-single-chunk-gemini3pro-reconstructed.sse'
import vertexPartialArgsTwoCallsGemini31proReconstructedSse from './fixtures/vertex-partial-args-two-calls-gemini31pro-reconstructed.sse'
import vertexTextGemini25flashSse from './fixtures/vertex-text-gemini25flash.sse'

export const CAPTURES: Record<string, string> = {
  'code-execution-gemini3flash.sse': codeExecutionGemini3flashSse,
  'code-execution-tool-use-usage-gemini25flash.sse': codeExecutionToolUseUsageGemini25flashSse,
  'error-http400-json-body-not-sse-gemini20flashexp.sse': errorHttp400JsonBodyNotSseGemini20flashexpSse,
  'function-call-gemini20flash.sse': functionCallGemini20flashSse,
  'function-call-json-array-gemini20flash.json.txt': functionCallJsonArrayGemini20flashJsonTxt,
  'function-call-parallel-one-chunk-gemini20flash.sse': functionCallParallelOneChunkGemini20flashSse,
  'function-call-parallel-split-chunks-ids-gemini35flash.sse': functionCallParallelSplitChunksIdsGemini35flashSse,
  'function-call-thought-signature-gemini3pro.sse': functionCallThoughtSignatureGemini3proSse,
  'grounding-google-search-gemini25pro.sse': groundingGoogleSearchGemini25proSse,
  'max-tokens-turn-token-gemini25flash-reconstructed.sse': maxTokensTurnTokenGemini25flashReconstructedSse,
  'server-tool-call-file-search-gemini3flash.sse': serverToolCallFileSearchGemini3flashSse,
  'text-gemini20flashexp.sse': textGemini20flashexpSse,
  'text-json-array-gemini15flash.json.txt': textJsonArrayGemini15flashJsonTxt,
  'text-long-gemini20flash.sse': textLongGemini20flashSse,
  'text-usage-every-chunk-gemini25flash.sse': textUsageEveryChunkGemini25flashSse,
  'thinking-function-call-json-array-gemini25flash.json.txt': thinkingFunctionCallJsonArrayGemini25flashJsonTxt,
  'thinking-gemini35flash.sse': thinkingGemini35flashSse,
  'thinking-thought-parts-gemini25pro.sse': thinkingThoughtPartsGemini25proSse,
  'url-context-gemini25flash.sse': urlContextGemini25flashSse,
  'vertex-flex-single-chunk-gemini3flash.sse': vertexFlexSingleChunkGemini3flashSse,
  'vertex-json-array-enum-int-gemini25flash.json.txt': vertexJsonArrayEnumIntGemini25flashJsonTxt,
  'vertex-partial-args-array-paths-no-terminal-gemini3flash-reconstructed.sse':
    vertexPartialArgsArrayPathsNoTerminalGemini3flashReconstructedSse,
  'vertex-partial-args-single-chunk-gemini3pro-reconstructed.sse':
    vertexPartialArgsSingleChunkGemini3proReconstructedSse,
  'vertex-partial-args-two-calls-gemini31pro-reconstructed.sse': vertexPartialArgsTwoCallsGemini31proReconstructedSse,
  'vertex-text-gemini25flash.sse': vertexTextGemini25flashSse,
}
