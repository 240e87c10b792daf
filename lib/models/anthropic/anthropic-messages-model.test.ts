import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import {
  type FakeHandler,
  type FakeServer,
  type RecordedRequest,
  startFakeServer,
} from "@/test/support/fake-http-server";
import { failureFrom } from "@/test/support/wire/answers";
import {
  generatedFixture,
  loadFixture,
  messagesOf,
  type ReplayOptions,
  replaying,
} from "@/test/support/wire/replay";
import { InvalidOptionsError, ProviderError } from "../errors";
import type { CallOptions, LanguageModel, Message, StreamEvent } from "../types";
import { AnthropicMessagesModel, type AnthropicModelOptions } from "./anthropic-messages-model";
import { anthropicProvider } from "./index";

const API_KEY = "sk-ant-fake-test-key-not-real";
// Not on the SDK's deprecation list, which would print a warning for every call.
const MODEL_ID = "claude-haiku-4-5";

/** `anthropic/text` with its final `message_delta` carrying another stop reason. */
function textWithStopReason(stopReason: string) {
  const messages = messagesOf(loadFixture("anthropic/text")).map((message) =>
    message.event === "message_delta"
      ? {
          ...message,
          data: {
            ...(message.data as Record<string, unknown>),
            delta: { stop_reason: stopReason, stop_sequence: null },
          },
        }
      : message,
  );
  return generatedFixture(`anthropic/text, stop_reason ${stopReason}`, "sse", messages);
}

// --- harness ----------------------------------------------------------------------------

let server: FakeServer;

beforeEach(async () => {
  server = await startFakeServer(replaying("anthropic/text"));
});

afterEach(async () => {
  vi.unstubAllEnvs();
  await server.close();
});

function createModel(options: AnthropicModelOptions = {}, modelId = MODEL_ID) {
  return new AnthropicMessagesModel(modelId, {
    apiKey: API_KEY,
    baseURL: server.url,
    maxRetries: 0,
    ...options,
  });
}

/** Answers with a recorded exchange (`anthropic/<scenario>`), or with a handler of its own. */
function serve(
  fixture: string | ReturnType<typeof loadFixture> | FakeHandler,
  options: ReplayOptions = {},
) {
  server.setHandler(
    typeof fixture === "function"
      ? fixture
      : replaying(typeof fixture === "string" ? `anthropic/${fixture}` : fixture, options),
  );
}

async function collect(stream: AsyncIterable<StreamEvent>): Promise<StreamEvent[]> {
  const events: StreamEvent[] = [];
  for await (const event of stream) events.push(event);
  return events;
}

async function run(
  messages: Message[],
  options?: CallOptions,
  model: LanguageModel = createModel(),
) {
  const events = await collect(model.stream(messages, options));
  const start = events[0];
  const finish = events.at(-1);
  if (start?.type !== "stream-start") throw new Error("no stream-start first");
  if (finish?.type !== "finish") throw new Error("no finish last");
  expect(events.filter((event) => event.type === "finish")).toHaveLength(1);
  const text = events.map((event) => (event.type === "text-delta" ? event.delta : "")).join("");
  const toolCalls = events.flatMap((event) => (event.type === "tool-call" ? [event.toolCall] : []));
  return { events, start, finish, text, toolCalls };
}

function onlyRequest(): RecordedRequest {
  expect(server.requests).toHaveLength(1);
  const request = server.requests[0];
  if (!request) throw new Error("no request");
  return request;
}

function sentBody(): Record<string, unknown> {
  return onlyRequest().json() as Record<string, unknown>;
}

const hello: Message[] = [{ role: "user", content: "Hi" }];

// --- request shape ----------------------------------------------------------------------

