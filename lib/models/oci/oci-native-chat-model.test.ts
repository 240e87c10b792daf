import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type FakeServer, startFakeServer } from "@/test/support/fake-http-server";
import {
  API_KEY_ID,
  createTestOciFiles,
  TEST_TENANCY,
  type TestOciFiles,
  verifyOciSignature,
} from "@/test/support/oci/oci-test-support";
import { loadFixture, messagesOf, replay, replaying } from "@/test/support/wire/replay";
import { ProviderError } from "../errors";
import type { CallOptions, Message, StreamEvent } from "../types";
import { createOciModel } from "./index";
import type { OciInternals } from "./oci-connection";
import { buildOciChatDetails } from "./oci-native-request";

const ENDPOINT = "ocid1.generativeaiendpoint.oc1.us-chicago-1.amaaaaaexampleendpoint";
const COMPARTMENT = "ocid1.compartment.oc1..aaaanative";

let files: TestOciFiles;
let server: FakeServer;
let sleeps: number[];

beforeEach(async () => {
  files = createTestOciFiles();
  sleeps = [];
  server = await startFakeServer(replaying("oci/error-404-not-authorized-or-not-found"));
});

afterEach(async () => {
  await server.close();
  files.remove();
});

function internals(extra: Partial<OciInternals> = {}): OciInternals {
  return {
    environment: { OCI_CONFIG_FILE: files.configFile, OCI_GENAI_BASE_URL: server.url },
    sleep: async (milliseconds) => {
      sleeps.push(milliseconds);
    },
    retryDelayMs: () => 1,
    ...extra,
  };
}

async function collectEvents(events: AsyncIterable<StreamEvent>): Promise<StreamEvent[]> {
  const collected: StreamEvent[] = [];
  for await (const event of events) collected.push(event);
  return collected;
}

function textOf(events: StreamEvent[]): string {
  return events.map((event) => (event.type === "text-delta" ? event.delta : "")).join("");
}

function lastFinish(events: StreamEvent[]): Extract<StreamEvent, { type: "finish" }> {
  const finish = events.at(-1);
  if (finish?.type !== "finish") throw new Error("stream did not end with finish");
  return finish;
}

/** The usage chunk `oci/generic-tool-call` sends, verbatim: what `raw` must carry. */
const OCI_USAGE = usageSentBy("oci/generic-tool-call");

function usageSentBy(fixture: string): unknown {
  const usageChunk = messagesOf(loadFixture(fixture)).find(
    (message) => (message.data as { usage?: unknown }).usage,
  );
  if (!usageChunk) throw new Error(`${fixture} sends no usage`);
  return (usageChunk.data as { usage: unknown }).usage;
}

const TOOL_CONVERSATION: Message[] = [
  { role: "system", content: "You are terse." },
  { role: "user", content: "Weather in Paris and Rome?" },
  {
    role: "assistant",
    content: null,
    toolCalls: [
      { id: "call_1", name: "get_weather", arguments: { city: "Paris" } },
      { id: "call_2", name: "get_weather", arguments: { city: "Rome" } },
    ],
  },
  { role: "tool", toolCallId: "call_1", name: "get_weather", content: "18C" },
  { role: "tool", toolCallId: "call_2", name: "get_weather", content: "24C" },
];

const WEATHER_TOOL: NonNullable<CallOptions["tools"]>[number] = {
  type: "function",
  function: {
    name: "get_weather",
    description: "Current weather",
    parameters: {
      type: "object",
      properties: {
        city: { type: "string", description: "City name" },
        days: { type: "integer" },
        metric: { type: "boolean" },
        hours: { type: "array", items: { type: "number" } },
        ratio: { type: "number" },
        extra: { type: "object" },
        other: { type: "null" },
      },
      required: ["city"],
    },
  },
};

