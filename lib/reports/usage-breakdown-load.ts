/** What `/usage`'s breakdown awaits: the calls-path report for the page's range and filters. */
import "server-only";
import type { Database } from "@/lib/db/client";
import { getUsageReport } from "@/lib/db/queries";
import type { UsageDashboardView } from "./prepare-dashboard";
import {
  type BreakdownView,
  parseBreakdownQuery,
  prepareUsageBreakdown,
  ungroupedByKey,
} from "./usage-breakdown";

export function loadUsageBreakdown(options: {
  searchParameters: Record<string, string | string[] | undefined>;
  view: Pick<UsageDashboardView, "range" | "filters" | "search">;
  database?: Database;
}): BreakdownView {
  const { groupBy, filter } = parseBreakdownQuery(options.searchParameters);
  const report = getUsageReport({
    from: new Date(options.view.range.from),
    to: new Date(options.view.range.to),
    groupBy,
    provider: options.view.filters.provider,
    model: options.view.filters.model,
    ...filter,
    database: options.database,
  });
  const search = new URLSearchParams(options.view.search);
  if (groupBy !== "source") search.set("breakdown", groupBy);
  for (const name of ["source", "key", "tag"] as const) {
    const value = filter[name];
    if (value) search.set(name, value);
  }
  return prepareUsageBreakdown({
    search: search.toString(),
    groupBy,
    filter,
    totals: report.totals,
    groups: report.groups,
    ungroupedCalls: groupBy === "key" ? ungroupedByKey(report.totals, report.groups) : null,
  });
}
