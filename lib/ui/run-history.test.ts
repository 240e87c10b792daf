import { describe, expect, it } from "vitest";
import { comparisonRow, type HistoryRun, runHeading } from "./run-history";

function run(values: Partial<HistoryRun> & Pick<HistoryRun, "id">): HistoryRun {
  return {
    createdAt: "2026-02-01T10:00:00.000Z",
    title: "Write a haiku",
    calls: [{ callId: `${values.id}-c`, model: "demo:chat", status: "ok", costUsd: 0.01 }],
    costUsd: 0.01,
    unpricedCalls: 0,
    runningCalls: 0,
    ...values,
  };
}

describe("runHeading", () => {
  it("titles a run by its own prompt and says which turn it was", () => {
    expect(runHeading(run({ id: "a", prompt: "Now a limerick", turn: 2 }))).toEqual({
      prompt: "Now a limerick",
      turnLabel: "turn 2",
    });
    expect(runHeading(run({ id: "b", prompt: "Write a haiku", turn: 1 }))).toEqual({
      prompt: "Write a haiku",
      turnLabel: null,
    });
  });

  it("falls back to the title, then to a placeholder", () => {
    expect(runHeading(run({ id: "c" })).prompt).toBe("Write a haiku");
    expect(runHeading(run({ id: "d", title: "", prompt: "" })).prompt).toBe("(no prompt)");
  });
});

describe("comparisonRow", () => {
  it("groups a click's runs under one row with its prompt, turn, models, cost and link", () => {
    const row = comparisonRow({
      comparisonId: "cmp-2",
      createdAt: "2026-02-01T10:00:01.000Z",
      runs: [
        run({ id: "r1", prompt: "Now a limerick", turn: 2, comparisonId: "cmp-2" }),
        run({
          id: "r2",
          prompt: "Now a limerick",
          turn: 2,
          comparisonId: "cmp-2",
          calls: [{ callId: "x", model: "demo:fast", status: "running", costUsd: null }],
          costUsd: 0,
          unpricedCalls: 1,
          runningCalls: 1,
          branchedFromRunId: "old",
        }),
      ],
    });
    expect(row).toMatchObject({
      comparisonId: "cmp-2",
      prompt: "Now a limerick",
      turnLabel: "turn 2",
      costUsd: 0.01,
      unpricedCalls: 1,
      running: true,
      modelCount: 2,
      branchedFromRunId: "old",
      openHref: "/?comparison=cmp-2",
    });
    expect(row.runs.map((entry) => [entry.href, entry.models.map((call) => call.model)])).toEqual([
      ["/runs/r1", ["demo:chat"]],
      ["/runs/r2", ["demo:fast"]],
    ]);
  });

  it("names every turn when the columns' conversations had different lengths", () => {
    const row = comparisonRow({
      comparisonId: "c",
      createdAt: "2026-02-01T10:00:00.000Z",
      runs: [run({ id: "a", turn: 3, prompt: "p" }), run({ id: "b", turn: 1, prompt: "p" })],
    });
    expect(row.turnLabel).toBe("turns 1, 3");
  });
});
