import { describe, expect, it } from "vitest";
import { bucketOf } from "@/lib/db/timing-buckets";
import { parseDashboardQuery } from "./dashboard-range";
import {
  filterUsage,
  OTHER_SERIES_KEY,
  prepareCostPerDay,
  prepareFilterOptions,
  prepareModelCharts,
  prepareModels,
  prepareProviders,
  prepareTokensPerDay,
  prepareTopRuns,
  prepareTotals,
  prepareUnpricedBanner,
  prepareUsageDashboard,
  selectedModels,
} from "./prepare-dashboard";
import { emptySums, type ModelDayUsage, type TimingBucketRow } from "./usage-rows";

function usage(values: Partial<ModelDayUsage> & { model: string; day?: string }): ModelDayUsage {
  const provider = values.model.slice(0, values.model.indexOf(":"));
  return { ...emptySums(), day: "2026-02-01", provider, ...values };
}

function timing(model: string, metric: "ttft" | "tps", value: number, calls = 1): TimingBucketRow {
  return {
    model,
    provider: model.slice(0, model.indexOf(":")),
    metric,
    bucket: bucketOf(value),
    calls,
  };
}

const OPENAI = usage({
  model: "openai:gpt-4o-mini",
  calls: 10,
  inputTokens: 10_000,
  outputTokens: 2_000,
  cacheReadTokens: 4_000,
  costUsd: 0.5,
  savingsUsd: 0.1,
  errorCalls: 1,
  cacheReportedCalls: 10,
  cacheReportedInputTokens: 10_000,
});
const ANTHROPIC = usage({
  model: "anthropic:claude-sonnet-4-5",
  calls: 4,
  inputTokens: 40_000,
  outputTokens: 1_000,
  cacheReadTokens: 20_000,
  cacheWriteTokens: 10_000,
  costUsd: 1.25,
  savingsUsd: -0.02,
  cacheReportedCalls: 4,
  cacheReportedInputTokens: 40_000,
});
const OLLAMA = usage({
  model: "ollama:llama3.2",
  calls: 3,
  inputTokens: 900,
  outputTokens: 300,
  usageMissingCalls: 1,
});
const UNPRICED = usage({
  model: "openai:gpt-internal-preview",
  calls: 2,
  inputTokens: 500,
  outputTokens: 100,
  unpricedCalls: 2,
  cacheReportedCalls: 2,
  cacheReportedInputTokens: 500,
});

describe("prepareTotals", () => {
  it("adds every figure over the rows", () => {
    const totals = prepareTotals([OPENAI, ANTHROPIC, OLLAMA]);
    expect(totals).toMatchObject({
      calls: 17,
      inputTokens: 50_900,
      outputTokens: 3_300,
      cacheReadTokens: 24_000,
      cacheWriteTokens: 10_000,
      errorCalls: 1,
      unpricedCalls: 0,
      usageMissingCalls: 1,
      pricedCalls: 17,
    });
    expect(totals.costUsd).toBeCloseTo(1.75, 12);
    expect(totals.savingsUsd).toBeCloseTo(0.08, 12);
  });

  it("keeps a partly priced cost as the priced sum and counts what it leaves out", () => {
    const totals = prepareTotals([OPENAI, UNPRICED]);
    expect(totals.costUsd).toBeCloseTo(0.5, 12);
    expect(totals.unpricedCalls).toBe(2);
    expect(totals.pricedCalls).toBe(10);
  });

  it("says the cost is unknown, not $0, when no call is priced", () => {
    const totals = prepareTotals([UNPRICED]);
    expect(totals.costUsd).toBeNull();
    expect(totals.savingsUsd).toBeNull();
  });

  it("is a true zero for a range without calls", () => {
    expect(prepareTotals([])).toMatchObject({ calls: 0, costUsd: 0, savingsUsd: 0 });
  });
});

