/**
 * The recorder sums what its calls add to the rollups in TypeScript (rollup-deltas.ts); every
 * other write goes through the SQL view `call_rollup_contributions` and the per-row triggers.
 * The same calls must give the same rollups either way, to the last bucket.
 */
import { afterEach, describe, expect, it } from "vitest";
import { createTemporaryDatabase, type TemporaryDatabase } from "@/test/support/db/test-database";
import { runningCallRow, runRow } from "@/test/support/db/test-rows";
import { createCallWriter } from "./call-writes";
import type { Database } from "./client";
import { type CallInsert, calls, runs } from "./schema";

const opened: TemporaryDatabase[] = [];
afterEach(() => {
  for (const item of opened.splice(0)) item.remove();
});

function fresh(): Database {
  const item = createTemporaryDatabase();
  opened.push(item);
  return item.database;
}

const BASE = Date.parse("2026-03-01T22:30:00Z");
const MODELS = [
  "openai:gpt-4o-mini",
  "anthropic:claude-sonnet-4-5",
  "ollama:llama3.2",
  "demo:fast",
];
const ENDED = ["ok", "ok", "error", "cancelled", "interrupted"] as const;
const RUN_COUNT = 9;

/** A call at its start: what the recorder inserts while it runs. */
function started(index: number): CallInsert {
  return runningCallRow({
    id: `call-${String(index).padStart(3, "0")}`,
    runId: `run-${index % RUN_COUNT}`,
    callIndex: index % 4,
    model: MODELS[index % MODELS.length] as string,
    // Across an hour and a day boundary.
    startedAt: new Date(BASE + index * 97_000),
  });
}

/**
 * What its end sets, covering the edges of the view: first tokens below 1 ms and missing,
 * streaming just over and just under the 50 ms a speed needs, no output, cache reads of 0
 * and unreported, unpriced and local calls.
 */
function ending(index: number): Partial<CallInsert> {
  const reported = index % 6 !== 5;
  const ttftMs = [0, 3, 120, 999, 1_000, null][index % 6] ?? null;
  const streamingMs = [50, 49, 2_000, 333, 10_000][index % 5] as number;
  const priced = index % 7 === 3 ? "unpriced" : index % 7 === 4 ? "local" : "priced";
  return {
    status: ENDED[index % ENDED.length],
    output: "answer",
    ttftMs,
    durationMs: (ttftMs ?? 0) + streamingMs,
    inputTokens: reported ? 100 + index * 13 : null,
    outputTokens: reported ? [0, 1, 250, 4_096][index % 4] : null,
    cacheReadTokens: reported ? [null, 0, 64][index % 3] : null,
    cacheWriteTokens: reported ? index % 2 : null,
    reasoningTokens: index % 5 === 0 ? 30 : null,
    usageStatus: reported ? "reported" : "missing",
    pricingStatus: priced,
    costUsd: priced === "unpriced" ? null : priced === "local" ? 0 : index * 0.000_37,
    savingsUsd: priced === "priced" ? index * 0.000_01 : null,
  };
}

function rollups(database: Database) {
  const all = (sql: string) => database.sqlite.prepare(sql).all();
  const sums = `provider, calls, input_tokens, output_tokens, cache_read_tokens, cache_write_tokens,
    reasoning_tokens, round(cost_usd, 9) AS cost, round(savings_usd, 9) AS savings,
    unpriced_calls, error_calls, usage_missing_calls, cache_reported_calls,
    cache_reported_input_tokens`;
  return {
    hourly: all(`SELECT hour_start, model, ${sums} FROM usage_hourly ORDER BY 1, 2`),
    daily: all(`SELECT day_start, model, ${sums} FROM usage_daily ORDER BY 1, 2`),
    timing: all("SELECT * FROM timing_daily ORDER BY day_start, model, metric, bucket"),
    runCosts: all(
      "SELECT run_id, started_at, calls, round(cost_usd, 9) AS cost, unpriced_calls FROM run_costs ORDER BY 1",
    ),
  };
}

