/**
 * `/runs` as rows: one per comparison (the runs one click created), titled by the prompt it
 * sent with its turn number, its runs (each a set of models) inside. Pure, for the page.
 */

/** The parts of a listed run (`GET /api/runs` item) the history shows. */
export interface HistoryRun {
  id: string;
  createdAt: string;
  title: string;
  prompt?: string;
  turn?: number;
  comparisonId?: string;
  branchedFromRunId?: string | null;
  calls: Array<{ callId: string; model: string; status: string; costUsd: number | null }>;
  costUsd: number;
  unpricedCalls: number;
  runningCalls: number;
}

export interface HistoryComparison {
  comparisonId: string;
  createdAt: string;
  runs: HistoryRun[];
}

/** What a run asked: its own prompt (older servers: the conversation's title) and turn. */
export function runHeading(run: HistoryRun): { prompt: string; turnLabel: string | null } {
  const prompt = run.prompt || run.title || "(no prompt)";
  const turn = run.turn ?? 1;
  return { prompt, turnLabel: turn > 1 ? `turn ${turn}` : null };
}

export interface ComparisonRow {
  comparisonId: string;
  createdAt: string;
  prompt: string;
  turnLabel: string | null;
  /** Several runs: one per distinct history (the columns' answers had differed). */
  runs: Array<{
    id: string;
    href: string;
    prompt: string;
    turnLabel: string | null;
    models: HistoryRun["calls"];
    branchedFromRunId: string | null;
  }>;
  /** Resent from an edited turn: the first run it branched from. */
  branchedFromRunId: string | null;
  costUsd: number;
  unpricedCalls: number;
  running: boolean;
  modelCount: number;
  /** Opens every column of the comparison in the playground. */
  openHref: string;
}

export const COMPARISON_PARAM = "comparison";

export function comparisonRow(comparison: HistoryComparison): ComparisonRow {
  const first = comparison.runs[0];
  const heading = first
    ? runHeading(first)
    : { prompt: "(no prompt)", turnLabel: null as string | null };
  // One click sends one prompt; a turn number differs only if columns had different lengths.
  const turns = new Set(comparison.runs.map((run) => run.turn ?? 1));
  const turnLabel = turns.size > 1 ? `turns ${[...turns].sort().join(", ")}` : heading.turnLabel;
  return {
    comparisonId: comparison.comparisonId,
    createdAt: comparison.createdAt,
    prompt: heading.prompt,
    turnLabel,
    runs: comparison.runs.map((run) => ({
      id: run.id,
      href: `/runs/${encodeURIComponent(run.id)}`,
      ...runHeading(run),
      models: run.calls,
      branchedFromRunId: run.branchedFromRunId ?? null,
    })),
    branchedFromRunId:
      comparison.runs.find((run) => run.branchedFromRunId)?.branchedFromRunId ?? null,
    costUsd: comparison.runs.reduce((sum, run) => sum + run.costUsd, 0),
    unpricedCalls: comparison.runs.reduce((sum, run) => sum + run.unpricedCalls, 0),
    running: comparison.runs.some((run) => run.runningCalls > 0),
    modelCount: comparison.runs.reduce((sum, run) => sum + run.calls.length, 0),
    openHref: `/?${COMPARISON_PARAM}=${encodeURIComponent(comparison.comparisonId)}`,
  };
}
