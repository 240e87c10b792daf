import { afterEach, describe, expect, it } from "vitest";
import { createTracer, type SqliteTracer } from "@/lib/tracing/tracer";
import type { CallFinishRecord } from "@/lib/tracing/types";
import { createTemporaryDatabase, type TemporaryDatabase } from "@/test/support/db/test-database";
import { callFinish, callStart, runRecord, usageOf } from "@/test/support/tracing-fixtures";
import type { Database } from "./client";
import {
  deletePriceOverride,
  getPriceOverrideById,
  getRunById,
  getUsageReport,
  InvalidCursorError,
  listCallsForExport,
  listPriceOverrides,
  listRuns,
  markRunningCallsInterrupted,
  PriceOverrideNotFoundError,
  upsertPriceOverride,
} from "./queries";
import type { CallRow } from "./schema";

const opened: TemporaryDatabase[] = [];
afterEach(() => {
  for (const item of opened.splice(0)) item.remove();
});

function setUp(): { database: Database; tracer: SqliteTracer } {
  const store = createTemporaryDatabase();
  opened.push(store);
  return {
    database: store.database,
    tracer: createTracer({ database: store.database, log: () => {} }),
  };
}

const BASE = Date.parse("2026-01-10T00:00:00Z");
const HOUR = 3_600_000;

interface SeedCall {
  id: string;
  runId: string;
  index?: number;
  model: string;
  startedAt: number;
  finish?: Partial<CallFinishRecord> | null;
}

function seed(tracer: SqliteTracer, callsToRecord: SeedCall[]): void {
  const runIds = new Set<string>();
  for (const call of callsToRecord) {
    if (!runIds.has(call.runId)) {
      runIds.add(call.runId);
      tracer.recordRun(runRecord({ id: call.runId, createdAt: new Date(call.startedAt) }));
    }
    tracer.recordCallStart(
      callStart({
        callId: call.id,
        runId: call.runId,
        index: call.index ?? 0,
        model: call.model,
        startedAt: new Date(call.startedAt),
      }),
    );
    if (call.finish !== null) {
      tracer.recordCallFinish(callFinish({ callId: call.id, ...call.finish }));
    }
  }
}

describe("getRunById", () => {
  it("returns the run and its calls ordered by index, in the GET /api/runs/:id shape", async () => {
    const { database, tracer } = setUp();
    tracer.recordRun(
      runRecord({
        id: "run-1",
        system: "Be brief.",
        messages: [{ role: "user", content: "Explain WAL mode." }],
        tools: [{ type: "function", function: { name: "get_weather" } }],
        responseFormat: { type: "json_object" },
      }),
    );
    tracer.recordCallStart(
      callStart({ callId: "b", runId: "run-1", index: 1, model: "anthropic:claude-sonnet-4-5" }),
    );
    tracer.recordCallStart(callStart({ callId: "a", runId: "run-1", index: 0 }));
    tracer.recordCallFinish(
      callFinish({
        callId: "a",
        toolCalls: [{ id: "t1", name: "get_weather", arguments: { city: "Oslo" } }],
        stopReason: "tool-calls",
        usage: usageOf({
          inputTokens: 10,
          outputTokens: 5,
          cacheReadTokens: 0,
          cacheWriteTokens: 0,
          raw: { prompt_tokens: 10, completion_tokens: 5 },
        }),
      }),
    );
    await tracer.flush();

    const run = getRunById({ runId: "run-1", database });
    expect(run).toMatchObject({
      id: "run-1",
      createdAt: "2026-01-15T12:00:00.000Z",
      system: "Be brief.",
      title: "Explain WAL mode.",
      messages: [{ role: "user", content: "Explain WAL mode." }],
      tools: [{ type: "function", function: { name: "get_weather" } }],
      responseFormat: { type: "json_object" },
    });
    expect(run?.calls.map((call) => call.callId)).toEqual(["a", "b"]);
    expect(run?.calls[0]).toMatchObject({
      index: 0,
      model: "openai:gpt-4o-mini",
      status: "ok",
      stopReason: "tool-calls",
      toolCalls: [{ id: "t1", name: "get_weather", arguments: { city: "Oslo" } }],
      usage: {
        inputTokens: 10,
        outputTokens: 5,
        cacheReadTokens: 0,
        cacheWriteTokens: 0,
        reasoningTokens: null,
      },
      rawUsage: { prompt_tokens: 10, completion_tokens: 5 },
      params: { temperature: 0.2 },
      error: null,
    });
    expect(run?.calls[1]).toMatchObject({
      index: 1,
      status: "running",
      output: "",
      usage: null,
      costUsd: null,
      pricingStatus: null,
      finishedAt: null,
    });
  });

  it("returns null for an unknown run", () => {
    const { database } = setUp();
    expect(getRunById({ runId: "nope", database })).toBeNull();
  });
});

