/**
 * Call options → the Messages API request body (everything but `stream`).
 *
 * The current API (version 2026-10-21) has no `temperature`, `top_p` or `top_k`: a request
 * carrying them is rejected, so they are never sent and are reported as unsupported.
 * `max_tokens` is required: the caller's value, else the model's known output limit.
 */
import type {
  CacheControlEphemeral,
  MessageCreateParamsBase,
  OutputConfig,
  Tool,
} from "@anthropic-ai/sdk/resources/messages";
import { getModelMetadata } from "../metadata";
import type { CallOptions, Message, ToolDefinition, UnsupportedParameter } from "../types";
import { anthropicReasoningControls } from "./anthropic-reasoning";
import {
  convertToAnthropicMessages,
  toAnthropicCacheControl,
} from "./convert-to-anthropic-messages";

export type AnthropicRequestBody = Omit<
  MessageCreateParamsBase,
  "stream" | "user_profile_id" | "workspace_id"
>;

/** Used when neither the call nor the model metadata gives an output limit (locus default). */
export const DEFAULT_MAX_TOKENS = 4096;

const REMOVED_SAMPLING_REASON = "not accepted by the current Anthropic API";
const NOT_OFFERED_REASON = "not offered by the Anthropic Messages API";

function toAnthropicTool(definition: ToolDefinition): Tool {
  const { name, description, parameters, strict } = definition.function;
  return {
    name,
    ...(description !== undefined ? { description } : {}),
    input_schema: toInputSchema(parameters),
    ...(strict !== undefined ? { strict } : {}),
  };
}

/**
 * The API requires an object schema. No parameters, or an empty `{}` (locus sent `{}`, which
 * the API rejects), means a tool without arguments.
 */
function toInputSchema(parameters: Record<string, unknown> | undefined): Tool.InputSchema {
  if (!parameters || Object.keys(parameters).length === 0) {
    return { type: "object", properties: {} };
  }
  return { type: "object", ...parameters } as Tool.InputSchema;
}

function promptCacheControl(promptCache: CallOptions["promptCache"]): CacheControlEphemeral | null {
  if (!promptCache) return null;
  if (promptCache === true) return { type: "ephemeral" };
  return toAnthropicCacheControl({ type: "ephemeral", ttl: promptCache.ttl });
}

function outputFormat(options: {
  responseFormat: CallOptions["responseFormat"];
  unsupported: UnsupportedParameter[];
}): OutputConfig | undefined {
  const format = options.responseFormat;
  if (!format || format.type === "text") return undefined;
  if (format.type === "json_object") {
    options.unsupported.push({
      parameter: "responseFormat",
      reason: "Anthropic has no free-form JSON mode; use a json_schema response format",
    });
    return undefined;
  }
  const schema = format.json_schema.schema;
  if (!schema) {
    options.unsupported.push({
      parameter: "responseFormat",
      reason: "Anthropic structured output needs a JSON schema; none was given",
    });
    return undefined;
  }
  return { format: { type: "json_schema", schema } };
}

export function buildAnthropicRequest(options: {
  modelId: string;
  messages: Message[];
  callOptions: CallOptions;
}): { body: AnthropicRequestBody; unsupported: UnsupportedParameter[] } {
  const { callOptions } = options;
  const unsupported: UnsupportedParameter[] = [];
  if (callOptions.temperature !== undefined) {
    unsupported.push({ parameter: "temperature", reason: REMOVED_SAMPLING_REASON });
  }
  if (callOptions.topP !== undefined) {
    unsupported.push({ parameter: "topP", reason: REMOVED_SAMPLING_REASON });
  }
  for (const parameter of ["seed", "frequencyPenalty", "presencePenalty"] as const) {
    if (callOptions[parameter] !== undefined) {
      unsupported.push({ parameter, reason: NOT_OFFERED_REASON });
    }
  }

  const cacheControl = promptCacheControl(callOptions.promptCache);
  const converted = convertToAnthropicMessages({
    messages: options.messages,
    systemCacheControl: cacheControl,
  });
  const tools = callOptions.tools?.map(toAnthropicTool);
  const lastTool = tools?.at(-1);
  if (cacheControl && lastTool) lastTool.cache_control = cacheControl;
  const maxTokens =
    callOptions.maxTokens ??
    getModelMetadata(options.modelId)?.maxOutputTokens ??
    DEFAULT_MAX_TOKENS;
  const reasoning = anthropicReasoningControls({
    modelId: options.modelId,
    effort: callOptions.reasoningEffort,
    maxTokens,
    unsupported,
  });
  const format = outputFormat({ responseFormat: callOptions.responseFormat, unsupported });
  const output: OutputConfig | undefined =
    format || reasoning.effort
      ? { ...format, ...(reasoning.effort ? { effort: reasoning.effort } : {}) }
      : undefined;

  const body: AnthropicRequestBody = {
    model: options.modelId,
    max_tokens: maxTokens,
    ...(reasoning.thinking ? { thinking: reasoning.thinking } : {}),
    ...(converted.system !== undefined ? { system: converted.system } : {}),
    messages: converted.messages,
    ...(tools?.length ? { tools } : {}),
    ...(callOptions.stop?.length ? { stop_sequences: callOptions.stop } : {}),
    ...(output ? { output_config: output } : {}),
    // The top-level breakpoint lets the API mark the last cacheable block itself: the
    // rolling conversation breakpoint. Skipped when the caller placed message breakpoints,
    // who then owns the history breakpoints (the API allows four in all).
    ...(cacheControl && !converted.hasMessageBreakpoints ? { cache_control: cacheControl } : {}),
  };
  return { body, unsupported };
}
