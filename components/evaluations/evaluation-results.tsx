"use client";

import dynamic from "next/dynamic";
import Link from "next/link";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { readApiError } from "@/lib/ui/api-error";
import {
  type ChartMetric,
  chartPoints,
  defaultChartMetric,
  type EvaluationDetail,
  evaluationDetailSchema,
  gridRows,
  progressView,
  summaryLines,
} from "@/lib/ui/evaluation-view";
import { EvaluationGrid } from "./evaluation-grid";

/** recharts in its own chunk, fetched after the figures are on screen. */
const EvaluationChartView = dynamic(() => import("./evaluation-chart-view"), {
  ssr: false,
  loading: () => (
    <div className="grid h-64 place-items-center rounded-md border border-line text-muted">
      Loading charts…
    </div>
  ),
});

/** While running, the whole detail is read again at most this often; progress streams live. */
const REFRESH_MS = 1_500;

const buttonClass =
  "inline-flex h-7 items-center rounded border border-line bg-raised px-2.5 text-[12px] hover:bg-panel disabled:opacity-40";

async function fetchDetail(evaluationId: string): Promise<EvaluationDetail | null> {
  const base = `/api/evaluations/${encodeURIComponent(evaluationId)}`;
  let cursor: string | null = null;
  let detail: EvaluationDetail | null = null;
  // Cells come in pages; a large evaluation is read to its end.
  do {
    const response = await fetch(
      `${base}?limit=20000${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`,
      { cache: "no-store" },
    );
    if (!response.ok) return null;
    const parsed = evaluationDetailSchema.safeParse(await response.json());
    if (!parsed.success) return null;
    detail = detail
      ? { ...parsed.data, cells: [...detail.cells, ...parsed.data.cells] }
      : parsed.data;
    cursor = parsed.data.nextCursor ?? null;
  } while (cursor !== null);
  return detail;
}

