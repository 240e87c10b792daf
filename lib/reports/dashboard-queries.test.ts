/**
 * The dashboard queries read rollups for whole hours and days and `calls` for the edges; for
 * any range they must give exactly what a plain sum over the calls gives.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCallWriter } from "@/lib/db/call-writes";
import type { CallInsert } from "@/lib/db/schema";
import { bucketOf } from "@/lib/db/timing-buckets";
import { createTemporaryDatabase, type TemporaryDatabase } from "@/test/support/db/test-database";
import {
  DIRECT_RUN_LOOKUP_LIMIT,
  getTimingHistograms,
  getTopRuns,
  getUsageByDayAndModel,
  listDays,
} from "./dashboard-queries";

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
const BASE = Date.parse("2026-02-01T00:00:00Z");
const MODELS = [
  "openai:gpt-4o-mini",
  "anthropic:claude-sonnet-4-5",
  "ollama:llama3.2",
  "oci:xai.grok-4",
];

let store: TemporaryDatabase;
let callRows: CallInsert[] = [];

/** A deterministic spread of calls over five days, every status and usage shape. */
function buildCalls(): { runs: Array<{ id: string; title: string }>; calls: CallInsert[] } {
  const runs: Array<{ id: string; title: string }> = [];
  const calls: CallInsert[] = [];
  for (let index = 0; index < 600; index++) {
    const runIndex = Math.floor(index / 3);
    if (index % 3 === 0) runs.push({ id: `run-${runIndex}`, title: `Prompt ${runIndex}` });
    const model = MODELS[(index * 7) % MODELS.length] as string;
    const provider = model.slice(0, model.indexOf(":")) as CallInsert["provider"];
    const reported = index % 11 !== 0;
    const status = index % 13 === 0 ? "error" : index % 17 === 0 ? "cancelled" : "ok";
    const priced = provider !== "ollama" && index % 19 !== 0;
    calls.push({
      id: `call-${index}`,
      runId: `run-${runIndex}`,
      callIndex: index % 3,
      model,
      provider,
      modelId: model.slice(model.indexOf(":") + 1),
      params: {},
      output: "",
      toolCalls: [],
      status,
      startedAt: new Date(BASE + runIndex * 2_141_000 + (index % 3)),
      ttftMs: index % 9 === 0 ? null : 80 + ((index * 37) % 2_000),
      durationMs: 200 + ((index * 53) % 6_000),
      inputTokens: reported ? 100 + index * 3 : null,
      outputTokens: reported ? 10 + (index % 50) * 7 : null,
      cacheReadTokens: reported && provider !== "ollama" ? (index % 4) * 10 : null,
      cacheWriteTokens: reported && provider === "anthropic" ? index % 5 : null,
      usageStatus: reported ? "reported" : "missing",
      costUsd: provider === "ollama" ? 0 : priced ? 0.0001 * (index % 37) : null,
      savingsUsd: provider === "ollama" ? 0 : priced ? 0.00001 * ((index % 7) - 3) : null,
      pricingStatus: provider === "ollama" ? "local" : priced ? "priced" : "unpriced",
    });
  }
  return { runs, calls };
}

beforeAll(() => {
  store = createTemporaryDatabase();
  const { runs, calls } = buildCalls();
  callRows = calls;
  createCallWriter(store.database).writeBatch({
    runs: runs.map((run) => ({
      id: run.id,
      createdAt: new Date(BASE),
      messages: [],
      title: run.title,
      searchText: run.title,
    })),
    callInserts: calls,
    callUpdates: [],
  });
});

afterAll(() => store.remove());

function inRange(call: CallInsert, from: number, to: number): boolean {
  const started = call.startedAt.getTime();
  return started >= from && started < to;
}

