/**
 * The corpus of real captures (test/corpus/): recorded `/chat/completions` streams of
 * several providers and gateways, taken from public repositories' test cassettes and
 * fixtures; `corpus/manifest.json` gives each one's source repository, path, commit and
 * license, and whether it was re-framed. For every capture, at every read size:
 *
 * 1. every sluice path agrees with the model (`checkAllPaths`), and
 * 2. the completion sluice assembles matches the one the official `openai` SDK (6.30.1, a
 *    dev dependency) assembles with `chat.completions.stream()` and
 *    `finalChatCompletion()`: each choice's `content`, `tool_calls` (id, type, name,
 *    arguments) and `finish_reason`, and `usage`. When the SDK throws, sluice's answer is
 *    compared with what the SDK had assembled when it threw (its snapshot after the last chunk).
 *
 * Where they differ, the capture is in {@link KNOWN_DIFFERENCES} with the reason sluice's
 * answer is the right one, and the test checks the difference exactly: it fails when one
 * appears, changes or disappears. Captures where both reject the stream with the
 * provider's error are in {@link BOTH_REJECT}. The import list is generated: workerd and
 * browsers cannot list files at run time.
 */
import { suite } from 'uvu'
import * as assert from 'uvu/assert'
import OpenAI, { APIError, OpenAIError } from 'openai'
import { bytes } from '@sluice/test-support'
import { chatStream, type ChatCompletion } from '../src/index.ts'
import { checkAllPaths } from './paths.ts'
import manifest from './corpus/manifest.json'
import alibabaVercelAiAlibabaReasoning from './corpus/alibaba/vercel-ai-alibaba-reasoning.sse'
import alibabaVercelAiAlibabaText from './corpus/alibaba/vercel-ai-alibaba-text.sse'
import alibabaVercelAiAlibabaToolCall from './corpus/alibaba/vercel-ai-alibaba-tool-call.sse'
import azureCrewaiAzureAsyncStreamingReturnsUsageMetrics from './corpus/azure/crewai-azure-async-streaming-returns-usage-metrics.sse'
import azureCrewaiAzureStreamingCompletion from './corpus/azure/crewai-azure-streaming-completion.sse'
import azureCrewaiAzuretoolcallstreamingTestAzureToolCallEvents from './corpus/azure/crewai-azuretoolcallstreaming-test-azure-tool-call-events.sse'
import azureDdtraceAzureChatCompletionStreamed from './corpus/azure/ddtrace-azure-chat-completion-streamed.sse'
import azureDdtraceCompletionAzureStream from './corpus/azure/ddtrace-completion-azure-stream.sse'
import azureOpenllmetryChatAsyncStreaming1 from './corpus/azure/openllmetry-chat-async-streaming-1.sse'
import azureOpenllmetryChatAsyncStreaming2 from './corpus/azure/openllmetry-chat-async-streaming-2.sse'
import azureOpenllmetryChatAsyncStreaming3 from './corpus/azure/openllmetry-chat-async-streaming-3.sse'
import azureOpenllmetryChatAsyncStreamingWithEventsWithContent1 from './corpus/azure/openllmetry-chat-async-streaming-with-events-with-content-1.sse'
import azureOpenllmetryChatAsyncStreamingWithEventsWithContent3 from './corpus/azure/openllmetry-chat-async-streaming-with-events-with-content-3.sse'
import azureOpenllmetryChatAsyncStreamingWithEventsWithNoContent1 from './corpus/azure/openllmetry-chat-async-streaming-with-events-with-no-content-1.sse'
import azureOpenllmetryChatAsyncStreamingWithEventsWithNoContent2 from './corpus/azure/openllmetry-chat-async-streaming-with-events-with-no-content-2.sse'
import azureOpenllmetryChatAsyncStreamingWithEventsWithNoContent3 from './corpus/azure/openllmetry-chat-async-streaming-with-events-with-no-content-3.sse'
import azureOpenllmetryChatStreaming1 from './corpus/azure/openllmetry-chat-streaming-1.sse'
import azureOpenllmetryChatStreaming2 from './corpus/azure/openllmetry-chat-streaming-2.sse'
import azureOpenllmetryChatStreaming3 from './corpus/azure/openllmetry-chat-streaming-3.sse'
import azureOpenllmetryChatStreamingWithEventsWithContent1 from './corpus/azure/openllmetry-chat-streaming-with-events-with-content-1.sse'
import azureOpenllmetryChatStreamingWithEventsWithContent2 from './corpus/azure/openllmetry-chat-streaming-with-events-with-content-2.sse'
import azureOpenllmetryChatStreamingWithEventsWithNoContent2 from './corpus/azure/openllmetry-chat-streaming-with-events-with-no-content-2.sse'
import azureOpenllmetryChatStreamingWithEventsWithNoContent3 from './corpus/azure/openllmetry-chat-streaming-with-events-with-no-content-3.sse'
import azureOpenllmetryChatStreaming from './corpus/azure/openllmetry-chat-streaming.sse'
import azureVercelAiOpenaiAzureModelRouter1 from './corpus/azure/vercel-ai-openai-azure-model-router-1.sse'
import cerebrasVercelAiCerebrasCererebrasStructuredOutputTools1 from './corpus/cerebras/vercel-ai-cerebras-cererebras-structured-output-tools-1.sse'
import crusoePydanticAiCrusoeModelStreaming from './corpus/crusoe/pydantic-ai-crusoe-model-streaming.sse'
import deepseekDdtraceDeepseekStreamedCumulativeTokens from './corpus/deepseek/ddtrace-deepseek-streamed-cumulative-tokens.sse'
import deepseekDdtraceDeepseekStreamedReasoningContent from './corpus/deepseek/ddtrace-deepseek-streamed-reasoning-content.sse'
import deepseekOpenllmetryChatStreamingMetrics from './corpus/deepseek/openllmetry-chat-streaming-metrics.sse'
import deepseekOpenllmetryStreamingWithApiUsageCapture from './corpus/deepseek/openllmetry-streaming-with-api-usage-capture.sse'
import deepseekPydanticAiDeepseekModelThinkingStream from './corpus/deepseek/pydantic-ai-deepseek-model-thinking-stream.sse'
import deepseekVercelAiDeepseekReasoning from './corpus/deepseek/vercel-ai-deepseek-reasoning.sse'
import deepseekVercelAiDeepseekText from './corpus/deepseek/vercel-ai-deepseek-text.sse'
import deepseekVercelAiDeepseekToolCall from './corpus/deepseek/vercel-ai-deepseek-tool-call.sse'
import groqOpeninferenceTokencountsTestGroq from './corpus/groq/openinference-tokencounts-test-groq.sse'
import groqOpenllmetryChatStreamingLegacy from './corpus/groq/openllmetry-chat-streaming-legacy.sse'
import groqPydanticAiGroqModelWebSearchToolStream from './corpus/groq/pydantic-ai-groq-model-web-search-tool-stream.sse'
import groqPydanticAiToolUseFailedErrorStreaming1 from './corpus/groq/pydantic-ai-tool-use-failed-error-streaming-1.sse'
import groqPydanticAiToolUseFailedErrorStreaming2 from './corpus/groq/pydantic-ai-tool-use-failed-error-streaming-2.sse'
import groqPydanticAiToolUseFailedErrorStreamingWithText1 from './corpus/groq/pydantic-ai-tool-use-failed-error-streaming-with-text-1.sse'
import groqPydanticAiToolUseFailedErrorStreamingWithText from './corpus/groq/pydantic-ai-tool-use-failed-error-streaming-with-text.sse'
import groqPydanticAiToolUseFailedErrorStreaming from './corpus/groq/pydantic-ai-tool-use-failed-error-streaming.sse'
import groqVercelAiGroqToolCall from './corpus/groq/vercel-ai-groq-tool-call.sse'
import huggingfacePydanticAiCancelRecordedProviderStreamHuggingface1 from './corpus/huggingface/pydantic-ai-cancel-recorded-provider-stream-huggingface-1.sse'
import litellmProxyDdtraceCompletionStreamMultipleChoicesProxy from './corpus/litellm-proxy/ddtrace-completion-stream-multiple-choices-proxy.sse'
import litellmProxyDdtraceCompletionStreamProxy from './corpus/litellm-proxy/ddtrace-completion-stream-proxy.sse'
import mistralDdtraceMistralV1ChatCompletionsPost1798d156 from './corpus/mistral/ddtrace-mistral-v1-chat-completions-post-1798d156.sse'
import mistralDdtraceMistralV1ChatCompletionsPost7dbf2fa3 from './corpus/mistral/ddtrace-mistral-v1-chat-completions-post-7dbf2fa3.sse'
import mistralDdtraceMistralV1ChatCompletionsPostCcfa08da from './corpus/mistral/ddtrace-mistral-v1-chat-completions-post-ccfa08da.sse'
import mistralOpeninferenceAsynchronousStreamingChatExpectedSpanFalse from './corpus/mistral/openinference-asynchronous-streaming-chat-expected-span-false.sse'
import mistralOpeninferenceAsynchronousStreamingChatExpectedSpanTrue from './corpus/mistral/openinference-asynchronous-streaming-chat-expected-span-true.sse'
import mistralOpeninferenceSynchronousStreamingChatExpectedSpanFalse from './corpus/mistral/openinference-synchronous-streaming-chat-expected-span-false.sse'
import mistralOpeninferenceSynchronousStreamingChatExpectedSpanTrue from './corpus/mistral/openinference-synchronous-streaming-chat-expected-span-true.sse'
import mistralOpeninferenceSynchronousStreamingChatExpectedSpansFalse from './corpus/mistral/openinference-synchronous-streaming-chat-expected-spans-false.sse'
import mistralOpeninferenceSynchronousStreamingChatExpectedSpansTrue from './corpus/mistral/openinference-synchronous-streaming-chat-expected-spans-true.sse'
import mistralOpenllmetryMistralaiAsyncStreamingChatEventsWithContent from './corpus/mistral/openllmetry-mistralai-async-streaming-chat-events-with-content.sse'
import mistralOpenllmetryMistralaiAsyncStreamingChatLegacy from './corpus/mistral/openllmetry-mistralai-async-streaming-chat-legacy.sse'
import mistralOpenllmetryMistralaiAsyncStreamingChatWithNoContent from './corpus/mistral/openllmetry-mistralai-async-streaming-chat-with-no-content.sse'
import mistralOpenllmetryMistralaiStreamingChatWithEventsWithContent from './corpus/mistral/openllmetry-mistralai-streaming-chat-with-events-with-content.sse'
import mistralOpenllmetryMistralaiStreamingChatWithEventsWithNoContent from './corpus/mistral/openllmetry-mistralai-streaming-chat-with-events-with-no-content.sse'
import mistralPydanticAiMistralModelThinkingPartIter from './corpus/mistral/pydantic-ai-mistral-model-thinking-part-iter.sse'
import mistralVercelAiMistralIncrementalToolCall from './corpus/mistral/vercel-ai-mistral-incremental-tool-call.sse'
import mistralVercelAiMistralReasoning from './corpus/mistral/vercel-ai-mistral-reasoning.sse'
import mistralVercelAiMistralText from './corpus/mistral/vercel-ai-mistral-text.sse'
import mistralVercelAiMistralToolCall from './corpus/mistral/vercel-ai-mistral-tool-call.sse'
import openaiCrewaiCrewKickoffStreamingUsageMetrics1 from './corpus/openai/crewai-crew-kickoff-streaming-usage-metrics-1.sse'
import openaiCrewaiCrewKickoffStreamingUsageMetrics6 from './corpus/openai/crewai-crew-kickoff-streaming-usage-metrics-6.sse'
import openaiCrewaiHandleStreamingToolCallsNoTools from './corpus/openai/crewai-handle-streaming-tool-calls-no-tools.sse'
import openaiCrewaiLitellmAsyncStreamingWithParameters from './corpus/openai/crewai-litellm-async-streaming-with-parameters.sse'
import openaiCrewaiLitellmAsyncStreaming from './corpus/openai/crewai-litellm-async-streaming.sse'
import openaiCrewaiLlmEmitsStreamChunkEvents from './corpus/openai/crewai-llm-emits-stream-chunk-events.sse'
import openaiCrewaiMixedstreamingeventsTestStreamingAndToolCalls from './corpus/openai/crewai-mixedstreamingevents-test-streaming-and-tool-calls.sse'
import openaiCrewaiOpenaiAsyncStreamingReturnsUsageMetrics from './corpus/openai/crewai-openai-async-streaming-returns-usage-metrics.sse'
import openaiCrewaiOpenaiStreamingCachedPromptTokens1 from './corpus/openai/crewai-openai-streaming-cached-prompt-tokens-1.sse'
import openaiCrewaiOpenaiStreamingCachedPromptTokens from './corpus/openai/crewai-openai-streaming-cached-prompt-tokens.sse'
import openaiCrewaiStreamLlmEmitsEventWithTaskAndAgentInfo from './corpus/openai/crewai-stream-llm-emits-event-with-task-and-agent-info.sse'
import openaiCrewaiStreamingChunksShareCallIdWithCall from './corpus/openai/crewai-streaming-chunks-share-call-id-with-call.sse'
import openaiCrewaiUsageInfoStreamingWithAcall from './corpus/openai/crewai-usage-info-streaming-with-acall.sse'
import openaiDdtraceAgentRunStreamStructuredWithTool1 from './corpus/openai/ddtrace-agent-run-stream-structured-with-tool-1.sse'
import openaiDdtraceAgentRunStreamWithTools1 from './corpus/openai/ddtrace-agent-run-stream-with-tools-1.sse'
import openaiDdtraceAgentRunStreamWithTools from './corpus/openai/ddtrace-agent-run-stream-with-tools.sse'
import openaiDdtraceChatCompletionStreamPromptCachingCacheRead from './corpus/openai/ddtrace-chat-completion-stream-prompt-caching-cache-read.sse'
import openaiDdtraceCompletionStreamExcludeUsage from './corpus/openai/ddtrace-completion-stream-exclude-usage.sse'
import openaiDdtraceCompletionStreamMultipleChoicesExcludeUsage from './corpus/openai/ddtrace-completion-stream-multiple-choices-exclude-usage.sse'
import openaiDdtraceCompletionStreamMultipleChoicesWithTools from './corpus/openai/ddtrace-completion-stream-multiple-choices-with-tools.sse'
import openaiDdtraceCompletionStreamMultipleChoices from './corpus/openai/ddtrace-completion-stream-multiple-choices.sse'
import openaiDdtraceCompletionStreamWithTools from './corpus/openai/ddtrace-completion-stream-with-tools.sse'
import openaiDdtraceCompletionStream from './corpus/openai/ddtrace-completion-stream.sse'
import openaiDdtraceLlamaIndexCompleteStream from './corpus/openai/ddtrace-llama-index-complete-stream.sse'
import openaiDdtraceOpenaiChatCompletionsPost573ba3c4 from './corpus/openai/ddtrace-openai-chat-completions-post-573ba3c4.sse'
import openaiDdtraceOpenaiChatCompletionsPost754a7349 from './corpus/openai/ddtrace-openai-chat-completions-post-754a7349.sse'
import openaiDdtraceOpenaiChatCompletionsPost7d83634e from './corpus/openai/ddtrace-openai-chat-completions-post-7d83634e.sse'
import openaiDdtraceOpenaiChatCompletionsPostA630cfaa from './corpus/openai/ddtrace-openai-chat-completions-post-a630cfaa.sse'
import openaiDdtraceOpenaiChatCompletionsPostDdb692c6 from './corpus/openai/ddtrace-openai-chat-completions-post-ddb692c6.sse'
import openaiLlmToolUseBasic1 from './corpus/openai/llm-tool-use-basic-1.sse'
import openaiLlmToolUseBasic from './corpus/openai/llm-tool-use-basic.sse'
import openaiLogfireSyncChatCompletionsStreamVersionLatest from './corpus/openai/logfire-sync-chat-completions-stream-version-latest.sse'
import openaiOpeninferenceAgentWithRawDictMessages1 from './corpus/openai/openinference-agent-with-raw-dict-messages-1.sse'
import openaiOpeninferenceAgentWithRawDictMessages from './corpus/openai/openinference-agent-with-raw-dict-messages.sse'
import openaiOpeninferenceAssistantagentTestAgentRun1 from './corpus/openai/openinference-assistantagent-test-agent-run-1.sse'
import openaiOpeninferenceAssistantagentTestAgentRun from './corpus/openai/openinference-assistantagent-test-agent-run.sse'
import openaiOpeninferenceRecordsTokenCountsForStreamingOpenaiLlm from './corpus/openai/openinference-records-token-counts-for-streaming-openai-llm.sse'
import openaiOpeninferenceStreaming from './corpus/openai/openinference-streaming.sse'
import openaiOpeninferenceTracerllmdecoratorTestAsyncWithCustomAttributes from './corpus/openai/openinference-tracerllmdecorator-test-async-with-custom-attributes.sse'
import openaiOpenllmetryAgentArunStreamingWithTools from './corpus/openai/openllmetry-agent-arun-streaming-with-tools.sse'
import openaiOpenllmetryAgentArunStreaming from './corpus/openai/openllmetry-agent-arun-streaming.sse'
import openaiOpenllmetryAgents2 from './corpus/openai/openllmetry-agents-2.sse'
import openaiOpenllmetryAgents9 from './corpus/openai/openllmetry-agents-9.sse'
import openaiOpenllmetryAgentsWithEventsWithContent14 from './corpus/openai/openllmetry-agents-with-events-with-content-14.sse'
import openaiOpenllmetryAgentsWithEventsWithContent9 from './corpus/openai/openllmetry-agents-with-events-with-content-9.sse'
import openaiOpenllmetryAsyncInvoke from './corpus/openai/openllmetry-async-invoke.sse'
import openaiOpenllmetryChatAsyncStreaming2 from './corpus/openai/openllmetry-chat-async-streaming-2.sse'
import openaiOpenllmetryChatAsyncStreamingWithEventsWithContent2 from './corpus/openai/openllmetry-chat-async-streaming-with-events-with-content-2.sse'
import openaiOpenllmetryChatAsyncStreaming from './corpus/openai/openllmetry-chat-async-streaming.sse'
import openaiOpenllmetryChatStreamingExceptionDuringConsumption from './corpus/openai/openllmetry-chat-streaming-exception-during-consumption.sse'
import openaiOpenllmetryChatStreamingPartialConsumption1 from './corpus/openai/openllmetry-chat-streaming-partial-consumption-1.sse'
import openaiOpenllmetryChatStreamingWithEventsWithNoContent1 from './corpus/openai/openllmetry-chat-streaming-with-events-with-no-content-1.sse'
import openaiOpenllmetryChatToolsAsyncStreaming from './corpus/openai/openllmetry-chat-tools-async-streaming.sse'
import openaiOpenllmetryChatcompletionsfinishreasonsTestFinishReasons1 from './corpus/openai/openllmetry-chatcompletionsfinishreasons-test-finish-reasons-1.sse'
import openaiOpenllmetryChatcompletionsfinishreasonsTestFinishReasons from './corpus/openai/openllmetry-chatcompletionsfinishreasons-test-finish-reasons.sse'
import openaiOpenllmetryInvoke1 from './corpus/openai/openllmetry-invoke-1.sse'
import openaiOpenllmetryInvoke from './corpus/openai/openllmetry-invoke.sse'
import openaiOpenllmetryOpenAiFunctionCallsToolsStreaming1 from './corpus/openai/openllmetry-open-ai-function-calls-tools-streaming-1.sse'
import openaiOpenllmetryOpenAiFunctionCallsToolsStreamingParallel1 from './corpus/openai/openllmetry-open-ai-function-calls-tools-streaming-parallel-1.sse'
import openaiOpenllmetryOpenAiFunctionCallsToolsStreamingParallel from './corpus/openai/openllmetry-open-ai-function-calls-tools-streaming-parallel.sse'
import openaiOpenllmetryOpenAiFunctionCallsWithEventsWithContent1 from './corpus/openai/openllmetry-open-ai-function-calls-with-events-with-content-1.sse'
import openaiOpenllmetryStreamingWorkflow from './corpus/openai/openllmetry-streaming-workflow.sse'
import openaiOtelContribAsyncChatCompletionMultipleChoicesStreaming from './corpus/openai/otel-contrib-async-chat-completion-multiple-choices-streaming.sse'
import openaiOtelContribAsyncChatCompletionMultipleStreamingNoContent from './corpus/openai/otel-contrib-async-chat-completion-multiple-streaming-no-content.sse'
import openaiOtelContribAsyncChatCompletionStreamingNotComplete from './corpus/openai/otel-contrib-async-chat-completion-streaming-not-complete.sse'
import openaiOtelContribAsyncChatCompletionStreaming from './corpus/openai/otel-contrib-async-chat-completion-streaming.sse'
import openaiOtelContribChatCompletionMultipleChoicesStreaming from './corpus/openai/otel-contrib-chat-completion-multiple-choices-streaming.sse'
import openaiOtelContribChatCompletionWithContextManagerStreaming from './corpus/openai/otel-contrib-chat-completion-with-context-manager-streaming.sse'
import openaiPydanticAiComplexAgentRun2 from './corpus/openai/pydantic-ai-complex-agent-run-2.sse'
import openaiPydanticAiComplexAgentRunInFlow1 from './corpus/openai/pydantic-ai-complex-agent-run-in-flow-1.sse'
import openaiPydanticAiComplexAgentRunInFlow from './corpus/openai/pydantic-ai-complex-agent-run-in-flow.sse'
import openaiPydanticAiComplexAgentRunInWorkflow2 from './corpus/openai/pydantic-ai-complex-agent-run-in-workflow-2.sse'
import openaiPydanticAiComplexAgentRunInWorkflow from './corpus/openai/pydantic-ai-complex-agent-run-in-workflow.sse'
import openaiPydanticAiDbosAgentIter from './corpus/openai/pydantic-ai-dbos-agent-iter.sse'
import openaiPydanticAiMultipleAgents3 from './corpus/openai/pydantic-ai-multiple-agents-3.sse'
import openaiPydanticAiOpenaiModerationStream from './corpus/openai/pydantic-ai-openai-moderation-stream.sse'
import openaiPydanticAiRunStreamSyncStreamsRealModel from './corpus/openai/pydantic-ai-run-stream-sync-streams-real-model.sse'
import openaiVercelAiOpenaiText from './corpus/openai/vercel-ai-openai-text.sse'
import openrouterLlmToolsStreamingVariantA1 from './corpus/openrouter/llm-tools-streaming-variant-a-1.sse'
import openrouterLlmToolsStreamingVariantA from './corpus/openrouter/llm-tools-streaming-variant-a.sse'
import openrouterLlmToolsStreamingVariantB from './corpus/openrouter/llm-tools-streaming-variant-b.sse'
import openrouterLlmToolsStreamingVariantC1 from './corpus/openrouter/llm-tools-streaming-variant-c-1.sse'
import openrouterLlmToolsStreamingVariantC from './corpus/openrouter/llm-tools-streaming-variant-c.sse'
import openrouterLogfireOpenrouterStreamingReasoning from './corpus/openrouter/logfire-openrouter-streaming-reasoning.sse'
import openrouterPydanticAiOpenrouterAdvisorToolStream from './corpus/openrouter/pydantic-ai-openrouter-advisor-tool-stream.sse'
import openrouterPydanticAiOpenrouterCacheStreamingE2e from './corpus/openrouter/pydantic-ai-openrouter-cache-streaming-e2e.sse'
import openrouterPydanticAiOpenrouterStreamError from './corpus/openrouter/pydantic-ai-openrouter-stream-error.sse'
import openrouterPydanticAiOpenrouterStreamWithNativeOptions from './corpus/openrouter/pydantic-ai-openrouter-stream-with-native-options.sse'
import openrouterPydanticAiOpenrouterStreamWithReasoning from './corpus/openrouter/pydantic-ai-openrouter-stream-with-reasoning.sse'
import openrouterPydanticAiOpenrouterStreamingReasoning from './corpus/openrouter/pydantic-ai-openrouter-streaming-reasoning.sse'
import openrouterPydanticAiOpenrouterWebSearchAnnotationsStream from './corpus/openrouter/pydantic-ai-openrouter-web-search-annotations-stream.sse'
import openrouterPydanticAiOpenrouterWebSearchToolUsageStream from './corpus/openrouter/pydantic-ai-openrouter-web-search-tool-usage-stream.sse'
import perplexityVercelAiPerplexityCitations from './corpus/perplexity/vercel-ai-perplexity-citations.sse'
import perplexityVercelAiPerplexityText from './corpus/perplexity/vercel-ai-perplexity-text.sse'
import snowflakePydanticAiSnowflakeModelStreaming from './corpus/snowflake/pydantic-ai-snowflake-model-streaming.sse'
import snowflakePydanticAiSnowflakeThinkingStreaming from './corpus/snowflake/pydantic-ai-snowflake-thinking-streaming.sse'
import togetherOpeninferenceAsyncChatStream from './corpus/together/openinference-async-chat-stream.sse'
import togetherOpeninferenceChatStream from './corpus/together/openinference-chat-stream.sse'
import vllmOpenllmetryTracePropagationStreamAsyncChatopenai from './corpus/vllm/openllmetry-trace-propagation-stream-async-chatopenai.sse'
import vllmOpenllmetryTracePropagationStreamChatopenai from './corpus/vllm/openllmetry-trace-propagation-stream-chatopenai.sse'
import writerOpenllmetryWriterAsyncStreamingChatCallRequestsLegacy from './corpus/writer/openllmetry-writer-async-streaming-chat-call-requests-legacy.sse'
import writerOpenllmetryWriterAsyncStreamingChatLegacy from './corpus/writer/openllmetry-writer-async-streaming-chat-legacy.sse'
import writerOpenllmetryWriterAsyncStreamingChatMultipleChoicesLegacy from './corpus/writer/openllmetry-writer-async-streaming-chat-multiple-choices-legacy.sse'
import writerOpenllmetryWriterAsyncStreamingChatToolCallRequestLegacy from './corpus/writer/openllmetry-writer-async-streaming-chat-tool-call-request-legacy.sse'
import writerOpenllmetryWriterAsyncStreamingChatToolCallsLegacy from './corpus/writer/openllmetry-writer-async-streaming-chat-tool-calls-legacy.sse'
import xaiVercelAiOpenaiCompatibleXaiText from './corpus/xai/vercel-ai-openai-compatible-xai-text.sse'
import xaiVercelAiOpenaiCompatibleXaiToolCall from './corpus/xai/vercel-ai-openai-compatible-xai-tool-call.sse'
import xaiVercelAiXaiText from './corpus/xai/vercel-ai-xai-text.sse'
import xaiVercelAiXaiToolCall from './corpus/xai/vercel-ai-xai-tool-call.sse'
import zaiPydanticAiZaiThinkingStream from './corpus/zai/pydantic-ai-zai-thinking-stream.sse'

