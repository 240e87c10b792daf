/**
 * The adapter through the real `openai` SDK against a local server speaking the
 * chat-completions wire format: asserts what we sent and what we parsed.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { type FakeServer, startFakeServer } from "@/test/support/fake-http-server";
import { loadFixture, messagesOf, replaying } from "@/test/support/wire/replay";
import { ProviderError } from "../errors";
import type { CallOptions, Message, StreamEvent } from "../types";
import { OpenAIChatModel, type OpenAIChatModelSettings } from "./openai-chat-model";

const TEST_KEY = "sk-test-fake-key-0123456789abcdef";

let server: FakeServer;

beforeEach(async () => {
  vi.stubEnv("OPENAI_API_KEY", undefined);
  vi.stubEnv("OPENAI_BASE_URL", undefined);
  vi.stubEnv("OPENAI_ORG_ID", undefined);
  vi.stubEnv("OPENAI_PROJECT_ID", undefined);
  server = await startFakeServer(replaying("openai/error-500"));
});

afterEach(async () => {
  vi.unstubAllEnvs();
  await server.close();
});

function createModel(settings: Partial<OpenAIChatModelSettings> = {}): OpenAIChatModel {
  return new OpenAIChatModel({
    provider: "openai",
    modelId: "gpt-4o-mini",
    apiKey: TEST_KEY,
    baseURL: `${server.url}/v1`,
    maxRetries: 0,
    ...settings,
  });
}

const okStream = replaying("openai/text");

/** The `usage` object a fixture sends, verbatim: what `raw` must carry. */
function usageSentBy(fixture: string): unknown {
  const usageChunk = messagesOf(loadFixture(fixture)).find(
    (message) => (message.data as { usage?: unknown }).usage,
  );
  if (!usageChunk) throw new Error(`${fixture} sends no usage`);
  return (usageChunk.data as { usage: unknown }).usage;
}

async function collect(
  model: OpenAIChatModel,
  messages: Message[] = [{ role: "user", content: "Hello" }],
  options?: CallOptions,
): Promise<StreamEvent[]> {
  const events: StreamEvent[] = [];
  for await (const event of model.stream(messages, options)) events.push(event);
  return events;
}

function finishOf(events: StreamEvent[]): Extract<StreamEvent, { type: "finish" }> {
  const finishes = events.filter((event) => event.type === "finish");
  expect(finishes).toHaveLength(1);
  expect(events.at(-1)?.type).toBe("finish");
  const finish = finishes[0];
  if (finish?.type !== "finish") throw new Error("no finish event");
  return finish;
}

function startOf(events: StreamEvent[]): Extract<StreamEvent, { type: "stream-start" }> {
  const start = events[0];
  if (start?.type !== "stream-start") throw new Error("stream did not begin with stream-start");
  return start;
}

function textOf(events: StreamEvent[]): string {
  return events.map((event) => (event.type === "text-delta" ? event.delta : "")).join("");
}

function sentBody(index = 0): Record<string, unknown> {
  const request = server.requests[index];
  if (!request) throw new Error(`request ${index} was never received`);
  return request.json() as Record<string, unknown>;
}

const ALL_PARAMETERS: CallOptions = {
  temperature: 0.2,
  topP: 0.9,
  maxTokens: 400,
  seed: 7,
  stop: ["END"],
  frequencyPenalty: 0.5,
  presencePenalty: -0.5,
};