function bruteForceUsage(from: number, to: number) {
  const byKey = new Map<string, Record<string, number | string>>();
  for (const call of callRows.filter((row) => inRange(row, from, to))) {
    const day = new Date(call.startedAt).toISOString().slice(0, 10);
    const key = `${day}|${call.model}`;
    const entry = byKey.get(key) ?? {
      day,
      model: call.model,
      calls: 0,
      inputTokens: 0,
      outputTokens: 0,
      cacheReadTokens: 0,
      cacheWriteTokens: 0,
      costUsd: 0,
      unpricedCalls: 0,
      errorCalls: 0,
      usageMissingCalls: 0,
      cacheReportedCalls: 0,
      cacheReportedInputTokens: 0,
    };
    const add = (field: string, value: number) => {
      entry[field] = (entry[field] as number) + value;
    };
    add("calls", 1);
    add("inputTokens", call.inputTokens ?? 0);
    add("outputTokens", call.outputTokens ?? 0);
    add("cacheReadTokens", call.cacheReadTokens ?? 0);
    add("cacheWriteTokens", call.cacheWriteTokens ?? 0);
    add("costUsd", call.costUsd ?? 0);
    add("unpricedCalls", call.pricingStatus === "unpriced" ? 1 : 0);
    add("errorCalls", call.status === "error" ? 1 : 0);
    add("usageMissingCalls", call.usageStatus === "missing" ? 1 : 0);
    add("cacheReportedCalls", call.cacheReadTokens != null ? 1 : 0);
    add("cacheReportedInputTokens", call.cacheReadTokens != null ? (call.inputTokens ?? 0) : 0);
    byKey.set(key, entry);
  }
  return [...byKey.entries()]
    .sort(([left], [right]) => left.localeCompare(right))
    .map(([, entry]) => ({ ...entry, costUsd: Math.round((entry.costUsd as number) * 1e9) }));
}

function storedUsage(from: number, to: number) {
  return getUsageByDayAndModel({ from: new Date(from), to: new Date(to), database: store.database })
    .map((row) => ({
      day: row.day,
      model: row.model,
      calls: row.calls,
      inputTokens: row.inputTokens,
      outputTokens: row.outputTokens,
      cacheReadTokens: row.cacheReadTokens,
      cacheWriteTokens: row.cacheWriteTokens,
      costUsd: Math.round(row.costUsd * 1e9),
      unpricedCalls: row.unpricedCalls,
      errorCalls: row.errorCalls,
      usageMissingCalls: row.usageMissingCalls,
      cacheReportedCalls: row.cacheReportedCalls,
      cacheReportedInputTokens: row.cacheReportedInputTokens,
    }))
    .sort((left, right) =>
      `${left.day}|${left.model}`.localeCompare(`${right.day}|${right.model}`),
    );
}

