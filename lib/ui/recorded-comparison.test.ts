import { describe, expect, it } from "vitest";
import { recordedCall } from "@/test/support/recorded-runs";
import { latestComparison } from "./history-actions";
import { playgroundReducer, stateFromSetup } from "./playground-state";
import {
  conversationFromRuns,
  parseRecordedRun,
  type RecordedRunView,
  setupFromRuns,
} from "./recorded-run";

function turnTwoRun(id: string, model: string, firstAnswer: string): RecordedRunView {
  return {
    id,
    createdAt: "2026-02-01T10:00:00.000Z",
    system: null,
    comparisonId: "cmp-2",
    messages: [
      { role: "user", content: "Write a haiku" },
      { role: "assistant", content: firstAnswer },
      { role: "user", content: "Now a limerick" },
    ],
    calls: [
      recordedCall({
        index: 0,
        callId: `${id}-c`,
        model,
        status: "ok",
        output: `${model} limerick`,
      }),
    ],
  };
}

// Turn 2 of a two-column comparison: the columns' first answers differed, so two runs.
const runs = [
  turnTwoRun("run-a", "demo:chat", "chat haiku"),
  turnTwoRun("run-b", "demo:fast", "fast haiku"),
];

describe("a comparison's runs opened together", () => {
  it("restores every run's columns, in the order sent, each with its own conversation", () => {
    const setup = setupFromRuns(runs);
    expect(setup.columns.map((column) => [column.id, column.model])).toEqual([
      ["column-1", "demo:chat"],
      ["column-2", "demo:fast"],
    ]);
    const conversation = conversationFromRuns(runs);
    expect(conversation.exact).toBe(true);
    expect(conversation.columns.map((column) => column.turns.map((turn) => turn.output))).toEqual([
      ["chat haiku", "demo:chat limerick"],
      ["fast haiku", "demo:fast limerick"],
    ]);

    const loaded = playgroundReducer(stateFromSetup(setup), {
      type: "load-conversation",
      columns: conversation.columns,
    });
    // "Run again" then repeats that comparison in both columns.
    expect(latestComparison(loaded)).toEqual({
      comparisonKey: "cmp-2",
      columnIds: ["column-1", "column-2"],
    });
  });

  it("keeps the comparison id when reading GET /api/runs/:id", () => {
    expect(parseRecordedRun({ ...runs[0], branchedFromRunId: null })?.comparisonId).toBe("cmp-2");
    expect(setupFromRuns([]).columns).toEqual([]);
  });
});