/** Each capture's text, by its path under corpus/. */
const CAPTURES: Record<string, string> = {
  'alibaba/vercel-ai-alibaba-reasoning.sse': alibabaVercelAiAlibabaReasoning,
  'alibaba/vercel-ai-alibaba-text.sse': alibabaVercelAiAlibabaText,
  'alibaba/vercel-ai-alibaba-tool-call.sse': alibabaVercelAiAlibabaToolCall,
  'azure/crewai-azure-async-streaming-returns-usage-metrics.sse': azureCrewaiAzureAsyncStreamingReturnsUsageMetrics,
  'azure/crewai-azure-streaming-completion.sse': azureCrewaiAzureStreamingCompletion,
  'azure/crewai-azuretoolcallstreaming-test-azure-tool-call-events.sse':
    azureCrewaiAzuretoolcallstreamingTestAzureToolCallEvents,
  'azure/ddtrace-azure-chat-completion-streamed.sse': azureDdtraceAzureChatCompletionStreamed,
  'azure/ddtrace-completion-azure-stream.sse': azureDdtraceCompletionAzureStream,
  'azure/openllmetry-chat-async-streaming-1.sse': azureOpenllmetryChatAsyncStreaming1,
  'azure/openllmetry-chat-async-streaming-2.sse': azureOpenllmetryChatAsyncStreaming2,
  'azure/openllmetry-chat-async-streaming-3.sse': azureOpenllmetryChatAsyncStreaming3,
  'azure/openllmetry-chat-async-streaming-with-events-with-content-1.sse':
    azureOpenllmetryChatAsyncStreamingWithEventsWithContent1,
  'azure/openllmetry-chat-async-streaming-with-events-with-content-3.sse':
    azureOpenllmetryChatAsyncStreamingWithEventsWithContent3,
  'azure/openllmetry-chat-async-streaming-with-events-with-no-content-1.sse':
    azureOpenllmetryChatAsyncStreamingWithEventsWithNoContent1,
  'azure/openllmetry-chat-async-streaming-with-events-with-no-content-2.sse':
    azureOpenllmetryChatAsyncStreamingWithEventsWithNoContent2,
  'azure/openllmetry-chat-async-streaming-with-events-with-no-content-3.sse':
    azureOpenllmetryChatAsyncStreamingWithEventsWithNoContent3,
  'azure/openllmetry-chat-streaming-1.sse': azureOpenllmetryChatStreaming1,
  'azure/openllmetry-chat-streaming-2.sse': azureOpenllmetryChatStreaming2,
  'azure/openllmetry-chat-streaming-3.sse': azureOpenllmetryChatStreaming3,
  'azure/openllmetry-chat-streaming-with-events-with-content-1.sse':
    azureOpenllmetryChatStreamingWithEventsWithContent1,
  'azure/openllmetry-chat-streaming-with-events-with-content-2.sse':
    azureOpenllmetryChatStreamingWithEventsWithContent2,
  'azure/openllmetry-chat-streaming-with-events-with-no-content-2.sse':
    azureOpenllmetryChatStreamingWithEventsWithNoContent2,
  'azure/openllmetry-chat-streaming-with-events-with-no-content-3.sse':
    azureOpenllmetryChatStreamingWithEventsWithNoContent3,
  'azure/openllmetry-chat-streaming.sse': azureOpenllmetryChatStreaming,
  'azure/vercel-ai-openai-azure-model-router-1.sse': azureVercelAiOpenaiAzureModelRouter1,
  'cerebras/vercel-ai-cerebras-cererebras-structured-output-tools-1.sse':
    cerebrasVercelAiCerebrasCererebrasStructuredOutputTools1,
  'crusoe/pydantic-ai-crusoe-model-streaming.sse': crusoePydanticAiCrusoeModelStreaming,
  'deepseek/ddtrace-deepseek-streamed-cumulative-tokens.sse': deepseekDdtraceDeepseekStreamedCumulativeTokens,
  'deepseek/ddtrace-deepseek-streamed-reasoning-content.sse': deepseekDdtraceDeepseekStreamedReasoningContent,
  'deepseek/openllmetry-chat-streaming-metrics.sse': deepseekOpenllmetryChatStreamingMetrics,
  'deepseek/openllmetry-streaming-with-api-usage-capture.sse': deepseekOpenllmetryStreamingWithApiUsageCapture,
  'deepseek/pydantic-ai-deepseek-model-thinking-stream.sse': deepseekPydanticAiDeepseekModelThinkingStream,
  'deepseek/vercel-ai-deepseek-reasoning.sse': deepseekVercelAiDeepseekReasoning,
  'deepseek/vercel-ai-deepseek-text.sse': deepseekVercelAiDeepseekText,
  'deepseek/vercel-ai-deepseek-tool-call.sse': deepseekVercelAiDeepseekToolCall,
  'groq/openinference-tokencounts-test-groq.sse': groqOpeninferenceTokencountsTestGroq,
  'groq/openllmetry-chat-streaming-legacy.sse': groqOpenllmetryChatStreamingLegacy,
  'groq/pydantic-ai-groq-model-web-search-tool-stream.sse': groqPydanticAiGroqModelWebSearchToolStream,
  'groq/pydantic-ai-tool-use-failed-error-streaming-1.sse': groqPydanticAiToolUseFailedErrorStreaming1,
  'groq/pydantic-ai-tool-use-failed-error-streaming-2.sse': groqPydanticAiToolUseFailedErrorStreaming2,
  'groq/pydantic-ai-tool-use-failed-error-streaming-with-text-1.sse':
    groqPydanticAiToolUseFailedErrorStreamingWithText1,
  'groq/pydantic-ai-tool-use-failed-error-streaming-with-text.sse': groqPydanticAiToolUseFailedErrorStreamingWithText,
  'groq/pydantic-ai-tool-use-failed-error-streaming.sse': groqPydanticAiToolUseFailedErrorStreaming,
  'groq/vercel-ai-groq-tool-call.sse': groqVercelAiGroqToolCall,
  'huggingface/pydantic-ai-cancel-recorded-provider-stream-huggingface-1.sse':
    huggingfacePydanticAiCancelRecordedProviderStreamHuggingface1,
  'litellm-proxy/ddtrace-completion-stream-multiple-choices-proxy.sse':
    litellmProxyDdtraceCompletionStreamMultipleChoicesProxy,
  'litellm-proxy/ddtrace-completion-stream-proxy.sse': litellmProxyDdtraceCompletionStreamProxy,
  'mistral/ddtrace-mistral-v1-chat-completions-post-1798d156.sse': mistralDdtraceMistralV1ChatCompletionsPost1798d156,
  'mistral/ddtrace-mistral-v1-chat-completions-post-7dbf2fa3.sse': mistralDdtraceMistralV1ChatCompletionsPost7dbf2fa3,
  'mistral/ddtrace-mistral-v1-chat-completions-post-ccfa08da.sse': mistralDdtraceMistralV1ChatCompletionsPostCcfa08da,
  'mistral/openinference-asynchronous-streaming-chat-expected-span-false.sse':
    mistralOpeninferenceAsynchronousStreamingChatExpectedSpanFalse,
  'mistral/openinference-asynchronous-streaming-chat-expected-span-true.sse':
    mistralOpeninferenceAsynchronousStreamingChatExpectedSpanTrue,
  'mistral/openinference-synchronous-streaming-chat-expected-span-false.sse':
    mistralOpeninferenceSynchronousStreamingChatExpectedSpanFalse,
  'mistral/openinference-synchronous-streaming-chat-expected-span-true.sse':
    mistralOpeninferenceSynchronousStreamingChatExpectedSpanTrue,
  'mistral/openinference-synchronous-streaming-chat-expected-spans-false.sse':
    mistralOpeninferenceSynchronousStreamingChatExpectedSpansFalse,
  'mistral/openinference-synchronous-streaming-chat-expected-spans-true.sse':
    mistralOpeninferenceSynchronousStreamingChatExpectedSpansTrue,
  'mistral/openllmetry-mistralai-async-streaming-chat-events-with-content.sse':
    mistralOpenllmetryMistralaiAsyncStreamingChatEventsWithContent,
  'mistral/openllmetry-mistralai-async-streaming-chat-legacy.sse': mistralOpenllmetryMistralaiAsyncStreamingChatLegacy,
  'mistral/openllmetry-mistralai-async-streaming-chat-with-no-content.sse':
    mistralOpenllmetryMistralaiAsyncStreamingChatWithNoContent,
  'mistral/openllmetry-mistralai-streaming-chat-with-events-with-content.sse':
    mistralOpenllmetryMistralaiStreamingChatWithEventsWithContent,
  'mistral/openllmetry-mistralai-streaming-chat-with-events-with-no-content.sse':
    mistralOpenllmetryMistralaiStreamingChatWithEventsWithNoContent,
  'mistral/pydantic-ai-mistral-model-thinking-part-iter.sse': mistralPydanticAiMistralModelThinkingPartIter,
  'mistral/vercel-ai-mistral-incremental-tool-call.sse': mistralVercelAiMistralIncrementalToolCall,
  'mistral/vercel-ai-mistral-reasoning.sse': mistralVercelAiMistralReasoning,
  'mistral/vercel-ai-mistral-text.sse': mistralVercelAiMistralText,
  'mistral/vercel-ai-mistral-tool-call.sse': mistralVercelAiMistralToolCall,
  'openai/crewai-crew-kickoff-streaming-usage-metrics-1.sse': openaiCrewaiCrewKickoffStreamingUsageMetrics1,
  'openai/crewai-crew-kickoff-streaming-usage-metrics-6.sse': openaiCrewaiCrewKickoffStreamingUsageMetrics6,
  'openai/crewai-handle-streaming-tool-calls-no-tools.sse': openaiCrewaiHandleStreamingToolCallsNoTools,
  'openai/crewai-litellm-async-streaming-with-parameters.sse': openaiCrewaiLitellmAsyncStreamingWithParameters,
  'openai/crewai-litellm-async-streaming.sse': openaiCrewaiLitellmAsyncStreaming,
  'openai/crewai-llm-emits-stream-chunk-events.sse': openaiCrewaiLlmEmitsStreamChunkEvents,
  'openai/crewai-mixedstreamingevents-test-streaming-and-tool-calls.sse':
    openaiCrewaiMixedstreamingeventsTestStreamingAndToolCalls,
  'openai/crewai-openai-async-streaming-returns-usage-metrics.sse': openaiCrewaiOpenaiAsyncStreamingReturnsUsageMetrics,
  'openai/crewai-openai-streaming-cached-prompt-tokens-1.sse': openaiCrewaiOpenaiStreamingCachedPromptTokens1,
  'openai/crewai-openai-streaming-cached-prompt-tokens.sse': openaiCrewaiOpenaiStreamingCachedPromptTokens,
  'openai/crewai-stream-llm-emits-event-with-task-and-agent-info.sse':
    openaiCrewaiStreamLlmEmitsEventWithTaskAndAgentInfo,
  'openai/crewai-streaming-chunks-share-call-id-with-call.sse': openaiCrewaiStreamingChunksShareCallIdWithCall,
  'openai/crewai-usage-info-streaming-with-acall.sse': openaiCrewaiUsageInfoStreamingWithAcall,
  'openai/ddtrace-agent-run-stream-structured-with-tool-1.sse': openaiDdtraceAgentRunStreamStructuredWithTool1,
  'openai/ddtrace-agent-run-stream-with-tools-1.sse': openaiDdtraceAgentRunStreamWithTools1,
  'openai/ddtrace-agent-run-stream-with-tools.sse': openaiDdtraceAgentRunStreamWithTools,
  'openai/ddtrace-chat-completion-stream-prompt-caching-cache-read.sse':
    openaiDdtraceChatCompletionStreamPromptCachingCacheRead,
  'openai/ddtrace-completion-stream-exclude-usage.sse': openaiDdtraceCompletionStreamExcludeUsage,
  'openai/ddtrace-completion-stream-multiple-choices-exclude-usage.sse':
    openaiDdtraceCompletionStreamMultipleChoicesExcludeUsage,
  'openai/ddtrace-completion-stream-multiple-choices-with-tools.sse':
    openaiDdtraceCompletionStreamMultipleChoicesWithTools,
  'openai/ddtrace-completion-stream-multiple-choices.sse': openaiDdtraceCompletionStreamMultipleChoices,
  'openai/ddtrace-completion-stream-with-tools.sse': openaiDdtraceCompletionStreamWithTools,
  'openai/ddtrace-completion-stream.sse': openaiDdtraceCompletionStream,
  'openai/ddtrace-llama-index-complete-stream.sse': openaiDdtraceLlamaIndexCompleteStream,
  'openai/ddtrace-openai-chat-completions-post-573ba3c4.sse': openaiDdtraceOpenaiChatCompletionsPost573ba3c4,
  'openai/ddtrace-openai-chat-completions-post-754a7349.sse': openaiDdtraceOpenaiChatCompletionsPost754a7349,
  'openai/ddtrace-openai-chat-completions-post-7d83634e.sse': openaiDdtraceOpenaiChatCompletionsPost7d83634e,
  'openai/ddtrace-openai-chat-completions-post-a630cfaa.sse': openaiDdtraceOpenaiChatCompletionsPostA630cfaa,
  'openai/ddtrace-openai-chat-completions-post-ddb692c6.sse': openaiDdtraceOpenaiChatCompletionsPostDdb692c6,
  'openai/llm-tool-use-basic-1.sse': openaiLlmToolUseBasic1,
  'openai/llm-tool-use-basic.sse': openaiLlmToolUseBasic,
  'openai/logfire-sync-chat-completions-stream-version-latest.sse': openaiLogfireSyncChatCompletionsStreamVersionLatest,
  'openai/openinference-agent-with-raw-dict-messages-1.sse': openaiOpeninferenceAgentWithRawDictMessages1,
  'openai/openinference-agent-with-raw-dict-messages.sse': openaiOpeninferenceAgentWithRawDictMessages,
  'openai/openinference-assistantagent-test-agent-run-1.sse': openaiOpeninferenceAssistantagentTestAgentRun1,
  'openai/openinference-assistantagent-test-agent-run.sse': openaiOpeninferenceAssistantagentTestAgentRun,
  'openai/openinference-records-token-counts-for-streaming-openai-llm.sse':
    openaiOpeninferenceRecordsTokenCountsForStreamingOpenaiLlm,
  'openai/openinference-streaming.sse': openaiOpeninferenceStreaming,
  'openai/openinference-tracerllmdecorator-test-async-with-custom-attributes.sse':
    openaiOpeninferenceTracerllmdecoratorTestAsyncWithCustomAttributes,
  'openai/openllmetry-agent-arun-streaming-with-tools.sse': openaiOpenllmetryAgentArunStreamingWithTools,
  'openai/openllmetry-agent-arun-streaming.sse': openaiOpenllmetryAgentArunStreaming,
  'openai/openllmetry-agents-2.sse': openaiOpenllmetryAgents2,
  'openai/openllmetry-agents-9.sse': openaiOpenllmetryAgents9,
  'openai/openllmetry-agents-with-events-with-content-14.sse': openaiOpenllmetryAgentsWithEventsWithContent14,
  'openai/openllmetry-agents-with-events-with-content-9.sse': openaiOpenllmetryAgentsWithEventsWithContent9,
  'openai/openllmetry-async-invoke.sse': openaiOpenllmetryAsyncInvoke,
  'openai/openllmetry-chat-async-streaming-2.sse': openaiOpenllmetryChatAsyncStreaming2,
  'openai/openllmetry-chat-async-streaming-with-events-with-content-2.sse':
    openaiOpenllmetryChatAsyncStreamingWithEventsWithContent2,
  'openai/openllmetry-chat-async-streaming.sse': openaiOpenllmetryChatAsyncStreaming,
  'openai/openllmetry-chat-streaming-exception-during-consumption.sse':
    openaiOpenllmetryChatStreamingExceptionDuringConsumption,
  'openai/openllmetry-chat-streaming-partial-consumption-1.sse': openaiOpenllmetryChatStreamingPartialConsumption1,
  'openai/openllmetry-chat-streaming-with-events-with-no-content-1.sse':
    openaiOpenllmetryChatStreamingWithEventsWithNoContent1,
  'openai/openllmetry-chat-tools-async-streaming.sse': openaiOpenllmetryChatToolsAsyncStreaming,
  'openai/openllmetry-chatcompletionsfinishreasons-test-finish-reasons-1.sse':
    openaiOpenllmetryChatcompletionsfinishreasonsTestFinishReasons1,
  'openai/openllmetry-chatcompletionsfinishreasons-test-finish-reasons.sse':
    openaiOpenllmetryChatcompletionsfinishreasonsTestFinishReasons,
  'openai/openllmetry-invoke-1.sse': openaiOpenllmetryInvoke1,
  'openai/openllmetry-invoke.sse': openaiOpenllmetryInvoke,
  'openai/openllmetry-open-ai-function-calls-tools-streaming-1.sse':
    openaiOpenllmetryOpenAiFunctionCallsToolsStreaming1,
  'openai/openllmetry-open-ai-function-calls-tools-streaming-parallel-1.sse':
    openaiOpenllmetryOpenAiFunctionCallsToolsStreamingParallel1,
  'openai/openllmetry-open-ai-function-calls-tools-streaming-parallel.sse':
    openaiOpenllmetryOpenAiFunctionCallsToolsStreamingParallel,
  'openai/openllmetry-open-ai-function-calls-with-events-with-content-1.sse':
    openaiOpenllmetryOpenAiFunctionCallsWithEventsWithContent1,
  'openai/openllmetry-streaming-workflow.sse': openaiOpenllmetryStreamingWorkflow,
  'openai/otel-contrib-async-chat-completion-multiple-choices-streaming.sse':
    openaiOtelContribAsyncChatCompletionMultipleChoicesStreaming,
  'openai/otel-contrib-async-chat-completion-multiple-streaming-no-content.sse':
    openaiOtelContribAsyncChatCompletionMultipleStreamingNoContent,
  'openai/otel-contrib-async-chat-completion-streaming-not-complete.sse':
    openaiOtelContribAsyncChatCompletionStreamingNotComplete,
  'openai/otel-contrib-async-chat-completion-streaming.sse': openaiOtelContribAsyncChatCompletionStreaming,
  'openai/otel-contrib-chat-completion-multiple-choices-streaming.sse':
    openaiOtelContribChatCompletionMultipleChoicesStreaming,
  'openai/otel-contrib-chat-completion-with-context-manager-streaming.sse':
    openaiOtelContribChatCompletionWithContextManagerStreaming,
  'openai/pydantic-ai-complex-agent-run-2.sse': openaiPydanticAiComplexAgentRun2,
  'openai/pydantic-ai-complex-agent-run-in-flow-1.sse': openaiPydanticAiComplexAgentRunInFlow1,
  'openai/pydantic-ai-complex-agent-run-in-flow.sse': openaiPydanticAiComplexAgentRunInFlow,
  'openai/pydantic-ai-complex-agent-run-in-workflow-2.sse': openaiPydanticAiComplexAgentRunInWorkflow2,
  'openai/pydantic-ai-complex-agent-run-in-workflow.sse': openaiPydanticAiComplexAgentRunInWorkflow,
  'openai/pydantic-ai-dbos-agent-iter.sse': openaiPydanticAiDbosAgentIter,
  'openai/pydantic-ai-multiple-agents-3.sse': openaiPydanticAiMultipleAgents3,
  'openai/pydantic-ai-openai-moderation-stream.sse': openaiPydanticAiOpenaiModerationStream,
  'openai/pydantic-ai-run-stream-sync-streams-real-model.sse': openaiPydanticAiRunStreamSyncStreamsRealModel,
  'openai/vercel-ai-openai-text.sse': openaiVercelAiOpenaiText,
  'openrouter/llm-tools-streaming-variant-a-1.sse': openrouterLlmToolsStreamingVariantA1,
  'openrouter/llm-tools-streaming-variant-a.sse': openrouterLlmToolsStreamingVariantA,
  'openrouter/llm-tools-streaming-variant-b.sse': openrouterLlmToolsStreamingVariantB,
  'openrouter/llm-tools-streaming-variant-c-1.sse': openrouterLlmToolsStreamingVariantC1,
  'openrouter/llm-tools-streaming-variant-c.sse': openrouterLlmToolsStreamingVariantC,
  'openrouter/logfire-openrouter-streaming-reasoning.sse': openrouterLogfireOpenrouterStreamingReasoning,
  'openrouter/pydantic-ai-openrouter-advisor-tool-stream.sse': openrouterPydanticAiOpenrouterAdvisorToolStream,
  'openrouter/pydantic-ai-openrouter-cache-streaming-e2e.sse': openrouterPydanticAiOpenrouterCacheStreamingE2e,
  'openrouter/pydantic-ai-openrouter-stream-error.sse': openrouterPydanticAiOpenrouterStreamError,
  'openrouter/pydantic-ai-openrouter-stream-with-native-options.sse':
    openrouterPydanticAiOpenrouterStreamWithNativeOptions,
  'openrouter/pydantic-ai-openrouter-stream-with-reasoning.sse': openrouterPydanticAiOpenrouterStreamWithReasoning,
  'openrouter/pydantic-ai-openrouter-streaming-reasoning.sse': openrouterPydanticAiOpenrouterStreamingReasoning,
  'openrouter/pydantic-ai-openrouter-web-search-annotations-stream.sse':
    openrouterPydanticAiOpenrouterWebSearchAnnotationsStream,
  'openrouter/pydantic-ai-openrouter-web-search-tool-usage-stream.sse':
    openrouterPydanticAiOpenrouterWebSearchToolUsageStream,
  'perplexity/vercel-ai-perplexity-citations.sse': perplexityVercelAiPerplexityCitations,
  'perplexity/vercel-ai-perplexity-text.sse': perplexityVercelAiPerplexityText,
  'snowflake/pydantic-ai-snowflake-model-streaming.sse': snowflakePydanticAiSnowflakeModelStreaming,
  'snowflake/pydantic-ai-snowflake-thinking-streaming.sse': snowflakePydanticAiSnowflakeThinkingStreaming,
  'together/openinference-async-chat-stream.sse': togetherOpeninferenceAsyncChatStream,
  'together/openinference-chat-stream.sse': togetherOpeninferenceChatStream,
  'vllm/openllmetry-trace-propagation-stream-async-chatopenai.sse':
    vllmOpenllmetryTracePropagationStreamAsyncChatopenai,
  'vllm/openllmetry-trace-propagation-stream-chatopenai.sse': vllmOpenllmetryTracePropagationStreamChatopenai,
  'writer/openllmetry-writer-async-streaming-chat-call-requests-legacy.sse':
    writerOpenllmetryWriterAsyncStreamingChatCallRequestsLegacy,
  'writer/openllmetry-writer-async-streaming-chat-legacy.sse': writerOpenllmetryWriterAsyncStreamingChatLegacy,
  'writer/openllmetry-writer-async-streaming-chat-multiple-choices-legacy.sse':
    writerOpenllmetryWriterAsyncStreamingChatMultipleChoicesLegacy,
  'writer/openllmetry-writer-async-streaming-chat-tool-call-request-legacy.sse':
    writerOpenllmetryWriterAsyncStreamingChatToolCallRequestLegacy,
  'writer/openllmetry-writer-async-streaming-chat-tool-calls-legacy.sse':
    writerOpenllmetryWriterAsyncStreamingChatToolCallsLegacy,
  'xai/vercel-ai-openai-compatible-xai-text.sse': xaiVercelAiOpenaiCompatibleXaiText,
  'xai/vercel-ai-openai-compatible-xai-tool-call.sse': xaiVercelAiOpenaiCompatibleXaiToolCall,
  'xai/vercel-ai-xai-text.sse': xaiVercelAiXaiText,
  'xai/vercel-ai-xai-tool-call.sse': xaiVercelAiXaiToolCall,
  'zai/pydantic-ai-zai-thinking-stream.sse': zaiPydanticAiZaiThinkingStream,
}

