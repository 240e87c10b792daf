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

  it("ignores a snapshot of another setup, garbage, or nothing", () => {
    const stored = serializeSession({ state, setup });
    expect(restoreSession({ stored, setup: `${setup}&prompt=other` })).toBeNull();
    expect(restoreSession({ stored: "{", setup })).toBeNull();
    expect(restoreSession({ stored: '{"version":1,"setup":"","state":{}}', setup: "" })).toBeNull();
    expect(restoreSession({ stored: null, setup })).toBeNull();
  });
});
