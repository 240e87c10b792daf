/**
 * What `/usage` awaits: the range and filters from its query string, the rollup reads for
 * that range, and the preparers over them. The page renders the returned view and nothing
 * else, so this function is also what the dashboard benchmark times.
 */
import "server-only";
import type { Database } from "@/lib/db/client";
import { listPriceOverrides } from "@/lib/db/queries";
import { resolvePrice } from "@/lib/pricing/resolve-price";
import {
  getTimingHistograms,
  getTopRuns,
  getUsageByDayAndModel,
  listDays,
} from "./dashboard-queries";
import { parseDashboardQuery, type SearchParameters } from "./dashboard-range";
import {
  filterUsage,
  prepareUsageDashboard,
  selectedModels,
  sumUsage,
  type UsageDashboardView,
} from "./prepare-dashboard";

export const TOP_RUNS_LIMIT = 10;

export function loadUsageDashboard(options: {
  searchParameters: SearchParameters;
  now: Date;
  database?: Database;
}): UsageDashboardView {
  const query = parseDashboardQuery(options.searchParameters, options.now);
  const range = { from: query.range.from, to: query.range.to, database: options.database };
  const rows = getUsageByDayAndModel(range);
  const timings = getTimingHistograms(range);
  const filters = { provider: query.provider, model: query.model };
  const topRuns = getTopRuns({
    ...range,
    models: selectedModels(rows, filters),
    matchingCalls: sumUsage(filterUsage(rows, filters)).calls,
    limit: TOP_RUNS_LIMIT,
  });
  const view = prepareUsageDashboard({
    query,
    rows,
    timings,
    topRuns,
    days: listDays(query.range),
  });
  if (view.unpriced) {
    const overrides = listPriceOverrides({ database: options.database });
    for (const entry of view.unpriced.models) {
      const colon = entry.model.indexOf(":");
      const resolution = resolvePrice({
        provider: entry.model.slice(0, colon),
        modelId: entry.model.slice(colon + 1),
        at: options.now,
        overrides,
      });
      entry.hasPrice = resolution.status !== "unpriced";
    }
  }
  return view;
}
