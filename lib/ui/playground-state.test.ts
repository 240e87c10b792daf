import { describe, expect, it } from "vitest";
import {
  activeRunIds,
  isRunning,
  type PlaygroundAction,
  type PlaygroundState,
  playgroundReducer,
  setupOf,
  stateFromSetup,
  turnMetricsInput,
} from "./playground-state";
import type { RunEvent } from "./run-events";
import { defaultSetup } from "./setup";

function reduce(state: PlaygroundState, ...actions: PlaygroundAction[]): PlaygroundState {
  return actions.reduce(playgroundReducer, state);
}

function threeColumns(): PlaygroundState {
  return reduce(stateFromSetup(defaultSetup()), {
    type: "add-column",
    model: "openai:gpt-4o-mini",
  });
}

function finish(
  index: number,
  overrides: Partial<Extract<RunEvent, { type: "call-finish" }>> = {},
): RunEvent {
  return {
    type: "call-finish",
    index,
    status: "ok",
    stopReason: "stop",
    usage: {
      inputTokens: 10,
      outputTokens: 5,
      cacheReadTokens: 0,
      cacheWriteTokens: 0,
      reasoningTokens: null,
    },
    costUsd: 0.001,
    ttftMs: 100,
    durationMs: 500,
    ...overrides,
  };
}

/** Starts one turn per column, attached to `runId` with call index = column position. */
function startRun(state: PlaygroundState, runId: string, prompt = "hello"): PlaygroundState {
  const turns = state.columns.map((column) => ({
    columnId: column.id,
    turnId: `${runId}-${column.id}`,
    prompt,
    expectsJson: false,
    replaceLast: false,
  }));
  return reduce(
    state,
    { type: "begin-turns", turns, now: 1_000 },
    {
      type: "attach-run",
      runId,
      calls: turns.map((turn, index) => ({ index, turnId: turn.turnId })),
    },
  );
}

describe("columns", () => {
  it("adds, duplicates, moves and removes columns", () => {
    let state = threeColumns();
    expect(state.columns.map((column) => column.model)).toEqual([
      "demo:chat",
      "demo:fast",
      "openai:gpt-4o-mini",
    ]);
    state = reduce(
      state,
      { type: "set-parameters", columnId: "column-1", params: { temperature: 0.3 } },
      { type: "duplicate-column", columnId: "column-1" },
    );
    expect(state.columns.map((column) => column.id)).toEqual([
      "column-1",
      "column-4",
      "column-2",
      "column-3",
    ]);
    expect(state.columns[1]?.params).toEqual({ temperature: 0.3 });
    state = reduce(state, { type: "move-column", columnId: "column-3", offset: -1 });
    expect(state.columns.map((column) => column.id)).toEqual([
      "column-1",
      "column-4",
      "column-3",
      "column-2",
    ]);
    // Moving past either end is a no-op.
    expect(reduce(state, { type: "move-column", columnId: "column-1", offset: -1 })).toBe(state);
    state = reduce(
      state,
      { type: "set-baseline", columnId: "column-4" },
      { type: "remove-column", columnId: "column-4" },
    );
    expect(state.columns).toHaveLength(3);
    expect(state.baselineColumnId).toBeNull();
  });

  it("never goes below one column or above sixteen", () => {
    let state = stateFromSetup(defaultSetup());
    state = reduce(state, { type: "remove-column", columnId: "column-1" });
    expect(reduce(state, { type: "remove-column", columnId: "column-2" }).columns).toHaveLength(1);
    for (let count = 0; count < 20; count += 1) state = reduce(state, { type: "add-column" });
    expect(state.columns).toHaveLength(16);
  });

  it("gives back the setup without the conversation", () => {
    const state = startRun(threeColumns(), "run-1");
    const setup = setupOf(state);
    expect(setup.columns).toHaveLength(3);
    expect(setup.columns[0]).toEqual({
      id: "column-1",
      model: "demo:chat",
      params: {},
      system: null,
    });
  });
});

