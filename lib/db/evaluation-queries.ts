/**
 * Evaluations and their cells. A cell's figures (output, latency, tokens, cost) are read from
 * the recorded call it points at, so an evaluation's totals are always the sum of its calls.
 */
import "server-only";
import { and, asc, eq, gt, inArray, or, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/sqlite-core";
import type { CellFigures } from "@/lib/evaluations/summary";
import { type Database, getDb } from "./client";
import {
  type CellStatus,
  calls,
  type EvaluationCellRow,
  type EvaluationRow,
  type EvaluationStatus,
  evaluationCells,
  evaluations,
} from "./schema";

interface WithDatabase {
  database?: Database;
}

function databaseOf(options: WithDatabase): Database {
  return options.database ?? getDb();
}

export function insertEvaluation(
  options: {
    evaluation: Omit<EvaluationRow, "finishedAt" | "status">;
    cells: readonly { row: number; target: number; sample: number }[];
  } & WithDatabase,
): void {
  const { orm } = databaseOf(options);
  orm.transaction((tx) => {
    tx.insert(evaluations)
      .values({ ...options.evaluation, status: "running", finishedAt: null })
      .run();
    const BATCH = 2_000;
    for (let start = 0; start < options.cells.length; start += BATCH) {
      tx.insert(evaluationCells)
        .values(
          options.cells.slice(start, start + BATCH).map((cell) => ({
            evaluationId: options.evaluation.id,
            ...cell,
            status: "pending" as const,
          })),
        )
        .run();
    }
  });
}

export function getEvaluationRow(
  options: { evaluationId: string } & WithDatabase,
): EvaluationRow | null {
  return (
    databaseOf(options)
      .orm.select()
      .from(evaluations)
      .where(eq(evaluations.id, options.evaluationId))
      .get() ?? null
  );
}

export function setEvaluationStatus(
  options: {
    evaluationId: string;
    status: EvaluationStatus;
    finishedAt?: Date | null;
  } & WithDatabase,
): void {
  databaseOf(options)
    .orm.update(evaluations)
    .set({ status: options.status, finishedAt: options.finishedAt ?? null })
    .where(eq(evaluations.id, options.evaluationId))
    .run();
}

export interface CellUpdate {
  row: number;
  target: number;
  sample: number;
  status: CellStatus;
  callId?: string | null;
  passed?: boolean | null;
  assertions?: EvaluationCellRow["assertions"];
  judgeScore?: number | null;
  judgeCallId?: string | null;
}

export function updateCell(
  options: { evaluationId: string; cell: CellUpdate } & WithDatabase,
): void {
  const { row, target, sample, ...values } = options.cell;
  databaseOf(options)
    .orm.update(evaluationCells)
    .set(values)
    .where(
      and(
        eq(evaluationCells.evaluationId, options.evaluationId),
        eq(evaluationCells.row, row),
        eq(evaluationCells.target, target),
        eq(evaluationCells.sample, sample),
      ),
    )
    .run();
}

/** Cells still to run: pending, or cut off while running. */
export function listUnfinishedCells(
  options: { evaluationId: string } & WithDatabase,
): { row: number; target: number; sample: number }[] {
  return databaseOf(options)
    .orm.select({
      row: evaluationCells.row,
      target: evaluationCells.target,
      sample: evaluationCells.sample,
    })
    .from(evaluationCells)
    .where(
      and(
        eq(evaluationCells.evaluationId, options.evaluationId),
        inArray(evaluationCells.status, ["pending", "running", "interrupted", "cancelled"]),
      ),
    )
    .orderBy(asc(evaluationCells.row), asc(evaluationCells.sample), asc(evaluationCells.target))
    .all();
}

/** After a restart: evaluations left running are `interrupted`, their running cells pending. */
export function markRunningEvaluationsInterrupted(options: WithDatabase = {}): number {
  const { orm } = databaseOf(options);
  return orm.transaction((tx) => {
    const running = tx
      .select({ id: evaluations.id })
      .from(evaluations)
      .where(eq(evaluations.status, "running"))
      .all()
      .map((row) => row.id);
    if (running.length === 0) return 0;
    tx.update(evaluations)
      .set({ status: "interrupted" })
      .where(inArray(evaluations.id, running))
      .run();
    tx.update(evaluationCells)
      .set({ status: "pending" })
      .where(
        and(inArray(evaluationCells.evaluationId, running), eq(evaluationCells.status, "running")),
      )
      .run();
    return running.length;
  });
}

export interface CellView extends CellFigures {
  callId: string | null;
  output: string | null;
  error: string | null;
  judgeCallId: string | null;
  assertions: { type: string; passed: boolean; detail: string }[];
}

const judgeCalls = alias(calls, "judge_calls");

function cellSelection() {
  return {
    row: evaluationCells.row,
    target: evaluationCells.target,
    sample: evaluationCells.sample,
    status: evaluationCells.status,
    callId: evaluationCells.callId,
    passed: evaluationCells.passed,
    assertions: evaluationCells.assertions,
    judgeScore: evaluationCells.judgeScore,
    judgeCallId: evaluationCells.judgeCallId,
    output: calls.output,
    error: calls.errorMessage,
    latencyMs: calls.durationMs,
    outputTokens: calls.outputTokens,
    costUsd: calls.costUsd,
    judgeCostUsd: judgeCalls.costUsd,
  };
}

/** What the per-target summary needs: no output, no assertion details. */
function figureSelection() {
  return {
    row: evaluationCells.row,
    target: evaluationCells.target,
    sample: evaluationCells.sample,
    status: evaluationCells.status,
    passed: evaluationCells.passed,
    judgeScore: evaluationCells.judgeScore,
    latencyMs: calls.durationMs,
    outputTokens: calls.outputTokens,
    costUsd: calls.costUsd,
    judgeCostUsd: judgeCalls.costUsd,
  };
}

type SelectedCell = {
  row: number;
  target: number;
  sample: number;
  status: CellStatus;
  callId: string | null;
  passed: boolean | null;
  assertions: EvaluationCellRow["assertions"];
  judgeScore: number | null;
  judgeCallId: string | null;
  output: string | null;
  error: string | null;
  latencyMs: number | null;
  outputTokens: number | null;
  costUsd: number | null;
  judgeCostUsd: number | null;
};

function cellView(row: SelectedCell): CellView {
  return { ...row, assertions: row.assertions ?? [] };
}

/** Every cell's figures, for the per-target summary. */
export function listCellFigures(options: { evaluationId: string } & WithDatabase): CellFigures[] {
  return databaseOf(options)
    .orm.select(figureSelection())
    .from(evaluationCells)
    .leftJoin(calls, eq(calls.id, evaluationCells.callId))
    .leftJoin(judgeCalls, eq(judgeCalls.id, evaluationCells.judgeCallId))
    .where(eq(evaluationCells.evaluationId, options.evaluationId))
    .orderBy(asc(evaluationCells.row), asc(evaluationCells.target), asc(evaluationCells.sample))
    .all();
}

/** One page of cells in (row, target, sample) order; the cursor is the last cell's key. */
export function listCellsPage(
  options: {
    evaluationId: string;
    limit: number;
    after: { row: number; target: number; sample: number } | null;
  } & WithDatabase,
): CellView[] {
  const after = options.after;
  const position = after
    ? or(
        gt(evaluationCells.row, after.row),
        and(eq(evaluationCells.row, after.row), gt(evaluationCells.target, after.target)),
        and(
          eq(evaluationCells.row, after.row),
          eq(evaluationCells.target, after.target),
          gt(evaluationCells.sample, after.sample),
        ),
      )
    : sql`1 = 1`;
  return (
    databaseOf(options)
      .orm.select(cellSelection())
      .from(evaluationCells)
      .leftJoin(calls, eq(calls.id, evaluationCells.callId))
      .leftJoin(judgeCalls, eq(judgeCalls.id, evaluationCells.judgeCallId))
      .where(and(eq(evaluationCells.evaluationId, options.evaluationId), position))
      .orderBy(asc(evaluationCells.row), asc(evaluationCells.target), asc(evaluationCells.sample))
      .limit(options.limit)
      .all() as SelectedCell[]
  ).map(cellView);
}

export interface EvaluationListRow {
  id: string;
  createdAt: Date;
  status: EvaluationStatus;
  promptId: string;
  promptVersion: number;
  datasetId: string;
  totalCells: number;
  /** The targets' model strings, read from the stored request without loading its rows. */
  models: string[];
}

/** The newest evaluations first. */
export function listEvaluations(
  options: { limit?: number } & WithDatabase = {},
): EvaluationListRow[] {
  return databaseOf(options)
    .orm.select({
      id: evaluations.id,
      createdAt: evaluations.createdAt,
      status: evaluations.status,
      promptId: evaluations.promptId,
      promptVersion: evaluations.promptVersion,
      datasetId: evaluations.datasetId,
      totalCells: evaluations.totalCells,
      targets: sql<string | null>`json_extract(${evaluations.config}, '$.request.targets')`,
    })
    .from(evaluations)
    .orderBy(sql`${evaluations.createdAt} desc`, sql`${evaluations.id} desc`)
    .limit(options.limit ?? 200)
    .all()
    .map(({ targets, ...row }) => {
      const parsed: unknown = targets ? JSON.parse(targets) : [];
      const models = Array.isArray(parsed)
        ? parsed.flatMap((target: { model?: unknown }) =>
            typeof target?.model === "string" ? [target.model] : [],
          )
        : [];
      return { ...row, models };
    });
}

/** Cells per status, for progress. */
export function countCellsByStatus(
  options: { evaluationId: string } & WithDatabase,
): Partial<Record<CellStatus, number>> {
  const rows = databaseOf(options)
    .orm.select({ status: evaluationCells.status, count: sql<number>`count(*)` })
    .from(evaluationCells)
    .where(eq(evaluationCells.evaluationId, options.evaluationId))
    .groupBy(evaluationCells.status)
    .all();
  return Object.fromEntries(rows.map((row) => [row.status, row.count]));
}
