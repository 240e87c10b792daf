"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import type { RepriceResult } from "@/lib/reports/reprice";
import { summarizeReprice } from "@/lib/reports/reprice-summary";
import { DAY_MS } from "@/lib/time";
import { readApiError } from "@/lib/ui/api-error";

type State =
  | { kind: "idle" }
  | { kind: "working"; dryRun: boolean }
  | { kind: "done"; result: RepriceResult }
  | { kind: "error"; message: string };

/**
 * Re-prices the recorded calls of a date range with today's prices: first a preview of the
 * totals before and after, then the explicit action that rewrites the stored costs.
 */
export function RepricePanel({ at, usedModels }: { at: string; usedModels: string[] }) {
  const router = useRouter();
  const today = at.slice(0, 10);
  const [fromDay, setFromDay] = useState(
    new Date(Date.parse(`${today}T00:00:00Z`) - 29 * DAY_MS).toISOString().slice(0, 10),
  );
  const [toDay, setToDay] = useState(today);
  const [model, setModel] = useState("");
  const [state, setState] = useState<State>({ kind: "idle" });

  async function run(dryRun: boolean) {
    if (
      !dryRun &&
      !window.confirm(
        `Recompute the stored cost of every call from ${fromDay} to ${toDay}${model ? ` on ${model}` : ""} with today's prices?`,
      )
    ) {
      return;
    }
    setState({ kind: "working", dryRun });
    const to = new Date(Date.parse(`${toDay}T00:00:00Z`) + DAY_MS).toISOString();
    const response = await fetch("/api/prices/reprice", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ from: fromDay, to, model: model || null, dryRun }),
    }).catch(() => null);
    if (!response?.ok) {
      setState({
        kind: "error",
        message: response
          ? (await readApiError(response)).message
          : "the server could not be reached",
      });
      return;
    }
    setState({ kind: "done", result: (await response.json()) as RepriceResult });
    if (!dryRun) router.refresh();
  }

  const summary = state.kind === "done" ? summarizeReprice(state.result) : null;
  const working = state.kind === "working";
  return (
    <section
      id="reprice"
      className="scroll-mt-4 rounded-md border border-line bg-raised p-3"
      data-testid="reprice-panel"
    >
      <h2 className="font-semibold">Re-price recorded calls</h2>
      <p className="mb-2 text-[11px] text-muted">
        A call&apos;s cost is fixed when it is recorded. After changing a price, recompute the calls
        of a range (UTC days, inclusive): each is priced at the price in force when it ran.
      </p>
      <div className="flex flex-wrap items-end gap-2">
        <label className="flex flex-col text-[11px] text-muted">
          From
          <input
            type="date"
            required
            value={fromDay}
            onChange={(event) => setFromDay(event.target.value)}
            data-testid="reprice-from"
            className="h-8 rounded-md border border-line bg-background px-1.5 text-[13px] text-foreground"
          />
        </label>
        <label className="flex flex-col text-[11px] text-muted">
          To
          <input
            type="date"
            required
            value={toDay}
            onChange={(event) => setToDay(event.target.value)}
            data-testid="reprice-to"
            className="h-8 rounded-md border border-line bg-background px-1.5 text-[13px] text-foreground"
          />
        </label>
        <label className="flex flex-col text-[11px] text-muted">
          Model
          <select
            value={model}
            onChange={(event) => setModel(event.target.value)}
            data-testid="reprice-model"
            className="h-8 max-w-72 rounded-md border border-line bg-background px-1.5 font-mono text-[12px] text-foreground"
          >
            <option value="">All models</option>
            {usedModels.map((entry) => (
              <option key={entry} value={entry}>
                {entry}
              </option>
            ))}
          </select>
        </label>
        <button
          type="button"
          disabled={working}
          onClick={() => run(true)}
          data-testid="reprice-preview"
          className="h-8 rounded-md border border-line px-3 hover:bg-panel disabled:opacity-60"
        >
          Preview
        </button>
        <button
          type="button"
          disabled={working}
          onClick={() => run(false)}
          data-testid="reprice-apply"
          className="h-8 rounded-md bg-accent px-3 text-accent-foreground disabled:opacity-60"
        >
          Re-price
        </button>
        {working ? <span className="text-muted">Working…</span> : null}
      </div>
      {state.kind === "error" ? (
        <p role="alert" className="mt-2 text-danger">
          {state.message}
        </p>
      ) : null}
      {summary && state.kind === "done" ? (
        <div
          className="mt-3"
          data-testid="reprice-result"
          data-dry-run={state.result.dryRun ? "true" : "false"}
          data-changed-calls={state.result.changedCalls}
        >
          <p role="status" className={state.result.dryRun ? "text-muted" : "font-medium"}>
            {state.result.dryRun ? "Preview: " : "Done: "}
            {summary.headline}
          </p>
          <table className="mt-1 border-collapse text-left">
            <thead className="text-[11px] text-muted uppercase tracking-wide">
              <tr className="border-b border-line">
                <th className="py-1 pr-6 font-medium" />
                <th className="py-1 pr-6 text-right font-medium">Before</th>
                <th className="py-1 pr-6 text-right font-medium">After</th>
                <th className="py-1 text-right font-medium">Change</th>
              </tr>
            </thead>
            <tbody>
              {summary.rows.map((row) => (
                <tr
                  key={row.label}
                  className="border-b border-line last:border-0"
                  data-testid="reprice-row"
                >
                  <td className="py-1 pr-6">{row.label}</td>
                  <td
                    className="py-1 pr-6 text-right font-mono tabular-nums"
                    data-testid="reprice-before"
                    data-value={row.beforeValue}
                  >
                    {row.before}
                  </td>
                  <td
                    className="py-1 pr-6 text-right font-mono tabular-nums"
                    data-testid="reprice-after"
                    data-value={row.afterValue}
                  >
                    {row.after}
                  </td>
                  <td className="py-1 text-right font-mono tabular-nums">{row.change}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </section>
  );
}
