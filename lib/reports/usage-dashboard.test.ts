/**
 * The page's loader end to end over a real (temporary) database: what `/usage` shows must be
 * the sum of the recorded calls, with filters applied to every figure.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCallWriter } from "@/lib/db/call-writes";
import type { CallInsert } from "@/lib/db/schema";
import { createTemporaryDatabase, type TemporaryDatabase } from "@/test/support/db/test-database";
import { loadUsageDashboard } from "./usage-dashboard";

const NOW = new Date("2026-02-10T15:00:00Z");
let store: TemporaryDatabase;

function call(values: Partial<CallInsert> & { id: string; model: string; hoursAgo: number }) {
  const { hoursAgo, ...rest } = values;
  const colon = values.model.indexOf(":");
  return {
    runId: "run-a",
    callIndex: 0,
    provider: values.model.slice(0, colon) as CallInsert["provider"],
    modelId: values.model.slice(colon + 1),
    params: {},
    output: "",
    toolCalls: [],
    status: "ok" as const,
    usageStatus: "reported" as const,
    startedAt: new Date(NOW.getTime() - hoursAgo * 3_600_000),
    ...rest,
  };
}

beforeAll(() => {
  store = createTemporaryDatabase();
  createCallWriter(store.database).writeBatch({
    runs: ["run-a", "run-b", "run-old"].map((id) => ({
      id,
      createdAt: NOW,
      messages: [],
      title: `Prompt of ${id}`,
      searchText: "",
    })),
    callInserts: [
      call({
        id: "1",
        model: "openai:gpt-4o-mini",
        hoursAgo: 2,
        inputTokens: 1_000,
        outputTokens: 100,
        cacheReadTokens: 400,
        costUsd: 0.001,
        savingsUsd: 0.0001,
        pricingStatus: "priced",
        ttftMs: 300,
        durationMs: 1_300,
      }),
      call({
        id: "2",
        runId: "run-b",
        model: "anthropic:claude-sonnet-4-5",
        hoursAgo: 30,
        inputTokens: 5_000,
        outputTokens: 200,
        cacheReadTokens: 0,
        cacheWriteTokens: 4_000,
        costUsd: 0.02,
        savingsUsd: -0.003,
        pricingStatus: "priced",
        ttftMs: 900,
        durationMs: 4_900,
      }),
      call({
        id: "3",
        runId: "run-b",
        callIndex: 1,
        model: "openai:gpt-internal-preview",
        hoursAgo: 30,
        inputTokens: 50,
        outputTokens: 5,
        pricingStatus: "unpriced",
        status: "error",
      }),
      // Forty days ago: outside the default 30-day range.
      call({
        id: "4",
        runId: "run-old",
        model: "openai:gpt-4o-mini",
        hoursAgo: 40 * 24,
        inputTokens: 9,
        outputTokens: 9,
        costUsd: 9,
        pricingStatus: "priced",
      }),
    ],
    callUpdates: [],
  });
});

afterAll(() => store.remove());

describe("loadUsageDashboard", () => {
  it("shows the sums of the calls in the default 30 days", () => {
    const view = loadUsageDashboard({ searchParameters: {}, now: NOW, database: store.database });
    expect(view.range.preset).toBe("30d");
    expect(view.totals).toMatchObject({
      calls: 3,
      inputTokens: 6_050,
      outputTokens: 305,
      cacheReadTokens: 400,
      cacheWriteTokens: 4_000,
      errorCalls: 1,
      unpricedCalls: 1,
    });
    expect(view.totals.costUsd).toBeCloseTo(0.021, 12);
    expect(view.totals.savingsUsd).toBeCloseTo(-0.0029, 12);
    expect(view.unpriced?.models).toEqual([
      { model: "openai:gpt-internal-preview", calls: 1, hasPrice: false },
    ]);
    expect(view.costPerDay.points).toHaveLength(30);
    expect(view.topRuns.map((run) => run.runId)).toEqual(["run-b", "run-a"]);
    expect(view.topRuns[0]).toMatchObject({ title: "Prompt of run-b", unpricedCalls: 1 });
    const openai = view.models.find((model) => model.model === "openai:gpt-4o-mini");
    expect(openai?.cacheHitRatio).toBeCloseTo(0.4, 12);
    expect(openai?.ttftP50Ms as number).toBeGreaterThan(250);
    expect(openai?.ttftP50Ms as number).toBeLessThan(320);
  });

  it("applies a provider filter to every figure, top runs included", () => {
    const view = loadUsageDashboard({
      searchParameters: { range: "7d", provider: "anthropic" },
      now: NOW,
      database: store.database,
    });
    expect(view.totals.calls).toBe(1);
    expect(view.unfilteredCalls).toBe(3);
    expect(view.models.map((model) => model.model)).toEqual(["anthropic:claude-sonnet-4-5"]);
    expect(view.topRuns.map((run) => run.runId)).toEqual(["run-b"]);
    expect(view.unpriced).toBeNull();
    expect(view.filters.providers).toEqual(["anthropic", "openai"]);
  });

  it("counts only the window asked for", () => {
    const view = loadUsageDashboard({
      searchParameters: { from: "2026-02-10T12:00:00Z", to: "2026-02-10T14:00:00Z" },
      now: NOW,
      database: store.database,
    });
    expect(view.totals.calls).toBe(1);
    expect(view.topRuns.map((run) => run.runId)).toEqual(["run-a"]);
  });
});

describe("the unpriced-usage banner", () => {
  it("tells a model without a price from a priced model whose usage was never reported", () => {
    const own = createTemporaryDatabase();
    try {
      createCallWriter(own.database).writeBatch({
        runs: [
          {
            id: "run-c",
            createdAt: NOW,
            messages: [],
            title: "Prompt of run-c",
            searchText: "",
          },
        ],
        callInserts: [
          call({
            id: "failed-first",
            runId: "run-c",
            model: "openai:gpt-4o-mini",
            hoursAgo: 2,
            pricingStatus: "unpriced",
            usageStatus: "missing",
            status: "error",
          }),
          call({
            id: "no-price",
            runId: "run-c",
            callIndex: 1,
            model: "openai:gpt-internal-preview",
            hoursAgo: 2,
            inputTokens: 10,
            outputTokens: 2,
            pricingStatus: "unpriced",
          }),
        ],
        callUpdates: [],
      });
      const view = loadUsageDashboard({ searchParameters: {}, now: NOW, database: own.database });
      expect(view.unpriced?.models).toEqual([
        { model: "openai:gpt-4o-mini", calls: 1, hasPrice: true },
        { model: "openai:gpt-internal-preview", calls: 1, hasPrice: false },
      ]);
    } finally {
      own.remove();
    }
  });
});