/** How a capture's two answers compare. */
interface Verdict {
  /** sluice's `outcome.status`, and the error `completion()` rejected with, if any. */
  sluice: string
  /** `ok`, or the class and first line of the error the SDK threw (`TypeError` alone: its message depends on the engine). */
  sdk: string
  /** The compared fields that differ: `choices[i].content`, `choices[i].tool_calls`, `choices[i].finish_reason`, `choices[i]` (only one side has it), `usage`. */
  differs: string[]
}

interface KnownDifference {
  verdict: Verdict
  /** Quirk codes sluice reports for what makes the difference (its evidence). */
  quirks: string[]
  /** Who is right, and why. */
  reason: string
}

const AGREE: Verdict = { sluice: 'complete', sdk: 'ok', differs: [] }

// The SDK's `ChatCompletionStream` (openai 6.30.1, lib/ChatCompletionStream.js) in short:
// `content` and `refusal` deltas are appended with `+` when truthy; a chunk's top-level
// fields are `Object.assign`ed onto the snapshot and a choice's fields other than `delta`,
// `finish_reason`, `index` and `logprobs` onto the choice; tool-call fragments go to
// `tool_calls[fragment.index]`, whatever its id; `finalChatCompletion()` throws when a choice
// has no `finish_reason` or no `role`; an `error` event or a chunk with an `error` member
// rejects with an `APIError`.

