import type { ReactNode } from "react";
import type { CallMetrics, NoUsageReason } from "@/lib/ui/metrics";
import {
  formatCompact,
  formatInputTokens,
  formatMilliseconds,
  formatRate,
  formatTokens,
  formatUsd,
} from "@/lib/ui/metrics";

function Cell({ label, title, children }: { label: string; title?: string; children: ReactNode }) {
  return (
    <div className="min-w-0 px-1 py-1" title={title}>
      <div className="truncate text-[10px] text-muted uppercase">{label}</div>
      <div className="truncate font-mono text-[11px] tabular-nums">{children}</div>
    </div>
  );
}

export const NO_USAGE_TEXT: Record<NoUsageReason, { text: string; title: string }> = {
  "not-sent": { text: "not sent", title: "The call was never sent: nothing to price" },
  failed: {
    text: "no usage",
    title: "The call failed before the provider reported usage: nothing to price",
  },
  cancelled: {
    text: "no usage",
    title: "Cancelled before the provider reported usage: nothing to price",
  },
  unreported: { text: "no usage", title: "The provider reported no usage: nothing to price" },
};

export function costText(metrics: CallMetrics, local: boolean): string {
  if (metrics.costState === "pending") return "…";
  if (metrics.costState === "unpriced") return "unpriced";
  if (metrics.costState === "no-usage") {
    return NO_USAGE_TEXT[metrics.noUsageReason ?? "unreported"].text;
  }
  if (local && metrics.costUsd === 0) return "free";
  if (metrics.costState === "estimate") return `≈ ${formatUsd(metrics.costUsd)}`;
  return formatUsd(metrics.costUsd);
}

export const COST_TITLES: Record<CallMetrics["costState"], string> = {
  pending: "The cost is known when the provider reports usage at the end of the call",
  estimate:
    "Cost so far, estimated: input from the prompt's length at the uncached rate, output from " +
    "the text streamed so far; the recorded cost replaces it when the call ends",
  final: "Cost of this call",
  unpriced: "Usage was reported but no price is known for this model",
  "no-usage": NO_USAGE_TEXT.unreported.title,
};

/**
 * A fixed-height strip of two rows (timings and cost; tokens): every cell is always rendered,
 * with a dash until its value exists, so nothing below it moves while a call streams.
 */
export function MetricsStrip({ metrics, local }: { metrics: CallMetrics | null; local: boolean }) {
  const estimated = metrics?.outputTokensEstimated ?? false;
  const inputTokens = metrics?.inputTokens ?? null;
  const cachedInputTokens = metrics?.cachedInputTokens ?? null;
  return (
    <div
      data-testid="metrics"
      className="grid h-20 shrink-0 grid-rows-2 divide-y divide-line border-y border-line bg-panel"
    >
      <div className="grid min-h-0 grid-cols-[0.9fr_0.9fr_0.75fr_1.35fr] divide-x divide-line">
        <Cell
          label="TTFT"
          title="Time to first token: from the server sending the request to the first token"
        >
          <span data-testid="metrics-ttft">{formatMilliseconds(metrics?.ttftMs ?? null)}</span>
        </Cell>
        <Cell
          label="latency"
          title="Total latency: from the server sending the request to the call's last event (known when it ends)"
        >
          <span data-testid="metrics-latency">
            {formatMilliseconds(metrics?.latencyMs ?? null)}
          </span>
        </Cell>
        <Cell label="tok/s" title="Output tokens per second after the first token">
          <span data-testid="metrics-tps">{formatRate(metrics?.tokensPerSecond ?? null)}</span>
        </Cell>
        <Cell
          label={metrics?.costState === "estimate" ? "cost so far" : "cost"}
          title={
            metrics?.costState === "no-usage"
              ? NO_USAGE_TEXT[metrics.noUsageReason ?? "unreported"].title
              : COST_TITLES[metrics?.costState ?? "final"]
          }
        >
          <span data-testid="metrics-cost" data-state={metrics?.costState ?? "none"}>
            {metrics ? costText(metrics, local) : "—"}
          </span>
        </Cell>
      </div>
      <div className="grid min-h-0 grid-cols-[1.5fr_1fr_1fr] divide-x divide-line">
        <Cell
          label="in (cached)"
          title={
            inputTokens === null
              ? "Input tokens as the provider reports them, prompt-cache reads and writes included; in brackets the share read from the cache"
              : `Input tokens: ${formatTokens(inputTokens)}, prompt-cache reads and writes included; ${
                  cachedInputTokens === null
                    ? "the provider reported no cache reads"
                    : `${formatTokens(cachedInputTokens)} of them read from the cache`
                }`
          }
        >
          <span
            data-testid="metrics-input-tokens"
            data-input={inputTokens ?? undefined}
            data-cached={cachedInputTokens ?? undefined}
          >
            {formatInputTokens(inputTokens, cachedInputTokens)}
          </span>
        </Cell>
        <Cell
          label={estimated ? "out est." : "out"}
          title={
            estimated
              ? "Output tokens, estimated from the text until the provider reports usage"
              : "Output tokens reported by the provider"
          }
        >
          <span data-testid="metrics-output-tokens" data-estimated={estimated ? "true" : "false"}>
            {estimated ? "~" : ""}
            {formatTokens(metrics?.outputTokens ?? null)}
          </span>
        </Cell>
        <Cell
          label="cache r/w"
          title={`Prompt-cache tokens read / written: ${formatTokens(metrics?.cacheReadTokens ?? null)} / ${formatTokens(metrics?.cacheWriteTokens ?? null)}`}
        >
          <span data-testid="metrics-cache-read">
            {formatCompact(metrics?.cacheReadTokens ?? null)}
          </span>
          <span className="text-muted">/</span>
          <span data-testid="metrics-cache-write">
            {formatCompact(metrics?.cacheWriteTokens ?? null)}
          </span>
        </Cell>
      </div>
    </div>
  );
}
