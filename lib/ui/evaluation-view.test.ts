import { describe, expect, it } from "vitest";
import {
  cellVerdict,
  chartPoints,
  compareEvaluations,
  defaultChartMetric,
  type EvaluationCellView,
  type EvaluationTargetView,
  evaluationDetailSchema,
  gridRows,
  pairTargets,
  progressView,
  summaryLines,
  visibleRows,
} from "./evaluation-view";

function cell(
  row: number,
  target: number,
  passed: boolean | null,
  extra: Partial<EvaluationCellView> = {},
): EvaluationCellView {
  return {
    row,
    target,
    sample: 0,
    callId: `c-${row}-${target}`,
    status: passed === null ? "pending" : "ok",
    output: `out ${row}.${target}`,
    passed,
    assertions:
      passed === null
        ? []
        : [{ type: "contains", passed, detail: passed ? "found Paris" : "no Paris" }],
    ...extra,
  };
}

function target(
  index: number,
  model: string,
  extra: Partial<EvaluationTargetView> = {},
): EvaluationTargetView {
  return {
    index,
    model,
    passRate: 0.5,
    latencyMs: { mean: 412.4, std: 30.2 },
    outputTokens: { mean: 120, std: 0 },
    costUsd: { total: 0.02, meanPerRow: 0.01, unpricedCells: 0 },
    errors: 0,
    ...extra,
  };
}

describe("cellVerdict", () => {
  it("passes when every checked sample passes, fails when none does, and is mixed otherwise", () => {
    expect(cellVerdict([cell(0, 0, true), cell(0, 0, true, { sample: 1 })])).toBe("pass");
    expect(cellVerdict([cell(0, 0, false), cell(0, 0, false, { sample: 1 })])).toBe("fail");
    expect(cellVerdict([cell(0, 0, true), cell(0, 0, false, { sample: 1 })])).toBe("mixed");
  });

  it("tells a pending cell from a failed call and a cancelled one", () => {
    expect(cellVerdict([cell(0, 0, null)])).toBe("pending");
    expect(cellVerdict([cell(0, 0, null, { status: "error" })])).toBe("error");
    expect(cellVerdict([cell(0, 0, false, { status: "error" })])).toBe("error");
    expect(cellVerdict([cell(0, 0, null, { status: "cancelled" })])).toBe("cancelled");
  });
});

describe("gridRows", () => {
  it("lays cells out as rows × targets with samples in order and says why a cell failed", () => {
    const rows = gridRows({
      rows: [
        { row: 0, prompt: "Capital of France?", expected: "Paris" },
        { row: 1, prompt: "Capital of Peru?", expected: "Lima" },
      ],
      targets: [target(0, "a:x"), target(1, "b:y")],
      cells: [
        cell(1, 1, false, { sample: 1 }),
        cell(1, 1, true),
        cell(0, 0, true),
        cell(1, 0, null, { status: "error", error: "rate limited" }),
        cell(0, 1, false),
      ],
    });
    expect(rows).toHaveLength(2);
    expect(rows[0]?.prompt).toBe("Capital of France?");
    expect(rows[0]?.cells.map((item) => item.verdict)).toEqual(["pass", "fail"]);
    expect(rows[0]?.cells[1]?.reason).toBe("contains: no Paris");
    expect(rows[0]?.cells[0]?.reason).toBeNull();
    expect(rows[1]?.cells[0]?.reason).toBe("error: rate limited");
    const mixed = rows[1]?.cells[1];
    expect(mixed?.samples.map((sample) => sample.sample)).toEqual([0, 1]);
    expect([mixed?.verdict, mixed?.passed, mixed?.checked]).toEqual(["mixed", 1, 2]);
  });

  it("lays out 1,000 rows × 4 targets", () => {
    const cells = Array.from({ length: 4000 }, (_, index) =>
      cell(Math.floor(index / 4), index % 4, index % 3 === 0),
    );
    const rows = gridRows({
      targets: [0, 1, 2, 3].map((index) => target(index, `m:${index}`)),
      cells,
    });
    expect(rows).toHaveLength(1000);
    expect(rows.every((row) => row.cells.length === 4)).toBe(true);
  });
});

describe("visibleRows", () => {
  it("renders the rows in view plus the overscan, keeping the rest as padding", () => {
    expect(
      visibleRows({
        scrollTop: 4000,
        viewportHeight: 400,
        rowHeight: 40,
        count: 1000,
        overscan: 5,
      }),
    ).toEqual({ start: 95, end: 116, padTop: 3800, padBottom: 884 * 40 });
  });

  it("stays inside the rows at both ends", () => {
    expect(visibleRows({ scrollTop: 0, viewportHeight: 400, rowHeight: 40, count: 3 })).toEqual({
      start: 0,
      end: 3,
      padTop: 0,
      padBottom: 0,
    });
    const last = visibleRows({ scrollTop: 1e9, viewportHeight: 400, rowHeight: 40, count: 50 });
    expect([last.start <= 50, last.end, last.padBottom]).toEqual([true, 50, 0]);
    expect(visibleRows({ scrollTop: 0, viewportHeight: 400, rowHeight: 40, count: 0 }).end).toBe(0);
  });
});