describe("prepareUnpricedBanner", () => {
  it("is null when every call is priced or local", () => {
    expect(prepareUnpricedBanner([OPENAI, OLLAMA])).toBeNull();
  });

  it("names each model with unpriced calls, most calls first", () => {
    const banner = prepareUnpricedBanner([
      OPENAI,
      UNPRICED,
      usage({ model: "oci:new.model", calls: 5, unpricedCalls: 5, day: "2026-02-02" }),
      usage({
        model: "openai:gpt-internal-preview",
        calls: 4,
        unpricedCalls: 4,
        day: "2026-02-02",
      }),
    ]);
    expect(banner).toEqual({
      calls: 11,
      models: [
        { model: "openai:gpt-internal-preview", calls: 6 },
        { model: "oci:new.model", calls: 5 },
      ],
    });
  });
});

describe("prepareModels", () => {
  const timings = [
    ...[300, 320, 340, 360, 380, 400, 420, 440, 460, 2_000].map((value) =>
      timing("openai:gpt-4o-mini", "ttft", value),
    ),
    timing("openai:gpt-4o-mini", "tps", 95, 9),
    timing("anthropic:claude-sonnet-4-5", "ttft", 900, 4),
  ];

  it("computes per-model figures, most expensive first", () => {
    const models = prepareModels([OPENAI, ANTHROPIC, OLLAMA], timings);
    expect(models.map((model) => model.model)).toEqual([
      "anthropic:claude-sonnet-4-5",
      "openai:gpt-4o-mini",
      "ollama:llama3.2",
    ]);
    const openai = models.find((model) => model.model === "openai:gpt-4o-mini");
    expect(openai?.cacheHitRatio).toBeCloseTo(0.4, 12);
    expect(openai?.errorRate).toBeCloseTo(0.1, 12);
    expect(openai?.timedCalls).toBe(10);
    const p50 = openai?.ttftP50Ms as number;
    expect(p50).toBeGreaterThan(300);
    expect(p50).toBeLessThan(460);
    expect(openai?.ttftP95Ms as number).toBeGreaterThan(1_500);
    expect(openai?.tokensPerSecond as number).toBeGreaterThan(79);
    expect(openai?.tokensPerSecond as number).toBeLessThan(100);
  });

  it("leaves figures that were never reported missing, not zero", () => {
    const models = prepareModels([OPENAI, ANTHROPIC, OLLAMA, UNPRICED], timings);
    const ollama = models.find((model) => model.model === "ollama:llama3.2");
    // Ollama said nothing about its cache: no ratio rather than 0%.
    expect(ollama?.cacheHitRatio).toBeNull();
    expect(ollama?.ttftP50Ms).toBeNull();
    expect(ollama?.tokensPerSecond).toBeNull();
    expect(ollama?.local).toBe(true);
    expect(ollama?.costUsd).toBe(0);
    const anthropic = models.find((model) => model.model === "anthropic:claude-sonnet-4-5");
    expect(anthropic?.tokensPerSecond).toBeNull();
    expect(anthropic?.ttftP50Ms).not.toBeNull();
    const unpriced = models.find((model) => model.model === "openai:gpt-internal-preview");
    expect(unpriced?.costUsd).toBeNull();
    expect(unpriced?.savingsUsd).toBeNull();
    // A reported 0 cache read is a real 0% hit ratio.
    expect(unpriced?.cacheHitRatio).toBe(0);
    expect(models.at(-1)?.model).toBe("openai:gpt-internal-preview");
  });

  it("reads the hit ratio over the calls that reported cache counts only", () => {
    const mixed = usage({
      model: "ollama:qwen",
      calls: 2,
      inputTokens: 1_000,
      cacheReadTokens: 100,
      cacheReportedCalls: 1,
      cacheReportedInputTokens: 200,
    });
    expect(prepareModels([mixed], [])[0]?.cacheHitRatio).toBeCloseTo(0.5, 12);
  });
});