const SDK_NEEDS_A_FINISH_REASON =
  "The provider never sent a finish_reason for this choice, but the stream ended properly (data: [DONE]). The SDK's finalChatCompletion() throws 'missing finish_reason' and gives nothing; everything it had assembled agrees with sluice. sluice gives the completion with finish_reason null (its outcome records the choice's finish reason as null), which is what was sent: the right answer for a stream that did end."
const SDK_NEEDS_A_ROLE =
  "The provider never sent delta.role for this choice. The SDK's finalChatCompletion() throws 'missing role' and gives nothing; everything it had assembled agrees with sluice. sluice assembles the message as 'assistant' (the only role a completion's message has) and reports the quirk missing-role."
const SDK_JOINS_CONTENT_PARTS =
  "Mistral sends delta.content as an array of parts ({type:'thinking', thinking:[…]}, {type:'text', text}). The SDK appends each array to the content string with +, which makes '[object Object]' of every part. sluice joins the text parts into content and the thinking parts into reasoning_content (quirk content-parts): the content the model wrote."
const SDK_NEEDS_A_TOOL_CALL_INDEX =
  'Mistral sends its tool call whole in one fragment without an index (and without type). The SDK stores it at tool_calls[undefined], a property the array does not count, so its completion has no tool call at all. sluice assembles the call (quirk missing-tool-call-index): the call the model made.'
