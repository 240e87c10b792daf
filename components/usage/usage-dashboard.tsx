import type { ReactNode } from "react";
import type { UsageDashboardView } from "@/lib/reports/prepare-dashboard";
import { UsageCharts } from "./usage-charts";
import { UsageFilters } from "./usage-filters";
import { UnpricedUsageBanner, UsageTotals } from "./usage-summary";
import { CostByModelTable, CostByProviderTable, TopRunsTable } from "./usage-tables";

/** The whole `/usage` page for a prepared view: drawing only. */
export function UsageDashboard({
  view,
  breakdown = null,
}: {
  view: UsageDashboardView;
  /** Spend by source, key or tag, read apart from the rollups (components/usage/usage-breakdown). */
  breakdown?: ReactNode;
}) {
  const filtered = view.filters.provider !== null || view.filters.model !== null;
  return (
    <main
      className="mx-auto flex w-full max-w-7xl flex-1 flex-col gap-3 overflow-y-auto px-4 py-4"
      data-testid="usage-page"
      data-from={view.range.from}
      data-to={view.range.to}
    >
      <div className="flex flex-wrap items-baseline gap-x-3">
        <h1 className="text-base font-semibold">Usage</h1>
        <p className="text-muted" data-testid="usage-range-label">
          {view.range.label}
          {filtered
            ? ` · ${[view.filters.provider, view.filters.model].filter(Boolean).join(" · ")}`
            : ""}
        </p>
      </div>
      <UsageFilters
        key={view.search}
        view={{
          range: view.range,
          filters: view.filters,
          search: view.search,
          exportHref: view.exportHref,
        }}
      />
      {view.rangeError ? (
        <p className="text-danger" role="alert" data-testid="usage-range-error">
          {view.rangeError}; showing {view.range.label.toLowerCase()} instead.
        </p>
      ) : null}
      {view.unpriced ? <UnpricedUsageBanner banner={view.unpriced} /> : null}
      <UsageTotals totals={view.totals} />
      {view.totals.calls === 0 ? (
        <p className="py-6 text-center text-muted" data-testid="usage-empty">
          {filtered && view.unfilteredCalls > 0
            ? "No calls match these filters in this range."
            : "No calls in this range. Run a comparison and its usage shows up here."}
        </p>
      ) : (
        <>
          <UsageCharts
            costPerDay={view.costPerDay}
            tokensPerDay={view.tokensPerDay}
            modelCharts={view.modelCharts}
          />
          {breakdown}
          <CostByModelTable models={view.models} />
          <div className="grid gap-3 lg:grid-cols-2">
            <CostByProviderTable providers={view.providers} />
            <TopRunsTable runs={view.topRuns} filtered={filtered} />
          </div>
        </>
      )}
    </main>
  );
}
