/** The captured Anthropic streams (fixtures/, sources in fixtures/SOURCES.md), by file name. */
import adaptiveThinkingLeadingTextBlockOpus46 from './fixtures/adaptive-thinking-leading-text-block-opus46.sse'
import advisorToolIterations from './fixtures/advisor-tool-iterations.sse'
import codeExecutionBash from './fixtures/code-execution-bash.sse'
import compactionDelta from './fixtures/compaction-delta.sse'
import duplicateMessageStartHandwrittenReconstructed from './fixtures/duplicate-message-start-handwritten-reconstructed.sse'
import errorOverloadedMidstreamHandwritten from './fixtures/error-overloaded-midstream-handwritten.sse'
import maxTokensUnterminatedToolInput from './fixtures/max-tokens-unterminated-tool-input.sse'
import mcpToolUseAndResult from './fixtures/mcp-tool-use-and-result.sse'
import pauseTurnWebSearchLarge from './fixtures/pause-turn-web-search-large.sse'
import redactedThinking from './fixtures/redacted-thinking.sse'
import refusalStopDetailsSanitized from './fixtures/refusal-stop-details-sanitized.sse'
import splicedMessageStartHandwrittenReconstructed from './fixtures/spliced-message-start-handwritten-reconstructed.sse'
import stopSequenceHaiku45 from './fixtures/stop-sequence-haiku45.sse'
import textBasicHaiku45 from './fixtures/text-basic-haiku45.sse'
import textPingAfterDeltasSonnet45 from './fixtures/text-ping-after-deltas-sonnet45.sse'
import textThenToolUseWithArgsSonnet37 from './fixtures/text-then-tool-use-with-args-sonnet37.sse'
import thinkingLongSonnet4 from './fixtures/thinking-long-sonnet4.sse'
import thinkingThenTextHaiku45 from './fixtures/thinking-then-text-haiku45.sse'
import thinkingThenToolUse from './fixtures/thinking-then-tool-use.sse'
import toolSearchThenToolUse from './fixtures/tool-search-then-tool-use.sse'
import toolUseParallelEmptyInputHaiku45 from './fixtures/tool-use-parallel-empty-input-haiku45.sse'
import webFetch from './fixtures/web-fetch.sse'
import webSearchCitationsNoPing from './fixtures/web-search-citations-no-ping.sse'

export const CAPTURES: Record<string, string> = {
  'adaptive-thinking-leading-text-block-opus46.sse': adaptiveThinkingLeadingTextBlockOpus46,
  'advisor-tool-iterations.sse': advisorToolIterations,
  'code-execution-bash.sse': codeExecutionBash,
  'compaction-delta.sse': compactionDelta,
  'duplicate-message-start-handwritten-reconstructed.sse': duplicateMessageStartHandwrittenReconstructed,
  'error-overloaded-midstream-handwritten.sse': errorOverloadedMidstreamHandwritten,
  'max-tokens-unterminated-tool-input.sse': maxTokensUnterminatedToolInput,
  'mcp-tool-use-and-result.sse': mcpToolUseAndResult,
  'pause-turn-web-search-large.sse': pauseTurnWebSearchLarge,
  'redacted-thinking.sse': redactedThinking,
  'refusal-stop-details-sanitized.sse': refusalStopDetailsSanitized,
  'spliced-message-start-handwritten-reconstructed.sse': splicedMessageStartHandwrittenReconstructed,
  'stop-sequence-haiku45.sse': stopSequenceHaiku45,
  'text-basic-haiku45.sse': textBasicHaiku45,
  'text-ping-after-deltas-sonnet45.sse': textPingAfterDeltasSonnet45,
  'text-then-tool-use-with-args-sonnet37.sse': textThenToolUseWithArgsSonnet37,
  'thinking-long-sonnet4.sse': thinkingLongSonnet4,
  'thinking-then-text-haiku45.sse': thinkingThenTextHaiku45,
  'thinking-then-tool-use.sse': thinkingThenToolUse,
  'tool-search-then-tool-use.sse': toolSearchThenToolUse,
  'tool-use-parallel-empty-input-haiku45.sse': toolUseParallelEmptyInputHaiku45,
  'web-fetch.sse': webFetch,
  'web-search-citations-no-ping.sse': webSearchCitationsNoPing,
}