const SDK_TAKES_WRITERS_MESSAGE =
  "Writer's chunks carry, beside each choice's delta, a `message` object holding only that chunk's piece. The SDK Object.assigns every choice field it does not know onto its choice, so each chunk's `message` replaces the message it was assembling: its content ends as the last chunk's (null)"

const KNOWN_DIFFERENCES: Record<string, KnownDifference> = {
  'azure/ddtrace-azure-chat-completion-streamed.sse': {
    verdict: { sluice: 'complete', sdk: 'TypeError', differs: ['choices[0].content', 'choices[0].finish_reason'] },
    quirks: ['missing-role'],
    reason:
      "Azure sends a choice with content_filter_results but no delta, and never a role. The SDK reads choice.delta.content of that chunk and fails with a TypeError (wrapped in an OpenAIError) before the first word. sluice treats a choice without delta as an empty delta, assembles the whole answer and finish_reason 'stop', and reports missing-role.",
  },
  'cerebras/vercel-ai-cerebras-cererebras-structured-output-tools-1.sse': {
    verdict: { sluice: 'complete', sdk: 'ok', differs: ['choices[0].tool_calls'] },
    quirks: ['reused-tool-call-index'],
    reason:
      "Cerebras sends two parallel calls, both at tool-call index 0, each with its own id. The SDK merges them into one call with the second id and arguments '{}{}' (not JSON). sluice starts a new call when an index comes again with a new id (quirk reused-tool-call-index): two calls with arguments '{}' each, as the model made them.",
  },
  'groq/pydantic-ai-groq-model-web-search-tool-stream.sse': {
    verdict: { sluice: 'complete', sdk: 'OpenAIError: missing role for choice 0', differs: [] },
    quirks: ['missing-role'],
    reason: `Groq compound. ${SDK_NEEDS_A_ROLE}`,
  },
  'litellm-proxy/ddtrace-completion-stream-multiple-choices-proxy.sse': {
    verdict: { sluice: 'complete', sdk: 'OpenAIError: missing finish_reason for choice 1', differs: [] },
    quirks: [],
    reason: `LiteLLM proxy, n=2: choice 1 never gets its finish_reason (choice 0 does). ${SDK_NEEDS_A_FINISH_REASON}`,
  },
  'mistral/ddtrace-mistral-v1-chat-completions-post-ccfa08da.sse': {
    verdict: { sluice: 'complete', sdk: 'ok', differs: ['choices[0].content'] },
    quirks: ['content-parts'],
    reason: SDK_JOINS_CONTENT_PARTS,
  },
  'mistral/openinference-synchronous-streaming-chat-expected-spans-false.sse': {
    verdict: { sluice: 'complete', sdk: 'ok', differs: ['choices[0].tool_calls'] },
    quirks: ['missing-tool-call-index'],
    reason: SDK_NEEDS_A_TOOL_CALL_INDEX,
  },
  'mistral/openinference-synchronous-streaming-chat-expected-spans-true.sse': {
    verdict: { sluice: 'complete', sdk: 'ok', differs: ['choices[0].tool_calls'] },
    quirks: ['missing-tool-call-index'],
    reason: SDK_NEEDS_A_TOOL_CALL_INDEX,
  },
  'mistral/pydantic-ai-mistral-model-thinking-part-iter.sse': {
    verdict: { sluice: 'complete', sdk: 'ok', differs: ['choices[0].content'] },
    quirks: ['content-parts'],
    reason: SDK_JOINS_CONTENT_PARTS,
  },
  'mistral/vercel-ai-mistral-incremental-tool-call.sse': {
    verdict: { sluice: 'complete', sdk: 'OpenAIError: missing role for choice 0', differs: [] },
    quirks: ['missing-role'],
    reason: `Mistral API serving zai-glm-5-2. ${SDK_NEEDS_A_ROLE}`,
  },
  'mistral/vercel-ai-mistral-reasoning.sse': {
    verdict: { sluice: 'complete', sdk: 'ok', differs: ['choices[0].content'] },
    quirks: ['content-parts'],
    reason: SDK_JOINS_CONTENT_PARTS,
  },
  'mistral/vercel-ai-mistral-tool-call.sse': {
    verdict: { sluice: 'complete', sdk: 'ok', differs: ['choices[0].tool_calls'] },
    quirks: ['missing-tool-call-index'],
    reason: SDK_NEEDS_A_TOOL_CALL_INDEX,
  },
  'openai/pydantic-ai-openai-moderation-stream.sse': {
    verdict: { sluice: 'complete', sdk: 'ok', differs: ['usage'] },
    quirks: [],
    reason:
      "After the usage chunk, OpenAI sends one more chunk (the moderation results) with \"usage\": null. The SDK Object.assigns each chunk's top-level fields onto its snapshot, so that null erases the usage it had: its completion has usage null. sluice keeps the last usage sent, the one the API reported for this request; null means 'no usage in this chunk', not 'no usage'.",
  },
  'openrouter/llm-tools-streaming-variant-a.sse': {
    verdict: { sluice: 'complete', sdk: 'OpenAIError: missing finish_reason for choice 0', differs: [] },
    quirks: [],
    reason: `OpenRouter (upstream Novita). ${SDK_NEEDS_A_FINISH_REASON}`,
  },
  'openrouter/llm-tools-streaming-variant-b.sse': {
    verdict: { sluice: 'complete', sdk: 'OpenAIError: missing finish_reason for choice 0', differs: [] },
    quirks: [],
    reason: `OpenRouter (upstream Novita). ${SDK_NEEDS_A_FINISH_REASON}`,
  },
  'openrouter/llm-tools-streaming-variant-c.sse': {
    verdict: { sluice: 'error (NotEventStreamError)', sdk: 'ok', differs: ['choices[0]', 'usage'] },
    quirks: [],
    reason:
      "The body starts with ' data: {…}' (a space first: how the hand-assembled cassette's YAML folds its first line, not what OpenRouter sent). The SDK's SSE decoder reads the field ' data', ignores it as unknown, and assembles the rest (the first chunk only carried role and an empty content). sluice requires an event stream by default: the first non-blank line must be a comment or a data/event/id/retry field, so it rejects the body at line 1 (NotEventStreamError), which is how it tells an HTML or JSON error page served with 200 from a stream. By design: this body is not what any provider sends, and a caller who must accept it can pass requireEventStream: false, and then sluice assembles what the SDK does (checked below).",
  },
  'snowflake/pydantic-ai-snowflake-model-streaming.sse': {
    verdict: { sluice: 'complete', sdk: 'OpenAIError: missing finish_reason for choice 0', differs: [] },
    quirks: [],
    reason: `Snowflake Cortex. ${SDK_NEEDS_A_FINISH_REASON}`,
  },
  'snowflake/pydantic-ai-snowflake-thinking-streaming.sse': {
    verdict: { sluice: 'complete', sdk: 'OpenAIError: missing finish_reason for choice 0', differs: [] },
    quirks: [],
    reason: `Snowflake Cortex. ${SDK_NEEDS_A_FINISH_REASON}`,
  },
  'writer/openllmetry-writer-async-streaming-chat-call-requests-legacy.sse': {
    verdict: {
      sluice: 'complete',
      sdk: 'OpenAIError: no tool call snapshot',
      differs: ['choices[0].tool_calls', 'choices[0].finish_reason', 'usage'],
    },
    quirks: [],
    reason: `${SDK_TAKES_WRITERS_MESSAGE}, and with tool calls its tool-call bookkeeping no longer finds the call it was assembling: it throws 'no tool call snapshot' mid-stream. sluice assembles from the deltas only, as the stream format defines: the parallel calls with their arguments, finish_reason 'tool_calls' and the usage.`,
  },
  'writer/openllmetry-writer-async-streaming-chat-legacy.sse': {
    verdict: { sluice: 'complete', sdk: 'ok', differs: ['choices[0].content'] },
    quirks: [],
    reason: `${SDK_TAKES_WRITERS_MESSAGE}. sluice assembles from the deltas only, as the stream format defines: the whole answer.`,
  },
  'writer/openllmetry-writer-async-streaming-chat-multiple-choices-legacy.sse': {
    verdict: { sluice: 'complete', sdk: 'ok', differs: ['choices[0].content', 'choices[1].content'] },
    quirks: [],
    reason: `${SDK_TAKES_WRITERS_MESSAGE}, for both choices. sluice assembles from the deltas only, as the stream format defines: both answers.`,
  },
  'writer/openllmetry-writer-async-streaming-chat-tool-call-request-legacy.sse': {
    verdict: {
      sluice: 'complete',
      sdk: 'OpenAIError: no tool call snapshot',
      differs: ['choices[0].tool_calls', 'usage'],
    },
    quirks: [],
    reason: `${SDK_TAKES_WRITERS_MESSAGE}, and with tool calls its tool-call bookkeeping no longer finds the call it was assembling: it throws 'no tool call snapshot' mid-stream. sluice assembles from the deltas only, as the stream format defines: the call with its arguments and the usage.`,
  },
  'writer/openllmetry-writer-async-streaming-chat-tool-calls-legacy.sse': {
    verdict: { sluice: 'complete', sdk: 'ok', differs: ['choices[0].content'] },
    quirks: [],
    reason: `${SDK_TAKES_WRITERS_MESSAGE}. sluice assembles from the deltas only, as the stream format defines: the whole answer.`,
  },
}

