import { describe, expect, it } from "vitest";
import { playgroundReducer, stateFromSetup } from "./playground-state";
import { restoreSession, serializeSession } from "./session";
import { defaultSetup, encodeSetup } from "./setup";

describe("session snapshot", () => {
  const setup = encodeSetup(defaultSetup());
  const state = playgroundReducer(stateFromSetup(defaultSetup()), {
    type: "begin-turns",
    now: 5,
    turns: [
      { columnId: "column-1", turnId: "t", prompt: "p", expectsJson: false, replaceLast: false },
    ],
  });

  it("restores the conversation taken for the same setup", () => {
    const stored = serializeSession({ state, setup });
    expect(restoreSession({ stored, setup })).toEqual(state);
  });

  it("keeps a running turn's input estimate, so its cost so far survives a reload", () => {
    const running = playgroundReducer(stateFromSetup(defaultSetup()), {
      type: "begin-turns",
      now: 5,
      turns: [
        {
          columnId: "column-1",
          turnId: "t",
          prompt: "p",
          expectsJson: false,
          replaceLast: false,
          inputTokensEstimate: 42,
        },
      ],
    });
    const restored = restoreSession({ stored: serializeSession({ state: running, setup }), setup });
    expect(restored?.columns[0]?.turns[0]?.inputTokensEstimate).toBe(42);
  });

  it("keeps the server's elapsed time and a continued column's inherited mark", () => {
    const column = state.columns[0];
    const turn = column?.turns[0];
    if (!column || !turn) throw new Error("no turn");
    const marked = {
      ...state,
      columns: [{ ...column, turns: [{ ...turn, lastElapsedMs: 1_400, inherited: true }] }],
    };
    const restored = restoreSession({ stored: serializeSession({ state: marked, setup }), setup });
    expect(restored?.columns[0]?.turns[0]).toMatchObject({ lastElapsedMs: 1_400, inherited: true });
  });

  it("restores a snapshot taken before variables and blind mode, with neither set", () => {
    const { variables: _variables, blind: _blind, ...older } = state;
    const stored = JSON.stringify({
      ...JSON.parse(serializeSession({ state, setup })),
      state: older,
    });
    expect(restoreSession({ stored, setup })).toEqual({ ...state, variables: {}, blind: null });
  });

  it("keeps the blind round, so a reload does not reveal or reshuffle the models", () => {
    const blind = playgroundReducer(state, {
      type: "set-blind",
      blind: { order: ["column-2", "column-1"], verdict: null },
    });
    const restored = restoreSession({ stored: serializeSession({ state: blind, setup }), setup });
    expect(restored?.blind).toEqual({ order: ["column-2", "column-1"], verdict: null });
  });

  it("keeps a turn's images and reasoning, and the prompt's attachments", () => {
    const image = { imageId: "c".repeat(64), mediaType: "image/png", name: "cat.png", bytes: 67 };
    let rich = playgroundReducer(stateFromSetup(defaultSetup()), {
      type: "begin-turns",
      now: 5,
      turns: [
        {
          columnId: "column-1",
          turnId: "t",
          prompt: "p",
          images: [{ imageId: image.imageId, name: "cat.png" }],
          expectsJson: false,
          replaceLast: false,
        },
      ],
    });
    rich = playgroundReducer(rich, {
      type: "attach-run",
      runId: "r",
      calls: [{ index: 0, turnId: "t" }],
    });
    rich = playgroundReducer(rich, {
      type: "run-events",
      runId: "r",
      now: 6,
      events: [{ type: "reasoning-delta", index: 0, delta: "Thinking it over." }],
    });
    rich = playgroundReducer(rich, { type: "add-attachment", image });
    const restored = restoreSession({ stored: serializeSession({ state: rich, setup }), setup });
    expect(restored).toEqual(rich);
    expect(restored?.columns[0]?.turns[0]?.images).toEqual([
      { imageId: image.imageId, name: "cat.png" },
    ]);
    expect(restored?.columns[0]?.turns[0]?.reasoning).toBe("Thinking it over.");
    expect(restored?.attachments).toEqual([image]);
  });

  it("ignores a snapshot of another setup, garbage, or nothing", () => {
    const stored = serializeSession({ state, setup });
    expect(restoreSession({ stored, setup: `${setup}&prompt=other` })).toBeNull();
    expect(restoreSession({ stored: "{", setup })).toBeNull();
    expect(restoreSession({ stored: '{"version":1,"setup":"","state":{}}', setup: "" })).toBeNull();
    expect(restoreSession({ stored: null, setup })).toBeNull();
  });
});
