/**
 * The shapes of the evaluations API (DESIGN.md, "HTTP API, second wave"), for the routes that
 * answer with them and the pages and scripts that read them. The contract's fields are all
 * here; the extra ones (judge cost, disagreement, the rendered rows, ETA) only add to it.
 * Pure: no database, so the browser bundle may import it.
 */
import type { Assertion, AssertionResult } from "./assertions";
import type { CellFigures, RowChange } from "./summary";
import { compareRows } from "./summary";

export type EvaluationStatus = "running" | "done" | "cancelled" | "interrupted";
export type EvaluationCellStatus =
  | "pending"
  | "running"
  | "ok"
  | "error"
  | "cancelled"
  | "interrupted";

/** `POST /api/evaluations` → 201. */
export interface EvaluationCreatedResponse {
  evaluationId: string;
  /** Calls to targets the evaluation makes: rows × targets × samples (judge calls apart). */
  cells: number;
}

/** `POST /api/evaluations/estimate`. */
export interface EvaluationEstimateResponse {
  cells: number;
  /** Target and judge calls at list price; `null` when nothing in it is priced. */
  estimatedCostUsd: number | null;
  /** Models (targets or judges) without a price: their calls are not in the estimate. */
  unpricedTargets: string[];
}

export interface MeanAndStd {
  mean: number | null;
  std: number | null;
}

export interface EvaluationTargetSummary {
  index: number;
  model: string;
  /** Passed ÷ checked cells; `null` while none is checked. */
  passRate: number | null;
  latencyMs: MeanAndStd;
  outputTokens: MeanAndStd;
  costUsd: {
    /** The target's own calls (judge calls apart); `null` when none is priced. */
    total: number | null;
    meanPerRow: number | null;
    /** Ended cells whose call has no cost (unpriced model, or no usage reported). */
    unpricedCells: number;
  };
  errors: number;
  /** What the judge calls that scored this target's answers cost. */
  judgeCostUsd: number;
  meanJudgeScore: number | null;
  /** With several samples: the share of rows whose samples do not all agree on pass or fail. */
  disagreement: number | null;
}

export interface EvaluationCell {
  /** The test set row (0-based). */
  row: number;
  /** The index into `targets`. */
  target: number;
  /** 0-based. */
  sample: number;
  callId: string | null;
  status: EvaluationCellStatus;
  output: string | null;
  /** Every assertion passed; `null` until checked (and for a cancelled cell). */
  passed: boolean | null;
  assertions: AssertionResult[];
  latencyMs: number | null;
  outputTokens: number | null;
  costUsd: number | null;
  /** The call's error message when it failed. */
  error: string | null;
  judgeScore: number | null;
  judgeCallId: string | null;
  judgeCostUsd: number | null;
}

export interface EvaluationProgress {
  /** Cells that ended (`ok` or `error`). */
  done: number;
  total: number;
  /** What the evaluation's calls cost so far, judge calls included. */
  costUsd: number;
  /** Time left at the pace so far; `null` when not running or before the first cell ended. */
  etaMs: number | null;
}

export interface EvaluationRowView {
  row: number;
  /** The prompt as rendered for this row. */
  prompt: string;
  expected: string | null;
}

/** `GET /api/evaluations/:evaluationId`. */
export interface EvaluationDetailResponse {
  evaluationId: string;
  createdAt: string;
  finishedAt: string | null;
  status: EvaluationStatus;
  promptId: string;
  version: number;
  datasetId: string;
  samples: number;
  assertions: Assertion[];
  progress: EvaluationProgress;
  targets: EvaluationTargetSummary[];
  /** The rendered rows, in test set order. */
  rows: EvaluationRowView[];
  cells: EvaluationCell[];
  /** Pass as `cursor` for the next page of cells; `null` on the last page. */
  nextCursor: string | null;
}

/** One entry of `GET /api/evaluations`. */
export interface EvaluationListItem {
  evaluationId: string;
  createdAt: string;
  status: EvaluationStatus;
  promptId: string;
  version: number;
  datasetId: string;
  cells: number;
  models: string[];
}

/** `GET /api/evaluations`. */
export interface EvaluationListResponse {
  evaluations: EvaluationListItem[];
}

/** `POST /api/evaluations/:evaluationId/cancel` and `…/resume`. */
export interface EvaluationControlResponse {
  evaluationId: string;
  status: EvaluationStatus;
  /** Resume: the cells it runs again (those not ended); cancel: 0. */
  cells: number;
}

/** The `data:` lines of `GET /api/evaluations/:evaluationId/events`. */
export type EvaluationStreamEvent =
  | ({ type: "progress" } & EvaluationProgress)
  | {
      type: "cell";
      cell: Pick<
        EvaluationCell,
        "row" | "target" | "sample" | "status" | "callId" | "passed" | "assertions" | "judgeScore"
      >;
    }
  | { type: "status"; status: EvaluationStatus };

function figuresOf(cell: EvaluationCell): CellFigures {
  return {
    row: cell.row,
    target: cell.target,
    sample: cell.sample,
    status: cell.status,
    passed: cell.passed,
    latencyMs: cell.latencyMs,
    outputTokens: cell.outputTokens,
    costUsd: cell.costUsd,
    judgeScore: cell.judgeScore,
    judgeCostUsd: cell.judgeCostUsd,
  };
}

/**
 * Two evaluations of the same test set, one target of each: which rows improved or regressed
 * (a row passes when every sample of it passes). Rows either side has not checked are left out.
 */
export function compareEvaluationCells(options: {
  before: readonly EvaluationCell[];
  beforeTarget: number;
  after: readonly EvaluationCell[];
  afterTarget: number;
}): Map<number, RowChange> {
  return compareRows(
    options.before.filter((cell) => cell.target === options.beforeTarget).map(figuresOf),
    options.after.filter((cell) => cell.target === options.afterTarget).map(figuresOf),
  );
}

export type { RowChange };