describe("prepareModelCharts", () => {
  it("keeps only models that used the cache (or whose savings are unknown) in the savings chart", () => {
    const charts = prepareModelCharts(prepareModels([OPENAI, ANTHROPIC, OLLAMA, UNPRICED], []));
    expect(charts.savings.map((bar) => bar.label)).toEqual([
      "anthropic:claude-sonnet-4-5",
      "openai:gpt-4o-mini",
      "openai:gpt-internal-preview",
    ]);
    expect(
      charts.savings.find((bar) => bar.label === "openai:gpt-internal-preview")?.value,
    ).toBeNull();
    expect(charts.cacheHitRatio).toHaveLength(4);
    expect(charts.ttft.every((bar) => bar.value === null && bar.extra === null)).toBe(true);
  });
});

describe("prepareProviders", () => {
  it("groups models by provider", () => {
    const providers = prepareProviders([OPENAI, ANTHROPIC, OLLAMA, UNPRICED]);
    expect(providers.map((provider) => provider.provider)).toEqual([
      "anthropic",
      "openai",
      "ollama",
    ]);
    const openai = providers.find((provider) => provider.provider === "openai");
    expect(openai).toMatchObject({ calls: 12, models: 2, unpricedCalls: 2 });
    expect(openai?.costUsd).toBeCloseTo(0.5, 12);
  });
});

describe("prepareCostPerDay", () => {
  const days = ["2026-02-01", "2026-02-02", "2026-02-03"];

  it("stacks cost by model on every day of the axis", () => {
    const view = prepareCostPerDay(
      [
        OPENAI,
        ANTHROPIC,
        usage({ model: "openai:gpt-4o-mini", day: "2026-02-03", calls: 1, costUsd: 0.2 }),
      ],
      days,
    );
    expect(view.series.map((series) => series.key)).toEqual([
      "anthropic:claude-sonnet-4-5",
      "openai:gpt-4o-mini",
    ]);
    expect(view.points.map((point) => point.day)).toEqual(days);
    expect(view.points[0]?.costs).toEqual({
      "openai:gpt-4o-mini": 0.5,
      "anthropic:claude-sonnet-4-5": 1.25,
    });
    expect(view.points[0]?.totalUsd).toBeCloseTo(1.75, 12);
    // No calls that day: nothing spent, nothing drawn.
    expect(view.points[1]).toEqual({
      day: "2026-02-02",
      costs: {},
      totalUsd: 0,
      calls: 0,
      unpricedCalls: 0,
    });
  });

  it("leaves a gap, not a zero, for a model whose calls that day had no price", () => {
    const view = prepareCostPerDay([OPENAI, UNPRICED], days);
    expect(view.points[0]?.costs["openai:gpt-internal-preview"]).toBeNull();
    expect(view.points[0]?.unpricedCalls).toBe(2);
  });

  it("folds the cheapest models into one series beyond the limit", () => {
    const rows = Array.from({ length: 5 }, (_, index) =>
      usage({ model: `openai:model-${index}`, calls: 1, costUsd: index + 1 }),
    );
    const view = prepareCostPerDay(rows, days, 3);
    expect(view.series.map((series) => series.key)).toEqual([
      "openai:model-4",
      "openai:model-3",
      OTHER_SERIES_KEY,
    ]);
    expect(view.points[0]?.costs[OTHER_SERIES_KEY]).toBeCloseTo(1 + 2 + 3, 12);
  });
});

describe("prepareTokensPerDay", () => {
  it("splits input into uncached, cache read and cache write, and counts unknown usage", () => {
    const points = prepareTokensPerDay([ANTHROPIC, OLLAMA], ["2026-02-01", "2026-02-02"]);
    expect(points[0]).toEqual({
      day: "2026-02-01",
      uncachedInputTokens: 40_000 - 20_000 - 10_000 + 900,
      cacheReadTokens: 20_000,
      cacheWriteTokens: 10_000,
      outputTokens: 1_300,
      calls: 7,
      usageMissingCalls: 1,
    });
    expect(points[1]).toMatchObject({ calls: 0, uncachedInputTokens: 0, outputTokens: 0 });
  });
});