describe("run events", () => {
  it("routes each call's deltas to its own column only", () => {
    let state = startRun(threeColumns(), "run-1");
    expect(isRunning(state)).toBe(true);
    expect(activeRunIds(state)).toEqual(["run-1"]);
    state = reduce(state, {
      type: "run-events",
      runId: "run-1",
      now: 1_200,
      events: [
        {
          type: "run-start",
          runId: "run-1",
          calls: [{ index: 1, callId: "call-b", model: "demo:fast" }],
        },
        { type: "text-delta", index: 0, delta: "Alpha " },
        { type: "text-delta", index: 1, delta: "Beta" },
        { type: "text-delta", index: 0, delta: "one" },
        { type: "tool-call", index: 2, toolCall: { id: "t", name: "lookup", arguments: { q: 1 } } },
      ],
    });
    const [first, second, third] = state.columns.map((column) => column.turns[0]);
    expect(first?.output).toBe("Alpha one");
    expect(first?.phase).toBe("streaming");
    expect(first?.firstDeltaAt).toBe(1_200);
    expect(second?.output).toBe("Beta");
    expect(second?.callId).toBe("call-b");
    expect(third?.output).toBe("");
    expect(third?.toolCalls).toEqual([{ id: "t", name: "lookup", arguments: { q: 1 } }]);
  });

  it("ignores events of another run", () => {
    const state = startRun(threeColumns(), "run-1");
    const next = reduce(state, {
      type: "run-events",
      runId: "run-2",
      now: 1,
      events: [{ type: "text-delta", index: 0, delta: "stray" }],
    });
    expect(next).toBe(state);
  });

  it("finishes a call with the server's usage, cost and timings", () => {
    let state = startRun(threeColumns(), "run-1");
    state = reduce(state, {
      type: "run-events",
      runId: "run-1",
      now: 2_000,
      events: [
        finish(0),
        finish(1, {
          status: "error",
          usage: null,
          costUsd: null,
          error: { code: "server_error", message: "boom" },
        }),
        finish(2, { status: "cancelled" }),
        { type: "run-finish", runId: "run-1" },
      ],
    });
    const [first, second, third] = state.columns.map((column) => column.turns[0]);
    expect(first).toMatchObject({ phase: "ok", costUsd: 0.001, ttftMs: 100, durationMs: 500 });
    expect(second).toMatchObject({ phase: "error", error: { code: "server_error" } });
    expect(third?.phase).toBe("cancelled");
    expect(isRunning(state)).toBe(false);
  });

  it("ends a call the run forgot when the run finishes", () => {
    let state = startRun(stateFromSetup(defaultSetup()), "run-1");
    state = reduce(state, {
      type: "run-events",
      runId: "run-1",
      now: 2_000,
      events: [finish(0), { type: "run-finish", runId: "run-1" }],
    });
    expect(state.columns[1]?.turns[0]).toMatchObject({
      phase: "error",
      error: { code: "interrupted" },
    });
  });

  it("drops what was shown before a replay so nothing is counted twice", () => {
    let state = startRun(stateFromSetup(defaultSetup()), "run-1");
    const delta: RunEvent = { type: "text-delta", index: 0, delta: "abc" };
    state = reduce(
      state,
      { type: "run-events", runId: "run-1", now: 1, events: [delta] },
      { type: "replay-reset", runId: "run-1" },
      { type: "run-events", runId: "run-1", now: 2, events: [delta] },
    );
    expect(state.columns[0]?.turns[0]?.output).toBe("abc");
  });

  it("takes TTFT and the latest elapsed time from the server, also in a replay", () => {
    let state = startRun(stateFromSetup(defaultSetup()), "run-1");
    const events: RunEvent[] = [
      { type: "text-delta", index: 0, delta: "ab", ttftMs: 917, elapsedMs: 917 },
      { type: "text-delta", index: 0, delta: "cd", elapsedMs: 1_400 },
    ];
    state = reduce(
      state,
      { type: "run-events", runId: "run-1", now: 1_500, events },
      { type: "replay-reset", runId: "run-1" },
    );
    expect(state.columns[0]?.turns[0]).toMatchObject({ ttftMs: null, lastElapsedMs: null });
    // After the reload the whole backlog arrives at one client instant, long after the start.
    state = reduce(state, { type: "run-events", runId: "run-1", now: 9_000, events });
    const turn = state.columns[0]?.turns[0];
    expect(turn).toMatchObject({ output: "abcd", ttftMs: 917, lastElapsedMs: 1_400 });
    if (!turn) throw new Error("no turn");
    expect(turnMetricsInput({ turn, local: true })).toMatchObject({
      ttftMs: 917,
      elapsedMs: 1_400,
    });
  });

  it("fails only the turns of a request the server refused", () => {
    let state = startRun(stateFromSetup(defaultSetup()), "run-1");
    state = reduce(state, {
      type: "fail-turns",
      turnIds: ["run-1-column-2"],
      error: { code: "invalid_request", message: "bad" },
      now: 5,
    });
    expect(state.columns[0]?.turns[0]?.phase).toBe("pending");
    expect(state.columns[1]?.turns[0]?.phase).toBe("error");
  });
});

