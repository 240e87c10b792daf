import { describe, expect, it } from "vitest";
import { answerPlan } from "@/test/support/playground-runs";
import { type PlaygroundState, playgroundReducer, stateFromSetup } from "./playground-state";
import {
  estimateInputTokens,
  historyMessages,
  IMAGE_TOKENS_ESTIMATE,
  NO_TOOL_RESULT,
  parseSchema,
  parseTools,
  planRuns,
} from "./run-plan";
import { defaultSetup } from "./setup";

function counter(): () => string {
  let next = 0;
  return () => {
    next += 1;
    return `turn-${next}`;
  };
}

function withPrompt(prompt: string): PlaygroundState {
  let state = stateFromSetup(defaultSetup());
  state = playgroundReducer(state, { type: "set-prompt", prompt });
  state = playgroundReducer(state, { type: "set-system", system: "Be brief." });
  state = playgroundReducer(state, {
    type: "set-parameters",
    columnId: "column-2",
    params: { temperature: 0.5, stop: [] },
  });
  return playgroundReducer(state, {
    type: "set-column-system",
    columnId: "column-2",
    system: "Pirate.",
  });
}

/** Runs the plan's turns and gives each column its own answer. */
function answer(state: PlaygroundState, plan: ReturnType<typeof planRuns>): PlaygroundState {
  return answerPlan(state, plan, {
    now: 0,
    runId: (runIndex) => `run-${runIndex}`,
    answer: (turnId) => `answer for ${turnId}`,
  });
}

describe("planRuns", () => {
  it("sends a first turn as one run with every column as a target", () => {
    const plan = planRuns({ state: withPrompt("Hi"), createTurnId: counter() });
    expect(plan.ok).toBe(true);
    if (!plan.ok) return;
    expect(plan.runs).toHaveLength(1);
    expect(plan.runs[0]?.body).toEqual({
      system: "Be brief.",
      messages: [{ role: "user", content: "Hi" }],
      targets: [
        { model: "demo:chat" },
        { model: "demo:fast", params: { temperature: 0.5 }, system: "Pirate." },
      ],
    });
    expect(plan.runs[0]?.turnIds).toEqual(["turn-1", "turn-2"]);
  });

  it("never sends one column's answer to another column", () => {
    const createTurnId = counter();
    let state = answer(withPrompt("Hi"), planRuns({ state: withPrompt("Hi"), createTurnId }));
    state = playgroundReducer(state, { type: "set-prompt", prompt: "And then?" });
    const plan = planRuns({ state, createTurnId });
    if (!plan.ok) throw new Error(plan.message);
    expect(plan.runs).toHaveLength(2);
    const [first, second] = plan.runs;
    expect(first?.body.messages).toEqual([
      { role: "user", content: "Hi" },
      { role: "assistant", content: "answer for turn-1" },
      { role: "user", content: "And then?" },
    ]);
    expect(first?.body.targets).toEqual([{ model: "demo:chat" }]);
    expect(second?.body.messages[1]).toEqual({ role: "assistant", content: "answer for turn-2" });
    expect(JSON.stringify(first?.body)).not.toContain("turn-2");
  });

  it("sends one run again after continue-from made the histories equal", () => {
    const createTurnId = counter();
    let state = answer(withPrompt("Hi"), planRuns({ state: withPrompt("Hi"), createTurnId }));
    state = playgroundReducer(state, { type: "continue-from", columnId: "column-2" });
    const plan = planRuns({ state, createTurnId });
    if (!plan.ok) throw new Error(plan.message);
    expect(plan.runs).toHaveLength(1);
    expect(plan.runs[0]?.body.messages[1]).toEqual({
      role: "assistant",
      content: "answer for turn-2",
    });
  });

  it("retries one column with the history before its last turn", () => {
    const createTurnId = counter();
    const state = answer(withPrompt("Hi"), planRuns({ state: withPrompt("Hi"), createTurnId }));
    const plan = planRuns({ state, retryColumnId: "column-2", createTurnId });
    if (!plan.ok) throw new Error(plan.message);
    expect(plan.runs).toHaveLength(1);
    expect(plan.runs[0]?.body.messages).toEqual([{ role: "user", content: "Hi" }]);
    expect(plan.runs[0]?.body.targets).toHaveLength(1);
    expect(plan.starts).toEqual([
      {
        columnId: "column-2",
        turnId: "turn-3",
        prompt: "Hi",
        expectsJson: false,
        replaceLast: true,
        // "Pirate." and "Hi".
        inputTokensEstimate: 3,
      },
    ]);
  });

  it("refuses an empty prompt and broken tools or schema", () => {
    expect(planRuns({ state: withPrompt("  "), createTurnId: counter() })).toMatchObject({
      ok: false,
    });
    const broken = playgroundReducer(withPrompt("Hi"), { type: "set-tools", tools: "[{" });
    expect(planRuns({ state: broken, createTurnId: counter() })).toEqual({
      ok: false,
      message: "Tools are not valid JSON.",
    });
  });

  it("sends the prompt with its variables filled, and nothing while one is empty", () => {
    const template = withPrompt("Capital of {{country}}, in {{language}}?");
    const empty = playgroundReducer(template, {
      type: "set-variable",
      name: "country",
      value: "Peru",
    });
    expect(planRuns({ state: empty, createTurnId: counter() })).toEqual({
      ok: false,
      message: "The variable {{language}} is empty: fill it in the variables panel.",
    });
    const filled = playgroundReducer(empty, {
      type: "set-variable",
      name: "language",
      value: "French",
    });
    const plan = planRuns({ state: filled, createTurnId: counter() });
    expect(plan.ok && plan.runs[0]?.body.messages).toEqual([
      { role: "user", content: "Capital of Peru, in French?" },
    ]);
    expect(plan.ok && plan.starts[0]?.prompt).toBe("Capital of Peru, in French?");
  });

  it("sends nothing while a column has a value out of range, naming the column and field", () => {
    const state = playgroundReducer(withPrompt("Hi"), {
      type: "set-parameters",
      columnId: "column-2",
      params: { topP: 3 },
    });
    expect(planRuns({ state, createTurnId: counter() })).toEqual({
      ok: false,
      message: "Column 2 (demo:fast): topP must be between 0 and 1.",
    });
  });

  it("retries a column in range although another column is out of range", () => {
    const first = answer(
      withPrompt("Hi"),
      planRuns({ state: withPrompt("Hi"), createTurnId: counter() }),
    );
    const state = playgroundReducer(first, {
      type: "set-parameters",
      columnId: "column-2",
      params: { temperature: 9 },
    });
    expect(planRuns({ state, retryColumnId: "column-1", createTurnId: counter() }).ok).toBe(true);
    expect(planRuns({ state, retryColumnId: "column-2", createTurnId: counter() }).ok).toBe(false);
  });
});

