import { describe, expect, it } from "vitest";
import { summarizeReprice } from "./reprice-summary";

const RESULT = {
  from: "2026-02-01T00:00:00.000Z",
  to: "2026-03-01T00:00:00.000Z",
  provider: null,
  model: "openai:gpt-4o-mini",
  dryRun: true,
  calls: 120,
  changedCalls: 40,
  before: { calls: 120, costUsd: 1.5, savingsUsd: 0.25, unpricedCalls: 40 },
  after: { calls: 120, costUsd: 3.75, savingsUsd: 0.2, unpricedCalls: 0 },
};

describe("summarizeReprice", () => {
  it("states what a preview would change, with before, after and the change", () => {
    const summary = summarizeReprice(RESULT);
    expect(summary.headline).toBe("40 of 120 recorded calls would change (openai:gpt-4o-mini).");
    expect(summary.rows).toEqual([
      {
        label: "Cost",
        before: "$1.50",
        after: "$3.75",
        change: "+$2.25",
        beforeValue: 1.5,
        afterValue: 3.75,
      },
      {
        label: "Saved by caching",
        before: "$0.2500",
        after: "$0.2000",
        change: "-$0.0500",
        beforeValue: 0.25,
        afterValue: 0.2,
      },
      {
        label: "Unpriced calls",
        before: "40",
        after: "0",
        change: "-40",
        beforeValue: 40,
        afterValue: 0,
      },
    ]);
  });

  it("says what was changed once applied, and shows no change as none", () => {
    const summary = summarizeReprice({
      ...RESULT,
      dryRun: false,
      model: null,
      changedCalls: 0,
      after: RESULT.before,
    });
    expect(summary.headline).toBe("0 of 120 recorded calls changed.");
    expect(summary.rows.map((row) => row.change)).toEqual(["$0", "$0", "0"]);
  });
});
