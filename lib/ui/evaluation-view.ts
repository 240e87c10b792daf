/**
 * The evaluation pages' preparers: the `GET /api/evaluations/:id` answer read at the boundary,
 * then laid out as the results grid (rows × targets, each cell's samples, verdict and why), the
 * per-target summary, the chart's points, the progress line, and the comparison of two
 * evaluations of one test set. Pure, so each decision is unit-tested and the components only
 * draw.
 */
import * as z from "zod/mini";
import { compareRows, type RowChange } from "@/lib/evaluations/summary";
import { formatPercent } from "@/lib/reports/format";
import { formatUsd } from "./metrics";

const meanAndStd = z.object({ mean: z.nullable(z.number()), std: z.nullable(z.number()) });
const nullableNumber = z.optional(z.nullable(z.number()));

const cellSchema = z.object({
  row: z.number(),
  target: z.number(),
  sample: z.number(),
  callId: z.nullable(z.string()),
  status: z.string(),
  output: z.nullable(z.string()),
  passed: z.nullable(z.boolean()),
  assertions: z.array(z.object({ type: z.string(), passed: z.boolean(), detail: z.string() })),
  latencyMs: nullableNumber,
  outputTokens: nullableNumber,
  costUsd: nullableNumber,
  error: z.optional(z.nullable(z.string())),
  judgeScore: nullableNumber,
});

const targetSchema = z.object({
  index: z.number(),
  model: z.string(),
  passRate: z.nullable(z.number()),
  latencyMs: meanAndStd,
  outputTokens: meanAndStd,
  costUsd: z.object({
    total: z.nullable(z.number()),
    meanPerRow: z.nullable(z.number()),
    unpricedCells: z.optional(z.number()),
  }),
  errors: z.number(),
  judgeCostUsd: z.optional(z.number()),
  meanJudgeScore: nullableNumber,
  disagreement: nullableNumber,
});

export const evaluationDetailSchema = z.object({
  evaluationId: z.optional(z.string()),
  createdAt: z.optional(z.string()),
  status: z.enum(["running", "done", "cancelled", "interrupted"]),
  promptId: z.optional(z.string()),
  version: z.optional(z.number()),
  datasetId: z.optional(z.string()),
  samples: z.optional(z.number()),
  progress: z.object({
    done: z.number(),
    total: z.number(),
    costUsd: nullableNumber,
    etaMs: nullableNumber,
  }),
  targets: z.array(targetSchema),
  rows: z.optional(
    z.array(z.object({ row: z.number(), prompt: z.string(), expected: z.nullable(z.string()) })),
  ),
  cells: z.array(cellSchema),
  nextCursor: z.optional(z.nullable(z.string())),
});

export type EvaluationDetail = z.infer<typeof evaluationDetailSchema>;
export type EvaluationCellView = z.infer<typeof cellSchema>;
export type EvaluationTargetView = z.infer<typeof targetSchema>;
export type EvaluationStatus = EvaluationDetail["status"];

const ENDED = new Set(["ok", "error", "cancelled", "interrupted"]);

export type CellVerdict = "pass" | "fail" | "mixed" | "error" | "pending" | "cancelled";

export interface GridCell {
  target: number;
  samples: EvaluationCellView[];
  verdict: CellVerdict;
  /** Samples that passed, of those checked. */
  passed: number;
  checked: number;
  /** Why it failed: the first failing assertion or the error; `null` when it passed. */
  reason: string | null;
  /** The first sample's output, for the cell's preview. */
  output: string;
}

export interface GridRow {
  row: number;
  prompt: string;
  expected: string | null;
  cells: GridCell[];
}

export function cellVerdict(samples: readonly EvaluationCellView[]): CellVerdict {
  const checked = samples.filter((sample) => sample.passed !== null);
  if (checked.length === 0) {
    if (samples.some((sample) => sample.status === "error")) return "error";
    if (samples.length > 0 && samples.every((sample) => ENDED.has(sample.status)))
      return "cancelled";
    return "pending";
  }
  const passed = checked.filter((sample) => sample.passed).length;
  if (passed === checked.length) return "pass";
  if (passed === 0) return samples.some((sample) => sample.status === "error") ? "error" : "fail";
  return "mixed";
}

function reasonOf(samples: readonly EvaluationCellView[]): string | null {
  for (const sample of samples) {
    if (sample.status === "error") return `error: ${sample.error ?? "the call failed"}`;
    const failed = sample.assertions.find((assertion) => !assertion.passed);
    if (failed) return `${failed.type}: ${failed.detail}`;
  }
  return null;
}

