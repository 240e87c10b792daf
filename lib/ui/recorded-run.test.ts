import { describe, expect, it } from "vitest";
import { recordedCall } from "@/test/support/recorded-runs";
import { isCopiedTurn, playgroundReducer, stateFromSetup } from "./playground-state";
import {
  CONVERSATION_PARAM,
  conversationFromRun,
  conversationRunIdOf,
  lastUserMessage,
  lastUserPrompt,
  parseRecordedRun,
  playgroundHref,
  type RecordedRunView,
  setupFromRun,
  turnFromCall,
} from "./recorded-run";
import { NO_TOOL_RESULT, planRuns } from "./run-plan";
import { decodeSetup } from "./setup";

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
    recordedCall({
      index: 1,
      callId: "b",
      model: "anthropic:claude-haiku-4-5",
      status: "ok",
      params: { promptCache: true },
      system: "Pirate.",
    }),
    recordedCall({
      index: 0,
      callId: "a",
      model: "openai:gpt-4o-mini",
      status: "ok",
      params: { temperature: 0.2 },
      system: "Be brief.",
    }),
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

  it("reads a run with the 1-hour cache and a reasoning effort, and keeps both", () => {
    const recorded = parseRecordedRun({
      ...run,
      calls: [
        recordedCall({
          index: 0,
          callId: "a",
          model: "anthropic:claude-sonnet-4-5",
          status: "ok",
          params: { promptCache: "1h", reasoningEffort: "high" },
        }),
      ],
    });
    expect(recorded).not.toBeNull();
    if (!recorded) return;
    expect(setupFromRun(recorded).columns[0]?.params).toEqual({
      promptCache: "1h",
      reasoningEffort: "high",
    });
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
      call: recordedCall({ index: 0, callId: "a", model: "demo:chat", status: "interrupted" }),
      prompt: "p",
      expectsJson: false,
      runId: "run-1",
    });
    expect(turn.phase).toBe("error");
    expect(turn.error?.code).toBe("interrupted");
  });
});

/** A second turn: the run sent the first exchange, and each call answered the second prompt. */
const secondTurn: RecordedRunView = {
  id: "run-2",
  createdAt: "2025-01-01T00:00:00.000Z",
  system: null,
  messages: [
    { role: "user", content: "first" },
    { role: "assistant", content: "shared first answer" },
    { role: "user", content: "second" },
  ],
  calls: [
    recordedCall({
      index: 0,
      callId: "a",
      model: "openai:gpt-4o-mini",
      status: "ok",
      output: "openai's second answer",
      costUsd: 0.001,
    }),
    recordedCall({
      index: 1,
      callId: "b",
      model: "anthropic:claude-haiku-4-5",
      status: "ok",
      output: "anthropic's second answer",
      costUsd: 0.002,
    }),
  ],
};