describe("prepareTopRuns", () => {
  it("links each run and marks a run with no priced call as unpriced", () => {
    const runs = prepareTopRuns([
      {
        runId: "run/1",
        title: "",
        startedAt: Date.parse("2026-02-01T10:00:00Z"),
        calls: 2,
        costUsd: 0,
        unpricedCalls: 2,
        models: ["openai:x"],
      },
      {
        runId: "run-2",
        title: "Explain WAL",
        startedAt: Date.parse("2026-02-01T11:00:00Z"),
        calls: 2,
        costUsd: 0.3,
        unpricedCalls: 1,
        models: ["openai:x", "anthropic:y"],
      },
    ]);
    expect(runs[0]).toMatchObject({
      href: "/runs/run%2F1",
      title: "(no prompt)",
      costUsd: null,
      startedAt: "2026-02-01T10:00:00.000Z",
    });
    expect(runs[1]).toMatchObject({ href: "/runs/run-2", costUsd: 0.3, unpricedCalls: 1 });
  });
});

describe("filters", () => {
  const rows = [OPENAI, ANTHROPIC, OLLAMA, UNPRICED];

  it("filters by provider and by model", () => {
    expect(filterUsage(rows, { provider: "openai", model: null })).toEqual([OPENAI, UNPRICED]);
    expect(filterUsage(rows, { provider: null, model: "ollama:llama3.2" })).toEqual([OLLAMA]);
    expect(filterUsage(rows, { provider: "anthropic", model: "ollama:llama3.2" })).toEqual([]);
  });

  it("offers every provider and model of the range", () => {
    expect(prepareFilterOptions(rows)).toEqual({
      providers: ["anthropic", "ollama", "openai"],
      models: [
        { model: "anthropic:claude-sonnet-4-5", provider: "anthropic" },
        { model: "ollama:llama3.2", provider: "ollama" },
        { model: "openai:gpt-4o-mini", provider: "openai" },
        { model: "openai:gpt-internal-preview", provider: "openai" },
      ],
    });
  });

  it("names the models the top-runs query must match", () => {
    expect(selectedModels(rows, { provider: null, model: null })).toBeNull();
    expect(selectedModels(rows, { provider: "openai", model: null })).toEqual([
      "openai:gpt-4o-mini",
      "openai:gpt-internal-preview",
    ]);
    expect(selectedModels(rows, { provider: "demo", model: null })).toEqual([]);
  });
});

describe("prepareUsageDashboard", () => {
  it("applies the filters to every figure but offers the unfiltered choices", () => {
    const query = parseDashboardQuery(
      { range: "custom", from: "2026-02-01", to: "2026-02-02", provider: "openai" },
      new Date("2026-03-01T00:00:00Z"),
    );
    const view = prepareUsageDashboard({
      query,
      rows: [OPENAI, ANTHROPIC, OLLAMA, UNPRICED],
      timings: [timing("anthropic:claude-sonnet-4-5", "ttft", 900)],
      topRuns: [],
      days: ["2026-02-01", "2026-02-02"],
    });
    expect(view.totals.calls).toBe(12);
    expect(view.unfilteredCalls).toBe(19);
    expect(view.models.map((model) => model.model)).toEqual([
      "openai:gpt-4o-mini",
      "openai:gpt-internal-preview",
    ]);
    expect(view.filters.providers).toEqual(["anthropic", "ollama", "openai"]);
    expect(view.filters.provider).toBe("openai");
    expect(view.unpriced?.models).toEqual([{ model: "openai:gpt-internal-preview", calls: 2 }]);
    expect(view.exportHref).toContain("provider=openai");
    expect(new URLSearchParams(view.search).get("range")).toBe("custom");
    expect(view.costPerDay.points).toHaveLength(2);
  });
});