describe("request", () => {
  it("posts to /v1/messages with the API version and the key, and records the exact body", async () => {
    const { start } = await run(hello);
    const request = onlyRequest();
    expect(request.method).toBe("POST");
    expect(request.url).toBe("/v1/messages");
    expect(request.headers["anthropic-version"]).toBe("2026-10-21");
    const keyHeader = request.headers["x-api-key"];
    const authorization = request.headers.authorization;
    expect(keyHeader === API_KEY || authorization === `Bearer ${API_KEY}`).toBe(true);
    expect(start.request.url).toBe(`${server.url}/v1/messages`);
    expect(start.request.body).toEqual(request.json());
    expect(JSON.stringify(start)).not.toContain(API_KEY);
  });

  it("maps system, tool calls, merged parallel tool results and strips trailing assistants", async () => {
    const messages: Message[] = [
      { role: "system", content: "Be brief." },
      { role: "user", content: "Weather in Paris and Oslo?" },
      {
        role: "assistant",
        content: "Checking both.",
        toolCalls: [
          { id: "toolu_paris", name: "get_weather", arguments: { city: "Paris" } },
          { id: "toolu_oslo", name: "get_weather", arguments: { city: "Oslo" } },
        ],
      },
      { role: "tool", toolCallId: "toolu_paris", name: "get_weather", content: "21°C" },
      {
        role: "tool",
        toolCallId: "toolu_oslo",
        name: "get_weather",
        content: "station offline",
        isError: true,
      },
      { role: "system", content: "Answer in French." },
      { role: "user", content: "Summarize." },
      { role: "assistant", content: "Prefill that must go" },
      { role: "assistant", content: null },
    ];
    await run(messages, {
      tools: [
        {
          type: "function",
          function: {
            name: "get_weather",
            description: "Weather for a city",
            parameters: {
              type: "object",
              properties: { city: { type: "string" } },
              required: ["city"],
            },
          },
        },
        { type: "function", function: { name: "now", parameters: {} } },
        { type: "function", function: { name: "ping" } },
      ],
    });
    const body = sentBody();
    expect(body.system).toBe("Be brief.\n\nAnswer in French.");
    expect(body.messages).toEqual([
      { role: "user", content: "Weather in Paris and Oslo?" },
      {
        role: "assistant",
        content: [
          { type: "text", text: "Checking both." },
          { type: "tool_use", id: "toolu_paris", name: "get_weather", input: { city: "Paris" } },
          { type: "tool_use", id: "toolu_oslo", name: "get_weather", input: { city: "Oslo" } },
        ],
      },
      {
        role: "user",
        content: [
          { type: "tool_result", tool_use_id: "toolu_paris", content: "21°C" },
          {
            type: "tool_result",
            tool_use_id: "toolu_oslo",
            content: "station offline",
            is_error: true,
          },
        ],
      },
      { role: "user", content: "Summarize." },
    ]);
    expect(body.tools).toEqual([
      {
        name: "get_weather",
        description: "Weather for a city",
        input_schema: {
          type: "object",
          properties: { city: { type: "string" } },
          required: ["city"],
        },
      },
      { name: "now", input_schema: { type: "object", properties: {} } },
      { name: "ping", input_schema: { type: "object", properties: {} } },
    ]);
  });

  it("keeps a trailing assistant message when there is no user turn", async () => {
    await run([{ role: "assistant", content: "Once upon a time" }]);
    expect(sentBody().messages).toEqual([{ role: "assistant", content: "Once upon a time" }]);
  });

  it("never sends sampling parameters and reports them unsupported; sends stop_sequences", async () => {
    const { start } = await run(hello, {
      temperature: 0.2,
      topP: 0.9,
      seed: 7,
      frequencyPenalty: 0.5,
      presencePenalty: 0.1,
      stop: ["END", "###"],
    });
    const body = sentBody();
    for (const key of [
      "temperature",
      "top_p",
      "top_k",
      "seed",
      "frequency_penalty",
      "presence_penalty",
    ]) {
      expect(body).not.toHaveProperty(key);
    }
    expect(body.stop_sequences).toEqual(["END", "###"]);
    expect(start.unsupported).toEqual([
      { parameter: "temperature", reason: "not accepted by the current Anthropic API" },
      { parameter: "topP", reason: "not accepted by the current Anthropic API" },
      { parameter: "seed", reason: expect.any(String) },
      { parameter: "frequencyPenalty", reason: expect.any(String) },
      { parameter: "presencePenalty", reason: expect.any(String) },
    ]);
  });

  it("defaults max_tokens to the model's output limit, else 4096, and honours maxTokens", async () => {
    await run(hello);
    expect(sentBody().max_tokens).toBe(64_000);
    server.requests.length = 0;
    await run(hello, { maxTokens: 321 });
    expect(sentBody().max_tokens).toBe(321);
    server.requests.length = 0;
    await run(hello, undefined, createModel({}, "claude-experimental-unknown"));
    expect(sentBody().max_tokens).toBe(4096);
  });
});