describe("summaryLines", () => {
  it("shows the pass rate, mean ± sd, cost per row and total, and the spread only with samples", () => {
    const [line] = summaryLines([target(0, "a:x", { disagreement: 0.25 })], 3);
    expect(line).toMatchObject({
      passRate: "50%",
      latency: "412 ± 30 ms",
      outputTokens: "120 ± 0",
      costPerRow: "$0.0100",
      totalCost: "$0.0200",
      spread: "25% of rows",
    });
    expect(summaryLines([target(0, "a:x")], 1)[0]?.spread).toBeNull();
  });

  it("says a target is unpriced rather than free", () => {
    const [line] = summaryLines(
      [target(0, "a:x", { costUsd: { total: null, meanPerRow: null, unpricedCells: 4 } })],
      1,
    );
    expect([line?.costPerRow, line?.totalCost]).toEqual(["unpriced", "unpriced"]);
  });
});

describe("chartPoints", () => {
  const targets = [
    target(0, "cheap:model", { passRate: 0.8, costUsd: { total: 1, meanPerRow: 0.001 } }),
    target(1, "dear:model", { passRate: 0.9, meanJudgeScore: 4.5 }),
    target(2, "unpriced:model", {
      passRate: 0.7,
      costUsd: { total: null, meanPerRow: null, unpricedCells: 2 },
    }),
    target(3, "pending:model", { passRate: null }),
  ];

  it("plots every target with the metric and names those without a cost per row", () => {
    const { points, unpriced } = chartPoints(targets, "pass-rate");
    expect(points.map((point) => [point.model, point.value, point.costPerRow])).toEqual([
      ["cheap:model", 80, 0.001],
      ["dear:model", 90, 0.01],
      ["unpriced:model", 70, null],
    ]);
    expect(unpriced).toEqual(["unpriced:model"]);
  });

  it("plots the judge's score when asked, and starts on it when there is one", () => {
    expect(chartPoints(targets, "judge-score").points.map((point) => point.model)).toEqual([
      "dear:model",
    ]);
    expect(defaultChartMetric(targets)).toBe("judge-score");
    expect(defaultChartMetric([target(0, "a:x")])).toBe("pass-rate");
  });
});

describe("progressView", () => {
  it("shows the share done, the time left while running and the cost so far", () => {
    expect(
      progressView({ done: 30, total: 120, costUsd: 0.0123, etaMs: 95_000 }, "running"),
    ).toEqual({
      percent: 25,
      label: "30 of 120 cells",
      eta: "about 2 min left",
      cost: "$0.0123 so far",
    });
    expect(progressView({ done: 120, total: 120, costUsd: 0.05 }, "done")).toMatchObject({
      percent: 100,
      eta: null,
      cost: "$0.0500",
    });
  });
});

describe("compareEvaluations", () => {
  it("pairs targets by model and marks rows that regressed or improved", () => {
    const before = {
      targets: [target(0, "a:x"), target(1, "b:y")],
      cells: [cell(0, 0, true), cell(1, 0, false), cell(2, 0, true), cell(0, 1, true)],
    };
    const after = {
      targets: [target(0, "b:y"), target(1, "a:x")],
      cells: [cell(0, 1, false), cell(1, 1, true), cell(2, 1, true), cell(0, 0, true)],
    };
    const result = compareEvaluations(before, after);
    expect(result.pairs).toEqual([
      { model: "b:y", before: 1, after: 0 },
      { model: "a:x", before: 0, after: 1 },
    ]);
    expect(result.rows.map((row) => row.change)).toEqual(["regressed", "improved", "unchanged"]);
    expect(result.rows[0]?.targets[1]).toEqual({
      before: "pass",
      after: "fail",
      change: "regressed",
    });
    expect(result.counts).toEqual({ improved: 1, regressed: 1, unchanged: 1 });
  });

  it("pairs a model's repeated targets in order and leaves unmatched ones out", () => {
    expect(
      pairTargets(
        [target(0, "a:x"), target(1, "a:x"), target(2, "c:z")],
        [target(0, "a:x"), target(1, "a:x"), target(2, "d:w")],
      ),
    ).toEqual([
      { model: "a:x", before: 0, after: 0 },
      { model: "a:x", before: 1, after: 1 },
    ]);
  });
});

describe("evaluationDetailSchema", () => {
  it("reads the contract's answer, keeping the extra figures", () => {
    const parsed = evaluationDetailSchema.safeParse({
      status: "running",
      progress: { done: 1, total: 2, costUsd: 0, etaMs: null },
      targets: [target(0, "a:x")],
      cells: [cell(0, 0, true)],
      nextCursor: null,
      unknownField: true,
    });
    expect(parsed.success).toBe(true);
    expect(evaluationDetailSchema.safeParse({ status: "weird" }).success).toBe(false);
  });
});
