import type {
  ChatCompletionCreateParamsNonStreaming,
  ChatCompletionCreateParamsStreaming,
} from "openai/resources/chat/completions";
import type { CallOptions, Message, ProviderId, UnsupportedParameter } from "../types";
import { convertToOpenAIMessages } from "./convert-to-openai-messages";
import { isOpenAIReasoningModel, isOpenAISearchPreviewModel } from "./openai-model-family";

export interface OpenAIRequestShape<Body> {
  body: Body;
  /** Parameters the caller set that were not sent, and why. */
  unsupported: UnsupportedParameter[];
}

const REASONING_REASON =
  "reasoning models (o1, o3, o4, gpt-5) accept only their default sampling settings";
const SEARCH_PREVIEW_REASON = "search-preview models do not accept sampling parameters";

/**
 * Shapes a chat-completions body (locus §3.1, with its gaps fixed). Only what the caller set
 * is sent; nothing is defaulted here, so the provider's own defaults apply.
 *
 * The output-token cap: OpenAI deprecated `max_tokens` and reasoning models reject it, so
 * `max_completion_tokens` is sent — except for non-reasoning models on OCI's `/openai/v1`,
 * whose non-OpenAI models (Llama, Grok, Gemini …) are documented with `max_tokens` only.
 */
export function buildOpenAIChatRequest(options: {
  provider: ProviderId;
  modelId: string;
  messages: Message[];
  callOptions: CallOptions;
  stream: true;
}): OpenAIRequestShape<ChatCompletionCreateParamsStreaming>;
export function buildOpenAIChatRequest(options: {
  provider: ProviderId;
  modelId: string;
  messages: Message[];
  callOptions: CallOptions;
  stream: false;
}): OpenAIRequestShape<ChatCompletionCreateParamsNonStreaming>;
export function buildOpenAIChatRequest({
  provider,
  modelId,
  messages,
  callOptions,
  stream,
}: {
  provider: ProviderId;
  modelId: string;
  messages: Message[];
  callOptions: CallOptions;
  stream: boolean;
}): OpenAIRequestShape<
  ChatCompletionCreateParamsStreaming | ChatCompletionCreateParamsNonStreaming
> {
  const reasoning = isOpenAIReasoningModel(modelId);
  const searchPreview = isOpenAISearchPreviewModel(modelId);
  const unsupported: UnsupportedParameter[] = [];
  const body: ChatCompletionCreateParamsNonStreaming = {
    model: modelId,
    messages: convertToOpenAIMessages(messages),
  };

  if (callOptions.maxTokens !== undefined) {
    if (provider === "oci" && !reasoning) body.max_tokens = callOptions.maxTokens;
    else body.max_completion_tokens = callOptions.maxTokens;
  }

  const samplingRefusal = reasoning
    ? REASONING_REASON
    : searchPreview
      ? SEARCH_PREVIEW_REASON
      : null;
  if (callOptions.temperature !== undefined) {
    if (samplingRefusal) unsupported.push({ parameter: "temperature", reason: samplingRefusal });
    else body.temperature = callOptions.temperature;
  }
  if (callOptions.topP !== undefined) {
    if (samplingRefusal) unsupported.push({ parameter: "topP", reason: samplingRefusal });
    else body.top_p = callOptions.topP;
  }

  // A zero penalty is the API default, so it is neither sent (Grok rejects even 0) nor reported.
  if (callOptions.frequencyPenalty !== undefined && callOptions.frequencyPenalty !== 0) {
    if (reasoning) unsupported.push({ parameter: "frequencyPenalty", reason: REASONING_REASON });
    else body.frequency_penalty = callOptions.frequencyPenalty;
  }
  if (callOptions.presencePenalty !== undefined && callOptions.presencePenalty !== 0) {
    if (reasoning) unsupported.push({ parameter: "presencePenalty", reason: REASONING_REASON });
    else body.presence_penalty = callOptions.presencePenalty;
  }

  if (callOptions.seed !== undefined) body.seed = callOptions.seed;

  if (callOptions.reasoningEffort !== undefined) {
    // Only OpenAI's reasoning models take it; other models on OCI or compatible servers 400.
    if (reasoning) body.reasoning_effort = callOptions.reasoningEffort;
    else {
      unsupported.push({
        parameter: "reasoningEffort",
        reason: "only reasoning models (o1, o3, o4, gpt-5) take reasoning_effort",
      });
    }
  }
  if (callOptions.promptCache !== undefined && callOptions.promptCache !== false) {
    const ttl = typeof callOptions.promptCache === "object" ? callOptions.promptCache.ttl : null;
    if (ttl === "1h") {
      unsupported.push({
        parameter: "promptCache",
        reason: "OpenAI caches prompts automatically; a 1-hour TTL cannot be requested",
      });
    }
  }

  if (callOptions.stop !== undefined && callOptions.stop.length > 0) {
    if (reasoning) {
      unsupported.push({
        parameter: "stop",
        reason: "reasoning models do not accept stop sequences",
      });
    } else {
      body.stop = callOptions.stop;
    }
  }

  if (callOptions.responseFormat !== undefined) body.response_format = callOptions.responseFormat;
  if (callOptions.tools !== undefined && callOptions.tools.length > 0)
    body.tools = callOptions.tools;

  if (!stream) return { body, unsupported };
  return {
    body: { ...body, stream: true, stream_options: { include_usage: true } },
    unsupported,
  };
}
