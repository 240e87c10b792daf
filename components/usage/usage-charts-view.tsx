"use client";

/**
 * The dashboard's charts. They draw prepared data only (lib/reports/prepare-dashboard.ts):
 * no sums, no ratios, no decisions about missing values happen here. A model whose figure is
 * missing gets no bar and is named under the chart with the reason.
 */
import type { ReactNode } from "react";
import {
  Bar,
  BarChart,
  CartesianGrid,
  Legend,
  ResponsiveContainer,
  Tooltip,
  type TooltipContentProps,
  XAxis,
  YAxis,
} from "recharts";
import {
  formatCompact,
  formatCount,
  formatDay,
  formatMilliseconds,
  formatPercent,
  formatRate,
  formatSignedUsd,
  formatUsd,
} from "@/lib/reports/format";
import type {
  CostDayPoint,
  CostPerDayView,
  ModelBar,
  ModelChartsView,
  TokenDayPoint,
} from "@/lib/reports/prepare-dashboard";

/** Distinguishable in light and dark themes; "other" is grey. */
const PALETTE = [
  "#6366f1",
  "#f59e0b",
  "#10b981",
  "#ef4444",
  "#06b6d4",
  "#a855f7",
  "#84cc16",
  "#ec4899",
];
const OTHER_COLOR = "#9ca3af";
const TOKEN_COLORS = {
  uncached: "#6366f1",
  cacheRead: "#10b981",
  cacheWrite: "#f59e0b",
  output: "#a855f7",
};

const AXIS = { fontSize: 11, fill: "var(--muted)" };
const GRID = "var(--line)";

function colorOf(index: number): string {
  return index < 0 ? OTHER_COLOR : (PALETTE[index % PALETTE.length] ?? OTHER_COLOR);
}

function Panel({
  title,
  subtitle,
  testId,
  children,
  footer,
}: {
  title: string;
  subtitle?: string;
  testId: string;
  children: ReactNode;
  footer?: ReactNode;
}) {
  return (
    <section className="min-w-0 rounded-md border border-line bg-raised p-3" data-testid={testId}>
      <h2 className="font-semibold">{title}</h2>
      {subtitle ? <p className="text-[11px] text-muted">{subtitle}</p> : null}
      <div className="mt-2">{children}</div>
      {footer ? <div className="mt-1 text-[11px] text-muted">{footer}</div> : null}
    </section>
  );
}

function TooltipBox({ title, children }: { title: string; children: ReactNode }) {
  return (
    <div className="rounded-md border border-line bg-raised px-2 py-1.5 text-[12px] shadow-md">
      <div className="mb-0.5 font-medium">{title}</div>
      {children}
    </div>
  );
}

function Row({ color, label, value }: { color?: string; label: string; value: string }) {
  return (
    <div className="flex items-center gap-2">
      {color ? <span className="size-2 shrink-0 rounded-sm" style={{ background: color }} /> : null}
      <span className="min-w-0 flex-1 truncate font-mono text-[11px]">{label}</span>
      <span className="font-mono tabular-nums">{value}</span>
    </div>
  );
}

function CostPerDayChart({ view }: { view: CostPerDayView }) {
  const colorByKey = new Map(view.series.map((series) => [series.key, colorOf(series.colorIndex)]));
  const labelByKey = new Map(view.series.map((series) => [series.key, series.label]));
  const tooltip = ({ active, payload }: TooltipContentProps) => {
    const point = payload?.[0]?.payload as CostDayPoint | undefined;
    if (!active || !point) return null;
    return (
      <TooltipBox title={`${formatDay(point.day)} · ${formatUsd(point.totalUsd)}`}>
        {Object.entries(point.costs).map(([key, cost]) => (
          <Row
            key={key}
            color={colorByKey.get(key)}
            label={labelByKey.get(key) ?? key}
            value={cost === null ? "unpriced" : formatUsd(cost)}
          />
        ))}
        {point.unpricedCalls > 0 ? (
          <div className="mt-0.5 text-danger">
            {formatCount(point.unpricedCalls)} unpriced calls
          </div>
        ) : null}
        {point.calls === 0 ? <div className="text-muted">no calls</div> : null}
      </TooltipBox>
    );
  };
  return (
    <Panel
      title="Cost per day"
      subtitle="Stacked by model, UTC days; unpriced calls are not in the bars"
      testId="chart-cost-per-day"
    >
      <ResponsiveContainer width="100%" height={260}>
        <BarChart data={view.points} margin={{ top: 4, right: 8, bottom: 0, left: 4 }}>
          <CartesianGrid stroke={GRID} vertical={false} />
          <XAxis dataKey="day" tickFormatter={formatDay} tick={AXIS} minTickGap={16} />
          <YAxis tickFormatter={(value: number) => formatUsd(value)} tick={AXIS} width={64} />
          <Tooltip content={tooltip} cursor={{ fill: "var(--panel)" }} />
          <Legend wrapperStyle={{ fontSize: 11 }} />
          {view.series.map((series) => (
            <Bar
              key={series.key}
              name={series.label}
              dataKey={(point: CostDayPoint) => point.costs[series.key] ?? null}
              stackId="cost"
              fill={colorOf(series.colorIndex)}
              isAnimationActive={false}
            />
          ))}
        </BarChart>
      </ResponsiveContainer>
    </Panel>
  );
}

