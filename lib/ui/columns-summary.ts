/**
 * The summary table of every column: one row a column with its latest answer's numbers, the
 * same ones its metrics strip shows, and a sort that any header can set. Unknown values are
 * `null` and always sort last, whichever the direction: a dash is not a small number.
 */
import { type CallMetrics, type CostBasis, callMetrics } from "./metrics";
import { type Turn, turnMetricsInput } from "./playground-state";

/**
 * The metrics of a column's latest answer, or `null` when there is nothing of its own to
 * show: no answer yet, or a history carried over by "continue from".
 */
export function ownMetrics(options: {
  turn: Turn | undefined;
  local: boolean;
  costBasis?: CostBasis;
}): CallMetrics | null {
  const { turn } = options;
  if (!turn || turn.inherited) return null;
  return callMetrics(
    turnMetricsInput({
      turn,
      local: options.local,
      ...(options.costBasis ? { costBasis: options.costBasis } : {}),
    }),
  );
}

export type SummaryStatus = "idle" | "copied" | Turn["phase"];

export interface SummaryInput {
  columnId: string;
  model: string;
  turn: Turn | undefined;
  local: boolean;
  costBasis?: CostBasis;
}

export interface SummaryRow {
  columnId: string;
  /** 1-based, as the column's header shows it. */
  position: number;
  model: string;
  status: SummaryStatus;
  local: boolean;
  /** `null` when the column has no numbers of its own (idle, continued). */
  metrics: CallMetrics | null;
}

export type SummaryKey =
  | "position"
  | "model"
  | "status"
  | "ttftMs"
  | "latencyMs"
  | "tokensPerSecond"
  | "inputTokens"
  | "cachedInputTokens"
  | "outputTokens"
  | "costUsd";

export type SortDirection = "ascending" | "descending";

export interface SummarySort {
  key: SummaryKey;
  direction: SortDirection;
}

export const DEFAULT_SORT: SummarySort = { key: "position", direction: "ascending" };

export function summaryRows(inputs: SummaryInput[]): SummaryRow[] {
  return inputs.map((input, index) => {
    const { turn } = input;
    return {
      columnId: input.columnId,
      position: index + 1,
      model: input.model,
      status: !turn ? "idle" : turn.inherited ? "copied" : turn.phase,
      local: input.local,
      metrics: ownMetrics(input),
    };
  });
}

/** Running first, then done, then the ones that did not answer. */
const STATUS_ORDER: Record<SummaryStatus, number> = {
  streaming: 0,
  pending: 1,
  ok: 2,
  error: 3,
  cancelled: 4,
  copied: 5,
  idle: 6,
};

/** The value a row sorts by; `null` for unknown. */
export function sortValue(row: SummaryRow, key: SummaryKey): number | string | null {
  const metrics = row.metrics;
  switch (key) {
    case "position":
      return row.position;
    case "model":
      return row.model;
    case "status":
      return STATUS_ORDER[row.status];
    case "ttftMs":
    case "latencyMs":
    case "tokensPerSecond":
    case "inputTokens":
    case "cachedInputTokens":
    case "outputTokens":
      return metrics?.[key] ?? null;
    case "costUsd":
      // Unpriced or without usage is unknown, not $0.
      return metrics && (metrics.costState === "final" || metrics.costState === "estimate")
        ? metrics.costUsd
        : null;
    default: {
      const exhaustive: never = key;
      return exhaustive;
    }
  }
}

function compare(left: number | string, right: number | string): number {
  if (typeof left === "number" && typeof right === "number") return left - right;
  return String(left).localeCompare(String(right));
}

/** A new array; ties keep the columns' order. */
export function sortSummaryRows(rows: SummaryRow[], sort: SummarySort): SummaryRow[] {
  const sign = sort.direction === "ascending" ? 1 : -1;
  return [...rows].sort((left, right) => {
    const a = sortValue(left, sort.key);
    const b = sortValue(right, sort.key);
    if (a === null || b === null) {
      if (a === b) return left.position - right.position;
      return a === null ? 1 : -1;
    }
    return sign * compare(a, b) || left.position - right.position;
  });
}

/** A header clicked: the same one flips its direction, another starts ascending. */
export function nextSort(current: SummarySort, key: SummaryKey): SummarySort {
  if (current.key === key) {
    return { key, direction: current.direction === "ascending" ? "descending" : "ascending" };
  }
  return { key, direction: "ascending" };
}
