"use client";

/**
 * Each target as a point: its pass rate (or mean judge score) against its cost per row and
 * against its latency, so the cheapest and fastest good-enough model stands out. Draws prepared
 * points only (`chartPoints` in lib/ui/evaluation-view.ts).
 */
import {
  CartesianGrid,
  LabelList,
  ResponsiveContainer,
  Scatter,
  ScatterChart,
  Tooltip,
  XAxis,
  YAxis,
} from "recharts";
import type { ChartMetric, ChartPoint } from "@/lib/ui/evaluation-view";
import { formatMilliseconds, formatUsd } from "@/lib/ui/metrics";

const AXIS = { fontSize: 11, fill: "var(--muted)" };
const COLOR = "#6366f1";

function Panel({
  title,
  points,
  x,
  metric,
  testId,
}: {
  title: string;
  points: ChartPoint[];
  x: "costPerRow" | "latencyMs";
  metric: ChartMetric;
  testId: string;
}) {
  const data = points
    .filter((point) => point[x] !== null)
    .map((point) => ({ ...point, x: point[x] as number }));
  return (
    <section className="min-w-0 rounded-md border border-line bg-raised p-3" data-testid={testId}>
      <h3 className="mb-1 text-[12px] font-semibold">{title}</h3>
      <div className="h-56">
        <ResponsiveContainer width="100%" height="100%">
          <ScatterChart margin={{ top: 8, right: 24, bottom: 8, left: 0 }}>
            <CartesianGrid stroke="var(--line)" />
            <XAxis
              type="number"
              dataKey="x"
              tick={AXIS}
              tickFormatter={(value: number) =>
                x === "costPerRow" ? formatUsd(value) : formatMilliseconds(value)
              }
              name={x === "costPerRow" ? "cost per row" : "mean latency"}
            />
            <YAxis
              type="number"
              dataKey="value"
              tick={AXIS}
              domain={metric === "pass-rate" ? [0, 100] : [1, 5]}
              tickFormatter={(value: number) => (metric === "pass-rate" ? `${value}%` : `${value}`)}
              name={metric === "pass-rate" ? "pass rate" : "judge score"}
              width={44}
            />
            <Tooltip
              cursor={{ strokeDasharray: "3 3" }}
              formatter={(value, name) =>
                name === "cost per row"
                  ? formatUsd(Number(value))
                  : name === "mean latency"
                    ? formatMilliseconds(Number(value))
                    : metric === "pass-rate"
                      ? `${Number(value).toFixed(1)}%`
                      : Number(value).toFixed(2)
              }
            />
            <Scatter data={data} fill={COLOR} isAnimationActive={false}>
              <LabelList
                dataKey="model"
                position="top"
                style={{ fontSize: 10, fill: "var(--foreground)" }}
              />
            </Scatter>
          </ScatterChart>
        </ResponsiveContainer>
      </div>
    </section>
  );
}

export default function EvaluationChartView({
  points,
  metric,
}: {
  points: ChartPoint[];
  metric: ChartMetric;
}) {
  const label = metric === "pass-rate" ? "Pass rate" : "Mean judge score";
  return (
    <div className="grid grid-cols-1 gap-3 md:grid-cols-2">
      <Panel
        title={`${label} against cost per row`}
        points={points}
        x="costPerRow"
        metric={metric}
        testId="eval-chart-cost"
      />
      <Panel
        title={`${label} against mean latency`}
        points={points}
        x="latencyMs"
        metric={metric}
        testId="eval-chart-latency"
      />
    </div>
  );
}
