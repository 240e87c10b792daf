/**
 * Prepare → visualise: every figure of `/usage` is decided here, from plain rows, by pure
 * functions; the components only draw what these return. The rules for missing values:
 *
 * - A cost is `null` when none of the calls behind it has a price (unknown, not $0); when only
 *   some do, it is the sum over those and `unpricedCalls` says how many are left out.
 * - A cache hit ratio is `null` when no call reported a cache-read count (Ollama, say): a
 *   provider that says nothing about its cache has not had 0% hits.
 * - Percentiles and speeds are `null` when no call has the timing.
 * - A day without calls is a real zero (nothing was spent); a day whose calls reported no usage
 *   carries `usageMissingCalls` so the chart can say its tokens are unknown.
 */

import { isLocalProvider } from "@/lib/models/providers";
import {
  type DashboardQuery,
  type DashboardRange,
  dashboardSearch,
  exportHref,
} from "./dashboard-range";
import { percentileFromBuckets } from "./histogram";
import {
  addSums,
  emptySums,
  type ModelDayUsage,
  type TimingBucketRow,
  type TopRunRow,
  type UsageSums,
} from "./usage-rows";

/** Models drawn as their own series in the cost chart; the rest are summed as "Other models". */
export const MAX_COST_SERIES = 8;

export const OTHER_SERIES_KEY = "__other__";

export interface UsageFilters {
  provider: string | null;
  model: string | null;
}

export function filterUsage<T extends { provider: string; model: string }>(
  rows: readonly T[],
  filters: UsageFilters,
): T[] {
  return rows.filter(
    (row) =>
      (filters.provider === null || row.provider === filters.provider) &&
      (filters.model === null || row.model === filters.model),
  );
}

export interface FilterOptions {
  providers: string[];
  /** Every model with calls in the range, with its provider, sorted. */
  models: Array<{ model: string; provider: string }>;
}

/** The choices of the filter menus: what had calls in the range, whatever is selected. */
export function prepareFilterOptions(rows: readonly ModelDayUsage[]): FilterOptions {
  const models = new Map<string, string>();
  for (const row of rows) models.set(row.model, row.provider);
  return {
    providers: [...new Set(models.values())].sort(),
    models: [...models.entries()]
      .map(([model, provider]) => ({ model, provider }))
      .sort((left, right) => left.model.localeCompare(right.model)),
  };
}

export interface TotalsView {
  calls: number;
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
  reasoningTokens: number;
  /** `null` when calls exist and none is priced. */
  costUsd: number | null;
  /** Net of the cache-write premium; `null` when no call is priced. */
  savingsUsd: number | null;
  errorCalls: number;
  unpricedCalls: number;
  usageMissingCalls: number;
  pricedCalls: number;
}

function knownCost(sums: UsageSums): { costUsd: number | null; savingsUsd: number | null } {
  const priced = sums.calls - sums.unpricedCalls;
  if (sums.calls > 0 && priced === 0) return { costUsd: null, savingsUsd: null };
  return { costUsd: sums.costUsd, savingsUsd: sums.savingsUsd };
}

export function sumUsage(rows: readonly UsageSums[]): UsageSums {
  const total = emptySums();
  for (const row of rows) addSums(total, row);
  return total;
}

export function prepareTotals(rows: readonly ModelDayUsage[]): TotalsView {
  const total = sumUsage(rows);
  return {
    calls: total.calls,
    inputTokens: total.inputTokens,
    outputTokens: total.outputTokens,
    cacheReadTokens: total.cacheReadTokens,
    cacheWriteTokens: total.cacheWriteTokens,
    reasoningTokens: total.reasoningTokens,
    ...knownCost(total),
    errorCalls: total.errorCalls,
    unpricedCalls: total.unpricedCalls,
    usageMissingCalls: total.usageMissingCalls,
    pricedCalls: total.calls - total.unpricedCalls,
  };
}

export interface UnpricedBanner {
  calls: number;
  /**
   * `hasPrice` is filled by the loader: true when the model has a price now, so its calls
   * lack a cost only because their usage was never reported (e.g. they failed first).
   */
  models: Array<{ model: string; calls: number; hasPrice?: boolean }>;
}

/** `null` when every call in the range has a price (or is local). */
export function prepareUnpricedBanner(rows: readonly ModelDayUsage[]): UnpricedBanner | null {
  const byModel = new Map<string, number>();
  for (const row of rows) {
    if (row.unpricedCalls > 0) {
      byModel.set(row.model, (byModel.get(row.model) ?? 0) + row.unpricedCalls);
    }
  }
  if (byModel.size === 0) return null;
  const models = [...byModel.entries()]
    .map(([model, calls]) => ({ model, calls }))
    .sort((left, right) => right.calls - left.calls || left.model.localeCompare(right.model));
  return { calls: models.reduce((sum, entry) => sum + entry.calls, 0), models };
}

