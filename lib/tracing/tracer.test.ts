import { afterEach, describe, expect, it, vi } from "vitest";
import { type CallWriter, createCallWriter, type WriteBatch } from "@/lib/db/call-writes";
import { closeDatabase } from "@/lib/db/client";
import { getCallById, getRunById, upsertPriceOverride } from "@/lib/db/queries";
import type { ExportableCall } from "@/lib/telemetry/call-span";
import { createTemporaryDatabase, type TemporaryDatabase } from "@/test/support/db/test-database";
import { callFinish, callStart, runRecord, usageOf } from "@/test/support/tracing-fixtures";
import { createTracer, type TracerOptions } from "./tracer";

const opened: TemporaryDatabase[] = [];
afterEach(() => {
  for (const item of opened.splice(0)) item.remove();
});

function setUp(
  options: Omit<Partial<TracerOptions>, "writer"> & {
    writer?: (real: CallWriter) => CallWriter;
  } = {},
) {
  const store = createTemporaryDatabase();
  opened.push(store);
  const batches: WriteBatch[] = [];
  const real = createCallWriter(store.database);
  const recording: CallWriter = {
    writeBatch(batch, writeOptions) {
      batches.push(structuredClone(batch));
      real.writeBatch(batch, writeOptions);
    },
  };
  const { writer: wrap, ...rest } = options;
  const writer = wrap ? wrap(recording) : recording;
  const logs: string[] = [];
  const tracer = createTracer({
    database: store.database,
    writer,
    flushIntervalMs: 5,
    retryDelayMs: 5,
    log: (message) => logs.push(message),
    ...rest,
  });
  return { store, database: store.database, tracer, batches, logs };
}

/**
 * A writer over the real database that refuses the first `refusals` batches as a lock held by
 * another process would.
 */
function refusingWriter(refusals: number): (real: CallWriter) => CallWriter {
  let left = refusals;
  return (real) => ({
    writeBatch(batch, options) {
      if (left > 0) {
        left -= 1;
        throw Object.assign(new Error("database is locked"), { code: "SQLITE_BUSY" });
      }
      real.writeBatch(batch, options);
    },
  });
}

