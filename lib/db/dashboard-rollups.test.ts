/**
 * The rollups (migrations 0001 to 0006) must always equal sums over the calls that have
 * ended, whatever sequence of recorder batches, inserts, updates and deletes produced them.
 */
import { getTableColumns } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { createDatabaseBefore, insertOldRows } from "@/test/support/db/old-database";
import { createTemporaryDatabase, type TemporaryDatabase } from "@/test/support/db/test-database";
import { runningCallRow, runRow } from "@/test/support/db/test-rows";
import { createCallWriter, ROLLUP_COLUMN_KEYS } from "./call-writes";
import { closeDatabase, type Database } from "./client";
import { type CallInsert, calls, runs } from "./schema";
import { bucketOf } from "./timing-buckets";

const opened: TemporaryDatabase[] = [];
afterEach(() => {
  for (const item of opened.splice(0)) item.remove();
});

const DAY_MS = 86_400_000;
/** The migrations before the dashboard rollups: a database as it was before they existed. */
const MIGRATION_OF_ROLLUPS = "0002_dashboard_rollups";
const HOUR_MS = 3_600_000;
const BASE = Date.parse("2026-02-10T00:00:00Z");

function fresh(): Database {
  const item = createTemporaryDatabase();
  opened.push(item);
  return item.database;
}

function runInsert(id: string) {
  return runRow(id, new Date(BASE));
}

function callInsert(values: Partial<CallInsert> & { id: string; runId: string }): CallInsert {
  return runningCallRow({ startedAt: new Date(BASE), ...values });
}

interface TimingRow {
  day: number;
  model: string;
  metric: string;
  bucket: number;
  calls: number;
}

/** What `timing_daily` must hold, computed here in TypeScript from the calls themselves. */
function expectedTimings(database: Database): TimingRow[] {
  const rows = database.sqlite
    .prepare(
      "SELECT model, started_at, status, ttft_ms, duration_ms, output_tokens FROM calls WHERE status <> 'running'",
    )
    .all() as Array<{
    model: string;
    started_at: number;
    status: string;
    ttft_ms: number | null;
    duration_ms: number | null;
    output_tokens: number | null;
  }>;
  const counts = new Map<string, TimingRow>();
  const add = (day: number, model: string, metric: string, value: number) => {
    const bucket = bucketOf(value);
    const key = `${day}|${model}|${metric}|${bucket}`;
    const row = counts.get(key) ?? { day, model, metric, bucket, calls: 0 };
    row.calls += 1;
    counts.set(key, row);
  };
  for (const row of rows) {
    const day = Math.floor(row.started_at / DAY_MS) * DAY_MS;
    if (row.ttft_ms !== null) add(day, row.model, "ttft", row.ttft_ms);
    if (
      row.status === "ok" &&
      row.output_tokens !== null &&
      row.output_tokens > 0 &&
      row.ttft_ms !== null &&
      row.duration_ms !== null &&
      row.duration_ms - row.ttft_ms >= 50
    ) {
      add(day, row.model, "tps", (row.output_tokens * 1000) / (row.duration_ms - row.ttft_ms));
    }
  }
  return sortTimings([...counts.values()]);
}

function sortTimings(rows: TimingRow[]): TimingRow[] {
  return rows.sort(
    (left, right) =>
      left.day - right.day ||
      left.model.localeCompare(right.model) ||
      left.metric.localeCompare(right.metric) ||
      left.bucket - right.bucket,
  );
}

function storedTimings(database: Database): TimingRow[] {
  return sortTimings(
    database.sqlite
      .prepare(
        "SELECT day_start AS day, model, metric, bucket, calls FROM timing_daily WHERE calls <> 0",
      )
      .all() as TimingRow[],
  );
}