/** One grid row per test set row, one cell per target, each with its samples in order. */
export function gridRows(detail: Pick<EvaluationDetail, "cells" | "rows" | "targets">): GridRow[] {
  const rowCount = Math.max(detail.rows?.length ?? 0, ...detail.cells.map((cell) => cell.row + 1));
  const targetCount = Math.max(
    detail.targets.length,
    ...detail.cells.map((cell) => cell.target + 1),
  );
  const buckets: EvaluationCellView[][][] = Array.from({ length: rowCount }, () =>
    Array.from({ length: targetCount }, () => []),
  );
  for (const cell of detail.cells) buckets[cell.row]?.[cell.target]?.push(cell);
  const described = new Map((detail.rows ?? []).map((row) => [row.row, row]));
  return buckets.map((targets, row) => ({
    row,
    prompt: described.get(row)?.prompt ?? "",
    expected: described.get(row)?.expected ?? null,
    cells: targets.map((samples, target) => {
      const ordered = [...samples].sort((left, right) => left.sample - right.sample);
      const checked = ordered.filter((sample) => sample.passed !== null);
      const verdict = cellVerdict(ordered);
      return {
        target,
        samples: ordered,
        verdict,
        passed: checked.filter((sample) => sample.passed).length,
        checked: checked.length,
        reason: verdict === "pass" ? null : reasonOf(ordered),
        output: ordered[0]?.output ?? "",
      };
    }),
  }));
}

export interface RowWindow {
  start: number;
  /** Exclusive. */
  end: number;
  padTop: number;
  padBottom: number;
}

/**
 * The rows to render for a scroll position: those in view plus `overscan` either side, with
 * the space of the others kept as padding so the scrollbar stays true. Rows have one height.
 */
export function visibleRows(options: {
  scrollTop: number;
  viewportHeight: number;
  rowHeight: number;
  count: number;
  overscan?: number;
}): RowWindow {
  const { rowHeight, count } = options;
  const overscan = options.overscan ?? 6;
  if (count === 0 || rowHeight <= 0) return { start: 0, end: 0, padTop: 0, padBottom: 0 };
  const first = Math.floor(Math.max(0, options.scrollTop) / rowHeight);
  const shown = Math.ceil(Math.max(0, options.viewportHeight) / rowHeight) + 1;
  const start = Math.min(count, Math.max(0, first - overscan));
  const end = Math.min(count, first + shown + overscan);
  return { start, end, padTop: start * rowHeight, padBottom: (count - end) * rowHeight };
}

export interface SummaryLine {
  index: number;
  model: string;
  passRate: string;
  latency: string;
  outputTokens: string;
  costPerRow: string;
  totalCost: string;
  judgeCost: string | null;
  judgeScore: string | null;
  errors: number;
  /** With several samples: how often a row's samples disagree; `null` with one sample. */
  spread: string | null;
}

function meanPlusMinus(value: { mean: number | null; std: number | null }, unit: string): string {
  if (value.mean === null) return "—";
  const mean = Math.round(value.mean).toLocaleString("en-US");
  const std = value.std === null ? "" : ` ± ${Math.round(value.std).toLocaleString("en-US")}`;
  return `${mean}${std}${unit}`;
}

export function summaryLines(
  targets: readonly EvaluationTargetView[],
  samples: number,
): SummaryLine[] {
  return targets.map((target) => {
    const unpriced = (target.costUsd.unpricedCells ?? 0) > 0;
    return {
      index: target.index,
      model: target.model,
      passRate: formatPercent(target.passRate),
      latency: meanPlusMinus(target.latencyMs, " ms"),
      outputTokens: meanPlusMinus(target.outputTokens, ""),
      costPerRow:
        target.costUsd.meanPerRow === null
          ? unpriced
            ? "unpriced"
            : "—"
          : formatUsd(target.costUsd.meanPerRow),
      totalCost:
        target.costUsd.total === null
          ? unpriced
            ? "unpriced"
            : "—"
          : `${formatUsd(target.costUsd.total)}${unpriced ? ` (+${target.costUsd.unpricedCells} unpriced)` : ""}`,
      judgeCost: target.judgeCostUsd ? formatUsd(target.judgeCostUsd) : null,
      judgeScore:
        target.meanJudgeScore === null || target.meanJudgeScore === undefined
          ? null
          : `${target.meanJudgeScore.toFixed(2)} / 5`,
      errors: target.errors,
      spread:
        samples > 1
          ? target.disagreement === null || target.disagreement === undefined
            ? "—"
            : `${formatPercent(target.disagreement)} of rows`
          : null,
    };
  });
}

export type ChartMetric = "pass-rate" | "judge-score";

export interface ChartPoint {
  model: string;
  /** Pass rate in percent (0–100), or the mean judge score (1–5). */
  value: number;
  costPerRow: number | null;
  latencyMs: number | null;
}

/** The metric the chart starts on: the judge's score when there is one, else the pass rate. */
export function defaultChartMetric(targets: readonly EvaluationTargetView[]): ChartMetric {
  return targets.some((target) => typeof target.meanJudgeScore === "number")
    ? "judge-score"
    : "pass-rate";
}

