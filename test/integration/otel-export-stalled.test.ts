/**
 * A collector that takes export requests and never answers: runs through POST /api/runs still
 * finish and are recorded in full, the export queue stays within its bound, and what does not
 * fit is dropped and counted on `GET /api/health`.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { RunEvent } from "@/lib/runs/run-events";
import { type OtlpReceiver, startOtlpReceiver } from "@/test/support/otlp-receiver";
import {
  finishOf,
  postRun,
  readEvents,
  setUpIntegrationEnvironment,
} from "@/test/support/runs-integration";

let receiver: OtlpReceiver;

beforeAll(async () => {
  receiver = await startOtlpReceiver({ answer: false });
  process.env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT = receiver.url;
  process.env.OTEL_BSP_SCHEDULE_DELAY = "10";
  process.env.OTEL_BSP_MAX_QUEUE_SIZE = "2";
  // Longer than the test: the hung request stays in flight throughout.
  process.env.OTEL_EXPORTER_OTLP_TIMEOUT = "600000";
});

afterAll(async () => {
  await receiver?.close();
});

// Registered after the receiver's hooks: it starts after the receiver and closes before it.
const environment = setUpIntegrationEnvironment();

interface Telemetry {
  enabled: boolean;
  exported: number;
  failed: number;
  dropped: number;
  queued: number;
}

async function telemetry(): Promise<Telemetry> {
  const response = await fetch(`${environment.app.url}/api/health`);
  expect(response.status).toBe(200);
  return ((await response.json()) as { telemetry: Telemetry }).telemetry;
}

async function runTo(targets: string[]) {
  const response = await postRun(environment.app, {
    messages: [{ role: "user", content: "Explain WAL mode in one paragraph." }],
    targets: targets.map((model) => ({ model })),
  });
  expect(response.status).toBe(200);
  const events = await readEvents(response);
  const start = events.find(
    (event): event is Extract<RunEvent, { type: "run-start" }> => event.type === "run-start",
  );
  if (!start) throw new Error("no run-start");
  return { events, runId: start.runId };
}

describe("a collector that never answers", () => {
  it("neither slows nor loses a run; the overflow is dropped and counted", async () => {
    const first = await runTo(["openai:gpt-4o-mini", "anthropic:claude-haiku-4-5"]);
    // The collector has the first batch and holds it: the export is hanging from here on.
    await vi.waitFor(() => expect(receiver.requests.length).toBeGreaterThan(0), {
      timeout: 10_000,
    });
    expect(await telemetry()).toEqual({
      enabled: true,
      exported: 0,
      failed: 0,
      dropped: 0,
      queued: 2,
    });

    const targets = [
      "openai:gpt-4o-mini",
      "anthropic:claude-haiku-4-5",
      "demo:instant",
      "demo:fast",
    ];
    const second = await runTo(targets);
    for (const index of targets.keys()) expect(finishOf(second.events, index)?.status).toBe("ok");

    // Recorded in full while the export hangs: every call of both runs, final, with usage.
    for (const run of [first, second]) {
      const stored = (await (
        await fetch(`${environment.app.url}/api/runs/${run.runId}`)
      ).json()) as { calls: Array<{ status: string; usage: { outputTokens: number } | null }> };
      for (const call of stored.calls) {
        expect(call.status).toBe("ok");
        expect(call.usage?.outputTokens).toBeGreaterThan(0);
      }
    }
    // The queue holds its bound; the four spans that did not fit are counted, not kept.
    await vi.waitFor(async () =>
      expect(await telemetry()).toEqual({
        enabled: true,
        exported: 0,
        failed: 0,
        dropped: 4,
        queued: 2,
      }),
    );
    const health = (await (await fetch(`${environment.app.url}/api/health`)).json()) as {
      status: string;
      recorder: { callsLost: number; state: string };
    };
    expect(health.recorder).toMatchObject({ state: "ok", callsLost: 0 });
    expect(health.status).toBe("ok");
  });
});