function expectRollupsMatchCalls(database: Database): void {
  expect(storedTimings(database)).toEqual(expectedTimings(database));
  const runCosts = database.sqlite
    .prepare(
      "SELECT run_id AS runId, started_at AS startedAt, calls, round(cost_usd, 9) AS cost, unpriced_calls AS unpriced FROM run_costs ORDER BY run_id",
    )
    .all();
  const fromCalls = database.sqlite
    .prepare(
      "SELECT run_id AS runId, min(started_at) AS startedAt, count(*) AS calls, round(total(cost_usd), 9) AS cost, sum(pricing_status IS 'unpriced') AS unpriced FROM calls WHERE status <> 'running' GROUP BY run_id ORDER BY run_id",
    )
    .all();
  expect(runCosts).toEqual(fromCalls);
  const hourly = database.sqlite
    .prepare(
      `SELECT hour_start AS hour, model, usage_missing_calls AS missing,
         cache_reported_calls AS cacheCalls, cache_reported_input_tokens AS cacheInput
       FROM usage_hourly WHERE calls <> 0 ORDER BY 1, 2`,
    )
    .all();
  const hourlyFromCalls = database.sqlite
    .prepare(
      `SELECT (started_at / ${HOUR_MS}) * ${HOUR_MS} AS hour, model,
         sum(usage_status = 'missing' AND status <> 'running') AS missing,
         sum(cache_read_tokens IS NOT NULL) AS cacheCalls,
         coalesce(sum(CASE WHEN cache_read_tokens IS NOT NULL THEN input_tokens ELSE 0 END), 0) AS cacheInput
       FROM calls WHERE status <> 'running' GROUP BY 1, 2 ORDER BY 1, 2`,
    )
    .all();
  expect(hourly).toEqual(hourlyFromCalls);
  const daily = database.sqlite
    .prepare(
      `SELECT day_start AS day, model, calls, input_tokens AS input, output_tokens AS output,
         cache_read_tokens AS cacheRead, cache_write_tokens AS cacheWrite,
         round(cost_usd, 9) AS cost, round(savings_usd, 9) AS savings,
         unpriced_calls AS unpriced, error_calls AS errors, usage_missing_calls AS missing,
         cache_reported_calls AS cacheCalls, cache_reported_input_tokens AS cacheInput
       FROM usage_daily WHERE calls <> 0 ORDER BY 1, 2`,
    )
    .all();
  const dailyFromCalls = database.sqlite
    .prepare(
      `SELECT (started_at / ${DAY_MS}) * ${DAY_MS} AS day, model, count(*) AS calls,
         coalesce(sum(input_tokens), 0) AS input, coalesce(sum(output_tokens), 0) AS output,
         coalesce(sum(cache_read_tokens), 0) AS cacheRead,
         coalesce(sum(cache_write_tokens), 0) AS cacheWrite,
         round(total(cost_usd), 9) AS cost, round(total(savings_usd), 9) AS savings,
         sum(pricing_status IS 'unpriced') AS unpriced, sum(status IS 'error') AS errors,
         sum(usage_status = 'missing' AND status <> 'running') AS missing,
         sum(cache_read_tokens IS NOT NULL) AS cacheCalls,
         coalesce(sum(CASE WHEN cache_read_tokens IS NOT NULL THEN input_tokens ELSE 0 END), 0) AS cacheInput
       FROM calls WHERE status <> 'running' GROUP BY 1, 2 ORDER BY 1, 2`,
    )
    .all();
  expect(daily).toEqual(dailyFromCalls);
}

