/**
 * Fifty runs of four targets at once, over HTTP, with reads of the runs in between, while
 * another process takes and frees the database's write lock in turns: every call is recorded,
 * nothing is lost or mixed up, and no write is dropped.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
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
  for (const method of ["error", "warn", "log"] as const) {
    vi.spyOn(console, method).mockImplementation((...parts: unknown[]) => {
      logged.push(parts.map(String).join(" "));
    });
  }
});

afterAll(() => {
  vi.restoreAllMocks();
});

// Between the spies' hooks and the holder's: started after the spies, closed before the restore.
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

const RUNS = 50;
const TARGETS = ["openai:gpt-4o-mini", "anthropic:claude-haiku-4-5", "demo:instant", "demo:fast"];

describe("50 concurrent runs × 4 targets", () => {
  it("records every run and call with its own output", async () => {
    const { getTracer } = await import("@/lib/tracing");
    // Held from the start, so the first batches are refused for certain; then it comes and goes.
    await holder.lock();
    const startFlapping = async () => {
      while (getTracer().getStats().failedAttempts === 0) {
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      await holder.flap(150, 100);
    };
    const flapping = startFlapping();
    const results = await Promise.all(
      Array.from({ length: RUNS }, async (_, runNumber) => {
        const response = await postRun(environment.app, {
          messages: [{ role: "user", content: `question number ${runNumber}` }],
          targets: TARGETS.map((model) => ({ model })),
        });
        expect(response.status).toBe(200);
        const events = await readEvents(response);
        const start = events[0];
        if (start?.type !== "run-start") throw new Error("no run-start");
        // Read the run back while the others are still writing.
        // Answered from memory while the recorder is behind, from the database otherwise.
        const read = await fetch(`${environment.app.url}/api/runs/${start.runId}`);
        expect(read.status).toBe(200);
        return { runNumber, runId: start.runId, events };
      }),
    );

    for (const { events } of results) {
      expect(textOf(events, 0)).toBe(answerFor("gpt-4o-mini"));
      expect(textOf(events, 1)).toBe(answerFor("claude-haiku-4-5"));
      for (const index of [0, 1, 2, 3]) expect(finishOf(events, index)?.status).toBe("ok");
      expect(events.at(-1)?.type).toBe("run-finish");
    }

    await flapping;
    await holder.release();
    await flushRecorder();
    const { getDb } = await import("@/lib/db/client");
    const { sqlite } = getDb();
    const runIds = results.map((result) => result.runId);
    const placeholders = runIds.map(() => "?").join(",");
    const runCount = sqlite
      .prepare(`select count(*) as n from runs where id in (${placeholders})`)
      .get(...runIds) as {
      n: number;
    };
    expect(runCount.n).toBe(RUNS);
    const rows = sqlite
      .prepare(
        `select run_id as runId, call_index as callIndex, status, output, input_tokens as inputTokens from calls where run_id in (${placeholders})`,
      )
      .all(...runIds) as Array<{
      runId: string;
      callIndex: number;
      status: string;
      output: string;
      inputTokens: number | null;
    }>;
    expect(rows).toHaveLength(RUNS * TARGETS.length);
    expect(rows.every((row) => row.status === "ok" && row.inputTokens !== null)).toBe(true);
    for (const { runId, runNumber, events } of results) {
      const runRows = rows.filter((row) => row.runId === runId);
      expect(runRows.map((row) => row.callIndex).sort()).toEqual([0, 1, 2, 3]);
      for (const row of runRows) expect(row.output).toBe(textOf(events, row.callIndex));
      // Each demo answer quotes its own prompt: nothing crossed between runs.
      expect(runRows.find((row) => row.callIndex === 2)?.output).toContain(
        `question number ${runNumber}`,
      );
    }

    const stats = getTracer().getStats();
    expect(stats.failedAttempts).toBeGreaterThan(0);
    expect(stats).toMatchObject({ droppedWrites: 0, callsLost: 0, pendingCalls: 0 });
    expect(logged.join("\n")).not.toMatch(/LOST|dropped/);
  });
});