describe("listRuns", () => {
  async function fiveRuns() {
    const context = setUp();
    const prompts = ["Alpha WAL", "Beta 100% sure", "Gamma", "Delta wal", "Epsilon"];
    prompts.forEach((content, index) => {
      context.tracer.recordRun(
        runRecord({
          id: `run-${index}`,
          createdAt: new Date(BASE + index * 1_000),
          messages: [{ role: "user", content }],
        }),
      );
      context.tracer.recordCallStart(
        callStart({
          callId: `call-${index}`,
          runId: `run-${index}`,
          model: index === 2 ? "ollama:llama3.3" : "openai:gpt-4o-mini",
        }),
      );
    });
    await context.tracer.flush();
    return context;
  }

  it("pages newest first with a cursor until the last page", async () => {
    const { database } = await fiveRuns();
    const first = listRuns({ limit: 2, database });
    expect(first.runs.map((run) => run.id)).toEqual(["run-4", "run-3"]);
    const second = listRuns({ limit: 2, cursor: first.nextCursor, database });
    expect(second.runs.map((run) => run.id)).toEqual(["run-2", "run-1"]);
    const third = listRuns({ limit: 2, cursor: second.nextCursor, database });
    expect(third.runs.map((run) => run.id)).toEqual(["run-0"]);
    expect(third.nextCursor).toBeNull();
    expect(first.runs[0]).toMatchObject({
      title: "Epsilon",
      calls: [{ index: 0, callId: "call-4", model: "openai:gpt-4o-mini", status: "running" }],
      runningCalls: 1,
    });
  });

  it("pages with an offset too", async () => {
    const { database } = await fiveRuns();
    expect(listRuns({ limit: 2, offset: 3, database }).runs.map((run) => run.id)).toEqual([
      "run-1",
      "run-0",
    ]);
  });

  it("searches prompt text case-insensitively, and model strings", async () => {
    const { database } = await fiveRuns();
    expect(listRuns({ search: "wal", database }).runs.map((run) => run.id)).toEqual([
      "run-3",
      "run-0",
    ]);
    expect(listRuns({ search: "llama3", database }).runs.map((run) => run.id)).toEqual(["run-2"]);
    // `%` is a literal, not a wildcard.
    expect(listRuns({ search: "100%", database }).runs.map((run) => run.id)).toEqual(["run-1"]);
    expect(listRuns({ search: "no such text", database }).runs).toEqual([]);
  });

  it("refuses a cursor it did not issue", async () => {
    const { database } = await fiveRuns();
    expect(() => listRuns({ cursor: "garbage", database })).toThrow(InvalidCursorError);
  });
});

