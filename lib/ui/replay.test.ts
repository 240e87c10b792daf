import { describe, expect, it } from "vitest";
import {
  compareWithOriginal,
  parseReplayedCall,
  type ReplayedCall,
  replayCallIdOf,
  replayHref,
  replaySetup,
} from "./replay";
import { decodeSetup } from "./setup";

const call: ReplayedCall = {
  callId: "call_1",
  model: "openai:gpt-4o-mini",
  system: "be brief",
  params: { temperature: 0.3, maxTokens: 200, frequencyPenalty: 1 },
  messages: [{ role: "user", content: "explain WAL" }],
  tools: [{ type: "function", function: { name: "lookup", parameters: { type: "object" } } }],
  responseFormat: { type: "json_schema", json_schema: { name: "a", schema: { type: "object" } } },
  costUsd: 0.002,
  ttftMs: 300,
  durationMs: 1_200,
};

describe("replaySetup", () => {
  it("sends the same request on the original model and the others", () => {
    const { setup, exact } = replaySetup(call, [
      "anthropic:claude-haiku-4-5",
      "openai:gpt-4o-mini",
    ]);
    expect(exact).toBe(true);
    expect(setup.system).toBe("be brief");
    expect(setup.prompt).toBe("explain WAL");
    expect(setup.columns.map((column) => column.model)).toEqual([
      "openai:gpt-4o-mini",
      "anthropic:claude-haiku-4-5",
    ]);
    expect(setup.columns[1]?.params).toEqual({ temperature: 0.3, maxTokens: 200 });
    expect(JSON.parse(setup.tools)).toEqual(call.tools);
    expect(JSON.parse(setup.schema)).toEqual({ type: "object" });
  });

  it("adds a demo model when no other is named, and says when earlier turns are left out", () => {
    const { setup, exact } = replaySetup({
      ...call,
      messages: [
        { role: "user", content: "first" },
        { role: "assistant", content: "answer" },
        { role: "user", content: "second" },
      ],
    });
    expect(setup.columns.map((column) => column.model)).toEqual([
      "openai:gpt-4o-mini",
      "demo:chat",
    ]);
    expect(setup.prompt).toBe("second");
    expect(exact).toBe(false);
  });

  it("round-trips through the playground link", () => {
    const href = replayHref(call, ["demo:fast"]);
    const parameters = new URLSearchParams(href.slice(2));
    expect(replayCallIdOf(parameters.get("replay"))).toBe("call_1");
    expect(decodeSetup(parameters)).toEqual(replaySetup(call, ["demo:fast"]).setup);
  });
});

describe("compareWithOriginal", () => {
  it("states cost as a ratio and latency as a difference", () => {
    expect(compareWithOriginal(call, { costUsd: 0.001, durationMs: 800 })).toEqual({
      cost: "$0.001 vs $0.002 (0.50×)",
      latency: "800 ms vs 1.20 s (−400 ms)",
      cheaper: true,
      faster: true,
    });
  });

  it("never compares an unpriced cost as if it were 0", () => {
    const result = compareWithOriginal(call, { costUsd: null, durationMs: 2_000 });
    expect(result.cheaper).toBeNull();
    expect(result.cost).toContain("unpriced");
    expect(result.faster).toBe(false);
  });
});

describe("parsing", () => {
  it("reads a call detail and refuses other shapes; ids are checked", () => {
    expect(parseReplayedCall({ ...call, output: "x", extra: 1 })?.callId).toBe("call_1");
    expect(parseReplayedCall({ callId: "x" })).toBeNull();
    expect(replayCallIdOf("../etc")).toBeNull();
  });
});
