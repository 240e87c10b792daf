import { describe, expect, it } from "vitest";
import { type RecordedRunView, setupFromRun, turnFromCall } from "./recorded-run";
import { decodeSetup } from "./setup";

const baseCall = {
  output: "",
  toolCalls: [],
  stopReason: null,
  usage: null,
  costUsd: null,
  ttftMs: null,
  durationMs: null,
  error: null,
};

const run: RecordedRunView = {
  id: "run-1",
  createdAt: "2025-01-01T00:00:00.000Z",
  system: "Be brief.",
  messages: [
    { role: "user", content: "first" },
    { role: "assistant", content: "answer" },
    { role: "user", content: "second" },
  ],
  tools: [{ type: "function", function: { name: "get_weather" } }],
  responseFormat: { type: "json_schema", json_schema: { name: "r", schema: { type: "object" } } },
  calls: [
    {
      ...baseCall,
      index: 1,
      callId: "b",
      model: "anthropic:claude-haiku-4-5",
      status: "ok",
      params: { promptCache: true },
      system: "Pirate.",
    },
    {
      ...baseCall,
      index: 0,
      callId: "a",
      model: "openai:gpt-4o-mini",
      status: "ok",
      params: { temperature: 0.2 },
      system: "Be brief.",
    },
  ],
};

describe("setupFromRun", () => {
  it("reproduces models, parameters, overrides, tools and schema, in call order", () => {
    const setup = setupFromRun(run);
    expect(setup.prompt).toBe("second");
    expect(setup.system).toBe("Be brief.");
    expect(setup.columns.map((column) => [column.model, column.params, column.system])).toEqual([
      ["openai:gpt-4o-mini", { temperature: 0.2 }, null],
      ["anthropic:claude-haiku-4-5", { promptCache: true }, "Pirate."],
    ]);
    expect(JSON.parse(setup.tools)).toEqual(run.tools);
    expect(JSON.parse(setup.schema)).toEqual({ type: "object" });
  });

  it("survives the trip through a link", async () => {
    const { encodeSetup } = await import("./setup");
    const setup = setupFromRun(run);
    expect(decodeSetup(new URLSearchParams(encodeSetup(setup)))).toEqual(setup);
  });
});

describe("turnFromCall", () => {
  it("shows an interrupted call as failed with a reason", () => {
    const turn = turnFromCall({
      call: { ...baseCall, index: 0, callId: "a", model: "demo:chat", status: "interrupted" },
      prompt: "p",
      expectsJson: false,
      runId: "run-1",
    });
    expect(turn.phase).toBe("error");
    expect(turn.error?.code).toBe("interrupted");
  });
});
