import { describe, expect, it } from "vitest";
import { compareEvaluationCells, type EvaluationCell } from "./evaluation-api";

function cell(row: number, target: number, sample: number, passed: boolean | null): EvaluationCell {
  return {
    row,
    target,
    sample,
    callId: `c-${row}-${target}-${sample}`,
    status: passed === null ? "cancelled" : "ok",
    output: "",
    passed,
    assertions: [],
    latencyMs: 1,
    outputTokens: 1,
    costUsd: 0,
    error: null,
    judgeScore: null,
    judgeCallId: null,
    judgeCostUsd: null,
  };
}

describe("compareEvaluationCells", () => {
  it("marks rows that regressed or improved between two evaluations, for the chosen targets", () => {
    const before = [
      cell(0, 0, 0, true),
      cell(1, 0, 0, false),
      cell(2, 0, 0, true),
      cell(3, 0, 0, true),
      // Another target of the first evaluation, not compared.
      cell(0, 1, 0, false),
    ];
    const after = [
      cell(0, 1, 0, true),
      cell(1, 1, 0, true),
      // One of two samples fails: the row no longer passes.
      cell(2, 1, 0, true),
      cell(2, 1, 1, false),
      // Unchecked on this side: left out.
      cell(3, 1, 0, null),
    ];
    const changes = compareEvaluationCells({ before, beforeTarget: 0, after, afterTarget: 1 });
    expect([...changes].sort()).toEqual([
      [0, "unchanged"],
      [1, "improved"],
      [2, "regressed"],
    ]);
  });
});
