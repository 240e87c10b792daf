/**
 * Builders for recorder inputs in tests and benchmarks: a plausible run, call start and finish
 * with only the interesting fields given.
 */
import type { ProviderId, Usage } from "@/lib/models/types";
import type { CallFinishRecord, CallStartRecord, RunRecord } from "@/lib/tracing/types";

export function runRecord(values: Partial<RunRecord> & Pick<RunRecord, "id">): RunRecord {
  return {
    createdAt: new Date("2026-01-15T12:00:00Z"),
    system: null,
    messages: [{ role: "user", content: "Explain WAL mode in one paragraph." }],
    tools: null,
    responseFormat: null,
    ...values,
  };
}

export function callStart(
  values: Partial<CallStartRecord> & Pick<CallStartRecord, "callId" | "runId"> & { model?: string },
): CallStartRecord {
  const model = values.model ?? "openai:gpt-4o-mini";
  const colon = model.indexOf(":");
  return {
    index: 0,
    provider: model.slice(0, colon) as ProviderId,
    modelId: model.slice(colon + 1),
    params: { temperature: 0.2 },
    system: null,
    startedAt: new Date("2026-01-15T12:00:00Z"),
    ...values,
    model,
  };
}

export function usageOf(values: Partial<Usage>): Usage {
  return {
    inputTokens: null,
    outputTokens: null,
    cacheReadTokens: null,
    cacheWriteTokens: null,
    cacheWrite5mTokens: null,
    cacheWrite1hTokens: null,
    reasoningTokens: null,
    raw: null,
    ...values,
  };
}

export function callFinish(
  values: Partial<CallFinishRecord> & Pick<CallFinishRecord, "callId">,
): CallFinishRecord {
  return {
    status: "ok",
    stopReason: "stop",
    rawStopReason: "stop",
    usage: usageOf({ inputTokens: 1_000, outputTokens: 200, raw: { prompt_tokens: 1_000 } }),
    error: null,
    output: "WAL keeps a separate log…",
    toolCalls: [],
    firstTokenAt: new Date("2026-01-15T12:00:00.400Z"),
    finishedAt: new Date("2026-01-15T12:00:02Z"),
    ttftMs: 400,
    durationMs: 2_000,
    ...values,
  };
}