// --- prompt caching ---------------------------------------------------------------------

describe("prompt caching", () => {
  const conversation: Message[] = [
    { role: "system", content: "You are a careful analyst." },
    { role: "user", content: "Long document ..." },
    { role: "assistant", content: "Read it." },
    { role: "user", content: "Question?" },
  ];
  const tools: CallOptions["tools"] = [
    { type: "function", function: { name: "first", parameters: {} } },
    { type: "function", function: { name: "last", parameters: {} } },
  ];

  it("without promptCache keeps system a string and sends no cache_control", async () => {
    await run(conversation, { tools });
    const body = sentBody();
    expect(body.system).toBe("You are a careful analyst.");
    expect(onlyRequest().text).not.toContain("cache_control");
  });

  it("marks the system block, the last tool and the conversation tail", async () => {
    await run(conversation, { tools, promptCache: true });
    const body = sentBody();
    expect(body.system).toEqual([
      { type: "text", text: "You are a careful analyst.", cache_control: { type: "ephemeral" } },
    ]);
    expect(body.tools).toEqual([
      { name: "first", input_schema: { type: "object", properties: {} } },
      {
        name: "last",
        input_schema: { type: "object", properties: {} },
        cache_control: { type: "ephemeral" },
      },
    ]);
    expect(body.cache_control).toEqual({ type: "ephemeral" });
    expect(body.messages).toEqual([
      { role: "user", content: "Long document ..." },
      { role: "assistant", content: "Read it." },
      { role: "user", content: "Question?" },
    ]);
  });

  it("asks for the one-hour TTL when told", async () => {
    await run(conversation, { tools, promptCache: { ttl: "1h" } });
    const body = sentBody() as {
      system: Array<{ cache_control: unknown }>;
      tools: Array<{ cache_control?: unknown }>;
      cache_control: unknown;
    };
    const oneHour = { type: "ephemeral", ttl: "1h" };
    expect(body.system[0]?.cache_control).toEqual(oneHour);
    expect(body.tools[1]?.cache_control).toEqual(oneHour);
    expect(body.cache_control).toEqual(oneHour);
  });

  it("puts a message breakpoint on that message's last block, with or without promptCache", async () => {
    const withBreakpoint: Message[] = [
      { role: "system", content: "You are a careful analyst." },
      { role: "user", content: "Long document ...", cacheControl: { type: "ephemeral" } },
      {
        role: "assistant",
        content: "Looking.",
        toolCalls: [{ id: "toolu_1", name: "first", arguments: {} }],
        cacheControl: { type: "ephemeral", ttl: "1h" },
      },
      { role: "tool", toolCallId: "toolu_1", content: "ok" },
      { role: "user", content: "Question?" },
    ];
    await run(withBreakpoint);
    let body = sentBody();
    expect(body.system).toBe("You are a careful analyst.");
    expect(body).not.toHaveProperty("cache_control");
    expect(body.messages).toEqual([
      {
        role: "user",
        content: [
          { type: "text", text: "Long document ...", cache_control: { type: "ephemeral" } },
        ],
      },
      {
        role: "assistant",
        content: [
          { type: "text", text: "Looking." },
          {
            type: "tool_use",
            id: "toolu_1",
            name: "first",
            input: {},
            cache_control: { type: "ephemeral", ttl: "1h" },
          },
        ],
      },
      { role: "user", content: [{ type: "tool_result", tool_use_id: "toolu_1", content: "ok" }] },
      { role: "user", content: "Question?" },
    ]);

    // With promptCache too, the caller's breakpoints own the history: no automatic one.
    server.requests.length = 0;
    await run(withBreakpoint, { tools, promptCache: true });
    body = sentBody();
    expect(body.system).toEqual([
      { type: "text", text: "You are a careful analyst.", cache_control: { type: "ephemeral" } },
    ]);
    expect(body).not.toHaveProperty("cache_control");
    expect((body.messages as Array<{ content: unknown }>)[0]?.content).toEqual([
      { type: "text", text: "Long document ...", cache_control: { type: "ephemeral" } },
    ]);
  });
});

// --- structured output ------------------------------------------------------------------