const runRows = Array.from({ length: RUN_COUNT }, (_, index) =>
  runRow(`run-${index}`, new Date(BASE)),
);

describe("the recorder's rollup sums", () => {
  it("equal the per-row triggers' for the same calls", () => {
    const count = 120;
    const viaRecorder = fresh();
    const writer = createCallWriter(viaRecorder);
    // A third of the calls start and end in one batch; the rest start running, most stream
    // once, and end in a later batch, as the recorder writes a call that streams for longer.
    const inOneBatch = (index: number) => index % 3 === 0;
    writer.writeBatch({
      runs: runRows,
      callInserts: Array.from({ length: count }, (_, index) =>
        inOneBatch(index) ? { ...started(index), ...ending(index) } : started(index),
      ),
      callUpdates: [],
    });
    writer.writeBatch({
      runs: [],
      callInserts: [],
      callUpdates: Array.from({ length: count }, (_, index) => index)
        .filter((index) => !inOneBatch(index) && index % 4 !== 0)
        .map((index) => ({ id: started(index).id, values: { output: "ans" } })),
    });
    writer.writeBatch({
      runs: [],
      callInserts: [],
      callUpdates: Array.from({ length: count }, (_, index) => index)
        .filter((index) => !inOneBatch(index))
        // Latest first, so a run's earliest call is not the first one to end.
        .reverse()
        .map((index) => ({ id: started(index).id, values: ending(index) })),
    });

    const viaTriggers = fresh();
    viaTriggers.orm.insert(runs).values(runRows).run();
    for (let index = 0; index < count; index++)
      viaTriggers.orm
        .insert(calls)
        .values({ ...started(index), ...ending(index) })
        .run();

    const expected = rollups(viaTriggers);
    expect(expected.timing.length).toBeGreaterThan(10);
    expect(expected.hourly.length).toBeGreaterThan(MODELS.length);
    expect(rollups(viaRecorder)).toEqual(expected);
  });

  it("count a call once when one batch starts, ends and corrects it", () => {
    const database = fresh();
    const writer = createCallWriter(database);
    writer.writeBatch({ runs: runRows, callInserts: [started(1)], callUpdates: [] });
    writer.writeBatch({
      runs: [],
      callInserts: [started(2)],
      callUpdates: [
        { id: started(1).id, values: { output: "partial" } },
        { id: started(1).id, values: ending(1) },
        { id: started(1).id, values: { costUsd: 0.5, pricingStatus: "priced" } },
        { id: started(2).id, values: ending(2) },
        { id: started(2).id, values: { status: "error" } },
      ],
    });
    const viaTriggers = fresh();
    viaTriggers.orm.insert(runs).values(runRows).run();
    viaTriggers.orm
      .insert(calls)
      .values([
        { ...started(1), ...ending(1), costUsd: 0.5, pricingStatus: "priced" },
        { ...started(2), ...ending(2), status: "error" },
      ])
      .run();
    expect(rollups(database)).toEqual(rollups(viaTriggers));
    expect(database.sqlite.prepare("SELECT sum(calls) AS calls FROM usage_daily").get()).toEqual({
      calls: 2,
    });
  });

  it("add nothing for a call that ends after its row was deleted", () => {
    const database = fresh();
    const writer = createCallWriter(database);
    writer.writeBatch({ runs: runRows, callInserts: [started(0), started(1)], callUpdates: [] });
    database.sqlite.prepare("DELETE FROM calls WHERE id = ?").run(started(0).id);
    writer.writeBatch({
      runs: [],
      callInserts: [],
      callUpdates: [
        { id: started(0).id, values: ending(2) },
        { id: started(1).id, values: ending(2) },
      ],
    });
    expect(database.sqlite.prepare("SELECT sum(calls) AS calls FROM usage_daily").get()).toEqual({
      calls: 1,
    });
    expect(database.sqlite.prepare("SELECT run_id, calls FROM run_costs").all()).toEqual([
      { run_id: "run-1", calls: 1 },
    ]);
  });
});
