import { afterEach, describe, expect, it, vi } from "vitest";
import { attributesOf, type OtlpSpan, startOtlpReceiver } from "@/test/support/otlp-receiver";
import { CallExporter } from "./call-exporter";
import type { ExportableCall } from "./call-span";

function call(overrides: Partial<ExportableCall> = {}): ExportableCall {
  return {
    callId: "call-1",
    runId: "run-1",
    model: "anthropic:claude-sonnet-4-5",
    provider: "anthropic",
    modelId: "claude-sonnet-4-5",
    responseModel: "claude-sonnet-4-5-20250929",
    source: "gateway",
    startedAt: new Date("2026-12-01T10:00:00.000Z"),
    endedAt: new Date("2026-12-01T10:00:01.500Z"),
    ttftMs: 420,
    status: "ok",
    stopReason: "stop",
    rawStopReason: "end_turn",
    errorKind: null,
    inputTokens: 1200,
    outputTokens: 80,
    cacheReadTokens: 1000,
    cacheWriteTokens: 0,
    cacheWrite5mTokens: null,
    cacheWrite1hTokens: null,
    reasoningTokens: null,
    costUsd: 0.00123,
    keyName: "ci-bot",
    tags: ["nightly", "eval"],
    requestUrl: "https://api.anthropic.com/v1/messages",
    ...overrides,
  };
}

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

describe("CallExporter", () => {
  it("exports a call as an OTLP span with the GenAI attributes, our cost and source", async () => {
    const receiver = await startOtlpReceiver({ answer: true });
    cleanups.push(receiver.close);
    const exporter = new CallExporter({ url: receiver.url, batchDelayMs: 10 });
    cleanups.push(() => exporter.shutdown());
    exporter.export(call());
    exporter.export(call({ callId: "call-2", status: "error", errorKind: "rate_limit" }));
    await exporter.flush();

    expect(receiver.requests[0]?.["content-type"]).toBe("application/json");
    expect(receiver.spans).toHaveLength(2);
    const [ok, failed] = receiver.spans.map((received) => received.span);
    if (!ok || !failed) throw new Error("spans missing");
    expect(ok.name).toBe("chat claude-sonnet-4-5");
    expect(ok.kind).toBe(3); // SPAN_KIND_CLIENT
    expect(BigInt(ok.endTimeUnixNano) - BigInt(ok.startTimeUnixNano)).toBe(1_500_000_000n);
    expect(attributesOf(ok)).toEqual({
      "gen_ai.operation.name": "chat",
      "gen_ai.provider.name": "anthropic",
      "gen_ai.request.model": "claude-sonnet-4-5",
      "gen_ai.response.model": "claude-sonnet-4-5-20250929",
      "gen_ai.usage.input_tokens": 1200,
      "gen_ai.usage.output_tokens": 80,
      "gen_ai.usage.cache_read.input_tokens": 1000,
      "gen_ai.usage.cache_creation.input_tokens": 0,
      "gen_ai.response.time_to_first_chunk": 0.42,
      "gen_ai.response.finish_reasons": ["end_turn"],
      "locus.stop_reason": "stop",
      "locus.model": "anthropic:claude-sonnet-4-5",
      "server.address": "api.anthropic.com",
      "server.port": 443,
      "locus.call.id": "call-1",
      "locus.run.id": "run-1",
      "locus.source": "gateway",
      "locus.call.status": "ok",
      "locus.cost_usd": 0.00123,
      "locus.gateway.key": "ci-bot",
      "locus.tags": ["nightly", "eval"],
    });
    expect(attributesOf(failed)["error.type"]).toBe("rate_limit");
    expect(failed.status?.code).toBe(2); // STATUS_CODE_ERROR
    expect(exporter.stats).toEqual({ exported: 2, failed: 0, dropped: 0, queued: 0 });
  });

  it("leaves out what the provider did not report instead of sending 0", async () => {
    const receiver = await startOtlpReceiver({ answer: true });
    cleanups.push(receiver.close);
    const exporter = new CallExporter({ url: receiver.url, batchDelayMs: 10 });
    cleanups.push(() => exporter.shutdown());
    exporter.export(
      call({ cacheReadTokens: null, cacheWriteTokens: null, costUsd: null, ttftMs: null }),
    );
    await exporter.flush();
    const attributes = attributesOf(receiver.spans[0]?.span as OtlpSpan);
    expect(attributes).not.toHaveProperty("gen_ai.usage.cache_read.input_tokens");
    expect(attributes).not.toHaveProperty("locus.cost_usd");
    expect(attributes).not.toHaveProperty("gen_ai.response.time_to_first_chunk");
  });

  it("marks failed and interrupted calls as errors, not a call the person cancelled", async () => {
    const receiver = await startOtlpReceiver({ answer: true });
    cleanups.push(receiver.close);
    const exporter = new CallExporter({ url: receiver.url, batchDelayMs: 10 });
    cleanups.push(() => exporter.shutdown());
    exporter.export(call({ callId: "cancelled", status: "cancelled", errorKind: "aborted" }));
    exporter.export(call({ callId: "interrupted", status: "interrupted", rawStopReason: null }));
    await exporter.flush();
    const byId = new Map(
      receiver.spans.map(({ span }) => [attributesOf(span)["locus.call.id"], span]),
    );
    const cancelled = byId.get("cancelled") as OtlpSpan;
    expect(attributesOf(cancelled)).not.toHaveProperty("error.type");
    expect(cancelled.status?.code ?? 0).toBe(0);
    const interrupted = byId.get("interrupted") as OtlpSpan;
    expect(attributesOf(interrupted)["error.type"]).toBe("interrupted");
    expect(attributesOf(interrupted)).not.toHaveProperty("gen_ai.response.finish_reasons");
    expect(interrupted.status?.code).toBe(2);
  });

  it("a collector that never answers neither blocks export() nor grows the queue past its bound", async () => {
    const receiver = await startOtlpReceiver({ answer: false });
    cleanups.push(receiver.close);
    const exporter = new CallExporter({
      url: receiver.url,
      batchDelayMs: 10,
      maxQueued: 5,
      timeoutMs: 60_000,
    });
    for (let index = 0; index < 20; index++) exporter.export(call({ callId: `call-${index}` }));
    // export() returned for every call while nothing was answered; the overflow is counted.
    expect(exporter.stats).toEqual({ exported: 0, failed: 0, dropped: 15, queued: 5 });
    await vi.waitFor(() => expect(receiver.spans.length).toBeGreaterThan(0));
    expect(exporter.stats.queued).toBe(5);
  });
});
