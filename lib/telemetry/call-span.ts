/**
 * A recorded call as an OpenTelemetry span, in the GenAI semantic conventions: the attributes a
 * trace store (Langfuse, Phoenix, Datadog, any OTLP collector) reads for model calls, plus our
 * cost and source under `locus.*`. Pure: the exporter only hands the result to the SDK.
 */
import type { Attributes } from "@opentelemetry/api";

export interface ExportableCall {
  callId: string;
  runId: string;
  /** `provider:model` as requested. */
  model: string;
  provider: string;
  modelId: string;
  /** The model the provider said answered, when it said. */
  responseModel: string | null;
  source: string;
  startedAt: Date;
  endedAt: Date;
  ttftMs: number | null;
  status: "ok" | "error" | "cancelled" | "interrupted";
  stopReason: string | null;
  errorKind: string | null;
  inputTokens: number | null;
  outputTokens: number | null;
  cacheReadTokens: number | null;
  cacheWriteTokens: number | null;
  reasoningTokens: number | null;
  costUsd: number | null;
  keyName: string | null;
  tags: string[];
}

/** `gen_ai.provider.name` values of the conventions where one exists. */
const PROVIDER_NAMES: Record<string, string> = {
  openai: "openai",
  anthropic: "anthropic",
  ollama: "ollama",
  oci: "oci.genai",
  demo: "locus.demo",
};

export interface CallSpan {
  name: string;
  attributes: Attributes;
  startTime: Date;
  endTime: Date;
  error: boolean;
}

function set(attributes: Attributes, name: string, value: string | number | string[] | null): void {
  if (value !== null) attributes[name] = value;
}

export function callSpan(call: ExportableCall): CallSpan {
  const attributes: Attributes = {
    "gen_ai.operation.name": "chat",
    "gen_ai.provider.name": PROVIDER_NAMES[call.provider] ?? call.provider,
    "gen_ai.request.model": call.modelId,
    "locus.call.id": call.callId,
    "locus.run.id": call.runId,
    "locus.source": call.source,
    "locus.call.status": call.status,
  };
  set(attributes, "gen_ai.response.model", call.responseModel);
  set(attributes, "gen_ai.usage.input_tokens", call.inputTokens);
  set(attributes, "gen_ai.usage.output_tokens", call.outputTokens);
  set(attributes, "gen_ai.usage.cache_read.input_tokens", call.cacheReadTokens);
  set(attributes, "gen_ai.usage.cache_creation.input_tokens", call.cacheWriteTokens);
  set(attributes, "gen_ai.usage.reasoning.output_tokens", call.reasoningTokens);
  set(
    attributes,
    "gen_ai.response.time_to_first_chunk",
    call.ttftMs === null ? null : call.ttftMs / 1000,
  );
  set(
    attributes,
    "gen_ai.response.finish_reasons",
    call.stopReason === null ? null : [call.stopReason],
  );
  set(attributes, "error.type", call.status === "ok" ? null : (call.errorKind ?? call.status));
  set(attributes, "locus.cost_usd", call.costUsd);
  set(attributes, "locus.gateway.key", call.keyName);
  set(attributes, "locus.tags", call.tags.length > 0 ? call.tags : null);
  return {
    name: `chat ${call.modelId}`,
    attributes,
    startTime: call.startedAt,
    endTime: call.endedAt,
    error: call.status === "error" || call.status === "interrupted",
  };
}