describe("request shaping", () => {
  it("sends every parameter to a non-reasoning model, with usage requested on the stream", async () => {
    server.setHandler(okStream);
    const tools = [
      {
        type: "function" as const,
        function: {
          name: "get_weather",
          description: "Weather for a city",
          parameters: { type: "object", properties: { city: { type: "string" } } },
        },
      },
    ];
    const responseFormat = {
      type: "json_schema" as const,
      json_schema: { name: "answer", schema: { type: "object" }, strict: true },
    };
    const messages: Message[] = [
      { role: "system", content: "Be brief." },
      { role: "user", content: "Weather in Paris?" },
      {
        role: "assistant",
        content: null,
        toolCalls: [{ id: "call_1", name: "get_weather", arguments: { city: "Paris" } }],
      },
      { role: "tool", toolCallId: "call_1", name: "get_weather", content: '{"celsius":21}' },
    ];
    const events = await collect(createModel(), messages, {
      ...ALL_PARAMETERS,
      tools,
      responseFormat,
      promptCache: true,
    });

    const request = server.requests[0];
    expect(request?.method).toBe("POST");
    expect(request?.url).toBe("/v1/chat/completions");
    expect(request?.headers.authorization).toBe(`Bearer ${TEST_KEY}`);
    const body = sentBody();
    expect(body).toEqual({
      model: "gpt-4o-mini",
      messages: [
        { role: "system", content: "Be brief." },
        { role: "user", content: "Weather in Paris?" },
        {
          role: "assistant",
          tool_calls: [
            {
              id: "call_1",
              type: "function",
              function: { name: "get_weather", arguments: '{"city":"Paris"}' },
            },
          ],
        },
        { role: "tool", tool_call_id: "call_1", content: '{"celsius":21}' },
      ],
      max_completion_tokens: 400,
      temperature: 0.2,
      top_p: 0.9,
      frequency_penalty: 0.5,
      presence_penalty: -0.5,
      seed: 7,
      stop: ["END"],
      response_format: responseFormat,
      tools,
      stream: true,
      stream_options: { include_usage: true },
    });
    const start = startOf(events);
    expect(start.request).toEqual({ url: `${server.url}/v1/chat/completions`, body });
    // promptCache is automatic on OpenAI: nothing sent, nothing reported.
    expect(start.unsupported).toEqual([]);
    expect(JSON.stringify(events)).not.toContain(TEST_KEY);
  });

  it("sends max_completion_tokens and no sampling parameters to reasoning models, reporting each", async () => {
    server.setHandler(okStream);
    const events = await collect(createModel({ modelId: "o4-mini" }), undefined, ALL_PARAMETERS);

    const body = sentBody();
    expect(body.max_completion_tokens).toBe(400);
    expect(body.seed).toBe(7);
    for (const absent of [
      "max_tokens",
      "temperature",
      "top_p",
      "frequency_penalty",
      "presence_penalty",
      "stop",
    ]) {
      expect(body).not.toHaveProperty(absent);
    }
    expect(startOf(events).unsupported.map((entry) => entry.parameter)).toEqual([
      "temperature",
      "topP",
      "frequencyPenalty",
      "presencePenalty",
      "stop",
    ]);
    expect(startOf(events).unsupported.every((entry) => entry.reason.length > 0)).toBe(true);
  });

  it("sends reasoning_effort to reasoning models and reports it unsupported elsewhere", async () => {
    server.setHandler(okStream);
    await collect(createModel({ modelId: "o4-mini" }), undefined, { reasoningEffort: "high" });
    expect(sentBody(0).reasoning_effort).toBe("high");
    const events = await collect(createModel(), undefined, { reasoningEffort: "low" });
    expect(sentBody(1)).not.toHaveProperty("reasoning_effort");
    expect(startOf(events).unsupported.map((entry) => entry.parameter)).toEqual([
      "reasoningEffort",
    ]);
  });

  it("sends image parts as image_url data URLs", async () => {
    server.setHandler(okStream);
    await collect(createModel(), [
      {
        role: "user",
        content: [
          { type: "text", text: "What is this?" },
          { type: "image", mediaType: "image/jpeg", data: "/9j/4AAQ" },
        ],
      },
    ]);
    expect(sentBody().messages).toEqual([
      {
        role: "user",
        content: [
          { type: "text", text: "What is this?" },
          { type: "image_url", image_url: { url: "data:image/jpeg;base64,/9j/4AAQ" } },
        ],
      },
    ]);
  });

  it("treats a namespaced gpt-5 as a reasoning model", async () => {
    server.setHandler(okStream);
    await collect(createModel({ modelId: "openai.gpt-5" }), undefined, { temperature: 0.3 });
    expect(sentBody()).not.toHaveProperty("temperature");
  });

  it("drops temperature and top_p for search-preview models but keeps non-zero penalties", async () => {
    server.setHandler(okStream);
    const events = await collect(
      createModel({ modelId: "gpt-4o-search-preview" }),
      undefined,
      ALL_PARAMETERS,
    );
    const body = sentBody();
    expect(body).not.toHaveProperty("temperature");
    expect(body).not.toHaveProperty("top_p");
    expect(body.frequency_penalty).toBe(0.5);
    expect(body.stop).toEqual(["END"]);
    expect(startOf(events).unsupported.map((entry) => entry.parameter)).toEqual([
      "temperature",
      "topP",
    ]);
  });

  it("omits zero penalties, an empty stop list and empty tools without reporting them", async () => {
    server.setHandler(okStream);
    const events = await collect(createModel(), undefined, {
      frequencyPenalty: 0,
      presencePenalty: 0,
      stop: [],
      tools: [],
    });
    const body = sentBody();
    for (const absent of ["frequency_penalty", "presence_penalty", "stop", "tools", "seed"]) {
      expect(body).not.toHaveProperty(absent);
    }
    expect(startOf(events).unsupported).toEqual([]);
  });

  it("sends json_object response_format verbatim", async () => {
    server.setHandler(okStream);
    await collect(createModel(), undefined, { responseFormat: { type: "json_object" } });
    expect(sentBody().response_format).toEqual({ type: "json_object" });
  });

  it("uses max_tokens for non-reasoning models on OCI and signs through fetch without a bearer key", async () => {
    vi.stubEnv("OPENAI_API_KEY", "sk-environment-key-must-not-leak");
    server.setHandler(okStream);
    const seenByFetch: string[] = [];
    const signingFetch: typeof fetch = async (input, init) => {
      const headers = new Headers(init?.headers);
      seenByFetch.push(headers.get("authorization") ?? "none");
      headers.set("authorization", 'Signature keyId="test"');
      return fetch(input, { ...init, headers });
    };
    const settings = {
      provider: "oci" as const,
      baseURL: `${server.url}/openai/v1`,
      apiKey: undefined,
      fetch: signingFetch,
      skipApiKeyCheck: true,
    };
    const events = await collect(
      createModel({ ...settings, modelId: "meta.llama-3.3-70b-instruct" }),
      undefined,
      { maxTokens: 64 },
    );
    await collect(createModel({ ...settings, modelId: "openai.gpt-5" }), undefined, {
      maxTokens: 64,
    });

    expect(server.requests[0]?.url).toBe("/openai/v1/chat/completions");
    expect(sentBody(0).max_tokens).toBe(64);
    expect(sentBody(0)).not.toHaveProperty("max_completion_tokens");
    expect(sentBody(1).max_completion_tokens).toBe(64);
    expect(sentBody(1)).not.toHaveProperty("max_tokens");
    expect(seenByFetch).toEqual(["none", "none"]);
    expect(server.requests[0]?.headers.authorization).toBe('Signature keyId="test"');
    expect(server.requests[0]?.headers["openai-organization"]).toBeUndefined();
    expect(finishOf(events).error).toBeUndefined();
    expect(finishOf(events).usage?.inputTokens).toBe(9);
  });

  it("reads OPENAI_API_KEY at call time, not at construction", async () => {
    server.setHandler(okStream);
    const model = createModel({ apiKey: undefined });
    vi.stubEnv("OPENAI_API_KEY", "sk-set-after-construction-1234");
    await collect(model);
    expect(server.requests[0]?.headers.authorization).toBe("Bearer sk-set-after-construction-1234");
  });
});

