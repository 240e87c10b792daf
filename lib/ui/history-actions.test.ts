import { describe, expect, it } from "vitest";
import { answerPlan } from "@/test/support/playground-runs";
import {
  columnsSharingTurn,
  editResends,
  latestComparison,
  runAgainResends,
} from "./history-actions";
import { type PlaygroundState, playgroundReducer, stateFromSetup } from "./playground-state";
import { planRuns } from "./run-plan";
import { defaultSetup } from "./setup";

let turnNumber = 0;
const createTurnId = () => {
  turnNumber += 1;
  return `turn-${turnNumber}`;
};
let runNumber = 0;

/** Begins the plan's turns (as the page does) and answers each call differently. */
function send(
  state: PlaygroundState,
  plan: ReturnType<typeof planRuns>,
  now: number,
  clearPrompt = false,
): { state: PlaygroundState; bodies: Array<Record<string, unknown>> } {
  if (!plan.ok) throw new Error(plan.message);
  const next = answerPlan(state, plan, {
    now,
    clearPrompt,
    runId: () => {
      runNumber += 1;
      return `run-${runNumber}`;
    },
    answer: (turnId) => `answer ${turnId}`,
  });
  return {
    state: next,
    bodies: plan.runs.map((run) => run.body as unknown as Record<string, unknown>),
  };
}

function runAll(state: PlaygroundState, prompt: string, comparisonId: string, now: number) {
  const prompted = playgroundReducer(state, { type: "set-prompt", prompt });
  return send(prompted, planRuns({ state: prompted, comparisonId, createTurnId }), now, true);
}

/** Two columns, two turns: turn 1 is one run, turn 2 one run per column (answers differed). */
function twoTurns() {
  const first = runAll(stateFromSetup(defaultSetup()), "Write a haiku", "cmp-1", 1_000);
  const second = runAll(first.state, "Now a limerick", "cmp-2", 2_000);
  return { first, second };
}

describe("sending from the prompt box", () => {
  it("empties the prompt box (and attachments) and tags every run of the click with one comparison", () => {
    const { first, second } = twoTurns();
    expect(first.state.prompt).toBe("");
    expect(first.bodies).toHaveLength(1);
    expect(first.bodies[0]?.comparisonId).toBe("cmp-1");
    expect(second.bodies).toHaveLength(2);
    expect(second.bodies.map((body) => body.comparisonId)).toEqual(["cmp-2", "cmp-2"]);
    expect(second.state.columns.map((column) => column.turns.length)).toEqual([2, 2]);
    expect(second.state.columns[0]?.turns[1]?.comparisonId).toBe("cmp-2");
  });

  it("Run all on an empty box after a run asks for a prompt instead of resending the last", () => {
    const { first } = twoTurns();
    expect(planRuns({ state: first.state, createTurnId })).toEqual({
      ok: false,
      message: "Write a prompt first.",
    });
  });
});

describe("run again", () => {
  it("repeats the latest comparison: same columns, history and prompt, as a new comparison", () => {
    const { second } = twoTurns();
    expect(latestComparison(second.state)).toEqual({
      comparisonKey: "cmp-2",
      columnIds: ["column-1", "column-2"],
    });
    const resends = runAgainResends(second.state);
    expect(resends.map((resend) => [resend.columnId, resend.keepTurns, resend.prompt])).toEqual([
      ["column-1", 1, "Now a limerick"],
      ["column-2", 1, "Now a limerick"],
    ]);
    const plan = planRuns({ state: second.state, resends, comparisonId: "cmp-3", createTurnId });
    const again = send(second.state, plan, 3_000);
    // The columns' histories differ, so two runs again, one comparison.
    expect(again.bodies.map((body) => body.comparisonId)).toEqual(["cmp-3", "cmp-3"]);
    expect(again.bodies.map((body) => (body.messages as unknown[]).length)).toEqual([3, 3]);
    expect(JSON.stringify(again.bodies[0]?.messages)).toContain("Now a limerick");
    // The new sample replaces the last turn; the earlier answer stays in its recorded run.
    expect(again.state.columns.map((column) => column.turns.length)).toEqual([2, 2]);
    expect(again.state.columns[0]?.turns[1]?.comparisonId).toBe("cmp-3");
    expect(again.state.columns[0]?.turns[0]?.comparisonId).toBe("cmp-1");
    expect(latestComparison(again.state)?.comparisonKey).toBe("cmp-3");
  });

  it("is not offered while a column runs or before anything was asked", () => {
    expect(latestComparison(stateFromSetup(defaultSetup()))).toBeNull();
    const { second } = twoTurns();
    const running = playgroundReducer(second.state, {
      type: "begin-turns",
      turns: [
        {
          columnId: "column-1",
          turnId: "busy",
          prompt: "x",
          expectsJson: false,
          replaceLast: false,
        },
      ],
      now: 9_000,
    });
    expect(latestComparison(running)).toBeNull();
    expect(runAgainResends(running)).toEqual([]);
  });

  it("repeats only the columns of the latest comparison (a retried column is its own)", () => {
    const { second } = twoTurns();
    const retry = planRuns({
      state: second.state,
      retryColumnId: "column-2",
      comparisonId: "cmp-retry",
      createTurnId,
    });
    const retried = send(second.state, retry, 4_000);
    expect(latestComparison(retried.state)).toEqual({
      comparisonKey: "cmp-retry",
      columnIds: ["column-2"],
    });
  });
});