describe("SqliteTracer", () => {
  it("records a run and a call that starts, streams and finishes", async () => {
    const { database, tracer } = setUp();
    tracer.recordRun(runRecord({ id: "run-1", system: "Be brief." }));
    tracer.recordCallStart(callStart({ callId: "call-1", runId: "run-1" }));
    tracer.recordCallProgress({
      callId: "call-1",
      output: "WAL",
      toolCalls: [],
      firstTokenAt: new Date("2026-01-15T12:00:00.400Z"),
      request: {
        url: "https://api.openai.com/v1/chat/completions",
        body: { model: "gpt-4o-mini" },
      },
      unsupported: [{ parameter: "seed", reason: "not sent" }],
    });
    const cost = tracer.recordCallFinish(callFinish({ callId: "call-1" }));
    await tracer.flush();

    const run = getRunById({ runId: "run-1", database });
    expect(run).toMatchObject({
      id: "run-1",
      system: "Be brief.",
      createdAt: "2026-01-15T12:00:00.000Z",
    });
    const call = run?.calls[0];
    expect(call).toMatchObject({
      callId: "call-1",
      model: "openai:gpt-4o-mini",
      status: "ok",
      output: "WAL keeps a separate log…",
      stopReason: "stop",
      ttftMs: 400,
      durationMs: 2_000,
      usage: {
        inputTokens: 1_000,
        outputTokens: 200,
        cacheReadTokens: null,
        reasoningTokens: null,
      },
      usageStatus: "reported",
      pricingStatus: "priced",
      request: {
        url: "https://api.openai.com/v1/chat/completions",
        body: { model: "gpt-4o-mini" },
      },
      unsupported: [{ parameter: "seed", reason: "not sent" }],
      error: null,
    });
    // gpt-4o-mini: $0.15 in, $0.60 out per million.
    expect(cost.costUsd).toBeCloseTo((1_000 * 0.15 + 200 * 0.6) / 1e6, 12);
    expect(call?.costUsd).toBe(cost.costUsd);
  });

  it("writes everything enqueued before a write in one batch, a whole call as one insert", async () => {
    const { tracer, batches } = setUp();
    tracer.recordRun(runRecord({ id: "run-1" }));
    for (let index = 0; index < 10; index++) {
      const callId = `call-${index}`;
      tracer.recordCallStart(callStart({ callId, runId: "run-1", index }));
      tracer.recordCallProgress({ callId, output: "partial", toolCalls: [], firstTokenAt: null });
      tracer.recordCallFinish(callFinish({ callId }));
    }
    await tracer.flush();
    expect(batches).toHaveLength(1);
    expect(batches[0]?.runs).toHaveLength(1);
    expect(batches[0]?.callInserts).toHaveLength(10);
    expect(batches[0]?.callUpdates).toHaveLength(0);
    expect(batches[0]?.callInserts[3]).toMatchObject({
      id: "call-3",
      status: "ok",
      output: "WAL keeps a separate log…",
    });
  });

  it("coalesces progress of a call already written into one update with the latest output", async () => {
    const { database, tracer, batches } = setUp();
    tracer.recordRun(runRecord({ id: "run-1" }));
    tracer.recordCallStart(callStart({ callId: "call-1", runId: "run-1" }));
    await tracer.flush();
    const firstTokenAt = new Date("2026-01-15T12:00:00.300Z");
    for (const output of ["W", "WA", "WAL", "WAL mode"]) {
      tracer.recordCallProgress({ callId: "call-1", output, toolCalls: [], firstTokenAt });
    }
    await tracer.flush();
    expect(batches).toHaveLength(2);
    expect(batches[1]?.callUpdates).toEqual([
      { id: "call-1", values: { output: "WAL mode", toolCalls: [], firstTokenAt } },
    ]);
    expect(getCallById({ callId: "call-1", database })).toMatchObject({
      status: "running",
      output: "WAL mode",
      firstTokenAt: "2026-01-15T12:00:00.300Z",
    });
  });

  it("ignores progress that arrives after the finish", async () => {
    const { database, tracer } = setUp();
    tracer.recordRun(runRecord({ id: "run-1" }));
    tracer.recordCallStart(callStart({ callId: "call-1", runId: "run-1" }));
    tracer.recordCallFinish(callFinish({ callId: "call-1", output: "final" }));
    tracer.recordCallProgress({
      callId: "call-1",
      output: "stale",
      toolCalls: [],
      firstTokenAt: null,
    });
    await tracer.flush();
    expect(getCallById({ callId: "call-1", database })?.output).toBe("final");
  });

  it("retries a batch the database refuses until it takes it", async () => {
    const { database, tracer, logs } = setUp({ writer: refusingWriter(3) });
    tracer.recordRun(runRecord({ id: "run-1" }));
    tracer.recordCallStart(callStart({ callId: "call-1", runId: "run-1" }));
    expect(() => tracer.recordCallFinish(callFinish({ callId: "call-1" }))).not.toThrow();
    await tracer.flush();
    expect(logs[0]).toMatch(/refuses writes \(SQLITE_BUSY: database is locked\); 1 calls wait/);
    expect(logs.at(-1)).toMatch(/takes writes again/);
    expect(tracer.getStats()).toMatchObject({ failedAttempts: 3, droppedWrites: 0, callsLost: 0 });
    expect(getCallById({ callId: "call-1", database })?.status).toBe("ok");
    expect(tracer.getHealth()).toMatchObject({ state: "ok", pendingCalls: 0, failingSince: null });
  });

  it("keeps writing new records in order after a refused batch", async () => {
    const { database, tracer } = setUp({ writer: refusingWriter(2) });
    tracer.recordRun(runRecord({ id: "run-1" }));
    tracer.recordCallStart(callStart({ callId: "call-1", runId: "run-1" }));
    const firstFlush = tracer.flush();
    // Arrives while the first batch waits for its retry: must be written after it.
    tracer.recordCallFinish(callFinish({ callId: "call-1", output: "done" }));
    await firstFlush;
    await tracer.flush();
    expect(getCallById({ callId: "call-1", database })).toMatchObject({
      status: "ok",
      output: "done",
    });
  });

  it("drops only the write that keeps failing, logging it", async () => {
    const { database, tracer, logs } = setUp();
    tracer.recordRun(runRecord({ id: "run-1" }));
    tracer.recordCallStart(callStart({ callId: "good", runId: "run-1" }));
    // No such run: the foreign key fails on every attempt.
    tracer.recordCallStart(callStart({ callId: "orphan", runId: "missing-run" }));
    await tracer.flush();
    expect(getCallById({ callId: "good", database })?.status).toBe("running");
    expect(getCallById({ callId: "orphan", database })).toBeNull();
    // A constraint fails the same way every time: no retry, the row is dropped at once.
    expect(tracer.getStats()).toMatchObject({ droppedWrites: 1, failedAttempts: 0 });
    expect(logs.at(-1)).toMatch(/dropped call orphan: SQLITE_CONSTRAINT_FOREIGNKEY/);
  });

  it("never throws into the caller, even with the database gone", async () => {
    const { database, tracer, logs } = setUp();
    closeDatabase(database);
    expect(() => {
      tracer.recordRun(runRecord({ id: "run-1" }));
      tracer.recordCallStart(callStart({ callId: "call-1", runId: "run-1" }));
      tracer.recordCallProgress({
        callId: "call-1",
        output: "x",
        toolCalls: [],
        firstTokenAt: null,
      });
      tracer.recordCallFinish(callFinish({ callId: "unknown-call" }));
    }).not.toThrow();
    await expect(tracer.flush()).resolves.toBeUndefined();
    expect(logs.some((message) => message.includes("dropped"))).toBe(true);
  });

  it("prices from the overrides in force, reloading them after a change", async () => {
    const { database, tracer } = setUp();
    tracer.recordRun(runRecord({ id: "run-1" }));
    tracer.recordCallStart(callStart({ callId: "before", runId: "run-1" }));
    const before = tracer.recordCallFinish(callFinish({ callId: "before" }));
    upsertPriceOverride({
      database,
      override: {
        provider: "openai",
        modelPattern: "gpt-4o-mini",
        inputPerMillion: 10,
        outputPerMillion: 20,
        effectiveFrom: new Date("2026-01-01T00:00:00Z"),
      },
    });
    tracer.recordCallStart(callStart({ callId: "after", runId: "run-1", index: 1 }));
    const after = tracer.recordCallFinish(callFinish({ callId: "after" }));
    await tracer.flush();
    expect(before.costUsd).toBeCloseTo((1_000 * 0.15 + 200 * 0.6) / 1e6, 12);
    expect(after.costUsd).toBeCloseTo((1_000 * 10 + 200 * 20) / 1e6, 12);
    expect(getCallById({ callId: "after", database })?.priceSource).toMatch(/^override:/);
  });

  it("prices a call by the time it started, not when it finished", async () => {
    const { database, tracer } = setUp();
    upsertPriceOverride({
      database,
      override: {
        provider: "openai",
        modelPattern: "gpt-4o-mini",
        inputPerMillion: 10,
        outputPerMillion: 20,
        effectiveFrom: new Date("2026-01-15T12:00:01Z"),
      },
    });
    tracer.recordRun(runRecord({ id: "run-1" }));
    // Started one second before the override, finished after it.
    tracer.recordCallStart(callStart({ callId: "call-1", runId: "run-1" }));
    const cost = tracer.recordCallFinish(callFinish({ callId: "call-1" }));
    await tracer.flush();
    expect(cost.costUsd).toBeCloseTo((1_000 * 0.15 + 200 * 0.6) / 1e6, 12);
  });

  it("records unknown models as unpriced with a null cost and local models at $0", async () => {
    const { database, tracer } = setUp();
    tracer.recordRun(runRecord({ id: "run-1" }));
    tracer.recordCallStart(
      callStart({ callId: "unknown", runId: "run-1", model: "openai:gpt-unknown" }),
    );
    tracer.recordCallStart(
      callStart({ callId: "local", runId: "run-1", index: 1, model: "ollama:llama3" }),
    );
    tracer.recordCallStart(callStart({ callId: "no-usage", runId: "run-1", index: 2 }));
    expect(tracer.recordCallFinish(callFinish({ callId: "unknown" })).costUsd).toBeNull();
    expect(tracer.recordCallFinish(callFinish({ callId: "local" })).costUsd).toBe(0);
    expect(
      tracer.recordCallFinish(callFinish({ callId: "no-usage", usage: null })).costUsd,
    ).toBeNull();
    await tracer.flush();
    expect(getCallById({ callId: "unknown", database })).toMatchObject({
      pricingStatus: "unpriced",
      costUsd: null,
      priceSource: null,
    });
    expect(getCallById({ callId: "local", database })).toMatchObject({
      pricingStatus: "local",
      costUsd: 0,
      priceSource: "local",
    });
    // Nothing to price is not a missing price (DESIGN.md, "Usage statuses").
    expect(getCallById({ callId: "no-usage", database })).toMatchObject({
      pricingStatus: "usage_missing",
      usage: null,
      usageStatus: "missing",
      costUsd: null,
    });
  });

  it("stores cache usage and its cost parts", async () => {
    const { database, tracer } = setUp();
    tracer.recordRun(runRecord({ id: "run-1" }));
    tracer.recordCallStart(
      callStart({ callId: "call-1", runId: "run-1", model: "anthropic:claude-sonnet-4-5" }),
    );
    tracer.recordCallFinish(
      callFinish({
        callId: "call-1",
        usage: usageOf({
          inputTokens: 12_307,
          cacheReadTokens: 0,
          cacheWriteTokens: 12_304,
          outputTokens: 0,
          raw: { input_tokens: 3, cache_creation_input_tokens: 12_304 },
        }),
      }),
    );
    await tracer.flush();
    const row = database.sqlite
      .prepare(
        "SELECT cost_input_usd, cost_cache_write_usd, savings_usd, raw_usage FROM calls WHERE id = 'call-1'",
      )
      .get() as {
      cost_input_usd: number;
      cost_cache_write_usd: number;
      savings_usd: number;
      raw_usage: string;
    };
    expect(row.cost_input_usd).toBeCloseTo((3 * 3) / 1e6, 12);
    expect(row.cost_cache_write_usd).toBeCloseTo((12_304 * 3.75) / 1e6, 12);
    expect(row.savings_usd).toBeLessThan(0);
    expect(JSON.parse(row.raw_usage)).toEqual({
      input_tokens: 3,
      cache_creation_input_tokens: 12_304,
    });
  });

  it("stores the error with its message redacted", async () => {
    const { database, tracer } = setUp();
    tracer.recordRun(runRecord({ id: "run-1" }));
    tracer.recordCallStart(callStart({ callId: "call-1", runId: "run-1" }));
    tracer.recordCallFinish(
      callFinish({
        callId: "call-1",
        status: "error",
        stopReason: "error",
        usage: null,
        error: {
          kind: "auth",
          code: "invalid_api_key",
          status: 401,
          message: "Incorrect API key provided: sk-proj-abcdefghijklmnop",
          retryAfterMs: null,
        },
      }),
    );
    await tracer.flush();
    const call = getCallById({ callId: "call-1", database });
    expect(call?.error).toEqual({
      code: "auth",
      message: "Incorrect API key provided: [redacted]",
      providerCode: "invalid_api_key",
      status: 401,
    });
  });

  it("still records the finish, unpriced, when prices cannot be read", async () => {
    const { database, tracer, logs } = setUp();
    tracer.recordRun(runRecord({ id: "run-1" }));
    tracer.recordCallStart(callStart({ callId: "call-1", runId: "run-1" }));
    database.sqlite.exec("ALTER TABLE price_overrides RENAME TO price_overrides_gone");
    database.priceOverridesVersion += 1;
    expect(tracer.recordCallFinish(callFinish({ callId: "call-1" })).costUsd).toBeNull();
    await tracer.flush();
    expect(getCallById({ callId: "call-1", database })).toMatchObject({
      status: "ok",
      pricingStatus: "unpriced",
      costUsd: null,
    });
    expect(logs.some((message) => message.startsWith("could not price call call-1"))).toBe(true);
  });

  it("resolves flush at once when nothing is pending", async () => {
    const { tracer, batches } = setUp();
    await tracer.flush();
    expect(batches).toHaveLength(0);
  });

  it("writes without waiting for the interval once enough calls are pending", async () => {
    const { database, tracer } = setUp({ flushIntervalMs: 60_000, maxPendingCalls: 2 });
    tracer.recordRun(runRecord({ id: "run-1" }));
    tracer.recordCallStart(callStart({ callId: "call-1", runId: "run-1" }));
    tracer.recordCallStart(callStart({ callId: "call-2", runId: "run-1", index: 1 }));
    await vi.waitFor(() => expect(getCallById({ callId: "call-2", database })).not.toBeNull());
  });

  it("writes on its own after the flush interval", async () => {
    const { database, tracer } = setUp({ flushIntervalMs: 1 });
    tracer.recordRun(runRecord({ id: "run-1" }));
    // No flush(): the timer alone must write it.
    await vi.waitFor(() => expect(getRunById({ runId: "run-1", database })).not.toBeNull());
  });
});