export interface ModelView {
  model: string;
  provider: string;
  local: boolean;
  calls: number;
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
  costUsd: number | null;
  savingsUsd: number | null;
  unpricedCalls: number;
  errorCalls: number;
  usageMissingCalls: number;
  /** Errors ÷ calls. */
  errorRate: number;
  /** Cache-read ÷ input tokens, over the calls that reported a cache-read count. */
  cacheHitRatio: number | null;
  ttftP50Ms: number | null;
  ttftP95Ms: number | null;
  /** Median output tokens per second after the first token, over finished calls. */
  tokensPerSecond: number | null;
  /** Calls the timing figures are based on. */
  timedCalls: number;
}

function byCostThenCalls<T extends { costUsd: number | null; calls: number; key: string }>(
  left: T,
  right: T,
): number {
  return (
    (right.costUsd ?? -1) - (left.costUsd ?? -1) ||
    right.calls - left.calls ||
    left.key.localeCompare(right.key)
  );
}

/** One row per model, most expensive first: the cost table and every per-model chart. */
export function prepareModels(
  rows: readonly ModelDayUsage[],
  timings: readonly TimingBucketRow[],
): ModelView[] {
  const sums = new Map<string, { provider: string; sums: UsageSums }>();
  for (const row of rows) {
    let entry = sums.get(row.model);
    if (!entry) {
      entry = { provider: row.provider, sums: emptySums() };
      sums.set(row.model, entry);
    }
    addSums(entry.sums, row);
  }
  const histograms = new Map<string, { ttft: TimingBucketRow[]; tps: TimingBucketRow[] }>();
  for (const timing of timings) {
    let entry = histograms.get(timing.model);
    if (!entry) {
      entry = { ttft: [], tps: [] };
      histograms.set(timing.model, entry);
    }
    entry[timing.metric].push(timing);
  }
  const models = [...sums.entries()].map(([model, { provider, sums: total }]) => {
    const histogram = histograms.get(model) ?? { ttft: [], tps: [] };
    return {
      key: model,
      model,
      provider,
      local: isLocalProvider(provider),
      calls: total.calls,
      inputTokens: total.inputTokens,
      outputTokens: total.outputTokens,
      cacheReadTokens: total.cacheReadTokens,
      cacheWriteTokens: total.cacheWriteTokens,
      ...knownCost(total),
      unpricedCalls: total.unpricedCalls,
      errorCalls: total.errorCalls,
      usageMissingCalls: total.usageMissingCalls,
      errorRate: total.calls > 0 ? total.errorCalls / total.calls : 0,
      cacheHitRatio:
        total.cacheReportedCalls > 0 && total.cacheReportedInputTokens > 0
          ? total.cacheReadTokens / total.cacheReportedInputTokens
          : null,
      ttftP50Ms: percentileFromBuckets(histogram.ttft, 0.5),
      ttftP95Ms: percentileFromBuckets(histogram.ttft, 0.95),
      tokensPerSecond: percentileFromBuckets(histogram.tps, 0.5),
      timedCalls: histogram.ttft.reduce((sum, bucket) => sum + bucket.calls, 0),
    };
  });
  return models.sort(byCostThenCalls).map(({ key: _key, ...view }) => view);
}

/** One bar of a per-model chart; `value: null` is drawn as no bar and named as missing. */
export interface ModelBar {
  label: string;
  value: number | null;
  /** A second value drawn beside the first (p95 next to p50). */
  extra: number | null;
}

export interface ModelChartsView {
  cacheHitRatio: ModelBar[];
  /** Only models that read or wrote the cache (or whose savings are unknown). */
  savings: ModelBar[];
  ttft: ModelBar[];
  tokensPerSecond: ModelBar[];
  errorRate: ModelBar[];
}

export function prepareModelCharts(models: readonly ModelView[]): ModelChartsView {
  const bars = (
    list: readonly ModelView[],
    value: (model: ModelView) => number | null,
    extra: (model: ModelView) => number | null = () => null,
  ): ModelBar[] =>
    list.map((model) => ({ label: model.model, value: value(model), extra: extra(model) }));
  return {
    cacheHitRatio: bars(models, (model) => model.cacheHitRatio),
    savings: bars(
      models.filter(
        (model) =>
          model.cacheReadTokens > 0 || model.cacheWriteTokens > 0 || model.savingsUsd === null,
      ),
      (model) => model.savingsUsd,
    ),
    ttft: bars(
      models,
      (model) => model.ttftP50Ms,
      (model) => model.ttftP95Ms,
    ),
    tokensPerSecond: bars(models, (model) => model.tokensPerSecond),
    errorRate: bars(models, (model) => model.errorRate),
  };
}