describe("edit and resend", () => {
  it("edits turn 1 in every column sharing it; later turns become a branch recorded by run id", () => {
    const { second } = twoTurns();
    const oldTurnOneRun = second.state.columns[0]?.turns[0]?.runId;
    expect(oldTurnOneRun).toBeTruthy();
    expect(columnsSharingTurn(second.state, "column-2", 0).map((column) => column.id)).toEqual([
      "column-2",
      "column-1",
    ]);
    const resends = editResends({
      state: second.state,
      columnId: "column-1",
      turnIndex: 0,
      prompt: "Write a sonnet",
    });
    expect(resends).toEqual([
      {
        columnId: "column-1",
        keepTurns: 0,
        prompt: "Write a sonnet",
        images: [],
        branchedFromRunId: oldTurnOneRun,
      },
      {
        columnId: "column-2",
        keepTurns: 0,
        prompt: "Write a sonnet",
        images: [],
        branchedFromRunId: oldTurnOneRun,
      },
    ]);
    const plan = planRuns({ state: second.state, resends, comparisonId: "cmp-edit", createTurnId });
    const edited = send(second.state, plan, 5_000);
    // Same (empty) history again: one run, both columns, branched from the old turn 1's run.
    expect(edited.bodies).toHaveLength(1);
    expect(edited.bodies[0]).toMatchObject({
      comparisonId: "cmp-edit",
      branchedFromRunId: oldTurnOneRun,
      messages: [{ role: "user", content: "Write a sonnet" }],
    });
    for (const column of edited.state.columns) {
      expect(column.turns.map((turn) => turn.prompt)).toEqual(["Write a sonnet"]);
      expect(column.turns[0]?.branchedFromRunId).toBe(oldTurnOneRun);
    }
  });

  it("edits a later turn only in its own column once the answers differ", () => {
    const { second } = twoTurns();
    expect(columnsSharingTurn(second.state, "column-1", 1).map((column) => column.id)).toEqual([
      "column-1",
    ]);
    const resends = editResends({
      state: second.state,
      columnId: "column-1",
      turnIndex: 1,
      prompt: "Now a ballad",
    });
    const plan = planRuns({ state: second.state, resends, comparisonId: "cmp-e2", createTurnId });
    const edited = send(second.state, plan, 6_000);
    expect(edited.bodies).toHaveLength(1);
    expect(edited.bodies[0]?.branchedFromRunId).toBe(second.state.columns[0]?.turns[1]?.runId);
    expect(edited.state.columns[0]?.turns.map((turn) => turn.prompt)).toEqual([
      "Write a haiku",
      "Now a ballad",
    ]);
    // The other column is untouched.
    expect(edited.state.columns[1]).toBe(second.state.columns[1]);
  });

  it("refuses an empty edit", () => {
    const { second } = twoTurns();
    const empty = editResends({
      state: second.state,
      columnId: "column-1",
      turnIndex: 0,
      prompt: " ",
    });
    expect(planRuns({ state: second.state, resends: empty, createTurnId })).toEqual({
      ok: false,
      message: "Write a prompt first.",
    });
  });
});
