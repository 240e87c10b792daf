import { describe, expect, it } from "vitest";
import { blindColumns, blindLetter, revealOf, shuffled, voteReadiness } from "./blind";
import { newTurn, type Turn } from "./playground-state";

function turn(options: { runId: string | null; callIndex: number | null; phase?: Turn["phase"] }) {
  return {
    ...newTurn({ turnId: `t-${options.callIndex}`, prompt: "p", expectsJson: false }, "m", 0),
    runId: options.runId,
    callIndex: options.callIndex,
    phase: options.phase ?? "ok",
  };
}

const columns = [
  { id: "c1", model: "demo:chat", turns: [turn({ runId: "r", callIndex: 0 })] },
  { id: "c2", model: "demo:fast", turns: [turn({ runId: "r", callIndex: 1 })] },
  { id: "c3", model: "demo:slow", turns: [turn({ runId: "r", callIndex: 2 })] },
];

describe("shuffled", () => {
  it("permutes every item exactly once", () => {
    const values = [0.9, 0.1, 0.5, 0.3];
    let next = 0;
    const result = shuffled(["a", "b", "c", "d", "e"], () => values[next++ % values.length] ?? 0);
    expect([...result].sort()).toEqual(["a", "b", "c", "d", "e"]);
    expect(result).not.toEqual(["a", "b", "c", "d", "e"]);
  });
});

describe("blindColumns", () => {
  it("shows the columns in the round's order, lettered, models hidden", () => {
    const shown = blindColumns(columns, { order: ["c3", "c1", "c2"], verdict: null });
    expect(shown.map((item) => [item.letter, item.column.id, item.revealed])).toEqual([
      ["A", "c3", null],
      ["B", "c1", null],
      ["C", "c2", null],
    ]);
  });

  it("puts a column added since the round began last", () => {
    const shown = blindColumns(columns, { order: ["c2", "c1"], verdict: null });
    expect(shown.map((item) => item.column.id)).toEqual(["c2", "c1", "c3"]);
  });

  it("reveals each model from the vote's answer, by call index", () => {
    const verdict = { runId: "r", winner: 1, models: ["x:zero", "x:one", "x:two"] };
    const shown = blindColumns(columns, { order: ["c3", "c1", "c2"], verdict });
    expect(shown.map((item) => item.revealed)).toEqual(["x:two", "x:zero", "x:one"]);
    expect(revealOf(shown, verdict)).toEqual({
      entries: [
        { letter: "A", model: "x:two", won: false },
        { letter: "B", model: "x:zero", won: false },
        { letter: "C", model: "x:one", won: true },
      ],
      choice: "You chose C.",
    });
    expect(revealOf(shown, { ...verdict, winner: "tie" }).choice).toBe("You called it a tie.");
  });
});

describe("voteReadiness", () => {
  const round = { order: ["c1", "c2", "c3"], verdict: null };

  it("is ready once every column answered the same run, with each column's call index", () => {
    const readiness = voteReadiness(columns, round);
    expect(readiness.state).toBe("ready");
    if (readiness.state !== "ready") return;
    expect(readiness.runId).toBe("r");
    expect([...readiness.callIndexByColumn]).toEqual([
      ["c1", 0],
      ["c2", 1],
      ["c3", 2],
    ]);
  });

  it("waits while an answer is still coming", () => {
    const running = [
      ...columns.slice(0, 2),
      { id: "c3", model: "m", turns: [turn({ runId: "r", callIndex: 2, phase: "streaming" })] },
    ];
    expect(voteReadiness(running, round).state).toBe("waiting");
  });

  it("is not a round before a run, with one column, or across runs", () => {
    expect(voteReadiness([{ id: "c1", model: "m", turns: [] }], round).state).toBe("idle");
    expect(
      voteReadiness(
        columns.map((column) => ({ ...column, turns: [] })),
        round,
      ).state,
    ).toBe("idle");
    const mixed = [
      ...columns.slice(0, 2),
      { id: "c3", model: "m", turns: [turn({ runId: "other", callIndex: 0 })] },
    ];
    expect(voteReadiness(mixed, round).state).toBe("idle");
  });

  it("is voted once the verdict is in", () => {
    const verdict = { runId: "r", winner: "both-bad" as const, models: [] };
    expect(voteReadiness(columns, { ...round, verdict })).toEqual({ state: "voted", verdict });
  });
});

describe("blindLetter", () => {
  it("names positions A, B, …", () => {
    expect([0, 1, 15].map(blindLetter)).toEqual(["A", "B", "P"]);
  });
});
