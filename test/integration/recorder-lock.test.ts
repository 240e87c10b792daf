/**
 * Another process holds the database's write lock for longer than the old recorder's retries
 * lasted (five attempts, then it dropped the batch). Streams keep their pace, `/api/health`
 * answers throughout and says the recorder is behind, reads that cannot be complete say so, and
 * once the lock is released every call is in the database with its usage and cost.
 */
import { monitorEventLoopDelay } from "node:perf_hooks";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { RunEvent } from "@/lib/runs/run-events";
import { type LockHolder, startLockHolder } from "@/test/support/lock-holder";
import {
  answerFor,
  anthropicAnswering,
  finishOf,
  flushRecorder,
  type IntegrationEnvironment,
  openAIAnswering,
  postRun,
  readEvents,
  startIntegrationEnvironment,
  textOf,
} from "@/test/support/runs-integration";

let environment: IntegrationEnvironment;
let holder: LockHolder;
const logged: string[] = [];

beforeAll(async () => {
  vi.spyOn(console, "error").mockImplementation((...parts: unknown[]) => {
    logged.push(parts.map(String).join(" "));
  });
  environment = await startIntegrationEnvironment({
    openai: openAIAnswering({ delayMs: 1 }),
    anthropic: anthropicAnswering({ delayMs: 1 }),
  });
  holder = startLockHolder(environment.databasePath);
});

afterAll(async () => {
  await holder?.close();
  await environment?.close();
  vi.restoreAllMocks();
});

const TARGETS = ["openai:gpt-4o-mini", "anthropic:claude-haiku-4-5", "demo:instant"];
/** The old recorder gave a batch this many attempts before dropping it. */
const OLD_MAX_ATTEMPTS = 5;
/**
 * Far above a stream's own time here and far below one frozen busy wait of the old recorder
 * (five seconds): a generous bound, not a performance figure.
 */
const GENEROUS_MS = 3_000;

interface Health {
  status: string;
  recorder: { state: string; pendingCalls: number; failure: string | null; callsLost: number };
}

async function timed<T>(action: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const began = performance.now();
  const value = await action();
  return { value, ms: performance.now() - began };
}

async function health(): Promise<{ value: Health; ms: number }> {
  return timed(async () => {
    const response = await fetch(`${environment.app.url}/api/health`);
    expect(response.status).toBe(200);
    return (await response.json()) as Health;
  });
}

describe("a write lock held by another process", () => {
  it("slows no stream, keeps health answering, and loses nothing", async () => {
    await holder.lock();
    const delay = monitorEventLoopDelay({ resolution: 10 });
    delay.enable();

    const runs = await Promise.all(
      Array.from({ length: 8 }, async (_, runNumber) => {
        const { value: events, ms } = await timed(async () =>
          readEvents(
            await postRun(environment.app, {
              messages: [{ role: "user", content: `locked question ${runNumber}` }],
              targets: TARGETS.map((model) => ({ model })),
            }),
          ),
        );
        expect(ms).toBeLessThan(GENEROUS_MS);
        const start = events[0];
        if (start?.type !== "run-start") throw new Error("no run-start");
        return { runId: start.runId, events };
      }),
    );
    for (const { events } of runs) {
      expect(textOf(events, 0)).toBe(answerFor("gpt-4o-mini"));
      for (const index of [0, 1, 2]) expect(finishOf(events, index)?.status).toBe("ok");
    }

    const { getTracer } = await import("@/lib/tracing");
    // Retried past the point where the old recorder gave up, health answering all along.
    let sawBehind: Health | null = null;
    while (getTracer().getStats().failedAttempts <= OLD_MAX_ATTEMPTS) {
      const { value, ms } = await health();
      expect(ms).toBeLessThan(GENEROUS_MS);
      if (value.recorder.state === "behind") sawBehind = value;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    sawBehind ??= (await health()).value;
    expect(sawBehind).toMatchObject({
      status: "degraded",
      recorder: { state: "behind", failure: "locked", callsLost: 0 },
    });
    expect(sawBehind.recorder.pendingCalls).toBeGreaterThan(0);

    // A run the server still holds reads from memory; a report it cannot complete is a 503.
    const first = runs[0] as { runId: string; events: RunEvent[] };
    const detail = await timed(() => fetch(`${environment.app.url}/api/runs/${first.runId}`));
    expect(detail.value.status).toBe(200);
    const calls = ((await detail.value.json()) as { calls: Array<{ status: string }> }).calls;
    expect(calls.map((call) => call.status)).toEqual(["ok", "ok", "ok"]);
    const usage = await timed(() => fetch(`${environment.app.url}/api/usage`));
    expect(usage.value.status).toBe(503);
    expect(await usage.value.json()).toMatchObject({
      error: { code: "recording_behind", message: expect.stringMatching(/database is locked/) },
    });
    expect(usage.ms).toBeLessThan(GENEROUS_MS + 2_000);

    delay.disable();
    // The old recorder froze the loop for its whole busy timeout on every attempt.
    expect(delay.max / 1e6).toBeLessThan(1_000);

    await holder.release();
    await flushRecorder();
    expect((await health()).value).toMatchObject({
      status: "ok",
      recorder: { state: "ok", pendingCalls: 0, callsLost: 0 },
    });

    const { getDb } = await import("@/lib/db/client");
    const rows = getDb()
      .sqlite.prepare(
        `SELECT run_id AS runId, call_index AS callIndex, status, output, input_tokens AS inputTokens, output_tokens AS outputTokens, cost_usd AS costUsd FROM calls WHERE run_id IN (${runs.map(() => "?").join(",")})`,
      )
      .all(...runs.map((run) => run.runId)) as Array<{
      runId: string;
      callIndex: number;
      status: string;
      output: string;
      inputTokens: number | null;
      outputTokens: number | null;
      costUsd: number | null;
    }>;
    expect(rows).toHaveLength(runs.length * TARGETS.length);
    for (const { runId, events } of runs) {
      for (const index of [0, 1, 2]) {
        const row = rows.find(
          (candidate) => candidate.runId === runId && candidate.callIndex === index,
        );
        const finish = finishOf(events, index);
        expect(row).toMatchObject({
          status: "ok",
          output: textOf(events, index),
          inputTokens: finish?.usage?.inputTokens,
          outputTokens: finish?.usage?.outputTokens,
          costUsd: finish?.costUsd,
        });
      }
    }
    const usageAfter = await fetch(`${environment.app.url}/api/usage`);
    expect(usageAfter.status).toBe(200);
    expect(logged.join("\n")).not.toMatch(/LOST|dropped/);
    expect(logged.join("\n")).toMatch(/refuses writes \(SQLITE_BUSY/);
  });
});
