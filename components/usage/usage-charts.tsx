"use client";

import dynamic from "next/dynamic";
import type {
  CostPerDayView,
  ModelChartsView,
  TokenDayPoint,
} from "@/lib/reports/prepare-dashboard";

/**
 * recharts is loaded only here, on `/usage`, after the page's figures and tables are on screen:
 * the server renders numbers, the browser fetches the chart code in its own chunk, and no other
 * page's bundle carries it.
 */
const UsageChartsView = dynamic(() => import("./usage-charts-view"), {
  ssr: false,
  loading: () => (
    <div
      className="grid h-64 place-items-center rounded-md border border-line bg-raised text-muted"
      data-testid="usage-charts-loading"
    >
      Loading charts…
    </div>
  ),
});

export function UsageCharts(props: {
  costPerDay: CostPerDayView;
  tokensPerDay: TokenDayPoint[];
  modelCharts: ModelChartsView;
}) {
  return <UsageChartsView {...props} />;
}
