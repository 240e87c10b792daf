/**
 * The numbers of a column's metrics strip and of the comparison total. While a call streams,
 * output tokens are estimated from the text (about four characters a token) and marked as
 * such; once the provider's usage arrives its count replaces the estimate. The cost so far is
 * estimated the same way, with the server's own formula (`lib/pricing/calculate-cost.ts`,
 * pure and tiny) over the model's current price, until the recorded cost replaces it.
 */
import { calculateCost } from "@/lib/pricing/calculate-cost";
import type { Price } from "@/lib/pricing/types";
import type { RunUsage } from "./run-events";

/** Rough token count of streamed text, only until the provider reports its own. */
export function estimateTokens(text: string): number {
  if (text === "") return 0;
  return Math.max(1, Math.ceil(text.length / 4));
}

export type CallPhase = "pending" | "streaming" | "ok" | "error" | "cancelled";

/** The price the server would apply to a model now (`GET /api/models`' `prices`). */
export type CostBasis =
  | { status: "priced"; price: Price }
  | { status: "local" }
  | { status: "unpriced" };

/** What the metrics need to know about one call (a column's turn). */
export interface CallMetricsInput {
  phase: CallPhase;
  output: string;
  /** Tool-call arguments count as output too; their JSON length feeds the estimate. */
  toolCallText: string;
  usage: RunUsage | null;
  costUsd: number | null;
  /**
   * Server-measured: `ttftMs` from the call's first content event (or its finish), `durationMs`
   * once it finished, `elapsedMs` from the attempt's start to the latest content event.
   */
  ttftMs: number | null;
  durationMs: number | null;
  elapsedMs?: number | null;
  /** Client clock (epoch ms): when the request was sent, the first and the latest delta. */
  startedAt: number;
  firstDeltaAt: number | null;
  lastDeltaAt: number | null;
  /** A local model (Ollama, demo) costs nothing. */
  local: boolean;
  /** `undefined` until the price list has loaded: the cost so far is then not shown. */
  costBasis?: CostBasis;
  /** Input tokens estimated from the request text, for the cost so far. */
  inputTokensEstimate?: number | null;
  /** The error code of a failed call: `not_configured` means it was never sent. */
  errorCode?: string | null;
}

/** Why a finished call has no cost: nothing to price, which is not a missing price. */
export type NoUsageReason = "not-sent" | "failed" | "cancelled" | "unreported";

export interface CallMetrics {
  ttftMs: number | null;
  /** Server time from the request's start to the call's last event; known once it ended. */
  latencyMs: number | null;
  /** As reported, prompt-cache reads and writes included; `null` until usage arrives. */
  inputTokens: number | null;
  /** The share of `inputTokens` read from the prompt cache. */
  cachedInputTokens: number | null;
  tokensPerSecond: number | null;
  outputTokens: number | null;
  outputTokensEstimated: boolean;
  cacheReadTokens: number | null;
  cacheWriteTokens: number | null;
  costUsd: number | null;
  /**
   * `estimate` while the call runs and its price is known (the cost so far); `pending` while
   * it runs with the price not loaded yet; `final` after, from the recorded cost; `unpriced`
   * when usage was reported and the model has no price (never shown as $0); `no-usage` when
   * the call ended without the provider reporting usage (failed first, never sent).
   */
  costState: "pending" | "estimate" | "final" | "unpriced" | "no-usage";
  /** Set exactly when `costState` is `no-usage`. */
  noUsageReason: NoUsageReason | null;
}

function usageReported(usage: RunUsage | null): boolean {
  return usage !== null && usage.inputTokens !== null && usage.outputTokens !== null;
}

function noUsageReasonOf(input: CallMetricsInput): NoUsageReason {
  if (input.phase === "cancelled") return "cancelled";
  if (input.phase === "error") {
    return input.errorCode === "not_configured" ? "not-sent" : "failed";
  }
  return "unreported";
}

/** Rates over windows this short are noise (one chunk holding many tokens). */
const MIN_RATE_WINDOW_MS = 50;

