/**
 * Per-target figures of an evaluation, from its cells: what the results page and
 * `GET /api/evaluations/:id` show. Pure, so the page, the API and the CSV agree.
 */

export interface CellFigures {
  row: number;
  target: number;
  sample: number;
  status: "pending" | "running" | "ok" | "error" | "cancelled" | "interrupted";
  /** Every assertion passed; `null` until the cell has been checked. */
  passed: boolean | null;
  latencyMs: number | null;
  outputTokens: number | null;
  /** `null` for an unpriced model. */
  costUsd: number | null;
  judgeScore: number | null;
  judgeCostUsd: number | null;
}

export interface MeanAndSpread {
  mean: number | null;
  std: number | null;
}

export interface TargetSummary {
  index: number;
  /** Passed ÷ checked cells; `null` while none is checked. */
  passRate: number | null;
  latencyMs: MeanAndSpread;
  outputTokens: MeanAndSpread;
  costUsd: { total: number | null; meanPerRow: number | null; unpricedCells: number };
  judgeCostUsd: number;
  meanJudgeScore: number | null;
  errors: number;
  /** With several samples: the share of rows whose samples do not all agree on pass or fail. */
  disagreement: number | null;
}

/** Mean and sample standard deviation of the known values. */
export function meanAndSpread(values: readonly (number | null)[]): MeanAndSpread {
  const known = values.filter((value): value is number => value !== null);
  if (known.length === 0) return { mean: null, std: null };
  const mean = known.reduce((sum, value) => sum + value, 0) / known.length;
  if (known.length === 1) return { mean, std: 0 };
  const variance = known.reduce((sum, value) => sum + (value - mean) ** 2, 0) / (known.length - 1);
  return { mean, std: Math.sqrt(variance) };
}

const ENDED = new Set(["ok", "error", "cancelled", "interrupted"]);

export function summarizeTarget(index: number, cells: readonly CellFigures[]): TargetSummary {
  const own = cells.filter((cell) => cell.target === index);
  const ended = own.filter((cell) => ENDED.has(cell.status));
  const checked = own.filter((cell) => cell.passed !== null);
  const answered = ended.filter((cell) => cell.status === "ok");
  const priced = ended.filter((cell) => cell.costUsd !== null);
  const rows = new Set(ended.map((cell) => cell.row));
  const total =
    priced.length === 0 ? null : priced.reduce((sum, cell) => sum + (cell.costUsd ?? 0), 0);

  const byRow = new Map<number, boolean[]>();
  for (const cell of checked) {
    const verdicts = byRow.get(cell.row) ?? [];
    verdicts.push(cell.passed === true);
    byRow.set(cell.row, verdicts);
  }
  const sampled = [...byRow.values()].filter((verdicts) => verdicts.length > 1);
  const disagreeing = sampled.filter((verdicts) => new Set(verdicts).size > 1).length;
  const scores = own.map((cell) => cell.judgeScore);

  return {
    index,
    passRate:
      checked.length === 0 ? null : checked.filter((cell) => cell.passed).length / checked.length,
    latencyMs: meanAndSpread(answered.map((cell) => cell.latencyMs)),
    outputTokens: meanAndSpread(answered.map((cell) => cell.outputTokens)),
    costUsd: {
      total,
      meanPerRow: total === null || rows.size === 0 ? null : total / rows.size,
      unpricedCells: ended.length - priced.length,
    },
    judgeCostUsd: own.reduce((sum, cell) => sum + (cell.judgeCostUsd ?? 0), 0),
    meanJudgeScore: meanAndSpread(scores).mean,
    errors: ended.filter((cell) => cell.status === "error").length,
    disagreement: sampled.length === 0 ? null : disagreeing / sampled.length,
  };
}

export type RowChange = "improved" | "regressed" | "unchanged";

/**
 * Compares two evaluations of the same test set, row by row, for one target of each: a row
 * improved when it passes now (every sample) and did not before, regressed the other way round.
 * Rows either side has not checked are left out.
 */
export function compareRows(
  before: readonly CellFigures[],
  after: readonly CellFigures[],
): Map<number, RowChange> {
  const verdicts = (cells: readonly CellFigures[]) => {
    const rows = new Map<number, boolean>();
    for (const cell of cells) {
      if (cell.passed === null) continue;
      rows.set(cell.row, (rows.get(cell.row) ?? true) && cell.passed);
    }
    return rows;
  };
  const old = verdicts(before);
  const changes = new Map<number, RowChange>();
  for (const [row, passes] of verdicts(after)) {
    const earlier = old.get(row);
    if (earlier === undefined) continue;
    changes.set(row, passes === earlier ? "unchanged" : passes ? "improved" : "regressed");
  }
  return changes;
}