describe("getUsageReport", () => {
  const priced = usageOf({
    inputTokens: 1_000,
    outputTokens: 100,
    cacheReadTokens: 400,
    cacheWriteTokens: 0,
    reasoningTokens: 50,
  });

  async function mixedCalls() {
    const context = setUp();
    seed(context.tracer, [
      {
        id: "c1",
        runId: "r1",
        model: "openai:gpt-4o-mini",
        startedAt: BASE + 1 * HOUR,
        finish: { usage: priced },
      },
      {
        id: "c2",
        runId: "r1",
        index: 1,
        model: "anthropic:claude-sonnet-4-5",
        startedAt: BASE + 1 * HOUR,
        finish: { usage: priced },
      },
      // Unpriced: unknown model, and a known model without usage.
      {
        id: "c3",
        runId: "r2",
        model: "openai:gpt-unknown",
        startedAt: BASE + 26 * HOUR,
        finish: { usage: priced },
      },
      {
        id: "c4",
        runId: "r2",
        index: 1,
        model: "openai:gpt-4o-mini",
        startedAt: BASE + 26 * HOUR + 5,
        finish: {
          usage: null,
          status: "error",
          stopReason: "error",
          error: {
            kind: "rate_limit",
            code: null,
            status: 429,
            message: "slow down",
            retryAfterMs: 1_000,
          },
        },
      },
      {
        id: "c5",
        runId: "r3",
        model: "ollama:llama3",
        startedAt: BASE + 50 * HOUR,
        finish: { usage: priced },
      },
      // Still running: usage counts a call once it has ended.
      {
        id: "c6",
        runId: "r3",
        index: 1,
        model: "openai:gpt-4o-mini",
        startedAt: BASE + 50 * HOUR,
        finish: null,
      },
      // Outside the range.
      {
        id: "c7",
        runId: "r4",
        model: "openai:gpt-4o-mini",
        startedAt: BASE + 100 * HOUR,
        finish: { usage: priced },
      },
    ]);
    await context.tracer.flush();
    return context;
  }

  const gpt4oMiniCost = (600 * 0.15 + 400 * 0.075 + 100 * 0.6) / 1e6;
  const sonnetCost = (600 * 3 + 400 * 0.3 + 100 * 15) / 1e6;

  it("totals calls, tokens, priced cost, unpriced and error calls over a range", async () => {
    const { database } = await mixedCalls();
    const report = getUsageReport({
      from: new Date(BASE),
      to: new Date(BASE + 72 * HOUR),
      groupBy: "model",
      database,
    });
    expect(report.totals).toMatchObject({
      calls: 5,
      inputTokens: 4_000,
      outputTokens: 400,
      cacheReadTokens: 1_600,
      cacheWriteTokens: 0,
      reasoningTokens: 200,
      // Only gpt-unknown: it reported usage and has no price.
      unpricedCalls: 1,
      errorCalls: 1,
      // The rate-limited call: no usage, so no cost either, and not a price problem.
      usageMissingCalls: 1,
    });
    expect(report.totals.costUsd).toBeCloseTo(gpt4oMiniCost + sonnetCost, 12);
    expect(report.groups.map((group) => group.key)).toEqual([
      "anthropic:claude-sonnet-4-5",
      "openai:gpt-4o-mini",
      "ollama:llama3",
      "openai:gpt-unknown",
    ]);
    expect(report.groups[1]).toMatchObject({
      key: "openai:gpt-4o-mini",
      calls: 2,
      unpricedCalls: 0,
      usageMissingCalls: 1,
      errorCalls: 1,
    });
    expect(report.groups[3]).toMatchObject({
      key: "openai:gpt-unknown",
      calls: 1,
      costUsd: 0,
      unpricedCalls: 1,
    });
  });

  it("groups by provider and by UTC day, filling days without calls", async () => {
    const { database } = await mixedCalls();
    const byProvider = getUsageReport({
      from: new Date(BASE),
      to: new Date(BASE + 72 * HOUR),
      groupBy: "provider",
      database,
    });
    expect(byProvider.groups.map((group) => [group.key, group.calls])).toEqual([
      ["anthropic", 1],
      ["openai", 3],
      ["ollama", 1],
    ]);
    const byDay = getUsageReport({
      from: new Date(BASE),
      to: new Date(BASE + 96 * HOUR),
      groupBy: "day",
      database,
    });
    expect(byDay.groups.map((group) => [group.key, group.calls])).toEqual([
      ["2026-01-10", 2],
      ["2026-01-11", 2],
      ["2026-01-12", 1],
      ["2026-01-13", 0],
    ]);
  });

  it("filters by provider and by model", async () => {
    const { database } = await mixedCalls();
    const range = {
      from: new Date(BASE),
      to: new Date(BASE + 72 * HOUR),
      groupBy: "model" as const,
      database,
    };
    expect(getUsageReport({ ...range, provider: "openai" }).totals.calls).toBe(3);
    const model = getUsageReport({ ...range, model: "openai:gpt-4o-mini" });
    expect(model.totals).toMatchObject({
      calls: 2,
      errorCalls: 1,
      unpricedCalls: 0,
      usageMissingCalls: 1,
    });
    expect(model.totals.costUsd).toBeCloseTo(gpt4oMiniCost, 12);
  });

  it("counts exactly the calls in [from, to) for ranges that cut through hours", async () => {
    const { database, tracer } = setUp();
    const calls: SeedCall[] = [];
    for (let index = 0; index < 120; index++) {
      // Spread over ~3 days at uneven offsets, several per hour.
      const startedAt = BASE + Math.floor(((index * 7_919) % 240) * 0.3 * HOUR) + index * 1_000;
      calls.push({
        id: `c${index}`,
        runId: `r${index}`,
        model: index % 3 === 0 ? "anthropic:claude-haiku-4-5" : "openai:gpt-4o-mini",
        startedAt,
        finish:
          index % 5 === 0
            ? { usage: null, status: "error", stopReason: "error" }
            : { usage: priced },
      });
    }
    seed(tracer, calls);
    await tracer.flush();
    const ranges: Array<[number, number]> = [
      [BASE + 0.5 * HOUR, BASE + 30.25 * HOUR],
      [BASE + 3 * HOUR, BASE + 3.5 * HOUR],
      [BASE + 2 * HOUR + 1, BASE + 2 * HOUR + 59 * 60_000],
      [BASE - HOUR, BASE + 80 * HOUR],
      [BASE + 10 * HOUR, BASE + 20 * HOUR],
    ];
    for (const [from, to] of ranges) {
      const expected = database.sqlite
        .prepare(
          `SELECT count(*) AS calls, coalesce(sum(input_tokens), 0) AS inputTokens, total(cost_usd) AS costUsd,
             coalesce(sum(pricing_status IS 'unpriced'), 0) AS unpricedCalls, coalesce(sum(status IS 'error'), 0) AS errorCalls
           FROM calls WHERE started_at >= ? AND started_at < ? AND status <> 'running'`,
        )
        .get(from, to) as {
        calls: number;
        inputTokens: number;
        costUsd: number;
        unpricedCalls: number;
        errorCalls: number;
      };
      const report = getUsageReport({
        from: new Date(from),
        to: new Date(to),
        groupBy: "day",
        database,
      });
      expect(report.totals).toMatchObject({
        calls: expected.calls,
        inputTokens: expected.inputTokens,
        unpricedCalls: expected.unpricedCalls,
        errorCalls: expected.errorCalls,
      });
      expect(report.totals.costUsd).toBeCloseTo(expected.costUsd, 12);
      expect(report.groups.reduce((sum, group) => sum + group.calls, 0)).toBe(expected.calls);
    }
  });

  it("stays equal to the calls when rows are updated and deleted", async () => {
    const { database } = await mixedCalls();
    database.sqlite.prepare("DELETE FROM runs WHERE id = 'r1'").run();
    database.sqlite.prepare("UPDATE calls SET started_at = ? WHERE id = 'c5'").run(BASE + 2 * HOUR);
    const report = getUsageReport({
      from: new Date(BASE),
      to: new Date(BASE + 72 * HOUR),
      groupBy: "day",
      database,
    });
    expect(report.totals.calls).toBe(3);
    expect(report.totals.costUsd).toBe(0);
    expect(report.groups[0]).toMatchObject({ key: "2026-01-10", calls: 1 });
  });

  it("counts a call once it has ended, not while it runs", async () => {
    const { database, tracer } = await mixedCalls();
    const range = {
      from: new Date(BASE),
      to: new Date(BASE + 72 * HOUR),
      groupBy: "model" as const,
      database,
    };
    expect(getUsageReport({ ...range, model: "openai:gpt-4o-mini" }).totals.calls).toBe(2);
    tracer.recordCallFinish(callFinish({ callId: "c6" }));
    await tracer.flush();
    const model = getUsageReport({ ...range, model: "openai:gpt-4o-mini" });
    expect(model.totals).toMatchObject({ calls: 3, inputTokens: 1_000 + 1_000 });
  });

  it("returns zeros for an empty or inverted range", async () => {
    const { database } = await mixedCalls();
    expect(
      getUsageReport({
        from: new Date(BASE + HOUR),
        to: new Date(BASE),
        groupBy: "model",
        database,
      }),
    ).toEqual({
      totals: expect.objectContaining({ calls: 0, costUsd: 0 }),
      groups: [],
    });
  });
});