describe("input estimate for the cost so far", () => {
  it("counts each column's own request: its system prompt and its history", () => {
    const first = planRuns({ state: withPrompt("x".repeat(40)), createTurnId: counter() });
    if (!first.ok) throw new Error(first.message);
    // "Be brief." (3 tokens) or "Pirate." (2), plus the 40-character prompt (10).
    expect(first.starts.map((start) => start.inputTokensEstimate)).toEqual([13, 12]);

    const answered = answer(withPrompt("x".repeat(40)), first);
    const second = planRuns({
      state: playgroundReducer(answered, { type: "set-prompt", prompt: "y".repeat(8) }),
      createTurnId: counter(),
    });
    if (!second.ok) throw new Error(second.message);
    const [firstColumn] = second.starts;
    const [run] = second.runs;
    expect(firstColumn?.inputTokensEstimate).toBe(
      estimateInputTokens({ system: "Be brief.", messages: run?.body.messages ?? [] }),
    );
    expect(firstColumn?.inputTokensEstimate).toBeGreaterThan(13);
  });

  it("includes tools and the output schema, which are sent too", () => {
    const messages = [{ role: "user" as const, content: "hi" }];
    const bare = estimateInputTokens({ system: "", messages });
    const tools = parseTools('[{"name":"get_weather","parameters":{"type":"object"}}]');
    const schema = parseSchema('{"type":"object"}');
    if (!tools.ok || !schema.ok) throw new Error("unexpected");
    expect(
      estimateInputTokens({
        system: "",
        messages,
        tools: tools.tools,
        responseFormat: schema.responseFormat,
      }),
    ).toBeGreaterThan(bare + 10);
  });
});

describe("tools and schema", () => {
  it("accepts bare functions and contract-style tools", () => {
    const parsed = parseTools(
      '[{"name":"a","parameters":{"type":"object"}},{"type":"function","function":{"name":"b"}}]',
    );
    expect(parsed).toEqual({
      ok: true,
      tools: [
        { type: "function", function: { name: "a", parameters: { type: "object" } } },
        { type: "function", function: { name: "b" } },
      ],
    });
    expect(parseTools('{"name":"a"}').ok).toBe(false);
  });

  it("wraps a JSON Schema as a json_schema response format", () => {
    expect(parseSchema('{"type":"object"}')).toEqual({
      ok: true,
      responseFormat: {
        type: "json_schema",
        json_schema: { name: "response", schema: { type: "object" } },
      },
    });
    expect(parseSchema("[1]").ok).toBe(false);
    expect(parseSchema("").ok).toBe(true);
  });
});