function rate(tokens: number | null, windowMs: number | null): number | null {
  if (tokens === null || tokens <= 0 || windowMs === null || windowMs < MIN_RATE_WINDOW_MS) {
    return null;
  }
  return tokens / (windowMs / 1000);
}

function isFinished(phase: CallPhase): boolean {
  return phase === "ok" || phase === "error" || phase === "cancelled";
}

/**
 * What a running call has cost so far: the input (reported, else estimated from the request
 * text, all of it at the uncached rate since cache hits are known only at the end) plus the
 * output streamed so far. An override can price a local model, so the price list decides
 * before the `local` flag does.
 */
export function costSoFar(options: {
  input: CallMetricsInput;
  outputTokens: number;
}): Pick<CallMetrics, "costUsd" | "costState"> {
  const { input } = options;
  const basis = input.costBasis ?? (input.local ? { status: "local" as const } : undefined);
  if (basis === undefined) return { costUsd: null, costState: "pending" };
  if (basis.status === "unpriced") return { costUsd: null, costState: "unpriced" };
  if (basis.status === "local") return { costUsd: 0, costState: "estimate" };
  const cost = calculateCost({
    price: basis.price,
    usage: {
      inputTokens: input.usage?.inputTokens ?? input.inputTokensEstimate ?? 0,
      outputTokens: options.outputTokens,
      cacheReadTokens: input.usage?.cacheReadTokens ?? null,
      cacheWriteTokens: input.usage?.cacheWriteTokens ?? null,
      cacheWrite5mTokens: null,
      cacheWrite1hTokens: null,
      reasoningTokens: null,
      raw: null,
    },
  });
  return cost
    ? { costUsd: cost.totalUsd, costState: "estimate" }
    : { costUsd: null, costState: "pending" };
}

export function callMetrics(input: CallMetricsInput): CallMetrics {
  const finished = isFinished(input.phase);
  const reported = input.usage?.outputTokens ?? null;
  const estimate = estimateTokens(input.output) + estimateTokens(input.toolCallText);
  const outputTokens = reported ?? (estimate > 0 || !finished ? estimate : null);
  const outputTokensEstimated = reported === null && outputTokens !== null;

  const ttftMs =
    input.ttftMs ?? (input.firstDeltaAt !== null ? input.firstDeltaAt - input.startedAt : null);

  // Generation speed excludes the wait for the first token, as providers' dashboards do. The
  // server's durations come first: after a reload the replay arrives at once, so the
  // browser's clock says nothing about when the tokens were generated.
  const elapsedMs = input.elapsedMs ?? null;
  let windowMs: number | null = null;
  if (finished && input.durationMs !== null && input.ttftMs !== null) {
    windowMs = input.durationMs - input.ttftMs;
  } else if (!finished && input.ttftMs !== null && elapsedMs !== null) {
    windowMs = elapsedMs - input.ttftMs;
  } else if (input.firstDeltaAt !== null && input.lastDeltaAt !== null) {
    windowMs = input.lastDeltaAt - input.firstDeltaAt;
  }

  let costUsd: number | null = null;
  let costState: CallMetrics["costState"] = "pending";
  let noUsageReason: NoUsageReason | null = null;
  if (finished) {
    costUsd = input.costUsd ?? (input.local ? 0 : null);
    if (costUsd !== null) costState = "final";
    else if (usageReported(input.usage)) costState = "unpriced";
    else {
      costState = "no-usage";
      noUsageReason = noUsageReasonOf(input);
    }
  } else {
    ({ costUsd, costState } = costSoFar({ input, outputTokens: outputTokens ?? 0 }));
  }

  return {
    ttftMs,
    latencyMs: finished ? input.durationMs : null,
    inputTokens: input.usage?.inputTokens ?? null,
    cachedInputTokens: input.usage?.cacheReadTokens ?? null,
    tokensPerSecond: rate(outputTokens, windowMs),
    outputTokens,
    outputTokensEstimated,
    cacheReadTokens: input.usage?.cacheReadTokens ?? null,
    cacheWriteTokens: input.usage?.cacheWriteTokens ?? null,
    costUsd,
    costState,
    noUsageReason,
  };
}