describe("structured output", () => {
  const schema = {
    type: "object",
    properties: { answer: { type: "string" } },
    required: ["answer"],
    additionalProperties: false,
  };

  it("sends json_schema natively as output_config.format and streams the JSON text", async () => {
    serve("json-schema");
    const model = createModel();
    expect(model.supportsStructuredOutput).toBe(true);
    const { text, start } = await run(
      hello,
      { responseFormat: { type: "json_schema", json_schema: { name: "answer", schema } } },
      model,
    );
    const body = sentBody();
    expect(body.output_config).toEqual({ format: { type: "json_schema", schema } });
    expect(body).not.toHaveProperty("tool_choice");
    expect(body).not.toHaveProperty("tools");
    expect(JSON.parse(text)).toEqual({ answer: "42" });
    expect(start.unsupported).toEqual([]);
  });

  it("reports json_object as unsupported instead of guessing a schema", async () => {
    const { start } = await run(hello, { responseFormat: { type: "json_object" } });
    expect(sentBody()).not.toHaveProperty("output_config");
    expect(start.unsupported).toEqual([
      { parameter: "responseFormat", reason: expect.stringContaining("json_schema") },
    ]);
  });
});

// --- usage ------------------------------------------------------------------------------

describe("usage", () => {
  it("counts cache writes inside inputTokens and takes the last cumulative output_tokens", async () => {
    serve("cache-write");
    const { finish, text } = await run(hello);
    expect(text).toBe("Part one. Part two.");
    expect(finish.error).toBeUndefined();
    expect(finish.stopReason).toBe("stop");
    expect(finish.rawStopReason).toBe("end_turn");
    expect(finish.usage).toEqual({
      inputTokens: 12_307,
      outputTokens: 40,
      cacheReadTokens: 0,
      cacheWriteTokens: 12_304,
      cacheWrite5mTokens: 12_304,
      cacheWrite1hTokens: 0,
      reasoningTokens: null,
      // message_start's usage with the last message_delta's output_tokens.
      raw: {
        input_tokens: 3,
        cache_creation_input_tokens: 12_304,
        cache_read_input_tokens: 0,
        cache_creation: { ephemeral_5m_input_tokens: 12_304, ephemeral_1h_input_tokens: 0 },
        output_tokens: 40,
      },
    });
  });

  it("reads cache reads, the 1h split, thinking tokens and later input fields of message_delta", async () => {
    serve("cache-read-1h");
    const { finish } = await run(hello);
    expect(finish.usage).toMatchObject({
      inputTokens: 2_512,
      outputTokens: 300,
      cacheReadTokens: 2_000,
      cacheWriteTokens: 500,
      cacheWrite5mTokens: 0,
      cacheWrite1hTokens: 500,
      reasoningTokens: 120,
    });
  });

  it("keeps null cache fields null, never 0", async () => {
    serve("null-cache-fields");
    const { finish } = await run(hello);
    expect(finish.usage).toMatchObject({
      inputTokens: 50,
      outputTokens: 7,
      cacheReadTokens: null,
      cacheWriteTokens: null,
      cacheWrite5mTokens: null,
      cacheWrite1hTokens: null,
      reasoningTokens: null,
    });
  });
});

// --- extended thinking ----------------------------------------------------------------