export interface ProviderView {
  provider: string;
  local: boolean;
  calls: number;
  models: number;
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
  costUsd: number | null;
  savingsUsd: number | null;
  unpricedCalls: number;
  errorCalls: number;
}

export function prepareProviders(rows: readonly ModelDayUsage[]): ProviderView[] {
  const byProvider = new Map<string, { sums: UsageSums; models: Set<string> }>();
  for (const row of rows) {
    let entry = byProvider.get(row.provider);
    if (!entry) {
      entry = { sums: emptySums(), models: new Set() };
      byProvider.set(row.provider, entry);
    }
    addSums(entry.sums, row);
    entry.models.add(row.model);
  }
  return [...byProvider.entries()]
    .map(([provider, { sums, models }]) => ({
      key: provider,
      provider,
      local: isLocalProvider(provider),
      calls: sums.calls,
      models: models.size,
      inputTokens: sums.inputTokens,
      outputTokens: sums.outputTokens,
      cacheReadTokens: sums.cacheReadTokens,
      cacheWriteTokens: sums.cacheWriteTokens,
      ...knownCost(sums),
      unpricedCalls: sums.unpricedCalls,
      errorCalls: sums.errorCalls,
    }))
    .sort(byCostThenCalls)
    .map(({ key: _key, ...view }) => view);
}

export interface CostSeries {
  /** The data key in each point: the model string, or `OTHER_SERIES_KEY`. */
  key: string;
  label: string;
  /** Index into the chart palette; stable for a model within one page. */
  colorIndex: number;
}

export interface CostDayPoint {
  day: string;
  /**
   * Per series: the cost that day; `null` when the series had calls that day but none priced
   * (drawn as a gap, listed as unpriced); absent when it had no calls.
   */
  costs: Record<string, number | null>;
  /** The day's cost over priced calls (0 on a day without calls). */
  totalUsd: number;
  calls: number;
  unpricedCalls: number;
}

export interface CostPerDayView {
  series: CostSeries[];
  points: CostDayPoint[];
}

/** Cost per day stacked by model: the costliest `maxSeries` models, the rest as one series. */
export function prepareCostPerDay(
  rows: readonly ModelDayUsage[],
  days: readonly string[],
  maxSeries: number = MAX_COST_SERIES,
): CostPerDayView {
  const costByModel = new Map<string, number>();
  for (const row of rows) {
    costByModel.set(row.model, (costByModel.get(row.model) ?? 0) + row.costUsd);
  }
  const ranked = [...costByModel.entries()].sort(
    (left, right) => right[1] - left[1] || left[0].localeCompare(right[0]),
  );
  const needsOther = ranked.length > maxSeries;
  const shown = ranked.slice(0, needsOther ? maxSeries - 1 : maxSeries).map(([model]) => model);
  const shownSet = new Set(shown);
  const series: CostSeries[] = shown.map((model, index) => ({
    key: model,
    label: model,
    colorIndex: index,
  }));
  if (needsOther) {
    series.push({ key: OTHER_SERIES_KEY, label: "Other models", colorIndex: -1 });
  }

  const byDay = new Map<string, Map<string, { cost: number; calls: number; unpriced: number }>>();
  for (const row of rows) {
    const key = shownSet.has(row.model) ? row.model : OTHER_SERIES_KEY;
    let dayEntry = byDay.get(row.day);
    if (!dayEntry) {
      dayEntry = new Map();
      byDay.set(row.day, dayEntry);
    }
    const cell = dayEntry.get(key) ?? { cost: 0, calls: 0, unpriced: 0 };
    cell.cost += row.costUsd;
    cell.calls += row.calls;
    cell.unpriced += row.unpricedCalls;
    dayEntry.set(key, cell);
  }
  const points = days.map((day) => {
    const costs: Record<string, number | null> = {};
    let totalUsd = 0;
    let calls = 0;
    let unpricedCalls = 0;
    for (const [key, cell] of byDay.get(day) ?? []) {
      costs[key] = cell.calls > cell.unpriced ? cell.cost : null;
      totalUsd += cell.cost;
      calls += cell.calls;
      unpricedCalls += cell.unpriced;
    }
    return { day, costs, totalUsd, calls, unpricedCalls };
  });
  return { series, points };
}

