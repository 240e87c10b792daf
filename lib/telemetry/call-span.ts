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
  /** Our normalized stop reason (`stop`, `length`, `tool-calls`, …). */
  stopReason: string | null;
  /** The provider's own stop reason, verbatim. */
  rawStopReason: string | null;
  errorKind: string | null;
  inputTokens: number | null;
  outputTokens: number | null;
  cacheReadTokens: number | null;
  cacheWriteTokens: number | null;
  /** Anthropic's TTL split of `cacheWriteTokens`, where reported. */
  cacheWrite5mTokens: number | null;
  cacheWrite1hTokens: number | null;
  reasoningTokens: number | null;
  costUsd: number | null;
  keyName: string | null;
  tags: string[];
  /** The URL the request was sent to, when known (`server.address`, `server.port`). */
  requestUrl?: string | null;
}

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

/** The host and port a request went to; the port as the URL implies it when not written. */
function serverOf(url: string | null): { address: string; port: number } | null {
  if (url === null) return null;
  try {
    const parsed = new URL(url);
    if (parsed.protocol !== "http:" && parsed.protocol !== "https:") return null;
    const port = parsed.port ? Number(parsed.port) : parsed.protocol === "http:" ? 80 : 443;
    return { address: parsed.hostname.replace(/^\[|\]$/g, ""), port };
  } catch {
    return null;
  }
}

/**
 * `gen_ai.provider.name` is our provider id: `openai` and `anthropic` are the conventions' own
 * values; they define none for Ollama, OCI or the demo model, and the attribute is an open
 * enumeration, so those keep the id a person sees in the model string (`locus.model`).
 * `gen_ai.response.finish_reasons` carries the provider's own reason, as the conventions'
 * instrumentations do; ours (one vocabulary for every provider) is `locus.stop_reason`.
 * `error.type` is the classified failure (`rate_limit`, `timeout`, …) of a call that failed;
 * a call the person cancelled is not an error.
 */
export function callSpan(call: ExportableCall): CallSpan {
  const error = call.status === "error" || call.status === "interrupted";
  const attributes: Attributes = {
    "gen_ai.operation.name": "chat",
    "gen_ai.provider.name": call.provider,
    "gen_ai.request.model": call.modelId,
    "locus.model": call.model,
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
    call.rawStopReason === null ? null : [call.rawStopReason],
  );
  set(attributes, "error.type", error ? (call.errorKind ?? call.status) : null);
  set(attributes, "locus.stop_reason", call.stopReason);
  set(attributes, "locus.usage.cache_creation_5m.input_tokens", call.cacheWrite5mTokens);
  set(attributes, "locus.usage.cache_creation_1h.input_tokens", call.cacheWrite1hTokens);
  const server = serverOf(call.requestUrl ?? null);
  set(attributes, "server.address", server?.address ?? null);
  set(attributes, "server.port", server?.port ?? null);
  set(attributes, "locus.cost_usd", call.costUsd);
  set(attributes, "locus.gateway.key", call.keyName);
  set(attributes, "locus.tags", call.tags.length > 0 ? call.tags : null);
  return {
    name: `chat ${call.modelId}`,
    attributes,
    startTime: call.startedAt,
    endTime: call.endedAt,
    error,
  };
}
