import { afterEach, describe, expect, it } from "vitest";
import { createCallWriter } from "@/lib/db/call-writes";
import type { Database } from "@/lib/db/client";
import { listPriceOverrides, upsertPriceOverride } from "@/lib/db/queries";
import type { CallInsert } from "@/lib/db/schema";
import { priceCall } from "@/lib/pricing/price-call";
import { createTemporaryDatabase, type TemporaryDatabase } from "@/test/support/db/test-database";
import { repriceCall, repriceCalls, type StoredCallPricing } from "./reprice";

const opened: TemporaryDatabase[] = [];
afterEach(() => {
  for (const item of opened.splice(0)) item.remove();
});

const BASE = Date.parse("2026-02-01T00:00:00Z");
const HOUR_MS = 3_600_000;

function fresh(): Database {
  const item = createTemporaryDatabase();
  opened.push(item);
  return item.database;
}

interface Recorded {
  id: string;
  model: string;
  hour: number;
  inputTokens: number | null;
  outputTokens: number | null;
  cacheReadTokens?: number | null;
  status?: CallInsert["status"];
}

/** Records calls priced as the tracer prices them: by the prices in force when they ran. */
function record(database: Database, calls: Recorded[]): void {
  const overrides = listPriceOverrides({ database });
  createCallWriter(database).writeBatch({
    runs: [{ id: "run", createdAt: new Date(BASE), messages: [], title: "", searchText: "" }],
    callInserts: calls.map((call, index) => {
      const colon = call.model.indexOf(":");
      const provider = call.model.slice(0, colon);
      const modelId = call.model.slice(colon + 1);
      const startedAt = new Date(BASE + call.hour * HOUR_MS);
      const usage =
        call.inputTokens === null && call.outputTokens === null
          ? null
          : {
              inputTokens: call.inputTokens,
              outputTokens: call.outputTokens,
              cacheReadTokens: call.cacheReadTokens ?? null,
              cacheWriteTokens: null,
              cacheWrite5mTokens: null,
              cacheWrite1hTokens: null,
              reasoningTokens: null,
              raw: null,
            };
      const running = call.status === "running";
      const pricing = running
        ? null
        : priceCall({ provider, modelId, at: startedAt, usage, overrides });
      return {
        id: call.id,
        runId: "run",
        callIndex: index,
        model: call.model,
        provider: provider as CallInsert["provider"],
        modelId,
        params: {},
        output: "",
        toolCalls: [],
        status: call.status ?? "ok",
        startedAt,
        inputTokens: call.inputTokens,
        outputTokens: call.outputTokens,
        cacheReadTokens: call.cacheReadTokens ?? null,
        usageStatus: usage ? "reported" : "missing",
        ...(pricing ?? {}),
      };
    }),
    callUpdates: [],
  });
}

function storedCost(database: Database, id: string) {
  return database.sqlite
    .prepare(
      "SELECT cost_usd AS costUsd, savings_usd AS savingsUsd, pricing_status AS pricingStatus, price_source AS priceSource FROM calls WHERE id = ?",
    )
    .get(id) as {
    costUsd: number | null;
    savingsUsd: number | null;
    pricingStatus: string | null;
    priceSource: string | null;
  };
}

function rollupCost(database: Database): number {
  return (
    database.sqlite.prepare("SELECT total(cost_usd) AS cost FROM usage_hourly").get() as {
      cost: number;
    }
  ).cost;
}

const ALL_TIME = { from: new Date(BASE - HOUR_MS), to: new Date(BASE + 100 * HOUR_MS) };

