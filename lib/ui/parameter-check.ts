/**
 * Which columns may not be sent, and why: the same check `POST /api/runs` makes, run on the
 * page so Run all is blocked with the column and field named instead of the server refusing
 * (or, before, the value being dropped).
 */
import { type ParameterProblem, targetParameterProblems } from "@/lib/models/parameter-limits";
import type { ColumnParameters } from "./setup";

export interface ColumnBlocker {
  columnId: string;
  /** 1-based, as the page numbers columns. */
  columnNumber: number;
  model: string;
  field: ParameterProblem["field"];
  message: string;
}

export function columnProblems(column: {
  model: string;
  params: ColumnParameters;
}): ParameterProblem[] {
  return targetParameterProblems(column);
}

export function runBlockers(
  columns: ReadonlyArray<{ id: string; model: string; params: ColumnParameters }>,
): ColumnBlocker[] {
  return columns.flatMap((column, position) =>
    columnProblems(column).map((problem) => ({
      columnId: column.id,
      columnNumber: position + 1,
      model: column.model,
      ...problem,
    })),
  );
}

/** One sentence for the prompt panel; `null` when nothing blocks the run. */
export function blockedRunMessage(blockers: readonly ColumnBlocker[]): string | null {
  const [first] = blockers;
  if (!first) return null;
  const more = blockers.length - 1;
  return (
    `Column ${first.columnNumber} (${first.model}): ${first.message}.` +
    (more > 0 ? ` ${more} more problem${more > 1 ? "s" : ""} to fix before running.` : "")
  );
}
