"use client";

import { useMemo } from "react";
import {
  nextSort,
  type SummaryKey,
  type SummaryRow,
  type SummarySort,
  type SummaryStatus,
  sortSummaryRows,
  summaryRows,
} from "@/lib/ui/columns-summary";
import { formatMilliseconds, formatRate, formatTokens } from "@/lib/ui/metrics";
import { costBasisOf, type ModelPrices } from "@/lib/ui/model-prices";
import { type Column, lastTurn } from "@/lib/ui/playground-state";
import { isLocalModel, type ProviderInfo } from "@/lib/ui/providers";
import { costText } from "./metrics-strip";

const STATUS_LABELS: Record<SummaryStatus, string> = {
  idle: "idle",
  copied: "copied",
  pending: "waiting",
  streaming: "streaming",
  ok: "done",
  error: "error",
  cancelled: "cancelled",
};

interface Header {
  key: SummaryKey;
  label: string;
  title: string;
  numeric: boolean;
}

const HEADERS: Header[] = [
  { key: "position", label: "#", title: "The column's position", numeric: true },
  { key: "model", label: "model", title: "The column's model", numeric: false },
  {
    key: "status",
    label: "status",
    title: "The latest answer's state; copied: a history carried over by continue-from",
    numeric: false,
  },
  {
    key: "ttftMs",
    label: "TTFT",
    title: "Time to first token, measured by the server",
    numeric: true,
  },
  {
    key: "latencyMs",
    label: "latency",
    title: "From the server sending the request to the call's last event",
    numeric: true,
  },
  {
    key: "tokensPerSecond",
    label: "tok/s",
    title: "Output tokens per second after the first token",
    numeric: true,
  },
  {
    key: "inputTokens",
    label: "input",
    title: "Input tokens as reported, prompt-cache reads and writes included",
    numeric: true,
  },
  {
    key: "cachedInputTokens",
    label: "cached",
    title: "Input tokens read from the prompt cache",
    numeric: true,
  },
  {
    key: "outputTokens",
    label: "output",
    title: "Output tokens (~ estimated while streaming)",
    numeric: true,
  },
  {
    key: "costUsd",
    label: "cost",
    title: "The call's cost; ≈ while it streams; unpriced or without usage sorts last",
    numeric: true,
  },
];

function cellText(row: SummaryRow, key: SummaryKey): string {
  const metrics = row.metrics;
  switch (key) {
    case "position":
      return String(row.position);
    case "model":
      return row.model;
    case "status":
      return STATUS_LABELS[row.status];
    case "ttftMs":
      return formatMilliseconds(metrics?.ttftMs ?? null);
    case "latencyMs":
      return formatMilliseconds(metrics?.latencyMs ?? null);
    case "tokensPerSecond":
      return formatRate(metrics?.tokensPerSecond ?? null);
    case "inputTokens":
      return formatTokens(metrics?.inputTokens ?? null);
    case "cachedInputTokens":
      return formatTokens(metrics?.cachedInputTokens ?? null);
    case "outputTokens":
      return metrics?.outputTokensEstimated
        ? `~${formatTokens(metrics.outputTokens)}`
        : formatTokens(metrics?.outputTokens ?? null);
    case "costUsd":
      return metrics ? costText(metrics, row.local) : "—";
    default: {
      const exhaustive: never = key;
      return exhaustive;
    }
  }
}

/** The table itself, loaded when the summary is first opened. */
export default function ColumnsSummaryTable({
  columns,
  providers,
  prices,
  sort,
  onSort,
}: {
  columns: Column[];
  providers: ProviderInfo[] | null;
  prices: ModelPrices | null;
  /** Held by the bar, so closing and reopening the table keeps the order. */
  sort: SummarySort;
  onSort: (update: (current: SummarySort) => SummarySort) => void;
}) {
  const rows = useMemo(
    () =>
      sortSummaryRows(
        summaryRows(
          columns.map((column) => {
            const turn = lastTurn(column);
            const model = turn?.model ?? column.model;
            return {
              columnId: column.id,
              model: column.model,
              turn,
              local: isLocalModel(model, providers),
              costBasis: costBasisOf(model, prices),
            };
          }),
        ),
        sort,
      ),
    [columns, providers, prices, sort],
  );
  return (
    <div className="mb-2 max-h-[40vh] overflow-auto rounded border border-line">
      <table
        id="columns-summary-table"
        data-testid="summary-table"
        className="w-full border-collapse text-[12px]"
      >
        <thead className="sticky top-0 bg-panel">
          <tr>
            {HEADERS.map((header) => (
              <th
                key={header.key}
                scope="col"
                aria-sort={sort.key === header.key ? sort.direction : "none"}
                className={`border-b border-line px-2 py-1 font-medium whitespace-nowrap ${
                  header.numeric ? "text-right" : "text-left"
                }`}
              >
                <button
                  type="button"
                  data-testid={`summary-sort-${header.key}`}
                  title={`${header.title}. Click to sort.`}
                  onClick={() => onSort((current) => nextSort(current, header.key))}
                  className="hover:text-accent"
                >
                  {header.label}
                  <span aria-hidden="true" className="ml-0.5 inline-block w-2 text-muted">
                    {sort.key === header.key ? (sort.direction === "ascending" ? "↑" : "↓") : ""}
                  </span>
                </button>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr
              key={row.columnId}
              data-testid="summary-row"
              data-column-id={row.columnId}
              className="border-b border-line last:border-b-0"
            >
              {HEADERS.map((header) => (
                <td
                  key={header.key}
                  data-testid={`summary-${header.key}`}
                  className={`px-2 py-0.5 whitespace-nowrap ${
                    header.numeric ? "text-right font-mono tabular-nums" : "text-left"
                  } ${header.key === "model" ? "max-w-[22ch] truncate" : ""}`}
                  title={header.key === "model" ? row.model : undefined}
                >
                  {cellText(row, header.key)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