/** Streams that end with the provider's error: sluice (ProviderError) and the SDK (APIError) both reject them with its message; what they had assembled agrees. */
const BOTH_REJECT: Record<string, string> = {
  'groq/pydantic-ai-tool-use-failed-error-streaming.sse':
    "Tool call validation failed: tool call validation failed: parameters for tool get_something_by_name did not match schema: errors: [missing properties: 'name', additionalProperties 'invalid_param' not allowed]",
  'groq/pydantic-ai-tool-use-failed-error-streaming-with-text.sse':
    'Tool choice is required, but model did not call a tool',
  'openrouter/pydantic-ai-openrouter-stream-error.sse': 'Token limit reached',
}

/** The read sizes: the whole body in one read, 4096, 64, and 1 byte (bodies under 8 KB). */
const readSizes = (length: number): number[] => [Math.max(1, length), 4096, 64, ...(length < 8192 ? [1] : [])]

const split = (input: Uint8Array, size: number): Uint8Array[] => {
  const reads: Uint8Array[] = []
  for (let offset = 0; offset < input.length; offset += size) reads.push(input.subarray(offset, offset + size))
  return reads
}

const eventStream = (text: string): Response => new Response(text, { headers: { 'content-type': 'text/event-stream' } })

/** What is compared, from sluice's completion or the SDK's (final or snapshot). */
interface Compared {
  choices: ({ content: unknown; tool_calls: unknown[]; finish_reason: unknown } | null)[]
  usage: unknown
}