describe("streamed responses", () => {
  it("streams text and maps the usage chunk (17,903 input of which 17,817 cached)", async () => {
    server.setHandler(replaying("openai/cache-read"));
    const events = await collect(createModel());

    expect(events.map((event) => event.type)).toEqual([
      "stream-start",
      "text-delta",
      "text-delta",
      "finish",
    ]);
    expect(textOf(events)).toBe("Write-ahead logging.");
    const finish = finishOf(events);
    expect(finish.stopReason).toBe("stop");
    expect(finish.rawStopReason).toBe("stop");
    expect(finish.error).toBeUndefined();
    expect(finish.usage).toEqual({
      inputTokens: 17_903,
      outputTokens: 42,
      cacheReadTokens: 17_817,
      cacheWriteTokens: null,
      cacheWrite5mTokens: null,
      cacheWrite1hTokens: null,
      reasoningTokens: 0,
      raw: usageSentBy("openai/cache-read"),
    });
  });

  it("maps reasoning tokens and cache_write_tokens, and streams reasoning_content as reasoning, not text", async () => {
    server.setHandler(replaying("openai/reasoning"));
    const events = await collect(createModel({ modelId: "o3-mini" }));
    expect(textOf(events)).toBe("42");
    expect(events.map((event) => event.type)).toEqual([
      "stream-start",
      "reasoning-delta",
      "reasoning-delta",
      "text-delta",
      "finish",
    ]);
    expect(
      events.map((event) => (event.type === "reasoning-delta" ? event.delta : "")).join(""),
    ).toBe("Six times seven is forty-two.");
    const finish = finishOf(events);
    expect(finish.stopReason).toBe("length");
    expect(finish.usage).toMatchObject({
      inputTokens: 3_000,
      cacheReadTokens: 1_024,
      cacheWriteTokens: 1_900,
      outputTokens: 1_200,
      reasoningTokens: 1_150,
    });
  });

  it("reports usage as null when the server sends no usage chunk", async () => {
    server.setHandler(replaying("openai/no-usage"));
    const finish = finishOf(await collect(createModel()));
    expect(finish.usage).toBeNull();
    expect(finish.stopReason).toBe("stop");
    expect(finish.error).toBeUndefined();
  });

  it("tolerates a null delta and choices missing from a chunk", async () => {
    server.setHandler(replaying("openai/null-delta"));
    const events = await collect(createModel());
    expect(textOf(events)).toBe("Gemini");
    expect(finishOf(events)).toMatchObject({
      stopReason: "content-filter",
      rawStopReason: "content_filter",
      usage: null,
    });
  });

  it("assembles two parallel tool calls split over chunks by index", async () => {
    server.setHandler(replaying("openai/tool-calls"));
    const events = await collect(createModel());
    expect(events.filter((event) => event.type === "tool-call")).toEqual([
      {
        type: "tool-call",
        toolCall: { id: "call_paris", name: "get_weather", arguments: { city: "Paris" } },
      },
      {
        type: "tool-call",
        toolCall: { id: "call_rome", name: "get_time", arguments: { city: "Rome" } },
      },
    ]);
    expect(finishOf(events)).toMatchObject({
      stopReason: "tool-calls",
      rawStopReason: "tool_calls",
    });
    expect(finishOf(events).usage?.inputTokens).toBe(9);
  });

  it("still emits tool calls when no finish_reason ever arrives", async () => {
    server.setHandler(replaying("openai/tool-calls-no-finish"));
    const events = await collect(createModel());
    expect(events.filter((event) => event.type === "tool-call")).toEqual([
      { type: "tool-call", toolCall: { id: "call_a", name: "lookup", arguments: { q: "wal" } } },
    ]);
    const finish = finishOf(events);
    expect(finish.error).toBeUndefined();
    expect(finish.rawStopReason).toBeNull();
    expect(finish.stopReason).toBe("tool-calls");
  });

  it("decodes double-encoded tool arguments (OCI Llama)", async () => {
    server.setHandler(replaying("openai/tool-call-double-encoded"));
    const events = await collect(createModel());
    const toolCall = events.find((event) => event.type === "tool-call");
    expect(toolCall).toEqual({
      type: "tool-call",
      toolCall: { id: "call_x", name: "forecast", arguments: { city: "Oslo", days: 3 } },
    });
  });

  it("closes the upstream connection when the consumer stops reading early", async () => {
    server.setHandler(replaying("openai/text", { frames: 2, ending: "hold" }));
    for await (const event of createModel().stream([{ role: "user", content: "Hi" }])) {
      if (event.type === "text-delta") break;
    }
    await expect(server.waitForClientAbort()).resolves.toBeUndefined();
  });
});

