import { describe, expect, it } from "vitest";
import { type CellFigures, compareRows, meanAndSpread, summarizeTarget } from "./summary";

function cell(overrides: Partial<CellFigures>): CellFigures {
  return {
    row: 0,
    target: 0,
    sample: 0,
    status: "ok",
    passed: true,
    latencyMs: 100,
    outputTokens: 10,
    costUsd: 0.001,
    judgeScore: null,
    judgeCostUsd: null,
    ...overrides,
  };
}

describe("meanAndSpread", () => {
  it("is the mean and the sample standard deviation of the known values", () => {
    expect(meanAndSpread([2, 4, 4, 4, 5, 5, 7, 9, null])).toEqual({
      mean: 5,
      std: Math.sqrt(32 / 7),
    });
  });
  it("is unknown without values and has no spread with one", () => {
    expect(meanAndSpread([null])).toEqual({ mean: null, std: null });
    expect(meanAndSpread([3])).toEqual({ mean: 3, std: 0 });
  });
});

describe("summarizeTarget", () => {
  const cells = [
    cell({ row: 0, sample: 0, latencyMs: 100, costUsd: 0.002 }),
    cell({ row: 0, sample: 1, passed: false, latencyMs: 300, costUsd: 0.002 }),
    cell({ row: 1, sample: 0, costUsd: 0.004 }),
    cell({ row: 1, sample: 1, costUsd: 0.004 }),
    cell({
      row: 2,
      sample: 0,
      status: "error",
      passed: false,
      latencyMs: 5,
      outputTokens: null,
      costUsd: null,
    }),
    cell({ row: 2, sample: 1, status: "running", passed: null, costUsd: null }),
    cell({ target: 1, passed: false, costUsd: 9 }),
  ];
  const summary = summarizeTarget(0, cells);

  it("pass rate counts checked cells only", () => {
    expect(summary.passRate).toBeCloseTo(3 / 5);
  });
  it("latency and tokens come from answered cells", () => {
    expect(summary.latencyMs.mean).toBeCloseTo(150);
    expect(summary.outputTokens.mean).toBe(10);
  });
  it("cost totals the priced cells, per row over the rows that ended, and counts the unpriced", () => {
    expect(summary.costUsd.total).toBeCloseTo(0.012);
    expect(summary.costUsd.meanPerRow).toBeCloseTo(0.004);
    expect(summary.costUsd.unpricedCells).toBe(1);
  });
  it("counts errors and how often samples of a row disagree", () => {
    expect(summary.errors).toBe(1);
    expect(summary.disagreement).toBeCloseTo(1 / 2);
  });
  it("keeps other targets' cells out", () => {
    expect(summarizeTarget(1, cells).costUsd.total).toBe(9);
  });
  it("has no cost total when nothing is priced", () => {
    expect(summarizeTarget(0, [cell({ costUsd: null })]).costUsd).toEqual({
      total: null,
      meanPerRow: null,
      unpricedCells: 1,
    });
  });
});

describe("compareRows", () => {
  it("marks rows that started or stopped passing, and leaves rows one side lacks out", () => {
    const before = [cell({ row: 0, passed: false }), cell({ row: 1 }), cell({ row: 2 })];
    const after = [
      cell({ row: 0 }),
      cell({ row: 1, passed: false }),
      cell({ row: 2 }),
      cell({ row: 3 }),
    ];
    expect(Object.fromEntries(compareRows(before, after))).toEqual({
      0: "improved",
      1: "regressed",
      2: "unchanged",
    });
  });
  it("a row passes only when every sample passes", () => {
    const before = [cell({ row: 0 })];
    const after = [cell({ row: 0 }), cell({ row: 0, sample: 1, passed: false })];
    expect(compareRows(before, after).get(0)).toBe("regressed");
  });
});