interface Assembled {
  choices?: readonly (
    | {
        message?: {
          content?: unknown
          tool_calls?:
            | readonly (
                | { id?: unknown; type?: unknown; function?: { name?: unknown; arguments?: unknown } }
                | undefined
              )[]
            | null
        }
        finish_reason?: unknown
      }
    | undefined
  )[]
  usage?: unknown
}

function compared(completion: Assembled | null | undefined): Compared {
  return {
    choices: Array.from(completion?.choices ?? [], (choice) =>
      choice
        ? {
            content: choice.message?.content ?? null,
            tool_calls: Array.from(choice.message?.tool_calls ?? [], (call) => ({
              id: call?.id ?? null,
              type: call?.type ?? null,
              name: call?.function?.name ?? null,
              arguments: call?.function?.arguments ?? null,
            })),
            finish_reason: choice.finish_reason ?? null,
          }
        : null,
    ),
    usage: completion?.usage ?? null,
  }
}

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b)

function differences(ours: Compared, theirs: Compared): string[] {
  const fields: string[] = []
  for (let index = 0; index < Math.max(ours.choices.length, theirs.choices.length); index++) {
    const a = ours.choices[index] ?? null
    const b = theirs.choices[index] ?? null
    if (a === null || b === null) {
      if (a !== b) fields.push(`choices[${index}]`)
      continue
    }
    for (const field of ['content', 'tool_calls', 'finish_reason'] as const)
      if (!same(a[field], b[field])) fields.push(`choices[${index}].${field}`)
  }
  if (!same(ours.usage, theirs.usage)) fields.push('usage')
  return fields
}

