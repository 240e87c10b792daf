/**
 * The OTLP export in the production build (`next start`, the bundle Next made of the
 * OpenTelemetry SDK): a run's calls reach a local receiver as spans, counted on /api/health.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { attributesOf, type OtlpReceiver, startOtlpReceiver } from "@/test/support/otlp-receiver";
import {
  ensureProductionBuild,
  type ProductionServer,
  startProductionServer,
} from "@/test/support/production-server";
import { parseSseData } from "@/test/support/sse";

let receiver: OtlpReceiver;
let server: ProductionServer;

beforeAll(async () => {
  await ensureProductionBuild();
  receiver = await startOtlpReceiver({ answer: true });
  server = await startProductionServer({
    name: "otel",
    env: {
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.origin,
      OTEL_BSP_SCHEDULE_DELAY: "20",
      OTEL_SERVICE_NAME: "playground-production",
    },
  });
}, 600_000);

afterAll(async () => {
  await server?.close();
  await receiver?.close();
});

describe("OpenTelemetry export in the production build", () => {
  it("exports each call of a run as a span", async () => {
    const response = await fetch(`${server.url}/api/runs`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        messages: [{ role: "user", content: "hello" }],
        targets: [{ model: "demo:instant" }, { model: "demo:fast" }],
      }),
    });
    expect(response.status).toBe(200);
    const events = parseSseData(await response.text()) as Array<{
      type: string;
      calls?: Array<{ callId: string }>;
    }>;
    const callIds = events.find((event) => event.type === "run-start")?.calls?.map((c) => c.callId);
    expect(callIds).toHaveLength(2);
    await vi.waitFor(
      () => {
        const exported = receiver.spans.map(({ span }) => attributesOf(span)["locus.call.id"]);
        expect(exported.sort()).toEqual([...(callIds ?? [])].sort());
      },
      { timeout: 15_000 },
    );
    const [first] = receiver.spans;
    expect(first?.resource["service.name"]).toBe("playground-production");
    expect(attributesOf(first?.span ?? { attributes: [] })).toMatchObject({
      "gen_ai.operation.name": "chat",
      "gen_ai.provider.name": "demo",
      "locus.source": "playground",
    });
    const health = (await (await fetch(`${server.url}/api/health`)).json()) as {
      telemetry: Record<string, unknown>;
    };
    expect(health.telemetry).toMatchObject({ enabled: true, exported: 2, dropped: 0 });
  });
});