export interface TokenDayPoint {
  day: string;
  /** Input tokens neither read from nor written to the cache. */
  uncachedInputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
  outputTokens: number;
  calls: number;
  /** Calls that day whose usage is unknown: their tokens are not in the bars. */
  usageMissingCalls: number;
}

/** Tokens per day by kind; the four kinds add up to input + output tokens. */
export function prepareTokensPerDay(
  rows: readonly ModelDayUsage[],
  days: readonly string[],
): TokenDayPoint[] {
  const byDay = new Map<string, UsageSums>();
  for (const row of rows) {
    const sums = byDay.get(row.day) ?? emptySums();
    addSums(sums, row);
    byDay.set(row.day, sums);
  }
  return days.map((day) => {
    const sums = byDay.get(day) ?? emptySums();
    return {
      day,
      uncachedInputTokens: Math.max(
        0,
        sums.inputTokens - sums.cacheReadTokens - sums.cacheWriteTokens,
      ),
      cacheReadTokens: sums.cacheReadTokens,
      cacheWriteTokens: sums.cacheWriteTokens,
      outputTokens: sums.outputTokens,
      calls: sums.calls,
      usageMissingCalls: sums.usageMissingCalls,
    };
  });
}

export interface TopRunView {
  runId: string;
  href: string;
  title: string;
  startedAt: string;
  calls: number;
  /** `null` when none of the run's calls is priced. */
  costUsd: number | null;
  unpricedCalls: number;
  models: string[];
}

export function prepareTopRuns(rows: readonly TopRunRow[]): TopRunView[] {
  return rows.map((row) => ({
    runId: row.runId,
    href: `/runs/${encodeURIComponent(row.runId)}`,
    title: row.title || "(no prompt)",
    startedAt: new Date(row.startedAt).toISOString(),
    calls: row.calls,
    costUsd: row.calls > 0 && row.unpricedCalls === row.calls ? null : row.costUsd,
    unpricedCalls: row.unpricedCalls,
    models: row.models,
  }));
}

/** The models a provider/model filter keeps, or `null` for all (the top-runs query filter). */
export function selectedModels(
  rows: readonly ModelDayUsage[],
  filters: UsageFilters,
): string[] | null {
  if (filters.provider === null && filters.model === null) return null;
  return [...new Set(filterUsage(rows, filters).map((row) => row.model))];
}

export interface UsageDashboardView {
  range: {
    preset: DashboardRange["preset"];
    from: string;
    to: string;
    fromDay: string;
    toDay: string;
    label: string;
  };
  filters: UsageFilters & FilterOptions;
  /** Why the asked-for range was replaced by the default one. */
  rangeError: string | null;
  /** Calls in the range before the provider/model filter. */
  unfilteredCalls: number;
  totals: TotalsView;
  unpriced: UnpricedBanner | null;
  costPerDay: CostPerDayView;
  tokensPerDay: TokenDayPoint[];
  models: ModelView[];
  modelCharts: ModelChartsView;
  providers: ProviderView[];
  topRuns: TopRunView[];
  exportHref: string;
  /** The query string of this view, for links that keep the range and filters. */
  search: string;
}

/** Everything `/usage` shows, from the rows of one range (unfiltered) and its top runs. */
export function prepareUsageDashboard(options: {
  query: DashboardQuery;
  rows: readonly ModelDayUsage[];
  timings: readonly TimingBucketRow[];
  topRuns: readonly TopRunRow[];
  days: readonly string[];
}): UsageDashboardView {
  const { query } = options;
  const filters: UsageFilters = { provider: query.provider, model: query.model };
  const rows = filterUsage(options.rows, filters);
  const timings = filterUsage(options.timings, filters);
  const models = prepareModels(rows, timings);
  return {
    range: {
      preset: query.range.preset,
      from: query.range.from.toISOString(),
      to: query.range.to.toISOString(),
      fromDay: query.range.fromDay,
      toDay: query.range.toDay,
      label: query.range.label,
    },
    filters: { ...filters, ...prepareFilterOptions(options.rows) },
    rangeError: query.error,
    unfilteredCalls: sumUsage(options.rows).calls,
    totals: prepareTotals(rows),
    unpriced: prepareUnpricedBanner(rows),
    costPerDay: prepareCostPerDay(rows, options.days),
    tokensPerDay: prepareTokensPerDay(rows, options.days),
    models,
    modelCharts: prepareModelCharts(models),
    providers: prepareProviders(rows),
    topRuns: prepareTopRuns(options.topRuns),
    exportHref: exportHref({ range: query.range, ...filters }),
    search: dashboardSearch({ range: query.range, ...filters }).toString(),
  };
}