describe("thinking blocks", () => {
  it("streams thinking as reasoning deltas, then the block with its signature, apart from the text", async () => {
    serve("thinking");
    const { events, finish, text } = await run(hello);
    expect(text).toBe("27 × 453 = 12,231.");
    expect(events.map((event) => event.type)).toEqual([
      "stream-start",
      "reasoning-delta",
      "reasoning-delta",
      "reasoning-block",
      "text-delta",
      "text-delta",
      "finish",
    ]);
    const reasoning = events
      .map((event) => (event.type === "reasoning-delta" ? event.delta : ""))
      .join("");
    expect(reasoning).toBe("The user wants 27 * 453. 27 * 453 = 12231.");
    expect(events.find((event) => event.type === "reasoning-block")).toEqual({
      type: "reasoning-block",
      block: {
        type: "thinking",
        text: "The user wants 27 * 453. 27 * 453 = 12231.",
        signature: "EqQBCgIYAhIM1gbcDa9GJwZA2b3hGgxBdjrkzLoky3dl1pkiMOYds8ZOVq2o5vl2Bw+iYQ==",
      },
    });
    expect(finish.error).toBeUndefined();
    expect(finish.stopReason).toBe("stop");
    expect(finish.usage).toMatchObject({
      inputTokens: 36,
      outputTokens: 96,
      cacheReadTokens: 0,
      cacheWriteTokens: 0,
      reasoningTokens: null,
    });
  });

  it("sends the thinking and redacted blocks back unchanged, before the tool_use, on the tool turn", async () => {
    serve("thinking-tool-use");
    const tools: CallOptions["tools"] = [{ type: "function", function: { name: "get_weather" } }];
    const question: Message = { role: "user", content: "Weather in Paris?" };
    const first = await run([question], { tools, reasoningEffort: "medium" });
    expect(first.finish.stopReason).toBe("tool-calls");
    expect(first.finish.usage?.reasoningTokens).toBe(52);
    expect(first.toolCalls).toEqual([
      { id: "toolu_01ThinkWeather", name: "get_weather", arguments: { city: "Paris" } },
    ]);
    const blocks = first.events.flatMap((event) =>
      event.type === "reasoning-block" ? [event.block] : [],
    );
    expect(blocks).toEqual([
      {
        type: "thinking",
        text: "The user asks for the weather in Paris. I should call get_weather.",
        signature:
          "ErUBCkYIBhgCIkB0aGlua2luZy1zaWduYXR1cmUtZm9yLXRvb2wtdHVybgEgxmYWtlLXNpZ25hdHVyZQ==",
      },
      {
        type: "redacted",
        data: "EmwKAhgBEgy3va3pzix/LafPsn4aDFIT2Xlxh0L5L8rLVyIwxtE3rAFBa8cr3qpP",
      },
    ]);

    serve("text");
    await run(
      [
        question,
        { role: "assistant", content: null, toolCalls: first.toolCalls, reasoning: blocks },
        { role: "tool", toolCallId: "toolu_01ThinkWeather", content: "18°C, clear" },
      ],
      { tools, reasoningEffort: "medium" },
    );
    const second = server.requests[1]?.json() as { messages: unknown[]; thinking: unknown };
    expect(second.thinking).toEqual({ type: "enabled", budget_tokens: 4096 });
    expect(second.messages[1]).toEqual({
      role: "assistant",
      content: [
        {
          type: "thinking",
          thinking: "The user asks for the weather in Paris. I should call get_weather.",
          signature:
            "ErUBCkYIBhgCIkB0aGlua2luZy1zaWduYXR1cmUtZm9yLXRvb2wtdHVybgEgxmYWtlLXNpZ25hdHVyZQ==",
        },
        {
          type: "redacted_thinking",
          data: "EmwKAhgBEgy3va3pzix/LafPsn4aDFIT2Xlxh0L5L8rLVyIwxtE3rAFBa8cr3qpP",
        },
        {
          type: "tool_use",
          id: "toolu_01ThinkWeather",
          name: "get_weather",
          input: { city: "Paris" },
        },
      ],
    });
    expect(second.messages[2]).toEqual({
      role: "user",
      content: [
        { type: "tool_result", tool_use_id: "toolu_01ThinkWeather", content: "18°C, clear" },
      ],
    });
  });

  it("maps reasoningEffort to adaptive thinking with output_config.effort on current models", async () => {
    await run(hello, { reasoningEffort: "high" }, createModel({}, "claude-opus-4-6"));
    const body = sentBody();
    expect(body.thinking).toEqual({ type: "adaptive", display: "summarized" });
    expect(body.output_config).toEqual({ effort: "high" });
  });

  it("maps reasoningEffort to a thinking budget below max_tokens on earlier thinking models", async () => {
    const { start } = await run(
      hello,
      { reasoningEffort: "high", maxTokens: 8000 },
      createModel({}, "claude-sonnet-4-5"),
    );
    const body = sentBody();
    expect(body.thinking).toEqual({ type: "enabled", budget_tokens: 7999 });
    expect(body.output_config).toBeUndefined();
    expect(start.unsupported).toEqual([]);
  });

  it("reports reasoningEffort unsupported where Claude cannot think or the budget cannot fit", async () => {
    const old = await run(hello, { reasoningEffort: "low" }, createModel({}, "claude-3-5-haiku"));
    expect(old.start.unsupported.map((entry) => entry.parameter)).toEqual(["reasoningEffort"]);
    const small = await run(
      hello,
      { reasoningEffort: "low", maxTokens: 500 },
      createModel({}, "claude-sonnet-4"),
    );
    expect(small.start.unsupported.map((entry) => entry.parameter)).toEqual(["reasoningEffort"]);
    for (const request of server.requests) {
      const body = request.json() as Record<string, unknown>;
      expect(body.thinking).toBeUndefined();
    }
  });

  it("writes the 1-hour cache when promptCache asks for it", async () => {
    await run([{ role: "system", content: "Be brief." }, ...hello], { promptCache: { ttl: "1h" } });
    const body = sentBody();
    expect(body.cache_control).toEqual({ type: "ephemeral", ttl: "1h" });
    expect(body.system).toEqual([
      { type: "text", text: "Be brief.", cache_control: { type: "ephemeral", ttl: "1h" } },
    ]);
  });
});