function bruteForceTimings(from: number, to: number) {
  const counts = new Map<string, number>();
  for (const call of callRows.filter((row) => inRange(row, from, to))) {
    if (call.ttftMs == null) continue;
    const add = (metric: string, value: number) => {
      const key = `${call.model}|${metric}|${bucketOf(value)}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    };
    add("ttft", call.ttftMs);
    const window = (call.durationMs ?? 0) - call.ttftMs;
    if (call.status === "ok" && (call.outputTokens ?? 0) > 0 && window >= 50) {
      add("tps", ((call.outputTokens ?? 0) * 1000) / window);
    }
  }
  return [...counts.entries()].sort(([left], [right]) => left.localeCompare(right));
}

function storedTimings(from: number, to: number) {
  const counts = new Map<string, number>();
  for (const row of getTimingHistograms({
    from: new Date(from),
    to: new Date(to),
    database: store.database,
  })) {
    const key = `${row.model}|${row.metric}|${row.bucket}`;
    counts.set(key, (counts.get(key) ?? 0) + row.calls);
  }
  return [...counts.entries()].sort(([left], [right]) => left.localeCompare(right));
}

const RANGES: Array<[string, number, number]> = [
  ["whole days", BASE, BASE + 3 * DAY_MS],
  ["unaligned edges", BASE + 5 * HOUR_MS + 1_234, BASE + 2 * DAY_MS + 7 * HOUR_MS + 99],
  ["within one hour", BASE + DAY_MS + 60_000, BASE + DAY_MS + 50 * 60_000],
  ["everything", BASE - DAY_MS, BASE + 10 * DAY_MS],
];

describe("getUsageByDayAndModel", () => {
  it.each(RANGES)("equals a sum over the calls: %s", (_name, from, to) => {
    const expected = bruteForceUsage(from, to);
    expect(expected.length).toBeGreaterThan(0);
    expect(storedUsage(from, to)).toEqual(expected);
  });

  it("is empty for an empty or inverted range", () => {
    expect(storedUsage(BASE, BASE)).toEqual([]);
    expect(storedUsage(BASE + DAY_MS, BASE)).toEqual([]);
  });
});

describe("getTimingHistograms", () => {
  it.each(RANGES)("equals histograms built from the calls: %s", (_name, from, to) => {
    const expected = bruteForceTimings(from, to);
    expect(expected.length).toBeGreaterThan(0);
    expect(storedTimings(from, to)).toEqual(expected);
  });
});

describe("listDays", () => {
  it("lists every UTC day the range touches", () => {
    expect(
      listDays({
        from: new Date("2026-02-01T22:00:00Z"),
        to: new Date("2026-02-03T00:00:00Z"),
      }),
    ).toEqual(["2026-02-01", "2026-02-02"]);
    expect(listDays({ from: new Date(BASE), to: new Date(BASE) })).toEqual([]);
  });
});

describe("getTopRuns", () => {
  function bruteForceTopRuns(from: number, to: number, models: string[] | null, limit: number) {
    const matching = new Set(
      callRows
        .filter(
          (call) => inRange(call, from, to) && (models === null || models.includes(call.model)),
        )
        .map((call) => call.runId),
    );
    const totals = new Map<string, number>();
    for (const call of callRows) {
      if (matching.has(call.runId)) {
        totals.set(call.runId, (totals.get(call.runId) ?? 0) + (call.costUsd ?? 0));
      }
    }
    return [...totals.entries()]
      .sort((left, right) => right[1] - left[1] || left[0].localeCompare(right[0]))
      .slice(0, limit)
      .map(([runId, cost]) => ({ runId, cost: Math.round(cost * 1e9) }));
  }

  const cases: Array<[string, number, number, string[] | null]> = [
    ["all models, one day", BASE, BASE + DAY_MS, null],
    [
      "one model, unaligned",
      BASE + 3 * HOUR_MS,
      BASE + 2 * DAY_MS,
      ["anthropic:claude-sonnet-4-5"],
    ],
    ["two models", BASE, BASE + 4 * DAY_MS, ["openai:gpt-4o-mini", "oci:xai.grok-4"]],
  ];

  it.each(cases)("finds the same runs by either plan: %s", (_name, from, to, models) => {
    const expected = bruteForceTopRuns(from, to, models, 5);
    expect(expected.length).toBe(5);
    for (const matchingCalls of [1, DIRECT_RUN_LOOKUP_LIMIT + 1]) {
      const runs = getTopRuns({
        from: new Date(from),
        to: new Date(to),
        models,
        matchingCalls,
        limit: 5,
        database: store.database,
      });
      expect(
        runs.map((run) => ({ runId: run.runId, cost: Math.round(run.costUsd * 1e9) })),
      ).toEqual(expected);
    }
  });

  it("returns titles, the models used and the unpriced count", () => {
    const [run] = getTopRuns({
      from: new Date(BASE),
      to: new Date(BASE + 10 * DAY_MS),
      models: null,
      matchingCalls: 600,
      limit: 1,
      database: store.database,
    });
    expect(run?.title).toMatch(/^Prompt \d+$/);
    const calls = callRows.filter((call) => call.runId === run?.runId);
    expect(run?.calls).toBe(calls.length);
    expect(new Set(run?.models)).toEqual(new Set(calls.map((call) => call.model)));
    expect(run?.unpricedCalls).toBe(
      calls.filter((call) => call.pricingStatus === "unpriced").length,
    );
  });

  it("finds nothing when nothing matches", () => {
    const options = { from: new Date(BASE), to: new Date(BASE + DAY_MS), database: store.database };
    expect(getTopRuns({ ...options, models: null, matchingCalls: 0 })).toEqual([]);
    expect(getTopRuns({ ...options, models: [], matchingCalls: 10 })).toEqual([]);
  });
});