/**
 * Every target that has the metric, as a point against its cost per row and its latency.
 * Targets without a cost per row are named as `unpriced`: they stay on the latency chart only.
 */
export function chartPoints(
  targets: readonly EvaluationTargetView[],
  metric: ChartMetric,
): { points: ChartPoint[]; unpriced: string[] } {
  const points: ChartPoint[] = [];
  for (const target of targets) {
    const value =
      metric === "pass-rate"
        ? target.passRate === null
          ? null
          : target.passRate * 100
        : (target.meanJudgeScore ?? null);
    if (value === null) continue;
    points.push({
      model: target.model,
      value,
      costPerRow: target.costUsd.meanPerRow,
      latencyMs: target.latencyMs.mean,
    });
  }
  return {
    points,
    unpriced: points.filter((point) => point.costPerRow === null).map((point) => point.model),
  };
}

export interface ProgressView {
  /** 0–100. */
  percent: number;
  label: string;
  eta: string | null;
  cost: string;
}

export function formatDuration(milliseconds: number): string {
  const seconds = Math.max(1, Math.round(milliseconds / 1000));
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

export function progressView(
  progress: EvaluationDetail["progress"],
  status: EvaluationStatus,
): ProgressView {
  const percent =
    progress.total === 0 ? 100 : Math.min(100, (progress.done / progress.total) * 100);
  const eta =
    status === "running" && typeof progress.etaMs === "number" && progress.done < progress.total
      ? `about ${formatDuration(progress.etaMs)} left`
      : null;
  return {
    percent,
    label: `${progress.done.toLocaleString("en-US")} of ${progress.total.toLocaleString("en-US")} cells`,
    eta,
    cost: `${formatUsd(progress.costUsd ?? 0)}${status === "running" ? " so far" : ""}`,
  };
}

export interface TargetPair {
  model: string;
  before: number;
  after: number;
}

/** Targets of two evaluations paired by model, in the later one's order (a model's nth with its nth). */
export function pairTargets(
  before: readonly EvaluationTargetView[],
  after: readonly EvaluationTargetView[],
): TargetPair[] {
  const used = new Set<number>();
  const pairs: TargetPair[] = [];
  for (const target of after) {
    const match = before.find(
      (candidate) => candidate.model === target.model && !used.has(candidate.index),
    );
    if (!match) continue;
    used.add(match.index);
    pairs.push({ model: target.model, before: match.index, after: target.index });
  }
  return pairs;
}

export interface ComparedRow {
  row: number;
  prompt: string;
  /** One per paired target: its verdict before and after and what changed. */
  targets: Array<{ before: CellVerdict; after: CellVerdict; change: RowChange | null }>;
  /** Regressed if any target regressed, improved if any improved and none regressed. */
  change: RowChange;
}

function figuresOf(cells: readonly EvaluationCellView[], target: number) {
  return cells
    .filter((cell) => cell.target === target)
    .map((cell) => ({
      row: cell.row,
      target: cell.target,
      sample: cell.sample,
      status: cell.status as "ok",
      passed: cell.passed,
      latencyMs: null,
      outputTokens: null,
      costUsd: null,
      judgeScore: null,
      judgeCostUsd: null,
    }));
}

/**
 * Two evaluations of the same test set, row by row, for each model both ran: a row regressed
 * when it passed before and fails now (every sample must pass), improved the other way round.
 */
export function compareEvaluations(
  before: Pick<EvaluationDetail, "cells" | "rows" | "targets">,
  after: Pick<EvaluationDetail, "cells" | "rows" | "targets">,
): {
  pairs: TargetPair[];
  rows: ComparedRow[];
  counts: Record<RowChange, number>;
} {
  const pairs = pairTargets(before.targets, after.targets);
  const beforeGrid = gridRows(before);
  const afterGrid = gridRows(after);
  const changes = pairs.map((pair) =>
    compareRows(figuresOf(before.cells, pair.before), figuresOf(after.cells, pair.after)),
  );
  const counts: Record<RowChange, number> = { improved: 0, regressed: 0, unchanged: 0 };
  const rows = afterGrid.map((row) => {
    const targets = pairs.map((pair, index) => ({
      before: beforeGrid[row.row]?.cells[pair.before]?.verdict ?? "pending",
      after: row.cells[pair.after]?.verdict ?? "pending",
      change: changes[index]?.get(row.row) ?? null,
    }));
    const change: RowChange = targets.some((target) => target.change === "regressed")
      ? "regressed"
      : targets.some((target) => target.change === "improved")
        ? "improved"
        : "unchanged";
    counts[change] += 1;
    return { row: row.row, prompt: row.prompt, targets, change };
  });
  return { pairs, rows, counts };
}