describe("markRunningCallsInterrupted", () => {
  it("marks running calls interrupted, usage missing unless local, and returns how many", async () => {
    const { database, tracer } = setUp();
    seed(tracer, [
      { id: "cloud", runId: "r1", model: "openai:gpt-4o-mini", startedAt: BASE, finish: null },
      { id: "local", runId: "r1", index: 1, model: "demo:fast", startedAt: BASE, finish: null },
      { id: "done", runId: "r1", index: 2, model: "openai:gpt-4o-mini", startedAt: BASE },
    ]);
    await tracer.flush();
    expect(markRunningCallsInterrupted({ database })).toBe(2);
    const calls = getRunById({ runId: "r1", database })?.calls ?? [];
    expect(
      calls.map((call) => [call.callId, call.status, call.pricingStatus, call.costUsd]),
    ).toEqual([
      ["cloud", "interrupted", "usage_missing", null],
      ["local", "interrupted", "local", 0],
      ["done", "ok", "priced", expect.any(Number)],
    ]);
    expect(calls[0]?.error).toMatchObject({ code: "interrupted" });
    const report = getUsageReport({
      from: new Date(BASE),
      to: new Date(BASE + HOUR),
      groupBy: "model",
      database,
    });
    // Both lack usage; only the local one has a cost (0).
    expect(report.totals).toMatchObject({ unpricedCalls: 0, usageMissingCalls: 2 });
    expect(markRunningCallsInterrupted({ database })).toBe(0);
  });

  it("hands the calls it marked, as stored, to onMarked (for their export)", async () => {
    const { database, tracer } = setUp();
    seed(tracer, [
      { id: "cloud", runId: "r1", model: "openai:gpt-4o-mini", startedAt: BASE, finish: null },
      { id: "done", runId: "r1", index: 1, model: "openai:gpt-4o-mini", startedAt: BASE },
    ]);
    await tracer.flush();
    const marked: CallRow[] = [];
    expect(
      markRunningCallsInterrupted({ database, onMarked: (rows) => marked.push(...rows) }),
    ).toBe(1);
    expect(marked.map((row) => [row.id, row.status, row.runId, row.modelId])).toEqual([
      ["cloud", "interrupted", "r1", "gpt-4o-mini"],
    ]);
  });
});