describe("dashboard rollups", () => {
  it("follow a call from start to finish, as the recorder writes it", () => {
    const database = fresh();
    const writer = createCallWriter(database);
    writer.writeBatch({
      runs: [runInsert("run-1")],
      callInserts: [
        callInsert({ id: "a", runId: "run-1" }),
        callInsert({ id: "b", runId: "run-1", callIndex: 1, model: "demo:fast" }),
      ],
      callUpdates: [],
    });
    // Running calls count nowhere yet: a call adds to the rollups when it ends.
    expect(storedTimings(database)).toEqual([]);
    expect(database.sqlite.prepare("SELECT count(*) AS count FROM run_costs").get()).toEqual({
      count: 0,
    });
    expect(database.sqlite.prepare("SELECT total(calls) AS calls FROM usage_hourly").get()).toEqual(
      { calls: 0 },
    );
    expectRollupsMatchCalls(database);

    writer.writeBatch({
      runs: [],
      callInserts: [],
      callUpdates: [
        {
          id: "a",
          values: {
            status: "ok",
            ttftMs: 412,
            durationMs: 2_412,
            outputTokens: 200,
            inputTokens: 1_000,
            usageStatus: "reported",
            costUsd: 0.00027,
            pricingStatus: "priced",
          },
        },
        {
          id: "b",
          values: {
            status: "ok",
            ttftMs: 0,
            durationMs: 30,
            usageStatus: "missing",
            costUsd: 0,
            pricingStatus: "local",
          },
        },
      ],
    });
    const timings = storedTimings(database);
    expect(timings).toContainEqual({
      day: BASE,
      model: "openai:gpt-4o-mini",
      metric: "ttft",
      bucket: bucketOf(412),
      calls: 1,
    });
    // 200 tokens in 2 s after the first token: 100 tokens/s.
    expect(timings).toContainEqual({
      day: BASE,
      model: "openai:gpt-4o-mini",
      metric: "tps",
      bucket: bucketOf(100),
      calls: 1,
    });
    // A 30 ms call is too short for a speed; its 0 ms first token is kept in bucket -1.
    expect(timings.filter((row) => row.model === "demo:fast")).toEqual([
      { day: BASE, model: "demo:fast", metric: "ttft", bucket: -1, calls: 1 },
    ]);
    expectRollupsMatchCalls(database);
  });

  it("stay equal to sums over calls through updates, moves and deletes", () => {
    const database = fresh();
    const writer = createCallWriter(database);
    const models = ["openai:gpt-4o-mini", "anthropic:claude-sonnet-4-5", "ollama:llama3.2"];
    const statuses = ["ok", "error", "cancelled", "interrupted"] as const;
    const inserts: CallInsert[] = [];
    for (let index = 0; index < 60; index++) {
      const reported = index % 5 !== 0;
      inserts.push(
        callInsert({
          id: `call-${index}`,
          runId: `run-${index % 7}`,
          callIndex: index,
          model: models[index % models.length],
          status: statuses[index % statuses.length],
          startedAt: new Date(BASE + index * 5 * HOUR_MS + index * 1_000),
          ttftMs: index % 4 === 1 ? null : 100 + index * 37,
          durationMs: 500 + index * 211,
          outputTokens: reported ? 10 + index * 3 : null,
          inputTokens: reported ? 100 + index : null,
          cacheReadTokens: reported && index % 3 !== 2 ? index : null,
          usageStatus: reported ? "reported" : "missing",
          costUsd: index % 6 === 0 ? null : index * 0.001,
          savingsUsd: index % 6 === 0 ? null : ((index % 5) - 2) * 0.0001,
          pricingStatus: index % 6 === 0 ? "unpriced" : "priced",
        }),
      );
    }
    writer.writeBatch({
      runs: Array.from({ length: 7 }, (_, index) => runInsert(`run-${index}`)),
      callInserts: inserts,
      callUpdates: [],
    });
    expectRollupsMatchCalls(database);

    writer.writeBatch({
      runs: [],
      callInserts: [],
      callUpdates: [
        { id: "call-3", values: { costUsd: 1.5, pricingStatus: "priced" } },
        { id: "call-6", values: { ttftMs: 5, durationMs: 5_000, status: "ok" } },
        { id: "call-9", values: { usageStatus: "reported", outputTokens: 44 } },
        { id: "call-10", values: { cacheReadTokens: null, inputTokens: 500 } },
        { id: "call-11", values: { cacheReadTokens: 7 } },
        { id: "call-12", values: { startedAt: new Date(BASE + 40 * DAY_MS) } },
        { id: "call-15", values: { model: "openai:gpt-4o", costUsd: null } },
      ],
    });
    expectRollupsMatchCalls(database);

    database.sqlite.prepare("UPDATE calls SET run_id = 'run-0' WHERE id = 'call-20'").run();
    database.sqlite.prepare("DELETE FROM calls WHERE id IN ('call-1', 'call-2')").run();
    // Deleting a run removes its calls (cascade) and with them its rollup rows.
    database.sqlite.prepare("DELETE FROM runs WHERE id = 'run-4'").run();
    expectRollupsMatchCalls(database);
    expect(
      database.sqlite
        .prepare("SELECT count(*) AS count FROM run_costs WHERE run_id = 'run-4'")
        .get(),
    ).toEqual({ count: 0 });
  });

  it("are filled in for calls recorded before the migrations that added them", () => {
    const before = createDatabaseBefore(MIGRATION_OF_ROLLUPS);
    try {
      const old = before.database;
      expect(
        old.sqlite
          .prepare("SELECT count(*) AS count FROM sqlite_master WHERE name = 'run_costs'")
          .get(),
      ).toEqual({ count: 0 });
      // Written as an older version would: plain inserts, before the recorder knew rollups.
      insertOldRows(old, runs, [runInsert("run-old"), runInsert("run-other")]);
      insertOldRows(old, calls, [
        callInsert({
          id: "old",
          runId: "run-old",
          status: "ok",
          ttftMs: 900,
          durationMs: 3_000,
          inputTokens: 1_000,
          outputTokens: 300,
          cacheReadTokens: 200,
          usageStatus: "reported",
          costUsd: 0.02,
          savingsUsd: 0.001,
          pricingStatus: "priced",
        }),
        // Stored as unpriced, as versions before 0008 did for a call without usage.
        callInsert({
          id: "old-missing",
          runId: "run-old",
          status: "error",
          callIndex: 1,
          pricingStatus: "unpriced",
        }),
        callInsert({
          id: "other",
          runId: "run-other",
          model: "ollama:llama3.2",
          startedAt: new Date(BASE + 3 * DAY_MS + 5 * HOUR_MS),
          status: "ok",
          ttftMs: 120,
          durationMs: 2_000,
          outputTokens: 80,
          usageStatus: "reported",
          costUsd: 0,
          pricingStatus: "local",
        }),
      ]);
      const upgraded = before.upgrade();
      try {
        expectRollupsMatchCalls(upgraded);
        expect(storedTimings(upgraded).length).toBeGreaterThan(0);
        // 0007: a call without usage is not a price problem.
        expect(
          upgraded.sqlite
            .prepare(
              "SELECT pricing_status AS status, attempts FROM calls WHERE id = 'old-missing'",
            )
            .get(),
        ).toEqual({ status: "usage_missing", attempts: 1 });
        expect(
          upgraded.sqlite.prepare("SELECT sum(unpriced_calls) AS unpriced FROM usage_daily").get(),
        ).toEqual({ unpriced: 0 });
        expect(upgraded.sqlite.prepare("SELECT count(*) AS count FROM usage_daily").get()).toEqual({
          count: 2,
        });
      } finally {
        closeDatabase(upgraded);
      }
    } finally {
      before.remove();
    }
  });
});