describe("repriceCall", () => {
  it("prices a stored call from its stored usage at its start time", () => {
    const row: StoredCallPricing = {
      id: "a",
      provider: "openai",
      modelId: "gpt-4o-mini",
      startedAt: BASE,
      inputTokens: 1_000_000,
      outputTokens: 1_000_000,
      cacheReadTokens: 0,
      cacheWriteTokens: null,
      cacheWrite5mTokens: null,
      cacheWrite1hTokens: null,
      reasoningTokens: null,
      pricingStatus: "unpriced",
      priceSource: null,
      costUsd: null,
      costInputUsd: null,
      costCacheReadUsd: null,
      costCacheWriteUsd: null,
      costOutputUsd: null,
      savingsUsd: null,
    };
    const pricing = repriceCall({ row, overrides: [] });
    expect(pricing.pricingStatus).toBe("priced");
    expect(pricing.costUsd).toBeCloseTo(0.15 + 0.6, 9);
    // Usage never reported stays unpriced for a priced model, $0 for a local one.
    const empty = { ...row, inputTokens: null, outputTokens: null, cacheReadTokens: null };
    expect(repriceCall({ row: empty, overrides: [] }).costUsd).toBeNull();
    expect(repriceCall({ row: { ...empty, provider: "ollama" }, overrides: [] })).toMatchObject({
      pricingStatus: "local",
      costUsd: 0,
    });
  });
});