describe("conversation", () => {
  function finished(): PlaygroundState {
    let state = startRun(stateFromSetup(defaultSetup()), "run-1", "first question");
    state = reduce(state, {
      type: "run-events",
      runId: "run-1",
      now: 2,
      events: [
        { type: "text-delta", index: 0, delta: "answer A" },
        { type: "text-delta", index: 1, delta: "answer B" },
        finish(0),
        finish(1),
      ],
    });
    return state;
  }

  it("continue-from copies one column's conversation into every column", () => {
    const state = reduce(finished(), { type: "continue-from", columnId: "column-2" });
    for (const column of state.columns) {
      expect(column.turns.map((turn) => turn.output)).toEqual(["answer B"]);
      expect(column.turns[0]?.model).toBe("demo:fast");
    }
    const ids = state.columns.map((column) => column.turns[0]?.id);
    expect(new Set(ids).size).toBe(2);
  });

  it("continue-from carries the history but none of the source's numbers", () => {
    const state = reduce(finished(), { type: "continue-from", columnId: "column-2" });
    const source = state.columns[1]?.turns[0];
    expect(source).toMatchObject({ ttftMs: 100, durationMs: 500, costUsd: 0.001 });
    expect(source?.inherited).toBeUndefined();
    const copy = state.columns[0]?.turns[0];
    expect(copy).toMatchObject({
      output: "answer B",
      phase: "ok",
      inherited: true,
      usage: null,
      costUsd: null,
      ttftMs: null,
      durationMs: null,
      firstDeltaAt: null,
      lastDeltaAt: null,
    });
  });

  it("duplicate carries the history but none of the source's numbers, so totals count them once", () => {
    const state = reduce(finished(), { type: "duplicate-column", columnId: "column-2" });
    const source = state.columns[1];
    const copy = state.columns[2];
    expect(source?.turns[0]).toMatchObject({ costUsd: 0.001, ttftMs: 100 });
    expect(source?.turns[0]?.inherited).toBeUndefined();
    expect(copy?.model).toBe(source?.model);
    expect(copy?.turns[0]).toMatchObject({
      output: "answer B",
      inherited: true,
      usage: null,
      costUsd: null,
      ttftMs: null,
      durationMs: null,
    });
    expect(copy?.turns[0]?.id).not.toBe(source?.turns[0]?.id);
  });

  it("retry replaces the column's last turn", () => {
    const state = reduce(finished(), {
      type: "begin-turns",
      now: 3,
      turns: [
        {
          columnId: "column-1",
          turnId: "retry",
          prompt: "first question",
          expectsJson: false,
          replaceLast: true,
        },
      ],
    });
    expect(state.columns[0]?.turns.map((turn) => turn.id)).toEqual(["retry"]);
    expect(state.columns[1]?.turns).toHaveLength(1);
  });

  it("clear empties every column's history", () => {
    const state = reduce(finished(), { type: "clear" });
    expect(state.columns.every((column) => column.turns.length === 0)).toBe(true);
  });

  it("a blind round starts a fresh conversation in its own order, and keeps its verdict", () => {
    const state = reduce(
      finished(),
      { type: "set-blind", blind: { order: ["column-1", "column-2"], verdict: null } },
      { type: "start-blind-round", order: ["column-2", "column-1"] },
    );
    expect(state.columns.every((column) => column.turns.length === 0)).toBe(true);
    expect(state.blind).toEqual({ order: ["column-2", "column-1"], verdict: null });
    const verdict = { runId: "run-2", winner: 1, models: ["demo:chat", "demo:fast"] };
    const voted = reduce(state, { type: "blind-voted", verdict });
    expect(voted.blind?.verdict).toEqual(verdict);
    expect(reduce(voted, { type: "set-blind", blind: null }).blind).toBeNull();
    // A verdict without blind mode on is dropped.
    expect(
      reduce(stateFromSetup(defaultSetup()), { type: "blind-voted", verdict }).blind,
    ).toBeNull();
  });

  it("keeps the variables' values, and the setup carries them", () => {
    const state = reduce(
      stateFromSetup(defaultSetup()),
      { type: "set-prompt", prompt: "Capital of {{country}}?" },
      { type: "set-variable", name: "country", value: "Peru" },
    );
    expect(state.variables).toEqual({ country: "Peru" });
    expect(setupOf(state).variables).toEqual({ country: "Peru" });
    expect(stateFromSetup(setupOf(state)).variables).toEqual({ country: "Peru" });
  });
});

describe("fail-run", () => {
  it("fails the calls of a run that can no longer be followed, and only those", () => {
    let state = startRun(stateFromSetup(defaultSetup()), "run-1");
    state = reduce(state, {
      type: "run-events",
      runId: "run-1",
      now: 2,
      events: [finish(0)],
    });
    state = reduce(state, {
      type: "fail-run",
      runId: "run-1",
      error: { code: "not_found", message: "no run" },
      now: 3,
    });
    expect(state.columns[0]?.turns[0]?.phase).toBe("ok");
    expect(state.columns[1]?.turns[0]).toMatchObject({
      phase: "error",
      error: { code: "not_found" },
    });
  });
});