describe("the recorder's batches", () => {
  it("treat as rollup changes exactly the columns the per-row update triggers watch", () => {
    const database = fresh();
    const columnKeyByName = new Map(
      Object.entries(getTableColumns(calls)).map(([key, column]) => [column.name, key]),
    );
    for (const trigger of ["calls_rollups_before_update", "calls_rollups_after_update"]) {
      const { sql } = database.sqlite
        .prepare("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?")
        .get(trigger) as { sql: string };
      const watched = /UPDATE OF (.+?) ON `calls`/s.exec(sql)?.[1] ?? "";
      const keys = watched
        .split(",")
        .map((name) => columnKeyByName.get(name.trim().replaceAll("`", "")));
      expect(new Set(keys)).toEqual(new Set(ROLLUP_COLUMN_KEYS));
    }
  });

  it("finish a call whose first insert was rolled back and written again", () => {
    const database = fresh();
    const writer = createCallWriter(database);
    // The start of "a" is rolled back with its batch (the other call's run does not exist)…
    expect(() =>
      writer.writeBatch({
        runs: [runInsert("run-1")],
        callInserts: [
          callInsert({ id: "a", runId: "run-1" }),
          callInsert({ id: "b", runId: "no-such-run" }),
        ],
        callUpdates: [],
      }),
    ).toThrow(/FOREIGN KEY/);
    // …then written again, behind another row, so its rowid differs from the first attempt's.
    writer.writeBatch({
      runs: [runInsert("run-1")],
      callInserts: [
        callInsert({ id: "c", runId: "run-1" }),
        callInsert({ id: "a", runId: "run-1" }),
      ],
      callUpdates: [],
    });
    writer.writeBatch({
      runs: [],
      callInserts: [],
      callUpdates: [{ id: "a", values: { status: "ok", costUsd: 0.25, pricingStatus: "priced" } }],
    });
    expect(database.sqlite.prepare("SELECT id, status FROM calls ORDER BY id").all()).toEqual([
      { id: "a", status: "ok" },
      { id: "c", status: "running" },
    ]);
    expect(database.sqlite.prepare("SELECT calls, cost_usd AS cost FROM run_costs").get()).toEqual({
      calls: 1,
      cost: 0.25,
    });
    expectRollupsMatchCalls(database);
  });

  it("never change another call through the rowid of a deleted one", () => {
    const database = fresh();
    const writer = createCallWriter(database);
    writer.writeBatch({
      runs: [runInsert("run-1"), runInsert("run-2")],
      callInserts: [callInsert({ id: "old", runId: "run-1" })],
      callUpdates: [],
    });
    const rowidOf = (id: string) =>
      (database.sqlite.prepare("SELECT rowid FROM calls WHERE id = ?").get(id) as { rowid: number })
        .rowid;
    const oldRowid = rowidOf("old");
    // The run is deleted while its call runs; SQLite hands the freed rowid to the next insert.
    database.sqlite.prepare("DELETE FROM runs WHERE id = 'run-1'").run();
    writer.writeBatch({
      runs: [],
      callInserts: [callInsert({ id: "new", runId: "run-2" })],
      callUpdates: [],
    });
    expect(rowidOf("new")).toBe(oldRowid);

    writer.writeBatch({
      runs: [],
      callInserts: [],
      callUpdates: [{ id: "old", values: { status: "ok", output: "late", costUsd: 1 } }],
    });
    expect(database.sqlite.prepare("SELECT id, status, output FROM calls").all()).toEqual([
      { id: "new", status: "running", output: "" },
    ]);
    expectRollupsMatchCalls(database);
  });

  it("stay exact for running calls the writer no longer remembers", () => {
    const database = fresh();
    const writer = createCallWriter(database, { maxRememberedRunningCalls: 1 });
    writer.writeBatch({
      runs: [runInsert("run-1")],
      callInserts: ["a", "b", "c"].map((id, index) =>
        callInsert({ id, runId: "run-1", callIndex: index }),
      ),
      callUpdates: [],
    });
    writer.writeBatch({
      runs: [],
      callInserts: [],
      callUpdates: ["a", "b", "c"].map((id) => ({
        id,
        values: {
          status: "ok" as const,
          output: `answer ${id}`,
          costUsd: 0.5,
          pricingStatus: "priced" as const,
        },
      })),
    });
    expect(
      database.sqlite.prepare("SELECT id, status, output FROM calls ORDER BY id").all(),
    ).toEqual(["a", "b", "c"].map((id) => ({ id, status: "ok", output: `answer ${id}` })));
    expect(database.sqlite.prepare("SELECT calls, cost_usd AS cost FROM run_costs").get()).toEqual({
      calls: 3,
      cost: 1.5,
    });
    expectRollupsMatchCalls(database);
  });

  it("switch the per-row triggers off only inside their own transaction, even when one fails", () => {
    const database = fresh();
    const writer = createCallWriter(database);
    const ended = (id: string, runId: string) =>
      callInsert({
        id,
        runId,
        status: "ok",
        inputTokens: 10,
        costUsd: 0.5,
        pricingStatus: "priced",
      });
    writer.writeBatch({
      runs: [runInsert("run-1")],
      callInserts: [ended("a", "run-1")],
      callUpdates: [],
    });
    const pausedRows = () =>
      database.sqlite.prepare("SELECT count(*) AS count FROM recorder_batches").get();
    expect(pausedRows()).toEqual({ count: 0 });

    // A batch whose last write breaks a constraint (its run does not exist) is rolled back whole.
    expect(() =>
      writer.writeBatch({
        runs: [],
        callInserts: [ended("b", "run-1"), ended("c", "no-such-run")],
        callUpdates: [{ id: "a", values: { costUsd: 9 } }],
      }),
    ).toThrow(/FOREIGN KEY/);
    expect(pausedRows()).toEqual({ count: 0 });
    expect(database.sqlite.prepare("SELECT calls, cost_usd AS cost FROM run_costs").all()).toEqual([
      { calls: 1, cost: 0.5 },
    ]);
    expectRollupsMatchCalls(database);

    // Outside a batch, a write by hand is still followed by the per-row triggers.
    database.sqlite.prepare("UPDATE calls SET cost_usd = 2 WHERE id = 'a'").run();
    expect(database.sqlite.prepare("SELECT cost_usd AS cost FROM run_costs").get()).toEqual({
      cost: 2,
    });
    expectRollupsMatchCalls(database);
  });
});
