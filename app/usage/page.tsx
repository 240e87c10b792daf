/**
 * `/usage`: what calls cost, on which models, and what prompt caching saved, over a date range
 * with provider and model filters. Read on the server from the rollups (lib/reports); the
 * components below only draw the prepared view.
 */
import { UsageBreakdown } from "@/components/usage/usage-breakdown";
import { UsageDashboard } from "@/components/usage/usage-dashboard";
import type { SearchParameters } from "@/lib/reports/dashboard-range";
import { loadUsageBreakdown } from "@/lib/reports/usage-breakdown-load";
import { loadUsageDashboard } from "@/lib/reports/usage-dashboard";

export const dynamic = "force-dynamic";
export const metadata = { title: "Usage — Locus Playground" };

export default async function UsagePage({
  searchParams,
}: {
  searchParams: Promise<SearchParameters>;
}) {
  const searchParameters = await searchParams;
  const view = loadUsageDashboard({ searchParameters, now: new Date() });
  const breakdown = loadUsageBreakdown({ searchParameters, view });
  // The range and filter links keep the breakdown's grouping and filters.
  return (
    <UsageDashboard
      view={{ ...view, search: breakdown.search }}
      breakdown={<UsageBreakdown view={breakdown} />}
    />
  );
}