describe("native GENERIC chat (dedicated endpoint)", () => {
  it("sends DEDICATED serving mode and every call option, and streams text, tool calls and usage", async () => {
    server.setHandler(replaying("oci/generic-tool-call"));
    const model = createOciModel(ENDPOINT, { compartmentId: COMPARTMENT }, internals());
    const events = await collectEvents(
      model.stream(TOOL_CONVERSATION, {
        maxTokens: 300,
        temperature: 0.3,
        topP: 0.9,
        frequencyPenalty: 0.1,
        presencePenalty: 0.2,
        seed: 7,
        stop: ["END"],
        tools: [WEATHER_TOOL],
        responseFormat: {
          type: "json_schema",
          json_schema: { name: "weather", schema: { type: "object" }, strict: true },
        },
      }),
    );

    const [request] = server.requests;
    if (!request) throw new Error("no request recorded");
    expect(request.url).toBe("/20231130/actions/chat");
    expect(request.headers["opc-compartment-id"]).toBe(COMPARTMENT);
    expect(
      verifyOciSignature(request, {
        publicKeyPem: files.keys.publicKeyPem,
        expectedKeyId: API_KEY_ID,
      }).problems,
    ).toEqual([]);
    expect(request.json()).toEqual({
      compartmentId: COMPARTMENT,
      servingMode: { servingType: "DEDICATED", endpointId: ENDPOINT },
      chatRequest: {
        apiFormat: "GENERIC",
        messages: [
          { role: "SYSTEM", content: [{ type: "TEXT", text: "You are terse." }] },
          { role: "USER", content: [{ type: "TEXT", text: "Weather in Paris and Rome?" }] },
          {
            role: "ASSISTANT",
            content: [{ type: "TEXT", text: "." }],
            toolCalls: [
              {
                type: "FUNCTION",
                id: "call_1",
                name: "get_weather",
                arguments: '{"city":"Paris"}',
              },
              { type: "FUNCTION", id: "call_2", name: "get_weather", arguments: '{"city":"Rome"}' },
            ],
          },
          { role: "TOOL", content: [{ type: "TEXT", text: "18C" }], toolCallId: "call_1" },
          { role: "TOOL", content: [{ type: "TEXT", text: "24C" }], toolCallId: "call_2" },
        ],
        isStream: true,
        streamOptions: { isIncludeUsage: true },
        maxTokens: 300,
        temperature: 0.3,
        topP: 0.9,
        frequencyPenalty: 0.1,
        presencePenalty: 0.2,
        seed: 7,
        stop: ["END"],
        responseFormat: {
          type: "JSON_SCHEMA",
          jsonSchema: { name: "weather", schema: { type: "object" }, isStrict: true },
        },
        tools: [
          {
            type: "FUNCTION",
            name: "get_weather",
            description: "Current weather",
            parameters: WEATHER_TOOL.function.parameters,
          },
        ],
      },
    });

    expect(events[0]).toMatchObject({
      type: "stream-start",
      request: { url: `${server.url}/20231130/actions/chat` },
      unsupported: [],
    });
    expect(textOf(events)).toBe("Checking now.");
    expect(events.filter((event) => event.type === "tool-call")).toEqual([
      {
        type: "tool-call",
        toolCall: { id: "chatcmpl-tool-9", name: "get_weather", arguments: { city: "Oslo" } },
      },
    ]);
    const finish = lastFinish(events);
    expect(finish.error).toBeUndefined();
    expect(finish.stopReason).toBe("tool-calls");
    expect(finish.rawStopReason).toBe("tool_calls");
    expect(finish.usage).toEqual({
      inputTokens: 210,
      outputTokens: 40,
      cacheReadTokens: 128,
      cacheWriteTokens: null,
      cacheWrite5mTokens: null,
      cacheWrite1hTokens: null,
      reasoningTokens: 12,
      raw: OCI_USAGE,
    });
  });

  it("uses the profile's tenancy as compartment when none is named", async () => {
    server.setHandler(replaying("oci/generic-text"));
    const model = createOciModel(ENDPOINT, undefined, internals());
    const events = await collectEvents(model.stream([{ role: "user", content: "hi" }]));
    expect(lastFinish(events)).toMatchObject({ stopReason: "stop", usage: null });
    const [request] = server.requests;
    if (!request) throw new Error("no request recorded");
    expect(request.headers["opc-compartment-id"]).toBe(TEST_TENANCY);
    expect((request.json() as { compartmentId: string }).compartmentId).toBe(TEST_TENANCY);
  });

  it("gives streamed calls without ids unique ids", async () => {
    server.setHandler(replaying("oci/generic-tool-calls-without-ids"));
    const model = createOciModel(ENDPOINT, { compartmentId: COMPARTMENT }, internals());
    const events = await collectEvents(model.stream([{ role: "user", content: "go" }]));
    const calls = events.flatMap((event) => (event.type === "tool-call" ? [event.toolCall] : []));
    expect(calls.map((call) => call.arguments)).toEqual([{ city: "A" }, { city: "B" }]);
    expect(new Set(calls.map((call) => call.id)).size).toBe(2);
    expect(
      calls.every((call) => call.id.startsWith("call_") && call.id !== "call_get_weather"),
    ).toBe(true);
  });
});