function TokensPerDayChart({ points }: { points: TokenDayPoint[] }) {
  const missing = points.reduce((sum, point) => sum + point.usageMissingCalls, 0);
  const tooltip = ({ active, payload }: TooltipContentProps) => {
    const point = payload?.[0]?.payload as TokenDayPoint | undefined;
    if (!active || !point) return null;
    return (
      <TooltipBox title={`${formatDay(point.day)} · ${formatCount(point.calls)} calls`}>
        <Row
          color={TOKEN_COLORS.uncached}
          label="input, uncached"
          value={formatCount(point.uncachedInputTokens)}
        />
        <Row
          color={TOKEN_COLORS.cacheRead}
          label="cache read"
          value={formatCount(point.cacheReadTokens)}
        />
        <Row
          color={TOKEN_COLORS.cacheWrite}
          label="cache write"
          value={formatCount(point.cacheWriteTokens)}
        />
        <Row color={TOKEN_COLORS.output} label="output" value={formatCount(point.outputTokens)} />
        {point.usageMissingCalls > 0 ? (
          <div className="mt-0.5 text-danger">
            {formatCount(point.usageMissingCalls)} calls reported no usage
          </div>
        ) : null}
      </TooltipBox>
    );
  };
  return (
    <Panel
      title="Tokens per day"
      subtitle="By kind; cache reads and writes are part of the input"
      testId="chart-tokens-per-day"
      footer={
        missing > 0
          ? `${formatCount(missing)} calls reported no usage: their tokens are unknown and not drawn.`
          : undefined
      }
    >
      <ResponsiveContainer width="100%" height={260}>
        <BarChart data={points} margin={{ top: 4, right: 8, bottom: 0, left: 4 }}>
          <CartesianGrid stroke={GRID} vertical={false} />
          <XAxis dataKey="day" tickFormatter={formatDay} tick={AXIS} minTickGap={16} />
          <YAxis tickFormatter={(value: number) => formatCompact(value)} tick={AXIS} width={48} />
          <Tooltip content={tooltip} cursor={{ fill: "var(--panel)" }} />
          <Legend wrapperStyle={{ fontSize: 11 }} />
          <Bar
            name="input, uncached"
            dataKey="uncachedInputTokens"
            stackId="tokens"
            fill={TOKEN_COLORS.uncached}
            isAnimationActive={false}
          />
          <Bar
            name="cache read"
            dataKey="cacheReadTokens"
            stackId="tokens"
            fill={TOKEN_COLORS.cacheRead}
            isAnimationActive={false}
          />
          <Bar
            name="cache write"
            dataKey="cacheWriteTokens"
            stackId="tokens"
            fill={TOKEN_COLORS.cacheWrite}
            isAnimationActive={false}
          />
          <Bar
            name="output"
            dataKey="outputTokens"
            stackId="tokens"
            fill={TOKEN_COLORS.output}
            isAnimationActive={false}
          />
        </BarChart>
      </ResponsiveContainer>
    </Panel>
  );
}

/**
 * A horizontal bar per model with a value; models without one are listed in the footer with
 * the reason, so a missing figure never looks like a zero bar.
 */