export interface ComparisonTotals {
  calls: number;
  running: number;
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
  costUsd: number;
  /** Some running call's cost so far is in `costUsd`: it is an estimate until they finish. */
  costEstimated: boolean;
  /** Usage reported, no price known: missing from `costUsd`. */
  unpricedCalls: number;
  /** Ended without usage (failed first, never sent): nothing to price, counted apart. */
  usageMissingCalls: number;
  /** `so-far` while any call runs; `final` when all have finished. */
  state: "empty" | "so-far" | "final";
}

export function comparisonTotals(calls: CallMetricsInput[]): ComparisonTotals {
  const totals: ComparisonTotals = {
    calls: calls.length,
    running: 0,
    inputTokens: 0,
    outputTokens: 0,
    cacheReadTokens: 0,
    cacheWriteTokens: 0,
    costUsd: 0,
    costEstimated: false,
    unpricedCalls: 0,
    usageMissingCalls: 0,
    state: calls.length === 0 ? "empty" : "final",
  };
  for (const call of calls) {
    const metrics = callMetrics(call);
    if (!isFinished(call.phase)) totals.running += 1;
    totals.inputTokens += call.usage?.inputTokens ?? 0;
    totals.outputTokens += metrics.outputTokens ?? 0;
    totals.cacheReadTokens += metrics.cacheReadTokens ?? 0;
    totals.cacheWriteTokens += metrics.cacheWriteTokens ?? 0;
    if (metrics.costState === "final" || metrics.costState === "estimate") {
      totals.costUsd += metrics.costUsd ?? 0;
    }
    // A local model's running cost is exactly 0, not an estimate.
    if (metrics.costState === "estimate" && metrics.costUsd !== 0) totals.costEstimated = true;
    if (metrics.costState === "unpriced") totals.unpricedCalls += 1;
    if (metrics.costState === "no-usage") totals.usageMissingCalls += 1;
  }
  if (totals.running > 0) totals.state = "so-far";
  return totals;
}

export function formatMilliseconds(value: number | null): string {
  if (value === null) return "—";
  if (value < 1000) return `${Math.round(value)} ms`;
  return `${(value / 1000).toFixed(value < 10_000 ? 2 : 1)} s`;
}

export function formatRate(value: number | null): string {
  if (value === null) return "—";
  return value >= 100 ? `${Math.round(value)}` : value.toFixed(1);
}

export function formatTokens(value: number | null): string {
  if (value === null) return "—";
  return value.toLocaleString("en-US");
}

/**
 * Input tokens with the cached share in brackets, "1,204 (820)"; the share is left out when the
 * provider reports no cache reads at all.
 */
export function formatInputTokens(input: number | null, cached: number | null): string {
  if (input === null) return "—";
  return cached === null ? formatTokens(input) : `${formatTokens(input)} (${formatTokens(cached)})`;
}

/** A count in at most five characters, for the narrow cache cell: 950, 12.3k, 1.2M. */
export function formatCompact(value: number | null): string {
  if (value === null) return "—";
  if (value < 1000) return String(value);
  if (value < 100_000) return `${(value / 1000).toFixed(1).replace(/\.0$/, "")}k`;
  if (value < 1_000_000) return `${Math.round(value / 1000)}k`;
  return `${(value / 1_000_000).toFixed(1).replace(/\.0$/, "")}M`;
}

/** Dollars with enough digits to tell small calls apart: $0.000164, $0.0123, $1.24. */
export function formatUsd(value: number | null): string {
  if (value === null) return "—";
  if (value === 0) return "$0";
  const absolute = Math.abs(value);
  if (absolute >= 1) return `$${value.toFixed(2)}`;
  if (absolute >= 0.01) return `$${value.toFixed(4)}`;
  if (absolute < 0.000001) return value > 0 ? "<$0.000001" : "-<$0.000001";
  return `$${value.toPrecision(3).replace(/0+$/, "").replace(/\.$/, "")}`;
}