describe("native COHERE chat (Command R)", () => {
  it("maps the conversation to message, chatHistory, preamble and toolResults", async () => {
    server.setHandler(replaying("oci/cohere-text"));
    const model = createOciModel(
      "cohere.command-r-plus",
      { compartmentId: COMPARTMENT },
      internals(),
    );
    const conversation: Message[] = [
      { role: "user", content: "Earlier question" },
      { role: "assistant", content: "Earlier answer" },
      ...TOOL_CONVERSATION,
    ];
    const events = await collectEvents(
      model.stream(conversation, {
        maxTokens: 200,
        temperature: 0.5,
        seed: 3,
        stop: ["STOP"],
        tools: [WEATHER_TOOL],
        responseFormat: {
          type: "json_schema",
          json_schema: { name: "w", schema: { type: "object" } },
        },
      }),
    );

    const [request] = server.requests;
    if (!request) throw new Error("no request recorded");
    expect(
      verifyOciSignature(request, {
        publicKeyPem: files.keys.publicKeyPem,
        expectedKeyId: API_KEY_ID,
      }).ok,
    ).toBe(true);
    expect(request.json()).toEqual({
      compartmentId: COMPARTMENT,
      servingMode: { servingType: "ON_DEMAND", modelId: "cohere.command-r-plus" },
      chatRequest: {
        apiFormat: "COHERE",
        message: "Weather in Paris and Rome?",
        chatHistory: [
          { role: "USER", message: "Earlier question" },
          { role: "CHATBOT", message: "Earlier answer" },
          { role: "SYSTEM", message: "You are terse." },
          {
            role: "CHATBOT",
            message: " ",
            toolCalls: [
              { name: "get_weather", parameters: { city: "Paris" } },
              { name: "get_weather", parameters: { city: "Rome" } },
            ],
          },
        ],
        toolResults: [
          {
            call: { name: "get_weather", parameters: { city: "Paris" } },
            outputs: [{ output: "18C" }],
          },
          {
            call: { name: "get_weather", parameters: { city: "Rome" } },
            outputs: [{ output: "24C" }],
          },
        ],
        isStream: true,
        streamOptions: { isIncludeUsage: true },
        maxTokens: 200,
        temperature: 0.5,
        seed: 3,
        stopSequences: ["STOP"],
        responseFormat: { type: "JSON_OBJECT", schema: { type: "object" } },
        tools: [
          {
            name: "get_weather",
            description: "Current weather",
            parameterDefinitions: {
              city: { description: "City name", type: "str", isRequired: true },
              days: { type: "int", isRequired: false },
              metric: { type: "bool", isRequired: false },
              hours: { type: "list", isRequired: false },
              ratio: { type: "float", isRequired: false },
              extra: { type: "dict", isRequired: false },
              other: { type: "str", isRequired: false },
            },
          },
        ],
      },
    });

    // The final event repeats the whole text; it must not be emitted twice.
    expect(textOf(events)).toBe("Paris 18C, Rome 24C.");
    expect(lastFinish(events)).toMatchObject({
      stopReason: "stop",
      rawStopReason: "COMPLETE",
      usage: { inputTokens: 90, outputTokens: 8, cacheReadTokens: null, reasoningTokens: null },
    });
  });

  it("sends leading system messages as preambleOverride and batches earlier tool results", () => {
    const { body } = buildOciChatDetails({
      modelId: "cohere.command-r-08-2024",
      compartmentId: "c",
      messages: [
        { role: "system", content: "Rule one." },
        { role: "system", content: "Rule two." },
        ...TOOL_CONVERSATION.slice(1),
        { role: "assistant", content: "Paris 18C, Rome 24C." },
        { role: "user", content: "Thanks" },
      ],
      callOptions: {},
      stream: false,
    });
    expect(body.chatRequest).toEqual({
      apiFormat: "COHERE",
      message: "Thanks",
      preambleOverride: "Rule one.\n\nRule two.",
      chatHistory: [
        { role: "USER", message: "Weather in Paris and Rome?" },
        {
          role: "CHATBOT",
          message: " ",
          toolCalls: [
            { name: "get_weather", parameters: { city: "Paris" } },
            { name: "get_weather", parameters: { city: "Rome" } },
          ],
        },
        {
          role: "TOOL",
          toolResults: [
            {
              call: { name: "get_weather", parameters: { city: "Paris" } },
              outputs: [{ output: "18C" }],
            },
            {
              call: { name: "get_weather", parameters: { city: "Rome" } },
              outputs: [{ output: "24C" }],
            },
          ],
        },
        { role: "CHATBOT", message: "Paris 18C, Rome 24C." },
      ],
    });
  });

  it("streams Cohere tool calls with unique ids", async () => {
    server.setHandler(replaying("oci/cohere-tool-calls"));
    const model = createOciModel(
      "cohere.command-r-plus",
      { compartmentId: COMPARTMENT },
      internals(),
    );
    const events = await collectEvents(
      model.stream([{ role: "user", content: "Weather?" }], { tools: [WEATHER_TOOL] }),
    );
    const calls = events.flatMap((event) => (event.type === "tool-call" ? [event.toolCall] : []));
    expect(calls.map((call) => [call.name, call.arguments])).toEqual([
      ["get_weather", { city: "Paris" }],
      ["get_weather", { city: "Rome" }],
    ]);
    expect(new Set(calls.map((call) => call.id)).size).toBe(2);
    expect(lastFinish(events).stopReason).toBe("tool-calls");
  });
});