describe("errors", () => {
  it("maps 401 to kind auth without echoing the key", async () => {
    // The recorded body echoes the key, as OpenAI does: the test fails if it stops doing so.
    expect(loadFixture("openai/error-401").frames.join("")).toContain(TEST_KEY);
    server.setHandler(replaying("openai/error-401"));
    const events = await collect(createModel());
    const error = finishOf(events).error;
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({
      provider: "openai",
      kind: "auth",
      status: 401,
      code: "invalid_api_key",
      retryable: false,
    });
    expect(error?.message).not.toContain(TEST_KEY);
    expect(error?.message).not.toContain("0123456789abcdef");
    expect(finishOf(events).stopReason).toBe("error");
  });

  it("maps 429 with retry-after: 20 to rate_limit with retryAfterMs 20000", async () => {
    server.setHandler(replaying("openai/error-429"));
    const error = finishOf(await collect(createModel())).error;
    expect(error).toMatchObject({
      kind: "rate_limit",
      status: 429,
      retryAfterMs: 20_000,
      retryable: true,
    });
    expect(server.requests).toHaveLength(1);
  });

  it("maps 500 to server_error", async () => {
    server.setHandler(replaying("openai/error-500"));
    const error = finishOf(await collect(createModel())).error;
    expect(error).toMatchObject({ kind: "server_error", status: 500, retryable: true });
  });

  it("ends with invalid_response on a malformed chunk, keeping the text already streamed", async () => {
    server.setHandler(replaying("openai/malformed-chunk"));
    const events = await collect(createModel());
    expect(textOf(events)).toBe("Partial answer");
    const finish = finishOf(events);
    expect(finish.stopReason).toBe("error");
    expect(finish.error).toMatchObject({ kind: "invalid_response" });
  });

  it("ends with the error OpenAI sends inside the stream, keeping the text before it", async () => {
    server.setHandler(replaying("openai/error-in-stream"));
    const events = await collect(createModel());
    expect(textOf(events)).toBe("Partial");
    const finish = finishOf(events);
    expect(finish.stopReason).toBe("error");
    expect(finish.error).toBeInstanceOf(ProviderError);
    expect(finish.error).toMatchObject({ code: "server_error", status: null, retryable: true });
    expect(finish.error?.message).toContain(
      "The server had an error while processing your request",
    );
  });

  it("ends with a connection error when the connection drops mid-stream, keeping the text", async () => {
    server.setHandler(replaying("openai/drop-mid-stream"));
    const events = await collect(createModel());
    expect(textOf(events)).toBe("Half an answer");
    const finish = finishOf(events);
    expect(finish.stopReason).toBe("error");
    expect(finish.error).toMatchObject({ kind: "connection", retryable: true });
    expect(finish.usage).toBeNull();
  });

  it("keeps the usage and stop reason already received when the connection drops before [DONE]", async () => {
    server.setHandler(replaying("openai/drop-after-usage"));
    const finish = finishOf(await collect(createModel()));
    expect(finish.error).toMatchObject({ kind: "connection" });
    expect(finish.rawStopReason).toBe("stop");
    expect(finish.usage).toMatchObject({ inputTokens: 9, outputTokens: 2 });
  });

  it("finishes with kind aborted and closes the upstream connection when the signal fires", async () => {
    server.setHandler(replaying("openai/text", { frames: 2, ending: "hold" }));
    const controller = new AbortController();
    const events: StreamEvent[] = [];
    for await (const event of createModel().stream([{ role: "user", content: "Hi" }], {
      signal: controller.signal,
    })) {
      events.push(event);
      if (event.type === "text-delta") controller.abort();
    }
    await expect(server.waitForClientAbort()).resolves.toBeUndefined();
    expect(textOf(events)).toBe("Hi");
    const finish = finishOf(events);
    expect(finish.stopReason).toBe("error");
    expect(finish.error).toMatchObject({ kind: "aborted", provider: "openai" });
  });

  it("finishes with kind aborted without a request when the signal fired before the call", async () => {
    server.setHandler(okStream);
    const events = await collect(createModel(), undefined, { signal: AbortSignal.abort() });
    expect(finishOf(events).error).toMatchObject({ kind: "aborted" });
    expect(server.requests).toHaveLength(0);
  });

  it("maps a request timeout to kind timeout", async () => {
    server.setHandler(() => {
      // Never answers: the SDK's own timeout must fire.
    });
    const error = finishOf(await collect(createModel({ timeoutMs: 200 }))).error;
    expect(error).toMatchObject({ kind: "timeout", retryable: true });
  });

  it("reports not_configured naming OPENAI_API_KEY when no key is set, without calling out", async () => {
    server.setHandler(okStream);
    const model = createModel({ apiKey: undefined });
    const events = await collect(model);
    expect(events[0]?.type).toBe("stream-start");
    const error = finishOf(events).error;
    expect(error).toMatchObject({ kind: "not_configured", provider: "openai" });
    expect(error?.message).toContain("OPENAI_API_KEY");
    await expect(model.complete([{ role: "user", content: "Hi" }])).rejects.toMatchObject({
      kind: "not_configured",
    });
    expect(server.requests).toHaveLength(0);
  });

  it("carries the oci provider id on errors of an OCI-configured model", async () => {
    server.setHandler(replaying("oci/error-404-not-authorized-or-not-found"));
    const model = createModel({ provider: "oci", apiKey: undefined, skipApiKeyCheck: true });
    const error = finishOf(await collect(model)).error;
    expect(error).toMatchObject({ provider: "oci", kind: "model_not_found", status: 404 });
  });
});