describe("conversationFromRun", () => {
  it("gives each column the run's earlier turns followed by its own answer", () => {
    const { columns, exact } = conversationFromRun(secondTurn);
    expect(exact).toBe(true);
    expect(columns.map((column) => column.model)).toEqual([
      "openai:gpt-4o-mini",
      "anthropic:claude-haiku-4-5",
    ]);
    expect(columns.map((column) => column.turns.map((turn) => [turn.prompt, turn.output]))).toEqual(
      [
        [
          ["first", "shared first answer"],
          ["second", "openai's second answer"],
        ],
        [
          ["first", "shared first answer"],
          ["second", "anthropic's second answer"],
        ],
      ],
    );
    const last = columns[0]?.turns[1];
    expect(last).toMatchObject({ runId: "run-2", callIndex: 0, costUsd: 0.001, phase: "ok" });
    // Paid for by the recorded runs: not counted again in the page's total.
    expect(columns.flatMap((column) => column.turns).every(isCopiedTurn)).toBe(true);
    const ids = columns.flatMap((column) => column.turns.map((turn) => turn.id));
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("continues each conversation: the next run sends the earlier turns, never another column's answer", () => {
    let state = stateFromSetup(setupFromRun(secondTurn));
    state = playgroundReducer(state, {
      type: "load-conversation",
      columns: conversationFromRun(secondTurn).columns,
    });
    expect(state.prompt).toBe("");
    state = playgroundReducer(state, { type: "set-prompt", prompt: "third" });
    const ids = ["turn-1", "turn-2"];
    const plan = planRuns({ state, createTurnId: () => ids.shift() ?? "turn-more" });
    if (!plan.ok) throw new Error(plan.message);
    expect(
      plan.runs.map((run) => [run.body.targets.map((target) => target.model), run.body.messages]),
    ).toEqual([
      [
        ["openai:gpt-4o-mini"],
        [
          { role: "user", content: "first" },
          { role: "assistant", content: "shared first answer" },
          { role: "user", content: "second" },
          { role: "assistant", content: "openai's second answer" },
          { role: "user", content: "third" },
        ],
      ],
      [
        ["anthropic:claude-haiku-4-5"],
        [
          { role: "user", content: "first" },
          { role: "assistant", content: "shared first answer" },
          { role: "user", content: "second" },
          { role: "assistant", content: "anthropic's second answer" },
          { role: "user", content: "third" },
        ],
      ],
    ]);
  });

  it("keeps tool calls, and is exact for the playground's own tool-result messages", () => {
    const toolCall = { id: "call_1", name: "get_weather", arguments: { city: "Paris" } };
    const run: RecordedRunView = {
      ...secondTurn,
      messages: [
        { role: "user", content: "weather?" },
        { role: "assistant", content: null, toolCalls: [toolCall] },
        {
          role: "tool",
          content: NO_TOOL_RESULT,
          toolCallId: "call_1",
          name: "get_weather",
          isError: true,
        },
        { role: "user", content: "and now?" },
      ],
    };
    const { columns, exact } = conversationFromRun(run);
    expect(exact).toBe(true);
    expect(columns[0]?.turns[0]).toMatchObject({
      prompt: "weather?",
      output: "",
      toolCalls: [toolCall],
    });
  });

  it("says when resending would not reproduce the run (a hand-written tool result)", () => {
    const run: RecordedRunView = {
      ...secondTurn,
      messages: [
        { role: "user", content: "weather?" },
        {
          role: "assistant",
          content: null,
          toolCalls: [{ id: "call_1", name: "get_weather", arguments: {} }],
        },
        { role: "tool", content: "18 °C", toolCallId: "call_1" },
        { role: "user", content: "and now?" },
      ],
    };
    expect(conversationFromRun(run).exact).toBe(false);
  });

  it("loads only into columns that still hold the recorded models", () => {
    let state = stateFromSetup(setupFromRun(secondTurn));
    state = playgroundReducer(state, {
      type: "set-model",
      columnId: "column-2",
      model: "demo:chat",
    });
    state = playgroundReducer(state, {
      type: "load-conversation",
      columns: conversationFromRun(secondTurn).columns,
    });
    expect(state.columns.map((column) => column.turns.length)).toEqual([2, 0]);
  });
});

describe("a run whose prompts carried images", () => {
  const cat = "a".repeat(64);
  const withImages: RecordedRunView = {
    ...run,
    tools: null,
    responseFormat: null,
    messages: [
      {
        role: "user",
        content: [
          { type: "image", imageId: cat },
          { type: "text", text: "What is this?" },
        ],
      },
      { role: "assistant", content: "A cat." },
      { role: "user", content: [{ type: "image", imageId: "b".repeat(64) }] },
    ],
    calls: [
      recordedCall({
        index: 0,
        callId: "a",
        model: "openai:gpt-4o",
        status: "ok",
        reasoning: "Hm.",
      }),
    ],
  };

  it("reads the last prompt's text and images", () => {
    expect(lastUserMessage(withImages.messages)).toEqual({
      text: "",
      images: [{ imageId: "b".repeat(64) }],
    });
    expect(lastUserPrompt(withImages.messages)).toBe("");
  });

  it("restores each turn with its images and the call's reasoning, resending them exactly", () => {
    const { columns, exact } = conversationFromRun(withImages);
    const turns = columns[0]?.turns ?? [];
    expect(turns.map((turn) => [turn.prompt, turn.images])).toEqual([
      ["What is this?", [{ imageId: cat }]],
      ["", [{ imageId: "b".repeat(64) }]],
    ]);
    expect(turns[1]?.reasoning).toBe("Hm.");
    expect(exact).toBe(true);
  });
});

describe("the run's view and link", () => {
  it("parses the API's run and drops what the views do not show", () => {
    const parsed = parseRecordedRun({
      ...secondTurn,
      title: "first",
      calls: secondTurn.calls.map((call) => ({
        ...call,
        request: { url: "https://example.test", body: {} },
        rawUsage: { prompt_tokens: 1 },
        error:
          call.callId === "b"
            ? { code: "rate_limit", message: "slow down", providerCode: "x", status: 429 }
            : null,
      })),
    });
    expect(parsed?.calls[0]).not.toHaveProperty("request");
    expect(parsed?.calls[0]).not.toHaveProperty("rawUsage");
    expect(parsed?.calls[1]?.error).toEqual({ code: "rate_limit", message: "slow down" });
    expect(parseRecordedRun({ id: "x" })).toBeNull();
  });

  it("links to the playground with the setup and the run whose conversations to load", () => {
    const url = new URL(playgroundHref(secondTurn), "http://localhost");
    expect(conversationRunIdOf(url.searchParams.get(CONVERSATION_PARAM))).toBe("run-2");
    expect(decodeSetup(url.searchParams).columns.map((column) => column.model)).toEqual([
      "openai:gpt-4o-mini",
      "anthropic:claude-haiku-4-5",
    ]);
    expect(conversationRunIdOf("../api/usage")).toBeNull();
    expect(conversationRunIdOf(undefined)).toBeNull();
  });
});