describe("native complete()", () => {
  const emptyReply = loadFixture("oci/generic-chat-empty");

  it("retries an empty reply, waiting 0.5 s then 1 s, and returns the first real one", async () => {
    const textReply = loadFixture("oci/generic-chat-text");
    server.setHandler((_request, response) =>
      replay(response, server.requests.length < 3 ? emptyReply : textReply),
    );
    const model = createOciModel(ENDPOINT, { compartmentId: COMPARTMENT }, internals());
    const response = await model.complete([{ role: "user", content: "hi" }], { maxTokens: 10 });
    expect(server.requests).toHaveLength(3);
    expect(sleeps).toEqual([500, 1000]);
    expect(response.text).toBe("finally");
    expect(response.usage).toMatchObject({ inputTokens: 5, outputTokens: 2 });
    const body = server.requests[0]?.json() as { chatRequest: Record<string, unknown> };
    expect(body.chatRequest.isStream).toBeUndefined();
    expect(body.chatRequest.maxTokens).toBe(10);
  });

  it("gives up after three empty replies and returns the empty one", async () => {
    server.setHandler(replaying(emptyReply));
    const model = createOciModel(ENDPOINT, { compartmentId: COMPARTMENT }, internals());
    const response = await model.complete([{ role: "user", content: "hi" }]);
    expect(server.requests).toHaveLength(3);
    expect(response.text).toBeNull();
  });

  it("parses a Cohere reply with tool calls and usage", async () => {
    server.setHandler(replaying("oci/cohere-chat-tool-calls"));
    const model = createOciModel(
      "cohere.command-r-plus",
      { compartmentId: COMPARTMENT },
      internals(),
    );
    const response = await model.complete([{ role: "user", content: "Weather?" }]);
    expect(server.requests).toHaveLength(1);
    expect(response.toolCalls).toMatchObject([
      { name: "get_weather", arguments: { city: "Paris" } },
    ]);
    expect(response.toolCalls[0]?.id).toMatch(/^call_[0-9a-f]{24}$/);
    expect(response.stopReason).toBe("tool-calls");
    expect(response.usage).toMatchObject({ inputTokens: 40, outputTokens: 6, cacheReadTokens: 0 });
  });
});