export function EvaluationResults({
  evaluationId,
  initial,
  others,
}: {
  evaluationId: string;
  initial: EvaluationDetail;
  /** Other evaluations of the same test set, to compare with. */
  others: Array<{ evaluationId: string; label: string }>;
}) {
  const [detail, setDetail] = useState(initial);
  const [progress, setProgress] = useState(initial.progress);
  const [status, setStatus] = useState(initial.status);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [metric, setMetric] = useState<ChartMetric>(() => defaultChartMetric(initial.targets));
  const [compareWith, setCompareWith] = useState(others[0]?.evaluationId ?? "");
  const lastRefresh = useRef(0);

  const refresh = useCallback(async () => {
    lastRefresh.current = Date.now();
    const next = await fetchDetail(evaluationId);
    if (!next) return;
    setDetail(next);
    setProgress(next.progress);
    setStatus(next.status);
  }, [evaluationId]);

  // Live progress while running; the grid and summary are read again, throttled.
  useEffect(() => {
    if (status !== "running") return;
    const source = new EventSource(`/api/evaluations/${encodeURIComponent(evaluationId)}/events`);
    let timer: ReturnType<typeof setTimeout> | null = null;
    const scheduleRefresh = () => {
      if (timer !== null) return;
      const wait = Math.max(0, REFRESH_MS - (Date.now() - lastRefresh.current));
      timer = setTimeout(() => {
        timer = null;
        void refresh();
      }, wait);
    };
    source.onmessage = (message) => {
      let event: { type?: string; status?: string } & Record<string, unknown>;
      try {
        event = JSON.parse(message.data);
      } catch {
        return;
      }
      if (event.type === "progress") {
        setProgress((current) => ({
          done: typeof event.done === "number" ? event.done : current.done,
          total: typeof event.total === "number" ? event.total : current.total,
          costUsd: typeof event.costUsd === "number" ? event.costUsd : current.costUsd,
          etaMs: typeof event.etaMs === "number" ? event.etaMs : null,
        }));
        scheduleRefresh();
      } else if (event.type === "cell") {
        scheduleRefresh();
      } else if (event.type === "status" && event.status !== "running") {
        source.close();
        void refresh();
      }
    };
    // The stream ends when the evaluation does; a refresh reads the final state.
    source.onerror = () => {
      source.close();
      void refresh();
    };
    return () => {
      source.close();
      if (timer !== null) clearTimeout(timer);
    };
  }, [evaluationId, status, refresh]);

  const control = async (action: "cancel" | "resume") => {
    setBusy(true);
    setError(null);
    try {
      const response = await fetch(
        `/api/evaluations/${encodeURIComponent(evaluationId)}/${action}`,
        { method: "POST" },
      );
      if (!response.ok) setError((await readApiError(response)).message);
      await refresh();
    } catch {
      setError(`Could not ${action} the evaluation; try again.`);
    } finally {
      setBusy(false);
    }
  };

  const rows = useMemo(() => gridRows(detail), [detail]);
  const models = detail.targets.map((target) => target.model);
  const lines = summaryLines(detail.targets, detail.samples ?? 1);
  const chart = chartPoints(detail.targets, metric);
  const view = progressView(progress, status);
  const hasJudge = detail.targets.some((target) => typeof target.meanJudgeScore === "number");

  return (
    <div className="space-y-4">
      <section className="space-y-1.5" data-testid="eval-progress" data-status={status}>
        <div className="flex flex-wrap items-center gap-3 text-[12px]">
          <span
            data-testid="eval-status"
            className="rounded bg-panel px-1.5 py-0.5 font-medium uppercase"
          >
            {status}
          </span>
          <span data-testid="eval-progress-label">{view.label}</span>
          {view.eta ? <span data-testid="eval-eta">{view.eta}</span> : null}
          <span data-testid="eval-cost">{view.cost}</span>
          <span className="ml-auto flex items-center gap-2">
            {status === "running" ? (
              <button
                type="button"
                data-testid="eval-cancel"
                disabled={busy}
                onClick={() => void control("cancel")}
                className={buttonClass}
              >
                Cancel
              </button>
            ) : null}
            {status === "interrupted" ||
            (status === "cancelled" && progress.done < progress.total) ? (
              <button
                type="button"
                data-testid="eval-resume"
                disabled={busy}
                onClick={() => void control("resume")}
                className={buttonClass}
              >
                Resume ({(progress.total - progress.done).toLocaleString("en-US")} cells left)
              </button>
            ) : null}
            <a
              data-testid="eval-export-csv"
              href={`/api/evaluations/${encodeURIComponent(evaluationId)}/export?format=csv`}
              className={buttonClass}
            >
              Export CSV
            </a>
          </span>
        </div>
        <div
          className="h-2 overflow-hidden rounded bg-panel"
          role="progressbar"
          aria-valuemin={0}
          aria-valuemax={100}
          aria-valuenow={Math.round(view.percent)}
          aria-label="Cells done"
        >
          <div
            className="h-full bg-accent transition-[width]"
            style={{ width: `${view.percent}%` }}
          />
        </div>
        {status === "interrupted" ? (
          <p className="text-[12px] text-muted">
            The server stopped while this evaluation ran. Resume runs only the cells that had not
            ended; the others are kept.
          </p>
        ) : null}
        {error ? (
          <p role="alert" data-testid="eval-error" className="text-[12px] text-danger">
            {error}
          </p>
        ) : null}
      </section>

      <section>
        <h2 className="mb-1.5 font-semibold">Per target</h2>
        <div className="overflow-x-auto rounded-lg border border-line">
          <table
            className="w-full border-collapse text-left text-[12px]"
            data-testid="eval-summary"
          >
            <thead className="bg-panel text-[11px] uppercase tracking-wide text-muted">
              <tr>
                <th className="px-2 py-1">Target</th>
                <th className="px-2 py-1 text-right">Pass rate</th>
                {hasJudge ? <th className="px-2 py-1 text-right">Judge</th> : null}
                <th className="px-2 py-1 text-right">Latency (mean ± sd)</th>
                <th className="px-2 py-1 text-right">Output tokens</th>
                <th className="px-2 py-1 text-right">Cost per row</th>
                <th className="px-2 py-1 text-right">Total cost</th>
                {hasJudge ? <th className="px-2 py-1 text-right">Judge cost</th> : null}
                <th className="px-2 py-1 text-right">Errors</th>
                {(detail.samples ?? 1) > 1 ? (
                  <th className="px-2 py-1 text-right" title="Rows whose samples disagree">
                    Sample spread
                  </th>
                ) : null}
              </tr>
            </thead>
            <tbody>
              {lines.map((line) => (
                <tr
                  key={line.index}
                  className="border-t border-line tabular-nums"
                  data-testid="eval-summary-row"
                  data-model={line.model}
                >
                  <td className="px-2 py-1 font-medium">
                    {line.index + 1}. {line.model}
                  </td>
                  <td className="px-2 py-1 text-right" data-testid="eval-pass-rate">
                    {line.passRate}
                  </td>
                  {hasJudge ? (
                    <td className="px-2 py-1 text-right">{line.judgeScore ?? "—"}</td>
                  ) : null}
                  <td className="px-2 py-1 text-right">{line.latency}</td>
                  <td className="px-2 py-1 text-right">{line.outputTokens}</td>
                  <td className="px-2 py-1 text-right">{line.costPerRow}</td>
                  <td className="px-2 py-1 text-right" data-testid="eval-total-cost">
                    {line.totalCost}
                  </td>
                  {hasJudge ? (
                    <td className="px-2 py-1 text-right">{line.judgeCost ?? "—"}</td>
                  ) : null}
                  <td className="px-2 py-1 text-right" data-testid="eval-errors">
                    {line.errors}
                  </td>
                  {line.spread !== null ? (
                    <td className="px-2 py-1 text-right">{line.spread}</td>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>

      <section data-testid="eval-chart">
        <div className="mb-1.5 flex items-center gap-2">
          <h2 className="font-semibold">Quality against cost and latency</h2>
          {hasJudge ? (
            <fieldset className="inline-flex overflow-hidden rounded border border-line text-[12px]">
              {(["pass-rate", "judge-score"] as const).map((option) => (
                <button
                  key={option}
                  type="button"
                  aria-pressed={metric === option}
                  onClick={() => setMetric(option)}
                  className="px-2 text-muted aria-pressed:bg-raised aria-pressed:font-medium aria-pressed:text-foreground"
                >
                  {option === "pass-rate" ? "Pass rate" : "Judge score"}
                </button>
              ))}
            </fieldset>
          ) : null}
        </div>
        {chart.points.length === 0 ? (
          <p className="text-[12px] text-muted">Nothing checked yet.</p>
        ) : (
          <EvaluationChartView points={chart.points} metric={metric} />
        )}
        {chart.unpriced.length > 0 ? (
          <p className="mt-1 text-[11px] text-muted">
            Not on the cost chart (no price): {chart.unpriced.join(", ")}
          </p>
        ) : null}
      </section>

      <section>
        <div className="mb-1.5 flex flex-wrap items-center gap-2">
          <h2 className="font-semibold">Results</h2>
          <span className="text-[12px] text-muted">
            {rows.length.toLocaleString("en-US")} rows × {models.length} targets
            {(detail.samples ?? 1) > 1 ? ` × ${detail.samples} samples` : ""}; click a cell for its
            outputs and why it passed or failed.
          </span>
          {others.length > 0 ? (
            <span className="ml-auto flex items-center gap-1.5 text-[12px]">
              <label htmlFor="compare-with" className="text-muted">
                Compare with
              </label>
              <select
                id="compare-with"
                data-testid="eval-compare-select"
                value={compareWith}
                onChange={(event) => setCompareWith(event.target.value)}
                className="h-7 rounded border border-line bg-raised px-1"
              >
                {others.map((other) => (
                  <option key={other.evaluationId} value={other.evaluationId}>
                    {other.label}
                  </option>
                ))}
              </select>
              <Link
                data-testid="eval-compare-link"
                href={`/evaluations/compare?before=${encodeURIComponent(compareWith)}&after=${encodeURIComponent(evaluationId)}`}
                className={buttonClass}
              >
                Compare
              </Link>
            </span>
          ) : null}
        </div>
        <EvaluationGrid rows={rows} models={models} />
      </section>
    </div>
  );
}