describe("listCallsForExport", () => {
  it("yields every call in the range oldest first across pages, with filters", async () => {
    const { database, tracer } = setUp();
    seed(
      tracer,
      Array.from({ length: 7 }, (_, index) => ({
        id: `c${index}`,
        runId: `r${index}`,
        model: index % 2 ? "anthropic:claude-haiku-4-5" : "openai:gpt-4o-mini",
        startedAt: BASE + (6 - index) * 60_000,
      })),
    );
    await tracer.flush();
    const all = [
      ...listCallsForExport({
        from: new Date(BASE),
        to: new Date(BASE + HOUR),
        pageSize: 2,
        database,
      }),
    ];
    expect(all.map((row) => row.id)).toEqual(["c6", "c5", "c4", "c3", "c2", "c1", "c0"]);
    const anthropic = [
      ...listCallsForExport({
        from: new Date(BASE),
        to: new Date(BASE + HOUR),
        provider: "anthropic",
        pageSize: 2,
        database,
      }),
    ];
    expect(anthropic.map((row) => row.id)).toEqual(["c5", "c3", "c1"]);
    const narrow = [
      ...listCallsForExport({
        from: new Date(BASE + 60_000),
        to: new Date(BASE + 3 * 60_000),
        database,
      }),
    ];
    expect(narrow.map((row) => row.id)).toEqual(["c5", "c4"]);
  });
});

describe("price overrides", () => {
  it("inserts, updates by key and by id, and deletes, bumping the version each time", () => {
    const { database } = setUp();
    const version = database.priceOverridesVersion;
    const input = {
      provider: "openai",
      modelPattern: "gpt-4o*",
      inputPerMillion: 1,
      outputPerMillion: 2,
      effectiveFrom: new Date("2026-01-01T00:00:00Z"),
    };
    const created = upsertPriceOverride({ override: input, database });
    expect(created).toMatchObject({ ...input, cacheReadPerMillion: null, note: null });
    const sameKey = upsertPriceOverride({
      override: { ...input, inputPerMillion: 5, note: "new" },
      database,
    });
    expect(sameKey).toMatchObject({ id: created.id, inputPerMillion: 5, note: "new" });
    const byId = upsertPriceOverride({
      override: { ...input, id: created.id, outputPerMillion: 9 },
      database,
    });
    expect(byId).toMatchObject({ id: created.id, outputPerMillion: 9 });
    expect(getPriceOverrideById({ id: created.id, database })?.outputPerMillion).toBe(9);
    expect(
      listPriceOverrides({ database }).filter((row) => row.provider === "openai"),
    ).toHaveLength(1);
    expect(() => upsertPriceOverride({ override: { ...input, id: "missing" }, database })).toThrow(
      PriceOverrideNotFoundError,
    );
    expect(deletePriceOverride({ id: created.id, database })).toBe(true);
    expect(deletePriceOverride({ id: created.id, database })).toBe(false);
    expect(database.priceOverridesVersion).toBeGreaterThanOrEqual(version + 4);
  });

  it("lists the seeded OCI prices", () => {
    const { database } = setUp();
    const oci = listPriceOverrides({ database }).filter((row) => row.provider === "oci");
    expect(oci.map((row) => row.modelPattern)).toContain("xai.grok-4");
    expect(oci.every((row) => row.effectiveFrom.getTime() === 0)).toBe(true);
  });
});
