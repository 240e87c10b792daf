/**
 * The recorder when the database refuses writes: batches go to the journal and come back out
 * once it takes them, exactly once, however often the journal is replayed.
 */
import { copyFileSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { closeRecorderConnection, type Database, openRecorderConnection } from "@/lib/db/client";
import { markRunningCallsInterrupted } from "@/lib/db/queries";
import { createTemporaryDatabase, type TemporaryDatabase } from "@/test/support/db/test-database";
import { startLockHolder } from "@/test/support/lock-holder";
import { callFinish, callStart, runRecord, usageOf } from "@/test/support/tracing-fixtures";
import { journalPathFor } from "./journal";
import { createTracer, type SqliteTracer, type TracerOptions } from "./tracer";

const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0).reverse()) cleanup();
});

function temporaryStore(): TemporaryDatabase {
  const store = createTemporaryDatabase();
  cleanups.push(() => store.remove());
  return store;
}

function recorderOn(store: TemporaryDatabase, options: Partial<TracerOptions> = {}) {
  const writer = openRecorderConnection(store.database);
  const logs: string[] = [];
  const tracer = createTracer({
    database: store.database,
    writerDatabase: writer,
    journalPath: journalPathFor(store.file),
    flushIntervalMs: 5,
    retryDelayMs: 5,
    maxRetryDelayMs: 20,
    journalAfterMs: 0,
    log: (message) => logs.push(message),
    ...options,
  });
  cleanups.push(() => {
    tracer.close();
    closeRecorderConnection(writer, store.database);
  });
  return { tracer, writer, logs };
}

const BIG_OUTPUT = "a long answer that needs pages of its own. ".repeat(400);

/** Records `count` finished calls (one run each) with known usage. */
function recordCalls(tracer: SqliteTracer, prefix: string, count: number): void {
  for (let index = 0; index < count; index++) {
    const runId = `${prefix}-run-${index}`;
    const callId = `${prefix}-call-${index}`;
    tracer.recordRun(runRecord({ id: runId }));
    tracer.recordCallStart(callStart({ callId, runId }));
    tracer.recordCallFinish(
      callFinish({
        callId,
        status: index % 2 === 0 ? "ok" : "error",
        output: BIG_OUTPUT,
        usage: usageOf({ inputTokens: 100, outputTokens: 10 }),
      }),
    );
  }
}

interface StoredSums {
  calls: number;
  inputTokens: number;
  errors: number;
  cost: number;
  distinctCalls?: number;
}

function stored(database: Database): { calls: StoredSums; rollup: StoredSums } {
  const calls = database.sqlite
    .prepare(
      "SELECT count(*) AS calls, count(DISTINCT id) AS distinctCalls, sum(input_tokens) AS inputTokens, sum(status = 'error') AS errors, round(sum(cost_usd), 9) AS cost FROM calls",
    )
    .get() as StoredSums;
  const rollup = database.sqlite
    .prepare(
      "SELECT sum(calls) AS calls, sum(input_tokens) AS inputTokens, sum(error_calls) AS errors, round(sum(cost_usd), 9) AS cost FROM usage_hourly",
    )
    .get() as StoredSums;
  return { calls, rollup };
}

async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 5));
}

