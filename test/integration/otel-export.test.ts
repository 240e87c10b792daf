/**
 * OpenTelemetry export end to end: with the standard OTEL_* variables pointing at a local OTLP
 * receiver, every call that goes through POST /api/runs or the gateway reaches the receiver as
 * one span whose GenAI attributes agree with what was recorded, and `GET /api/health` counts it.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { RunEvent } from "@/lib/runs/run-events";
import { type AppServer, DEFAULT_ROUTES, startAppServer } from "@/test/support/app-server";
import type { RecordedRequest } from "@/test/support/fake-http-server";
import {
  attributesOf,
  type OtlpReceiver,
  type ReceivedSpan,
  startOtlpReceiver,
} from "@/test/support/otlp-receiver";
import {
  finishOf,
  modelOf,
  postRun,
  readEvents,
  setUpIntegrationEnvironment,
} from "@/test/support/runs-integration";
import { replaying } from "@/test/support/wire/replay";

const COLLECTOR_TOKEN = "otlp-collector-token-0123456789";

let receiver: OtlpReceiver;
let gateway: AppServer;

beforeAll(async () => {
  receiver = await startOtlpReceiver({ answer: true });
  process.env.OTEL_EXPORTER_OTLP_ENDPOINT = receiver.origin;
  process.env.OTEL_EXPORTER_OTLP_HEADERS = `x-collector-token=${COLLECTOR_TOKEN}`;
  process.env.OTEL_SERVICE_NAME = "playground-under-test";
  process.env.OTEL_BSP_SCHEDULE_DELAY = "20";
});

afterAll(async () => {
  await receiver?.close();
});

// Between the receiver's hooks and the gateway's: started after the receiver, closed before it.
const environment = setUpIntegrationEnvironment({
  // A reasoning model answers with reasoning tokens, the others read the prompt cache.
  openai: (request: RecordedRequest, response) =>
    replaying(modelOf(request).startsWith("o3") ? "openai/reasoning" : "openai/cache-read")(
      request,
      response,
    ),
  anthropic: replaying("anthropic/cache-write"),
});

beforeAll(async () => {
  gateway = await startAppServer({
    routes: [
      ...DEFAULT_ROUTES,
      { path: "/v1/chat/completions", load: () => import("@/app/v1/chat/completions/route") },
      { path: "/api/keys", load: () => import("@/app/api/keys/route") },
    ],
  });
});

afterAll(async () => {
  await gateway?.close();
});

async function spanOf(callId: string): Promise<ReceivedSpan> {
  return vi.waitFor(
    () => {
      const found = receiver.spans.filter(
        (received) => attributesOf(received.span)["locus.call.id"] === callId,
      );
      expect(found).toHaveLength(1);
      return found[0] as ReceivedSpan;
    },
    { timeout: 10_000 },
  );
}

interface RecordedCall {
  callId: string;
  usage: {
    inputTokens: number;
    outputTokens: number;
    cacheReadTokens: number | null;
    cacheWriteTokens: number | null;
    reasoningTokens: number | null;
  };
  costUsd: number | null;
  ttftMs: number | null;
  stopReason: string;
}

describe("OpenTelemetry export", () => {
  it("exports every call of a run once, with the GenAI attributes of what was recorded", async () => {
    const response = await postRun(environment.app, {
      messages: [{ role: "user", content: "Explain WAL mode in one paragraph." }],
      targets: [
        { model: "anthropic:claude-haiku-4-5", params: { promptCache: true } },
        { model: "openai:gpt-4o-mini" },
        { model: "openai:o3-mini" },
      ],
    });
    expect(response.status).toBe(200);
    const events = await readEvents(response);
    const start = events.find(
      (event): event is Extract<RunEvent, { type: "run-start" }> => event.type === "run-start",
    );
    if (!start) throw new Error("no run-start");
    for (const index of [0, 1, 2]) expect(finishOf(events, index)?.status).toBe("ok");

    const run = (await (await fetch(`${environment.app.url}/api/runs/${start.runId}`)).json()) as {
      calls: RecordedCall[];
    };
    const [claude, gpt, o3] = run.calls as [RecordedCall, RecordedCall, RecordedCall];

    const claudeSpan = await spanOf(claude.callId);
    expect(claudeSpan.span.name).toBe("chat claude-haiku-4-5");
    expect(claudeSpan.span.kind).toBe(3); // CLIENT
    expect(claudeSpan.resource["service.name"]).toBe("playground-under-test");
    const claudeAttributes = attributesOf(claudeSpan.span);
    expect(claudeAttributes).toMatchObject({
      "gen_ai.operation.name": "chat",
      "gen_ai.provider.name": "anthropic",
      "gen_ai.request.model": "claude-haiku-4-5",
      "gen_ai.response.model": "claude-haiku-4-5-20251001",
      "gen_ai.usage.input_tokens": claude.usage.inputTokens,
      "gen_ai.usage.output_tokens": claude.usage.outputTokens,
      "gen_ai.usage.cache_read.input_tokens": 0,
      "gen_ai.usage.cache_creation.input_tokens": 12_304,
      "gen_ai.response.finish_reasons": ["end_turn"],
      "locus.source": "playground",
      "locus.run.id": start.runId,
      "locus.model": "anthropic:claude-haiku-4-5",
      "locus.stop_reason": "stop",
      "locus.usage.cache_creation_5m.input_tokens": 12_304,
      "locus.call.status": "ok",
    });
    expect(claude.usage.cacheWriteTokens).toBe(12_304);
    expect(claudeAttributes["locus.cost_usd"]).toBe(claude.costUsd);
    expect(claude.costUsd).toBeGreaterThan(0);
    expect(claudeAttributes["gen_ai.response.time_to_first_chunk"]).toBe(
      (claude.ttftMs as number) / 1000,
    );
    expect(claudeAttributes).not.toHaveProperty("error.type");
    expect(claudeAttributes["server.address"]).toBe("127.0.0.1");
    expect(claudeAttributes["server.port"]).toBe(Number(new URL(environment.anthropic.url).port));

    const gptAttributes = attributesOf((await spanOf(gpt.callId)).span);
    expect(gptAttributes).toMatchObject({
      "gen_ai.provider.name": "openai",
      "gen_ai.request.model": "gpt-4o-mini",
      "gen_ai.response.model": "gpt-4o-mini-2024-07-18",
      "gen_ai.usage.input_tokens": 17_903,
      "gen_ai.usage.cache_read.input_tokens": 17_817,
      "gen_ai.usage.output_tokens": 42,
      "locus.cost_usd": gpt.costUsd,
    });
    expect(gpt.usage.cacheReadTokens).toBe(17_817);

    const o3Attributes = attributesOf((await spanOf(o3.callId)).span);
    expect(o3Attributes["gen_ai.usage.reasoning.output_tokens"]).toBe(1_150);
    expect(o3.usage.reasoningTokens).toBe(1_150);

    // The collector got the configured headers.
    expect(
      receiver.requests.every((headers) => headers["x-collector-token"] === COLLECTOR_TOKEN),
    ).toBe(true);
  });

  it("exports a failed call with its error type", async () => {
    environment.openai.setHandler(replaying("openai/error-401"));
    const response = await postRun(environment.app, {
      messages: [{ role: "user", content: "hi" }],
      targets: [{ model: "openai:gpt-4o-mini" }],
    });
    const events = await readEvents(response);
    expect(finishOf(events, 0)?.status).toBe("error");
    const start = events.find(
      (event): event is Extract<RunEvent, { type: "run-start" }> => event.type === "run-start",
    );
    const span = await spanOf(start?.calls[0]?.callId ?? "");
    expect(attributesOf(span.span)["error.type"]).toBe("auth");
    expect(span.span.status?.code).toBe(2); // ERROR
  });

  it("exports gateway calls with source gateway and the key's name", async () => {
    environment.anthropic.setHandler(replaying("anthropic/cache-write"));
    const created = (await (
      await fetch(`${gateway.url}/api/keys`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ name: "otel-app" }),
      })
    ).json()) as { key: string };
    const response = await fetch(`${gateway.url}/v1/chat/completions`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        authorization: `Bearer ${created.key}`,
        "x-locus-tags": "nightly,otel",
      },
      body: JSON.stringify({
        model: "anthropic:claude-haiku-4-5",
        messages: [{ role: "user", content: "hello" }],
      }),
    });
    expect(response.status).toBe(200);
    await vi.waitFor(
      () =>
        expect(
          receiver.spans.some(
            (received) => attributesOf(received.span)["locus.source"] === "gateway",
          ),
        ).toBe(true),
      { timeout: 10_000 },
    );
    const gatewaySpans = receiver.spans.filter(
      (received) => attributesOf(received.span)["locus.source"] === "gateway",
    );
    expect(gatewaySpans).toHaveLength(1);
    expect(attributesOf((gatewaySpans[0] as ReceivedSpan).span)).toMatchObject({
      "gen_ai.provider.name": "anthropic",
      "gen_ai.request.model": "claude-haiku-4-5",
      "gen_ai.usage.cache_creation.input_tokens": 12_304,
      "locus.gateway.key": "otel-app",
      "locus.tags": ["nightly", "otel"],
    });
    // The key itself is never exported.
    expect(JSON.stringify(receiver.spans)).not.toContain(created.key);
  });

  it("counts the export on /api/health, with nothing dropped", async () => {
    await vi.waitFor(async () => {
      const health = (await (await fetch(`${environment.app.url}/api/health`)).json()) as {
        telemetry: Record<string, unknown>;
      };
      expect(health.telemetry).toEqual({
        enabled: true,
        exported: receiver.spans.length,
        failed: 0,
        dropped: 0,
        queued: 0,
      });
    });
    expect(receiver.spans.length).toBe(5);
  });
});