describe("image input", () => {
  it("sends an image part as a base64 image block in the user message", async () => {
    await run([
      {
        role: "user",
        content: [
          { type: "text", text: "What is this?" },
          { type: "image", mediaType: "image/png", data: "iVBORw0KGgo=" },
        ],
      },
    ]);
    expect(sentBody().messages).toEqual([
      {
        role: "user",
        content: [
          { type: "text", text: "What is this?" },
          {
            type: "image",
            source: { type: "base64", media_type: "image/png", data: "iVBORw0KGgo=" },
          },
        ],
      },
    ]);
  });
});

// --- tool calls in the stream -----------------------------------------------------------

describe("streamed tool_use", () => {
  it("assembles input_json_delta fragments into one tool call per block, after the text", async () => {
    serve("tool-use");
    const { events, toolCalls, text, finish } = await run(hello, {
      tools: [
        { type: "function", function: { name: "get_weather" } },
        { type: "function", function: { name: "now" } },
      ],
    });
    expect(text).toBe("Let me check.");
    expect(toolCalls).toEqual([
      { id: "toolu_01A", name: "get_weather", arguments: { city: "Paris", unit: "c" } },
      { id: "toolu_01B", name: "now", arguments: {} },
    ]);
    expect(events.map((event) => event.type)).toEqual([
      "stream-start",
      "text-delta",
      "text-delta",
      "tool-call",
      "tool-call",
      "finish",
    ]);
    expect(finish.stopReason).toBe("tool-calls");
    expect(finish.rawStopReason).toBe("tool_use");
    expect(finish.usage?.outputTokens).toBe(61);
  });

  it("maps the other stop reasons and keeps the raw one", async () => {
    for (const [raw, expected] of [
      ["max_tokens", "length"],
      ["model_context_window_exceeded", "length"],
      ["stop_sequence", "stop"],
      ["refusal", "content-filter"],
      ["pause_turn", "other"],
    ] as const) {
      serve(textWithStopReason(raw));
      const { finish } = await run(hello);
      expect(finish.stopReason).toBe(expected);
      expect(finish.rawStopReason).toBe(raw);
    }
  });
});

// --- errors -----------------------------------------------------------------------------

