/** The captured Responses streams (fixtures/, sources in fixtures/SOURCES.md), by file name. */
import applyPatchCallGpt51Reconstructed from './fixtures/apply-patch-call-gpt-5.1-reconstructed.sse'
import backgroundQueuedGpt4o from './fixtures/background-queued-gpt-4o.sse'
import backgroundResumeStartingAfterGpt4o from './fixtures/background-resume-starting-after-gpt-4o.sse'
import codeInterpreterReasoningSummaryGpt5 from './fixtures/code-interpreter-reasoning-summary-gpt-5.sse'
import customToolCallGpt52CodexHandwrittenReconstructed from './fixtures/custom-tool-call-gpt-5.2-codex-handwritten-reconstructed.sse'
import errorThenFailedInsufficientQuotaGpt5NanoReconstructed from './fixtures/error-then-failed-insufficient-quota-gpt-5-nano-reconstructed.sse'
import fileSearchGpt4o from './fixtures/file-search-gpt-4o.sse'
import functionCallArgsOnlyInDoneLmstudioGlm47FlashReconstructed from './fixtures/function-call-args-only-in-done-lmstudio-glm-4.7-flash-reconstructed.sse'
import functionCallBedrockMantleGpt56Luna from './fixtures/function-call-bedrock-mantle-gpt-5.6-luna.sse'
import functionCallGpt4o from './fixtures/function-call-gpt-4o.sse'
import functionCallGpt55 from './fixtures/function-call-gpt-5.5.sse'
import idRotationGithubCopilotGpt53CodexReconstructed from './fixtures/id-rotation-github-copilot-gpt-5.3-codex-reconstructed.sse'
import imageGenerationPartialImageGpt5B64ShortenedUpstreamReconstructed from './fixtures/image-generation-partial-image-gpt-5-b64-shortened-upstream-reconstructed.sse'
import mcpCallO4Mini from './fixtures/mcp-call-o4-mini.sse'
import mcpListToolsGpt41 from './fixtures/mcp-list-tools-gpt-4.1.sse'
import moderationGpt5 from './fixtures/moderation-gpt-5.sse'
import reasoningFunctionCallGpt5 from './fixtures/reasoning-function-call-gpt-5.sse'
import reasoningSummaryEncryptedFunctionCallGpt51CodexMaxReconstructed from './fixtures/reasoning-summary-encrypted-function-call-gpt-5.1-codex-max-reconstructed.sse'
import reasoningSummaryMultipartO3Mini from './fixtures/reasoning-summary-multipart-o3-mini.sse'
import reasoningSummaryXaiGrokCodeFast1Reconstructed from './fixtures/reasoning-summary-xai-grok-code-fast-1-reconstructed.sse'
import reasoningTextDeepseekV4Flash from './fixtures/reasoning-text-deepseek-v4-flash.sse'
import reasoningTextFunctionCallDeepseekV4Flash from './fixtures/reasoning-text-function-call-deepseek-v4-flash.sse'
import reasoningTextOpenrouterGptOss20b from './fixtures/reasoning-text-openrouter-gpt-oss-20b.sse'
import textGpt4o from './fixtures/text-gpt-4o.sse'
import textLogprobsGpt4oMini from './fixtures/text-logprobs-gpt-4o-mini.sse'
import textSingleDeltaGpt55 from './fixtures/text-single-delta-gpt-5.5.sse'
import textThenFunctionCallPhaseGpt55 from './fixtures/text-then-function-call-phase-gpt-5.5.sse'
import webSearchAnnotationsGpt52 from './fixtures/web-search-annotations-gpt-5.2.sse'
import webSearchReasoningGpt5 from './fixtures/web-search-reasoning-gpt-5.sse'

export const CAPTURES: Record<string, string> = {
  'apply-patch-call-gpt-5.1-reconstructed.sse': applyPatchCallGpt51Reconstructed,
  'background-queued-gpt-4o.sse': backgroundQueuedGpt4o,
  'background-resume-starting-after-gpt-4o.sse': backgroundResumeStartingAfterGpt4o,
  'code-interpreter-reasoning-summary-gpt-5.sse': codeInterpreterReasoningSummaryGpt5,
  'custom-tool-call-gpt-5.2-codex-handwritten-reconstructed.sse': customToolCallGpt52CodexHandwrittenReconstructed,
  'error-then-failed-insufficient-quota-gpt-5-nano-reconstructed.sse':
    errorThenFailedInsufficientQuotaGpt5NanoReconstructed,
  'file-search-gpt-4o.sse': fileSearchGpt4o,
  'function-call-args-only-in-done-lmstudio-glm-4.7-flash-reconstructed.sse':
    functionCallArgsOnlyInDoneLmstudioGlm47FlashReconstructed,
  'function-call-bedrock-mantle-gpt-5.6-luna.sse': functionCallBedrockMantleGpt56Luna,
  'function-call-gpt-4o.sse': functionCallGpt4o,
  'function-call-gpt-5.5.sse': functionCallGpt55,
  'id-rotation-github-copilot-gpt-5.3-codex-reconstructed.sse': idRotationGithubCopilotGpt53CodexReconstructed,
  'image-generation-partial-image-gpt-5-b64-shortened-upstream-reconstructed.sse':
    imageGenerationPartialImageGpt5B64ShortenedUpstreamReconstructed,
  'mcp-call-o4-mini.sse': mcpCallO4Mini,
  'mcp-list-tools-gpt-4.1.sse': mcpListToolsGpt41,
  'moderation-gpt-5.sse': moderationGpt5,
  'reasoning-function-call-gpt-5.sse': reasoningFunctionCallGpt5,
  'reasoning-summary-encrypted-function-call-gpt-5.1-codex-max-reconstructed.sse':
    reasoningSummaryEncryptedFunctionCallGpt51CodexMaxReconstructed,
  'reasoning-summary-multipart-o3-mini.sse': reasoningSummaryMultipartO3Mini,
  'reasoning-summary-xai-grok-code-fast-1-reconstructed.sse': reasoningSummaryXaiGrokCodeFast1Reconstructed,
  'reasoning-text-deepseek-v4-flash.sse': reasoningTextDeepseekV4Flash,
  'reasoning-text-function-call-deepseek-v4-flash.sse': reasoningTextFunctionCallDeepseekV4Flash,
  'reasoning-text-openrouter-gpt-oss-20b.sse': reasoningTextOpenrouterGptOss20b,
  'text-gpt-4o.sse': textGpt4o,
  'text-logprobs-gpt-4o-mini.sse': textLogprobsGpt4oMini,
  'text-single-delta-gpt-5.5.sse': textSingleDeltaGpt55,
  'text-then-function-call-phase-gpt-5.5.sse': textThenFunctionCallPhaseGpt55,
  'web-search-annotations-gpt-5.2.sse': webSearchAnnotationsGpt52,
  'web-search-reasoning-gpt-5.sse': webSearchReasoningGpt5,
}