describe("export of ended calls", () => {
  function exportingSetUp(writer?: (real: CallWriter) => CallWriter) {
    const exported: Array<{ call: ExportableCall; inDatabase: boolean }> = [];
    let database: TemporaryDatabase["database"] | null = null;
    const setup = setUp({
      ...(writer ? { writer } : {}),
      exportCalls: {
        export(call) {
          // Whether the call's final record was already written when it was handed over.
          const row = database ? getCallById({ callId: call.callId, database }) : null;
          exported.push({ call, inDatabase: row?.status === call.status });
        },
      },
    });
    database = setup.database;
    return { ...setup, exported };
  }

  it("hands each ended call over once, after its final record is written, with its start's context", async () => {
    const { tracer, exported } = exportingSetUp();
    tracer.recordRun(runRecord({ id: "run-1" }));
    tracer.recordCallStart(
      callStart({
        callId: "call-1",
        runId: "run-1",
        model: "anthropic:claude-sonnet-4-5",
        context: { source: "gateway", keyName: "ci-bot", tags: ["nightly"] },
      }),
    );
    tracer.recordCallStart(callStart({ callId: "call-2", runId: "run-1", index: 1 }));
    tracer.recordCallFinish(
      callFinish({
        callId: "call-1",
        rawStopReason: "end_turn",
        responseModel: "claude-sonnet-4-5-20250929",
        usage: usageOf({
          inputTokens: 1_200,
          outputTokens: 80,
          cacheReadTokens: 1_000,
          cacheWriteTokens: 100,
          cacheWrite5mTokens: 100,
          cacheWrite1hTokens: 0,
        }),
      }),
    );
    await tracer.flush();
    // A call still running is not exported; progress after the finish changes nothing.
    expect(exported.map(({ call }) => call.callId)).toEqual(["call-1"]);
    const [first] = exported;
    expect(first?.inDatabase).toBe(true);
    expect(first?.call).toMatchObject({
      runId: "run-1",
      model: "anthropic:claude-sonnet-4-5",
      provider: "anthropic",
      modelId: "claude-sonnet-4-5",
      responseModel: "claude-sonnet-4-5-20250929",
      source: "gateway",
      keyName: "ci-bot",
      tags: ["nightly"],
      status: "ok",
      rawStopReason: "end_turn",
      inputTokens: 1_200,
      cacheReadTokens: 1_000,
      cacheWrite5mTokens: 100,
      reasoningTokens: null,
    });
    expect(first?.call.costUsd).toBeGreaterThan(0);

    tracer.recordCallFinish(callFinish({ callId: "call-2", status: "error", error: null }));
    await tracer.flush();
    expect(exported.map(({ call }) => call.callId)).toEqual(["call-1", "call-2"]);
    expect(exported[1]?.call).toMatchObject({ source: "playground", keyName: null, tags: [] });
  });

  it("does not hold spans back while the database refuses writes", async () => {
    const { tracer, exported, database } = exportingSetUp(refusingWriter(1_000_000));
    tracer.recordRun(runRecord({ id: "run-1" }));
    tracer.recordCallStart(callStart({ callId: "call-1", runId: "run-1" }));
    tracer.recordCallFinish(callFinish({ callId: "call-1" }));
    await vi.waitFor(() => expect(exported).toHaveLength(1));
    expect(exported[0]?.inDatabase).toBe(false);
    expect(getCallById({ callId: "call-1", database })).toBeNull();
    expect(tracer.getHealth().state).toBe("behind");
    tracer.close();
  });

  it("keeps recording when the export sink throws", async () => {
    const store = createTemporaryDatabase();
    opened.push(store);
    const logs: string[] = [];
    const tracer = createTracer({
      database: store.database,
      flushIntervalMs: 5,
      log: (message) => logs.push(message),
      exportCalls: {
        export() {
          throw new Error("collector client broke");
        },
      },
    });
    tracer.recordRun(runRecord({ id: "run-1" }));
    tracer.recordCallStart(callStart({ callId: "call-1", runId: "run-1" }));
    tracer.recordCallFinish(callFinish({ callId: "call-1" }));
    await tracer.flush();
    expect(getCallById({ callId: "call-1", database: store.database })?.status).toBe("ok");
    expect(logs.some((line) => line.includes("export failed"))).toBe(true);
  });
});