describe("errors", () => {
  it("classifies a 401 as auth and never echoes the key", async () => {
    // The recorded 401 with the key planted in its message, as a server that echoes it would.
    const echoingKey = failureFrom("anthropic/error-401", `invalid x-api-key ${API_KEY}`);
    expect(echoingKey.frames.join("")).toContain(API_KEY);
    serve(echoingKey);
    const { finish, events } = await run(hello);
    expect(finish.error?.kind).toBe("auth");
    expect(finish.error?.status).toBe(401);
    expect(finish.error?.code).toBe("authentication_error");
    expect(finish.error?.retryable).toBe(false);
    expect(finish.stopReason).toBe("error");
    expect(finish.error?.message).not.toContain(API_KEY);
    expect(JSON.stringify(finish.error?.toJSON())).not.toContain(API_KEY);
    expect(JSON.stringify(events)).not.toContain(API_KEY);
  });

  it("classifies a 429 as rate limited with retry-after and does not retry with maxRetries 0", async () => {
    serve("error-429");
    const { finish } = await run(hello);
    expect(server.requests).toHaveLength(1);
    expect(finish.error?.kind).toBe("rate_limit");
    expect(finish.error?.status).toBe(429);
    expect(finish.error?.retryAfterMs).toBe(7_000);
    expect(finish.error?.retryable).toBe(true);
  });

  it("classifies a 529 as overloaded", async () => {
    serve("error-529");
    const { finish } = await run(hello);
    expect(finish.error?.kind).toBe("overloaded");
    expect(finish.error?.status).toBe(529);
    expect(finish.error?.code).toBe("overloaded_error");
  });

  it("ends the stream on an error event with the text and usage known so far", async () => {
    serve("error-in-stream");
    const { finish, text } = await run(hello);
    expect(text).toBe("Partial ");
    expect(finish.stopReason).toBe("error");
    expect(finish.error?.kind).toBe("overloaded");
    expect(finish.error?.code).toBe("overloaded_error");
    expect(finish.usage).toMatchObject({ inputTokens: 30, outputTokens: 1, cacheReadTokens: 0 });
  });

  it("reports a malformed chunk as an invalid response", async () => {
    serve("malformed-chunk");
    const { finish, text } = await run(hello);
    expect(text).toBe("Fine so far.");
    expect(finish.error?.kind).toBe("invalid_response");
    expect(finish.usage?.inputTokens).toBe(12);
  });

  it("reports an event that breaks the schema as an invalid response", async () => {
    serve("schema-violation");
    const { finish } = await run(hello);
    expect(finish.error?.kind).toBe("invalid_response");
  });

  it("keeps the partial text when the connection drops mid-stream", async () => {
    serve("drop-mid-stream");
    const { finish, text } = await run(hello);
    expect(text).toBe("Half an ans");
    expect(finish.stopReason).toBe("error");
    expect(finish.error?.kind).toBe("connection");
    expect(finish.error?.retryable).toBe(true);
    expect(finish.usage?.inputTokens).toBe(12);
  });

  it("treats a stream that ends cleanly without message_stop as cut off", async () => {
    serve("no-message-stop");
    const { finish, text } = await run(hello);
    expect(text).toBe("Trunc");
    expect(finish.error?.kind).toBe("connection");
  });

  it("closes the upstream connection on abort and finishes with kind aborted", async () => {
    // message_start, the text block's start, a ping and its one delta; then silence.
    serve("text", { frames: 4, ending: "hold" });
    const controller = new AbortController();
    const events: StreamEvent[] = [];
    for await (const event of createModel().stream(hello, { signal: controller.signal })) {
      events.push(event);
      if (event.type === "text-delta") controller.abort();
    }
    await server.waitForClientAbort();
    const finish = events.at(-1);
    expect(finish?.type).toBe("finish");
    if (finish?.type !== "finish") return;
    expect(finish.error?.kind).toBe("aborted");
    expect(finish.stopReason).toBe("error");
    expect(finish.usage?.inputTokens).toBe(12);
  });

  it("closes the upstream connection when the consumer stops reading early", async () => {
    // message_start, the text block's start, a ping and its one delta; then silence.
    serve("text", { frames: 4, ending: "hold" });
    for await (const event of createModel().stream(hello)) {
      if (event.type === "text-delta") break;
    }
    await server.waitForClientAbort();
    expect(server.clientAborts).toBe(1);
  });

  it("finishes aborted without a request when the signal has already fired", async () => {
    const controller = new AbortController();
    controller.abort();
    const { finish } = await run(hello, { signal: controller.signal });
    expect(finish.error?.kind).toBe("aborted");
    expect(server.requests).toHaveLength(0);
  });

  it("classifies an unreachable server as a connection error", async () => {
    const closed = await startFakeServer(() => {});
    const url = closed.url;
    await closed.close();
    const { finish } = await run(hello, undefined, createModel({ baseURL: url }));
    expect(finish.error?.kind).toBe("connection");
  });
});

// --- configuration and options ----------------------------------------------------------

