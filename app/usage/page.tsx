/**
 * `/usage`: what calls cost, on which models, and what prompt caching saved, over a date range
 * with provider and model filters. Read on the server from the rollups (lib/reports); the
 * components below only draw the prepared view.
 */
import { UsageDashboard } from "@/components/usage/usage-dashboard";
import type { SearchParameters } from "@/lib/reports/dashboard-range";
import { loadUsageDashboard } from "@/lib/reports/usage-dashboard";

export const dynamic = "force-dynamic";
export const metadata = { title: "Usage — Locus Playground" };

export default async function UsagePage({
  searchParams,
}: {
  searchParams: Promise<SearchParameters>;
}) {
  const view = loadUsageDashboard({ searchParameters: await searchParams, now: new Date() });
  return <UsageDashboard view={view} />;
}
