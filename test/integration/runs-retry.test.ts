/**
 * Retries are visible (DESIGN.md, "HTTP API, second wave"): our layer retries rate limits,
 * overloads and 5xx — the SDK's own retries are off — and the stream carries `call-retry`
 * before each wait, honouring `retry-after`; the recorded call keeps its attempt count.
 */
import type { ServerResponse } from "node:http";
import { beforeAll, describe, expect, it } from "vitest";
import type { RunEvent } from "@/lib/runs/run-events";
import {
  finishOf,
  flushRecorder,
  modelOf,
  postRun,
  readEvents,
  setUpIntegrationEnvironment,
} from "@/test/support/runs-integration";
import { failureFrom, openAIAnswer } from "@/test/support/wire/answers";
import { replay } from "@/test/support/wire/replay";

const requestsByModel = new Map<string, number>();

function rateLimited(response: ServerResponse, headers: Record<string, string>) {
  return replay(response, failureFrom("openai/error-429", "Rate limit reached", headers));
}

beforeAll(() => {
  // Backoff without a retry-after, kept short so the always-failing case takes no real time.
  process.env.PLAYGROUND_RETRY_BASE_MS = "20";
});

const environment = setUpIntegrationEnvironment({
  openai: (request, response) => {
    const model = modelOf(request);
    const count = (requestsByModel.get(model) ?? 0) + 1;
    requestsByModel.set(model, count);
    if (model === "limited-once" && count === 1)
      return rateLimited(response, { "retry-after": "1" });
    if (model === "always-500") {
      return replay(response, failureFrom("openai/error-500", "boom"));
    }
    if (model === "bad-request") {
      return replay(response, failureFrom("openai/error-400", "no"));
    }
    if (model === "wait-too-long") return rateLimited(response, { "retry-after": "3600" });
    return replay(response, openAIAnswer({ model, pieces: ["after ", "retry"] }));
  },
});

function retriesOf(events: RunEvent[], index: number) {
  return events.filter(
    (event): event is Extract<RunEvent, { type: "call-retry" }> =>
      event.type === "call-retry" && event.index === index,
  );
}

async function run(model: string): Promise<{ events: RunEvent[]; runId: string }> {
  const events = await readEvents(
    await postRun(environment.app, {
      messages: [{ role: "user", content: "retry" }],
      targets: [{ model: `openai:${model}` }, { model: "demo:instant" }],
    }),
  );
  const start = events[0];
  if (start?.type !== "run-start") throw new Error("no run-start");
  return { events, runId: start.runId };
}

describe("retries", () => {
  it("announce a 429's retry-after before the wait, then answer", async () => {
    const { events, runId } = await run("limited-once");
    const retries = retriesOf(events, 0);
    expect(retries).toEqual([
      {
        type: "call-retry",
        index: 0,
        attempt: 2,
        maxAttempts: 3,
        delayMs: 1_000,
        error: { code: "rate_limit", message: expect.any(String) },
      },
    ]);
    const retryAt = events.indexOf(retries[0] as RunEvent);
    const firstDelta = events.findIndex(
      (event) => event.type === "text-delta" && event.index === 0,
    );
    expect(retryAt).toBeLessThan(firstDelta);
    expect(finishOf(events, 0)).toMatchObject({ status: "ok" });
    // Exactly two requests: ours. The SDK made none of its own.
    expect(requestsByModel.get("limited-once")).toBe(2);
    // The other target was never held up by this one.
    expect(finishOf(events, 1)).toMatchObject({ status: "ok" });

    await flushRecorder();
    const recorded = (await (await fetch(`${environment.app.url}/api/runs/${runId}`)).json()) as {
      calls: Array<{ attempts: number; output: string }>;
    };
    expect(recorded.calls[0]).toMatchObject({ attempts: 2, output: "after retry" });
    expect(recorded.calls[1]).toMatchObject({ attempts: 1 });
  });

  it("give up after the last attempt, with a call-retry before each wait", async () => {
    const { events, runId } = await run("always-500");
    expect(retriesOf(events, 0).map((event) => [event.attempt, event.delayMs])).toEqual([
      [2, 20],
      [3, 40],
    ]);
    expect(finishOf(events, 0)).toMatchObject({
      status: "error",
      error: { code: "server_error" },
    });
    expect(requestsByModel.get("always-500")).toBe(3);
    await flushRecorder();
    const recorded = (await (await fetch(`${environment.app.url}/api/runs/${runId}`)).json()) as {
      calls: Array<{ attempts: number }>;
    };
    expect(recorded.calls[0]?.attempts).toBe(3);
  });

  it("never retry an error that retrying cannot fix", async () => {
    const { events } = await run("bad-request");
    expect(retriesOf(events, 0)).toEqual([]);
    expect(finishOf(events, 0)).toMatchObject({ status: "error", error: { code: "format_error" } });
    expect(requestsByModel.get("bad-request")).toBe(1);
  });

  it("fail at once, saying when, when the provider asks for a longer wait than accepted", async () => {
    const { events } = await run("wait-too-long");
    expect(retriesOf(events, 0)).toEqual([]);
    expect(finishOf(events, 0)).toMatchObject({
      status: "error",
      error: { code: "rate_limit", retryAfterMs: 3_600_000 },
    });
    expect(requestsByModel.get("wait-too-long")).toBe(1);
  });
});