describe("native errors", () => {
  it("maps an OCI {code, message} body to a typed error with the request id", async () => {
    server.setHandler(replaying("oci/error-404-not-authorized-or-not-found"));
    const model = createOciModel(ENDPOINT, { compartmentId: COMPARTMENT }, internals());
    const events = await collectEvents(model.stream([{ role: "user", content: "hi" }]));
    const error = lastFinish(events).error;
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({
      provider: "oci",
      kind: "permission",
      status: 404,
      code: "NotAuthorizedOrNotFound",
      retryable: false,
    });
    expect(error?.message).toContain("req-123");
    expect(server.requests).toHaveLength(1);
  });

  it("retries TooManyRequests after retry-after, then succeeds", async () => {
    const tooMany = loadFixture("oci/error-429-too-many-requests");
    const ok = loadFixture("oci/generic-ok");
    server.setHandler((_request, response) =>
      replay(response, server.requests.length === 1 ? tooMany : ok),
    );
    const model = createOciModel(ENDPOINT, { compartmentId: COMPARTMENT }, internals());
    const events = await collectEvents(model.stream([{ role: "user", content: "hi" }]));
    expect(server.requests).toHaveLength(2);
    expect(sleeps).toEqual([2000]);
    expect(textOf(events)).toBe("ok");
    expect(lastFinish(events).error).toBeUndefined();
  });

  it("reports a rate limit with retry-after once retries are used up", async () => {
    server.setHandler(replaying("oci/error-429-too-many-requests"));
    const model = createOciModel(
      ENDPOINT,
      { compartmentId: COMPARTMENT, maxRetries: 0 },
      internals(),
    );
    await expect(model.complete([{ role: "user", content: "hi" }])).rejects.toMatchObject({
      kind: "rate_limit",
      status: 429,
      code: "TooManyRequests",
      retryAfterMs: 2000,
    });
    expect(server.requests).toHaveLength(1);
  });

  it("ends the stream with an error sent inside it", async () => {
    server.setHandler(replaying("oci/generic-error-in-stream"));
    const model = createOciModel(ENDPOINT, { compartmentId: COMPARTMENT }, internals());
    const events = await collectEvents(model.stream([{ role: "user", content: "hi" }]));
    expect(textOf(events)).toBe("part");
    expect(lastFinish(events)).toMatchObject({
      stopReason: "error",
      error: { kind: "server_error", code: "InternalServerError" },
    });
  });

  it("keeps the partial text when the connection drops mid-stream", async () => {
    server.setHandler(replaying("oci/generic-drop-mid-stream"));
    const model = createOciModel(ENDPOINT, { compartmentId: COMPARTMENT }, internals());
    const events = await collectEvents(model.stream([{ role: "user", content: "hi" }]));
    expect(textOf(events)).toBe("Half an answer");
    expect(events.filter((event) => event.type === "finish")).toHaveLength(1);
    expect(lastFinish(events)).toMatchObject({
      stopReason: "error",
      usage: null,
      error: { kind: "connection", retryable: true },
    });
  });

  it("closes the connection and reports aborted when the signal fires mid-stream", async () => {
    server.setHandler(replaying("oci/generic-first", { ending: "hold" }));
    const controller = new AbortController();
    const model = createOciModel(ENDPOINT, { compartmentId: COMPARTMENT }, internals());
    const events: StreamEvent[] = [];
    for await (const event of model.stream([{ role: "user", content: "hi" }], {
      signal: controller.signal,
    })) {
      events.push(event);
      if (event.type === "text-delta") controller.abort();
    }
    expect(textOf(events)).toBe("first");
    expect(lastFinish(events)).toMatchObject({ stopReason: "error", error: { kind: "aborted" } });
    await server.waitForClientAbort();
    expect(server.clientAborts).toBe(1);
  });

  it("reports a missing config as not_configured without sending anything", async () => {
    const model = createOciModel(ENDPOINT, undefined, {
      ...internals(),
      environment: {
        OCI_CONFIG_FILE: `${files.configFile}.missing`,
        OCI_GENAI_BASE_URL: server.url,
      },
    });
    const events = await collectEvents(model.stream([{ role: "user", content: "hi" }]));
    expect(events.map((event) => event.type)).toEqual(["stream-start", "finish"]);
    expect(lastFinish(events).error).toMatchObject({ kind: "not_configured" });
    expect(lastFinish(events).error?.message).toContain("OCI_CONFIG_FILE");
    expect(server.requests).toHaveLength(0);
  });
});

describe("native request shaping", () => {
  it("sends maxCompletionTokens and no sampling settings to openai.* reasoning models", () => {
    const { body, unsupported } = buildOciChatDetails({
      modelId: "openai.o3",
      compartmentId: "c",
      messages: [{ role: "user", content: "x" }],
      callOptions: { maxTokens: 100, temperature: 0.5, topP: 0.5, stop: ["s"], promptCache: true },
      stream: false,
    });
    expect(body.chatRequest).toEqual({
      apiFormat: "GENERIC",
      messages: [{ role: "USER", content: [{ type: "TEXT", text: "x" }] }],
      maxCompletionTokens: 100,
    });
    expect(unsupported.map((entry) => entry.parameter)).toEqual([
      "temperature",
      "topP",
      "stop",
      "promptCache",
    ]);
  });

  it("keeps maxTokens for openai.* models that are not reasoning models", () => {
    const { body } = buildOciChatDetails({
      modelId: "openai.gpt-4o",
      compartmentId: "c",
      messages: [{ role: "user", content: "x" }],
      callOptions: { maxTokens: 100, temperature: 0.5 },
      stream: false,
    });
    expect(body.chatRequest).toMatchObject({ maxTokens: 100, temperature: 0.5 });
    expect(body.chatRequest.maxCompletionTokens).toBeUndefined();
  });
});