describe("historyMessages", () => {
  it("answers tool calls with an explicit no-result and skips turns that produced nothing", () => {
    const base = stateFromSetup(defaultSetup());
    let state = playgroundReducer(base, {
      type: "begin-turns",
      now: 0,
      turns: [
        {
          columnId: "column-1",
          turnId: "a",
          prompt: "failed",
          expectsJson: false,
          replaceLast: false,
        },
      ],
    });
    state = playgroundReducer(state, {
      type: "fail-turns",
      turnIds: ["a"],
      error: { code: "server_error", message: "x" },
      now: 1,
    });
    state = playgroundReducer(state, {
      type: "begin-turns",
      now: 2,
      turns: [
        {
          columnId: "column-1",
          turnId: "b",
          prompt: "weather?",
          expectsJson: false,
          replaceLast: false,
        },
      ],
    });
    state = playgroundReducer(state, {
      type: "attach-run",
      runId: "r",
      calls: [{ index: 0, turnId: "b" }],
    });
    state = playgroundReducer(state, {
      type: "run-events",
      runId: "r",
      now: 3,
      events: [
        { type: "tool-call", index: 0, toolCall: { id: "t1", name: "get_weather", arguments: {} } },
      ],
    });
    expect(historyMessages(state.columns[0]?.turns ?? [])).toEqual([
      { role: "user", content: "weather?" },
      {
        role: "assistant",
        content: null,
        toolCalls: [{ id: "t1", name: "get_weather", arguments: {} }],
      },
      {
        role: "tool",
        content: NO_TOOL_RESULT,
        toolCallId: "t1",
        name: "get_weather",
        isError: true,
      },
    ]);
  });
});

describe("images in the prompt", () => {
  const cat = { imageId: "a".repeat(64), mediaType: "image/png", name: "cat.png", bytes: 67 };
  const dog = { imageId: "b".repeat(64), mediaType: "image/jpeg", name: "dog.jpg", bytes: 90 };

  function withImages(prompt: string): PlaygroundState {
    let state = withPrompt(prompt);
    state = playgroundReducer(state, { type: "add-attachment", image: cat });
    return playgroundReducer(state, { type: "add-attachment", image: dog });
  }

  it("sends the attached images by id before the prompt, and keeps them with the turn", () => {
    const plan = planRuns({ state: withImages("What animals?"), createTurnId: counter() });
    if (!plan.ok) throw new Error(plan.message);
    expect(plan.runs[0]?.body.messages).toEqual([
      {
        role: "user",
        content: [
          { type: "image", imageId: cat.imageId },
          { type: "image", imageId: dog.imageId },
          { type: "text", text: "What animals?" },
        ],
      },
    ]);
    expect(plan.starts[0]?.images).toEqual([
      { imageId: cat.imageId, name: "cat.png" },
      { imageId: dog.imageId, name: "dog.jpg" },
    ]);
    // Each image counts in the estimate for the cost so far.
    expect(plan.starts[0]?.inputTokensEstimate).toBeGreaterThan(2 * IMAGE_TOKENS_ESTIMATE);
  });

  it("sends an image with no text, but not an empty prompt without one", () => {
    const imageOnly = playgroundReducer(withPrompt(""), { type: "add-attachment", image: cat });
    const plan = planRuns({ state: imageOnly, createTurnId: counter() });
    expect(plan.ok && plan.runs[0]?.body.messages).toEqual([
      { role: "user", content: [{ type: "image", imageId: cat.imageId }] },
    ]);
    const removed = playgroundReducer(imageOnly, {
      type: "remove-attachment",
      imageId: cat.imageId,
    });
    expect(planRuns({ state: removed, createTurnId: counter() })).toEqual({
      ok: false,
      message: "Write a prompt first.",
    });
  });

  it("sends the images again with the history, and with a retry", () => {
    const createTurnId = counter();
    const first = withImages("What animals?");
    let state = answer(first, planRuns({ state: first, createTurnId }));
    state = playgroundReducer(state, { type: "remove-attachment", imageId: cat.imageId });
    state = playgroundReducer(state, { type: "remove-attachment", imageId: dog.imageId });
    state = playgroundReducer(state, { type: "set-prompt", prompt: "Which is bigger?" });
    const followUp = planRuns({ state, createTurnId });
    if (!followUp.ok) throw new Error(followUp.message);
    expect(followUp.runs[0]?.body.messages[0]).toEqual({
      role: "user",
      content: [
        { type: "image", imageId: cat.imageId },
        { type: "image", imageId: dog.imageId },
        { type: "text", text: "What animals?" },
      ],
    });
    expect(followUp.runs[0]?.body.messages[2]).toEqual({
      role: "user",
      content: "Which is bigger?",
    });
    const retry = planRuns({ state, retryColumnId: "column-1", createTurnId });
    if (!retry.ok) throw new Error(retry.message);
    expect(retry.runs[0]?.body.messages).toEqual([
      {
        role: "user",
        content: [
          { type: "image", imageId: cat.imageId },
          { type: "image", imageId: dog.imageId },
          { type: "text", text: "What animals?" },
        ],
      },
    ]);
  });
});