describe("the recorder's journal", () => {
  it("journals calls while the database is full and writes each once when space returns", async () => {
    const store = temporaryStore();
    const { tracer, writer, logs } = recorderOn(store);
    const pages = writer.sqlite.pragma("page_count", { simple: true }) as number;
    writer.sqlite.pragma(`max_page_count = ${pages}`);

    recordCalls(tracer, "full", 20);
    await until(() => tracer.getStats().failedAttempts >= 3);
    const journal = journalPathFor(store.file);
    expect(existsSync(journal)).toBe(true);
    expect(tracer.getHealth()).toMatchObject({
      state: "behind",
      pendingCalls: 20,
      failure: "full",
      callsLost: 0,
    });
    expect(tracer.getHealth().journalBytes).toBeGreaterThan(20 * BIG_OUTPUT.length);
    expect(tracer.getHealth().lastError).toMatch(/SQLITE_FULL/);
    expect(await tracer.waitForWrites(20)).toBe(false);
    // Recorded while behind: goes to the journal after the others.
    recordCalls(tracer, "later", 2);

    writer.sqlite.pragma("max_page_count = 1000000000");
    await tracer.flush();
    // Written is enough for the barrier; the journal goes once the replay's last slice ends.
    await until(() => tracer.getHealth().state === "ok");
    expect(existsSync(journal)).toBe(false);
    expect(tracer.getHealth()).toMatchObject({
      state: "ok",
      pendingCalls: 0,
      journalBytes: 0,
      failingSince: null,
    });
    expect(stored(store.database)).toEqual({
      calls: {
        calls: 22,
        distinctCalls: 22,
        inputTokens: 2_200,
        errors: 11,
        cost: expect.any(Number),
      },
      rollup: {
        calls: 22,
        inputTokens: 2_200,
        errors: 11,
        cost: stored(store.database).calls.cost,
      },
    });
    expect(logs.join("\n")).not.toMatch(/LOST|dropped/);
  });

  it("replays a journal left by a crash once, however often it is replayed", async () => {
    const store = temporaryStore();
    const journal = journalPathFor(store.file);
    // A recorder that never gets to write: its batches end up in the journal only.
    const first = recorderOn(store);
    first.writer.sqlite.pragma(
      `max_page_count = ${first.writer.sqlite.pragma("page_count", { simple: true })}`,
    );
    recordCalls(first.tracer, "crash", 12);
    // One call still running when the process dies.
    first.tracer.recordCallStart(callStart({ callId: "left-running", runId: "crash-run-0" }));
    first.tracer.flushSync();
    expect(first.tracer.getHealth()).toMatchObject({ state: "behind", pendingCalls: 13 });
    first.tracer.close();
    const copy = path.join(store.directory, "journal-copy");
    copyFileSync(journal, copy);

    // The next start: the journal first, then the interrupted calls.
    const second = recorderOn(store);
    const recovered = second.tracer.recover((database) =>
      markRunningCallsInterrupted({ database }),
    );
    expect(recovered).toEqual({ complete: true, result: 1 });
    expect(existsSync(journal)).toBe(false);
    const once = stored(store.database);
    expect(once.calls).toMatchObject({
      calls: 13,
      distinctCalls: 13,
      inputTokens: 1_200,
      errors: 6,
    });
    expect(once.rollup).toMatchObject({ calls: 13, inputTokens: 1_200, errors: 6 });

    // A crash after the replay committed but before the journal was removed.
    copyFileSync(copy, journal);
    const third = recorderOn(store);
    expect(third.tracer.getHealth()).toMatchObject({ state: "behind", pendingCalls: 13 });
    third.tracer.recover((database) => markRunningCallsInterrupted({ database }));
    expect(existsSync(journal)).toBe(false);
    expect(stored(store.database)).toEqual(once);
    const statuses = store.database.sqlite
      .prepare("SELECT status, count(*) AS n FROM calls GROUP BY status ORDER BY status")
      .all();
    expect(statuses).toEqual([
      { status: "error", n: 6 },
      { status: "interrupted", n: 1 },
      { status: "ok", n: 6 },
    ]);
  });

  it("cuts off a record a crash left half-written and replays the rest", async () => {
    const store = temporaryStore();
    const journal = journalPathFor(store.file);
    const first = recorderOn(store);
    first.writer.sqlite.pragma(
      `max_page_count = ${first.writer.sqlite.pragma("page_count", { simple: true })}`,
    );
    recordCalls(first.tracer, "torn", 3);
    first.tracer.flushSync();
    first.tracer.close();
    writeFileSync(journal, `${readFileSync(journal, "utf8")}1700000000000\t{"runs":[`);

    const second = recorderOn(store);
    second.tracer.recover(() => 0);
    expect(second.logs.join("\n")).toMatch(/cut off \d+ bytes/);
    expect(stored(store.database).calls).toMatchObject({ calls: 3, distinctCalls: 3 });
    expect(existsSync(journal)).toBe(false);
  });

  it("keeps batches in memory when the journal cannot be written, and reports the ones it loses", async () => {
    const store = temporaryStore();
    const { tracer, writer, logs } = recorderOn(store, {
      journalPath: path.join(store.directory, "no-such-directory", "journal"),
      maxMemoryCalls: 5,
      maxPendingCalls: 1,
    });
    writer.sqlite.pragma(
      `max_page_count = ${writer.sqlite.pragma("page_count", { simple: true })}`,
    );
    for (let batch = 0; batch < 4; batch++) {
      recordCalls(tracer, `memory-${batch}`, 2);
      await until(
        () => tracer.getStats().pendingCalls === 0 || tracer.getHealth().state === "behind",
      );
      tracer.flushSync();
    }
    await until(() => tracer.getHealth().callsLost > 0);
    expect(logs.join("\n")).toMatch(/journal .* cannot be written/);
    expect(logs.join("\n")).toMatch(/LOST \d+ calls/);
    writer.sqlite.pragma("max_page_count = 1000000000");
    await tracer.flush();
    const { calls } = stored(store.database).calls;
    expect(calls + tracer.getHealth().callsLost).toBe(8);
  });

  it("starts while another process holds the lock: recovery runs first, once writes are taken", async () => {
    const store = temporaryStore();
    store.database.sqlite.exec(
      "INSERT INTO runs (id, created_at, messages) VALUES ('old', 0, '[]')",
    );
    const holder = startLockHolder(store.file);
    cleanups.push(() => void holder.close());
    await holder.lock();
    const { tracer } = recorderOn(store);
    const steps: string[] = [];
    const recovered = tracer.recover((database) => {
      const interrupted = markRunningCallsInterrupted({ database });
      const newRuns = database.sqlite.prepare("SELECT count(*) FROM runs WHERE id = 'new'");
      steps.push(`recovery with ${newRuns.pluck().get()} new runs written`);
      return interrupted;
    });
    expect(recovered).toEqual({ complete: false, result: 0 });
    // A run of this process, recorded while the recovery waits: written after it.
    tracer.recordRun(runRecord({ id: "new" }));
    expect(tracer.getHealth()).toMatchObject({ state: "behind", failure: "locked" });
    await holder.release();
    await tracer.flush();
    expect(steps).toEqual(["recovery with 0 new runs written"]);
    const ids = store.database.sqlite.prepare("SELECT id FROM runs ORDER BY id").pluck().all();
    expect(ids).toEqual(["new", "old"]);
  });
});
