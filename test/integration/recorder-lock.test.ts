/**
 * Another process holds the database's write lock for longer than the old recorder's retries
 * lasted (five attempts, then it dropped the batch). Streams keep their pace, `/api/health`
 * answers throughout and says the recorder is behind, reads that cannot be complete say so, and
 * once the lock is released every call is in the database with its usage and cost.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { RunEvent } from "@/lib/runs/run-events";
import { type LockHolder, startLockHolder } from "@/test/support/lock-holder";
import {
  answerFor,
  anthropicAnswering,
  finishOf,
  flushRecorder,
  openAIAnswering,
  postRun,
  readEvents,
  setUpIntegrationEnvironment,
  textOf,
} from "@/test/support/runs-integration";

let holder: LockHolder;
const logged: string[] = [];

beforeAll(() => {
  vi.spyOn(console, "error").mockImplementation((...parts: unknown[]) => {
    logged.push(parts.map(String).join(" "));
  });
});

afterAll(() => {
  vi.restoreAllMocks();
});

// Between the spy's hooks and the holder's: started after the spy, closed before the restore.
const environment = setUpIntegrationEnvironment({
  openai: openAIAnswering({ delayMs: 1 }),
  anthropic: anthropicAnswering({ delayMs: 1 }),
});

beforeAll(() => {
  holder = startLockHolder(environment.databasePath);
});

afterAll(async () => {
  await holder?.close();
});

const TARGETS = ["openai:gpt-4o-mini", "anthropic:claude-haiku-4-5", "demo:instant"];
/** The old recorder gave a batch this many attempts before dropping it. */
const OLD_MAX_ATTEMPTS = 5;

interface Health {
  status: string;
  recorder: { state: string; pendingCalls: number; failure: string | null; callsLost: number };
}

async function health(): Promise<{ value: Health }> {
  const response = await fetch(`${environment.app.url}/api/health`);
  expect(response.status).toBe(200);
  return { value: (await response.json()) as Health };
}

describe("a write lock held by another process", () => {
  it("slows no stream, keeps health answering, and loses nothing", async () => {
    // How fast is the bench's (`bench:record-stall`); here: every stream ends, all answered.
    await holder.lock();

    const runs = await Promise.all(
      Array.from({ length: 8 }, async (_, runNumber) => {
        const events = await readEvents(
          await postRun(environment.app, {
            messages: [{ role: "user", content: `locked question ${runNumber}` }],
            targets: TARGETS.map((model) => ({ model })),
          }),
        );
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
      const { value } = await health();
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
    const detail = await fetch(`${environment.app.url}/api/runs/${first.runId}`);
    expect(detail.status).toBe(200);
    const calls = ((await detail.json()) as { calls: Array<{ status: string }> }).calls;
    expect(calls.map((call) => call.status)).toEqual(["ok", "ok", "ok"]);
    const usage = await fetch(`${environment.app.url}/api/usage`);
    expect(usage.status).toBe(503);
    expect(await usage.json()).toMatchObject({
      error: { code: "recording_behind", message: expect.stringMatching(/database is locked/) },
    });

    await holder.release();
    await flushRecorder();
    // Written is not yet caught up: the recorder says "ok" once its next step sees nothing left.
    await expect
      .poll(async () => (await health()).value, { timeout: 10_000 })
      .toMatchObject({ status: "ok", recorder: { state: "ok", pendingCalls: 0, callsLost: 0 } });

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