/** The SDK's answer: its final completion, or the error it threw and its snapshot then. */
async function sdkAnswer(text: string): Promise<{ compared: Compared; sdk: string }> {
  const client = new OpenAI({
    apiKey: 'test-key',
    baseURL: 'http://127.0.0.1:9/v1',
    dangerouslyAllowBrowser: true,
    maxRetries: 0,
    fetch: async () => eventStream(text),
  })
  const stream = client.chat.completions.stream({
    model: 'gpt-4o-mini',
    messages: [{ role: 'user', content: 'hi' }],
    stream: true,
  })
  // The SDK's snapshot after each chunk: what it had assembled when it threw, if it throws
  // (it drops its own before the final checks).
  let snapshot: Assembled | undefined
  stream.on('chunk', (_chunk, current) => {
    snapshot = current
  })
  try {
    return { compared: compared(await stream.finalChatCompletion()), sdk: 'ok' }
  } catch (error) {
    const assembled = compared(snapshot)
    // The SDK wraps an error of its own code (a TypeError on a chunk it did not expect) in an
    // OpenAIError with the same message, which differs between engines: the class is kept.
    const cause = (error as { cause?: unknown }).cause
    if (error instanceof TypeError || cause instanceof TypeError) return { compared: assembled, sdk: 'TypeError' }
    const kind =
      error instanceof APIError ? 'APIError' : error instanceof OpenAIError ? 'OpenAIError' : (error as Error).name
    return { compared: assembled, sdk: `${kind}: ${String((error as Error).message).split('\n')[0]}` }
  }
}

const captures = Object.entries(CAPTURES)

/**
 * Registers the corpus tests of one shard, `shard` of `shards` (every `shards`-th capture),
 * and runs them. The corpus is read in several test files (corpus-1-of-4.test.ts, …), so that
 * no one file runs for minutes in the slowest engine (Firefox: about 2 minutes for the
 * whole corpus on 2 cores).
 */
export function runCorpusShard(shard: number, shards: number): void {
  const test = suite(`corpus ${shard + 1} of ${shards}`)

  if (shard === 0)
    test('the manifest lists every capture, with its source, and the corpus is as large as promised', () => {
      const listed = manifest.map((entry) => entry.file)
      assert.equal([...listed].sort(), captures.map(([file]) => file).sort(), 'one manifest entry per capture')
      assert.is(new Set(listed).size, listed.length, 'no capture listed twice')
      for (const entry of manifest) {
        assert.is(entry.file.split('/')[0], entry.provider, `${entry.file}: in its provider's folder`)
        assert.match(entry.source.repository, /^[\w.-]+\/[\w.-]+$/, `${entry.file}: a repository`)
        assert.match(entry.source.commit, /^[0-9a-f]{40}$/, `${entry.file}: a commit`)
        assert.ok(
          entry.source.path.length > 0 && entry.source.license.length > 0 && entry.note.length > 0,
          `${entry.file}: a path, a license and a note`,
        )
        assert.type(entry.reframed, 'boolean')
      }
      assert.ok(captures.length >= 100, `at least 100 captures (${captures.length})`)
      assert.ok(new Set(manifest.map((entry) => entry.provider)).size >= 8, 'at least 8 providers or gateways')
      for (const file of [...Object.keys(KNOWN_DIFFERENCES), ...Object.keys(BOTH_REJECT)])
        assert.ok(file in CAPTURES, `${file}: a capture`)
    })

  for (const [index, [file, text]] of captures.entries()) {
    if (index % shards !== shard) continue
    test(file, async () => {
      const input = bytes(text)
      let model: Awaited<ReturnType<typeof checkAllPaths>> | undefined
      for (const size of readSizes(input.length)) {
        try {
          model = await checkAllPaths(input, split(input, size), 'fast', {})
        } catch (error) {
          if (error instanceof Error) error.message = `reads of ${size} bytes: ${error.message}`
          throw error
        }
      }

      const stream = chatStream(eventStream(text))
      let completion: ChatCompletion | null
      let failure = ''
      try {
        completion = await stream.completion()
      } catch (error) {
        completion = (error as { partial?: ChatCompletion | null }).partial ?? null
        failure = ` (${(error as Error).name})`
      }
      const outcome = await stream.outcome
      assert.equal(completion, model!.snapshots.at(-1) ?? null, "completion() gives the model's last snapshot")

      const theirs = await sdkAnswer(text)
      const verdict: Verdict = {
        sluice: `${outcome.status}${failure}`,
        sdk: theirs.sdk,
        differs: differences(compared(completion), theirs.compared),
      }
      const known = KNOWN_DIFFERENCES[file]
      const rejected = BOTH_REJECT[file]
      if (rejected !== undefined) {
        assert.equal(
          verdict,
          { sluice: 'error (ProviderError)', sdk: `APIError: ${rejected}`, differs: [] },
          "both reject the stream with the provider's error",
        )
        assert.ok((outcome.error as Error).message.includes(rejected), "sluice's error carries the provider's message")
      } else if (known !== undefined) {
        assert.equal(verdict, known.verdict, 'the known difference, exactly')
        const codes = new Set(outcome.quirks.map((quirk) => quirk.code))
        for (const code of known.quirks) assert.ok(codes.has(code as never), `sluice reports the quirk ${code}`)
      } else {
        assert.equal(verdict, AGREE, 'sluice and the openai SDK assemble the same completion')
      }
    })
  }

  if (shard === shards - 1)
    test('the capture sluice rejects as not an event stream, read with requireEventStream: false, assembles as the SDK does', async () => {
      const text = CAPTURES['openrouter/llm-tools-streaming-variant-c.sse']!
      const completion = await chatStream(eventStream(text), { requireEventStream: false }).completion()
      const theirs = await sdkAnswer(text)
      assert.equal(
        { sdk: theirs.sdk, differs: differences(compared(completion), theirs.compared) },
        { sdk: 'ok', differs: [] },
      )
    })

  test.run()
}