describe("repriceCalls", () => {
  it("applies a new override to past calls, with before and after totals, and the rollups follow", async () => {
    const database = fresh();
    record(database, [
      { id: "mini-1", model: "openai:gpt-4o-mini", hour: 1, inputTokens: 1_000, outputTokens: 500 },
      { id: "mini-2", model: "openai:gpt-4o-mini", hour: 2, inputTokens: 2_000, outputTokens: 100 },
      {
        id: "new-1",
        model: "openai:gpt-internal-preview",
        hour: 3,
        inputTokens: 400,
        outputTokens: 40,
      },
      { id: "local", model: "ollama:llama3.2", hour: 3, inputTokens: 10, outputTokens: 10 },
    ]);
    expect(storedCost(database, "new-1").pricingStatus).toBe("unpriced");
    const beforeCost =
      (storedCost(database, "mini-1").costUsd ?? 0) + (storedCost(database, "mini-2").costUsd ?? 0);

    const override = upsertPriceOverride({
      database,
      override: {
        provider: "openai",
        modelPattern: "gpt-internal-*",
        inputPerMillion: 10,
        outputPerMillion: 20,
        effectiveFrom: new Date(0),
      },
    });
    const result = await repriceCalls({ ...ALL_TIME, database });

    const expected = (400 * 10 + 40 * 20) / 1_000_000;
    expect(storedCost(database, "new-1")).toMatchObject({
      pricingStatus: "priced",
      priceSource: `override:${override.id}`,
    });
    expect(storedCost(database, "new-1").costUsd).toBeCloseTo(expected, 12);
    expect(result).toMatchObject({ calls: 4, changedCalls: 1, dryRun: false });
    expect(result.before.unpricedCalls).toBe(1);
    expect(result.after.unpricedCalls).toBe(0);
    expect(result.before.costUsd).toBeCloseTo(beforeCost, 12);
    expect(result.after.costUsd).toBeCloseTo(beforeCost + expected, 12);
    // The usage rollup and the run's cost changed with the calls.
    expect(rollupCost(database)).toBeCloseTo(beforeCost + expected, 12);
    const runCost = database.sqlite
      .prepare(
        "SELECT cost_usd AS cost, unpriced_calls AS unpriced FROM run_costs WHERE run_id = 'run'",
      )
      .get() as { cost: number; unpriced: number };
    expect(runCost.cost).toBeCloseTo(beforeCost + expected, 12);
    expect(runCost.unpriced).toBe(0);

    // A second run finds nothing left to change.
    const again = await repriceCalls({ ...ALL_TIME, database });
    expect(again.changedCalls).toBe(0);
    expect(again.after.costUsd).toBeCloseTo(again.before.costUsd, 12);
  });

  it("only previews with dryRun", async () => {
    const database = fresh();
    record(database, [
      { id: "mini", model: "openai:gpt-4o-mini", hour: 1, inputTokens: 1_000_000, outputTokens: 0 },
    ]);
    const stored = storedCost(database, "mini");
    upsertPriceOverride({
      database,
      override: {
        provider: "openai",
        modelPattern: "gpt-4o-mini",
        inputPerMillion: 1,
        outputPerMillion: 2,
        effectiveFrom: new Date(0),
      },
    });
    const preview = await repriceCalls({ ...ALL_TIME, database, dryRun: true });
    expect(preview.dryRun).toBe(true);
    expect(preview.changedCalls).toBe(1);
    expect(preview.before.costUsd).toBeCloseTo(0.15, 12);
    expect(preview.after.costUsd).toBeCloseTo(1, 12);
    expect(storedCost(database, "mini")).toEqual(stored);
  });

  it("keeps to its range and filters, skips running calls, and prices each call at its own time", async () => {
    const database = fresh();
    record(database, [
      {
        id: "early",
        model: "openai:gpt-4o-mini",
        hour: 1,
        inputTokens: 1_000_000,
        outputTokens: 0,
      },
      {
        id: "late",
        model: "openai:gpt-4o-mini",
        hour: 10,
        inputTokens: 1_000_000,
        outputTokens: 0,
      },
      {
        id: "outside",
        model: "openai:gpt-4o-mini",
        hour: 50,
        inputTokens: 1_000_000,
        outputTokens: 0,
      },
      { id: "other", model: "openai:gpt-4o", hour: 10, inputTokens: 1_000_000, outputTokens: 0 },
      {
        id: "running",
        model: "openai:gpt-4o-mini",
        hour: 10,
        inputTokens: null,
        outputTokens: null,
        status: "running",
      },
    ]);
    const bundled = storedCost(database, "early");
    // Effective from hour 5: "early" keeps the bundled price even after re-pricing.
    upsertPriceOverride({
      database,
      override: {
        provider: "openai",
        modelPattern: "gpt-4o-mini",
        inputPerMillion: 5,
        outputPerMillion: 5,
        effectiveFrom: new Date(BASE + 5 * HOUR_MS),
      },
    });
    const otherBefore = storedCost(database, "other");
    const result = await repriceCalls({
      from: new Date(BASE),
      to: new Date(BASE + 20 * HOUR_MS),
      model: "openai:gpt-4o-mini",
      database,
      pageSize: 1,
    });
    expect(result.calls).toBe(2);
    expect(result.changedCalls).toBe(1);
    expect(storedCost(database, "early")).toEqual(bundled);
    expect(storedCost(database, "late").costUsd).toBeCloseTo(5, 12);
    expect(storedCost(database, "outside").costUsd).toBeCloseTo(0.15, 12);
    expect(storedCost(database, "other")).toEqual(otherBefore);
    expect(storedCost(database, "running").pricingStatus).toBeNull();
  });

  it("returns calls to their bundled price when an override is removed", async () => {
    const database = fresh();
    const override = upsertPriceOverride({
      database,
      override: {
        provider: "openai",
        modelPattern: "gpt-4o-mini",
        inputPerMillion: 9,
        outputPerMillion: 9,
        effectiveFrom: new Date(0),
      },
    });
    record(database, [
      { id: "mini", model: "openai:gpt-4o-mini", hour: 1, inputTokens: 1_000_000, outputTokens: 0 },
    ]);
    expect(storedCost(database, "mini").costUsd).toBeCloseTo(9, 12);
    database.sqlite.prepare("DELETE FROM price_overrides WHERE id = ?").run(override.id);
    const result = await repriceCalls({ ...ALL_TIME, database, provider: "openai" });
    expect(result.before.costUsd).toBeCloseTo(9, 12);
    expect(result.after.costUsd).toBeCloseTo(0.15, 12);
    expect(storedCost(database, "mini").priceSource).toMatch(/^genai-prices@/);
  });
});