describe("configuration", () => {
  it("finishes with not_configured naming ANTHROPIC_API_KEY when no key is set", async () => {
    vi.stubEnv("ANTHROPIC_API_KEY", "");
    const model = new AnthropicMessagesModel(MODEL_ID, { baseURL: server.url });
    const { finish, events } = await run(hello, undefined, model);
    expect(events.map((event) => event.type)).toEqual(["stream-start", "finish"]);
    expect(finish.error?.kind).toBe("not_configured");
    expect(finish.error?.message).toContain("ANTHROPIC_API_KEY");
    expect(server.requests).toHaveLength(0);
    await expect(model.complete(hello)).rejects.toMatchObject({ kind: "not_configured" });
    expect(anthropicProvider.configuration({})).toEqual({
      configured: false,
      missing: ["ANTHROPIC_API_KEY"],
    });
    expect(anthropicProvider.configuration({ ANTHROPIC_API_KEY: "sk-ant-x" }).configured).toBe(
      true,
    );
  });

  it("reads ANTHROPIC_API_KEY and ANTHROPIC_BASE_URL at call time, not at construction", async () => {
    vi.stubEnv("ANTHROPIC_API_KEY", "");
    vi.stubEnv("ANTHROPIC_BASE_URL", "");
    const model = anthropicProvider.createModel(MODEL_ID, { maxRetries: 0 });
    vi.stubEnv("ANTHROPIC_API_KEY", API_KEY);
    vi.stubEnv("ANTHROPIC_BASE_URL", server.url);
    const { finish, text } = await run(hello, undefined, model);
    expect(finish.error).toBeUndefined();
    expect(text).toBe("Hello there.");
    const request = onlyRequest();
    expect(
      request.headers["x-api-key"] === API_KEY ||
        request.headers.authorization === `Bearer ${API_KEY}`,
    ).toBe(true);
  });

  it("rejects unknown or mistyped model options", () => {
    expect(() => anthropicProvider.createModel(MODEL_ID, { apiKey: "k", temperature: 1 })).toThrow(
      InvalidOptionsError,
    );
    expect(() => anthropicProvider.createModel(MODEL_ID, { maxRetries: -1 })).toThrow(
      InvalidOptionsError,
    );
    expect(() => anthropicProvider.createModel(MODEL_ID, { baseURL: "not a url" })).toThrow(
      InvalidOptionsError,
    );
  });

  it("rejects unknown call options", async () => {
    const stream = createModel().stream(hello, { temprature: 1 } as CallOptions);
    await expect(collect(stream)).rejects.toThrow(InvalidOptionsError);
    expect(server.requests).toHaveLength(0);
  });

  it("lists the known Claude models", async () => {
    const models = await anthropicProvider.listModels();
    expect(models).toContain("claude-haiku-4-5");
    expect(models.every((id) => id.startsWith("claude-"))).toBe(true);
  });

  it("uses a custom fetch when given", async () => {
    const seen: string[] = [];
    const model = createModel({
      fetch: (input, init) => {
        seen.push(String(input instanceof Request ? input.url : input));
        return fetch(input, init);
      },
    });
    await run(hello, undefined, model);
    expect(seen).toEqual([`${server.url}/v1/messages`]);
  });
});

// --- complete() -------------------------------------------------------------------------

describe("complete()", () => {
  it("returns text, tool calls, stop reason and normalized usage from one response", async () => {
    serve("message-tool-use");
    const response = await createModel().complete(hello, {
      temperature: 0.5,
      promptCache: true,
      tools: [{ type: "function", function: { name: "get_weather" } }],
    });
    const body = sentBody();
    expect(body).not.toHaveProperty("stream");
    expect(body).not.toHaveProperty("temperature");
    expect(response.request.body).toEqual(body);
    expect(response.unsupported.map((entry) => entry.parameter)).toEqual(["temperature"]);
    expect(response.text).toBe("I'll look that up.");
    expect(response.toolCalls).toEqual([
      { id: "toolu_09", name: "get_weather", arguments: { city: "Lyon" } },
    ]);
    expect(response.stopReason).toBe("tool-calls");
    expect(response.rawStopReason).toBe("tool_use");
    expect(response.usage).toMatchObject({
      inputTokens: 1_005,
      outputTokens: 33,
      cacheReadTokens: 1_000,
      cacheWriteTokens: 0,
      reasoningTokens: null,
    });
  });

  it("throws a classified ProviderError", async () => {
    serve("error-529");
    const failure = await createModel()
      .complete(hello)
      .then(
        () => null,
        (error: unknown) => error,
      );
    expect(ProviderError.isInstance(failure)).toBe(true);
    expect(failure).toMatchObject({ kind: "overloaded", status: 529 });
  });

  it("throws kind aborted when the signal fires while waiting", async () => {
    const controller = new AbortController();
    // Abort once the request has surely reached the server, which then never answers.
    serve(() => controller.abort());
    const pending = createModel().complete(hello, { signal: controller.signal });
    await expect(pending).rejects.toMatchObject({ kind: "aborted" });
    await server.waitForClientAbort();
  });
});