function ModelBarChart({
  title,
  subtitle,
  testId,
  bars,
  format,
  missingReason,
  secondName,
  firstName,
}: {
  title: string;
  subtitle?: string;
  testId: string;
  bars: ModelBar[];
  format: (value: number | null) => string;
  missingReason: string;
  firstName?: string;
  secondName?: string;
}) {
  const shown = bars.filter((bar) => bar.value !== null);
  const missing = bars.filter((bar) => bar.value === null);
  const tooltip = ({ active, payload }: TooltipContentProps) => {
    const bar = payload?.[0]?.payload as ModelBar | undefined;
    if (!active || !bar) return null;
    return (
      <TooltipBox title={bar.label}>
        <Row label={firstName ?? title} value={bar.value === null ? "—" : format(bar.value)} />
        {secondName ? (
          <Row label={secondName} value={bar.extra === null ? "—" : format(bar.extra)} />
        ) : null}
      </TooltipBox>
    );
  };
  return (
    <Panel
      title={title}
      subtitle={subtitle}
      testId={testId}
      footer={
        missing.length > 0 ? (
          <span data-testid={`${testId}-missing`}>
            {missingReason}: {missing.map((bar) => bar.label).join(", ")}
          </span>
        ) : undefined
      }
    >
      {shown.length === 0 ? (
        <p className="py-6 text-center text-muted">No data in this range.</p>
      ) : (
        <ResponsiveContainer
          width="100%"
          height={Math.max(80, shown.length * (secondName ? 30 : 22) + 40)}
        >
          <BarChart
            data={shown}
            layout="vertical"
            margin={{ top: 0, right: 12, bottom: 0, left: 4 }}
          >
            <CartesianGrid stroke={GRID} horizontal={false} />
            <XAxis type="number" tickFormatter={format} tick={AXIS} />
            <YAxis
              type="category"
              dataKey="label"
              tick={{ ...AXIS, fontSize: 10 }}
              width={220}
              interval={0}
            />
            <Tooltip content={tooltip} cursor={{ fill: "var(--panel)" }} />
            <Bar
              name={firstName ?? title}
              dataKey="value"
              fill={PALETTE[0]}
              isAnimationActive={false}
            />
            {secondName ? (
              <Bar name={secondName} dataKey="extra" fill={PALETTE[1]} isAnimationActive={false} />
            ) : null}
          </BarChart>
        </ResponsiveContainer>
      )}
    </Panel>
  );
}

export default function UsageChartsView({
  costPerDay,
  tokensPerDay,
  modelCharts,
}: {
  costPerDay: CostPerDayView;
  tokensPerDay: TokenDayPoint[];
  modelCharts: ModelChartsView;
}) {
  return (
    <div className="grid gap-3 lg:grid-cols-2" data-testid="usage-charts">
      <CostPerDayChart view={costPerDay} />
      <TokensPerDayChart points={tokensPerDay} />
      <ModelBarChart
        title="Cache hit ratio"
        subtitle="Cache-read ÷ input tokens, per model"
        testId="chart-cache-hit-ratio"
        bars={modelCharts.cacheHitRatio}
        format={formatPercent}
        missingReason="No cache counts reported"
      />
      <ModelBarChart
        title="Net savings from caching"
        subtitle="Per model, after the cache-write premium; models that never used the cache are left out"
        testId="chart-savings"
        bars={modelCharts.savings}
        format={formatSignedUsd}
        missingReason="Unpriced, so savings are unknown"
      />
      <ModelBarChart
        title="Time to first token"
        subtitle="p50 and p95 per model (estimated from ten-per-decade histograms)"
        testId="chart-ttft"
        bars={modelCharts.ttft}
        firstName="p50"
        secondName="p95"
        format={formatMilliseconds}
        missingReason="No first token recorded"
      />
      <ModelBarChart
        title="Output speed"
        subtitle="Median output tokens per second after the first token"
        testId="chart-tokens-per-second"
        bars={modelCharts.tokensPerSecond}
        format={formatRate}
        missingReason="No finished call with output and timings"
      />
      <ModelBarChart
        title="Error rate"
        subtitle="Failed calls ÷ calls, per model"
        testId="chart-error-rate"
        bars={modelCharts.errorRate}
        format={formatPercent}
        missingReason="No calls"
      />
    </div>
  );
}