describe("complete()", () => {
  it("sends a non-streaming body and parses text, tool calls, usage and stop reason", async () => {
    server.setHandler(replaying("openai/completion-tool-calls"));
    const response = await createModel().complete([{ role: "user", content: "Weather?" }], {
      temperature: 0,
      maxTokens: 100,
    });

    const body = sentBody();
    expect(body).not.toHaveProperty("stream");
    expect(body).not.toHaveProperty("stream_options");
    expect(body).toMatchObject({
      model: "gpt-4o-mini",
      temperature: 0,
      max_completion_tokens: 100,
    });
    expect(response.request.body).toEqual(body);
    expect(response.text).toBeNull();
    expect(response.toolCalls).toEqual([
      { id: "call_1", name: "get_weather", arguments: { city: "Paris" } },
      { id: "call_2", name: "get_weather", arguments: { city: "Rome" } },
    ]);
    expect(response.stopReason).toBe("tool-calls");
    expect(response.rawStopReason).toBe("tool_calls");
    expect(response.usage).toMatchObject({
      inputTokens: 17_903,
      cacheReadTokens: 17_817,
      cacheWriteTokens: null,
      outputTokens: 31,
      reasoningTokens: 0,
    });
  });

  it("throws a ProviderError for an HTTP failure", async () => {
    server.setHandler(replaying("openai/error-400-context-length"));
    const failure = createModel().complete([{ role: "user", content: "Hi" }]);
    await expect(failure).rejects.toBeInstanceOf(ProviderError);
    await expect(failure).rejects.toMatchObject({
      kind: "context_too_long",
      status: 400,
      code: "context_length_exceeded",
    });
  });
});
