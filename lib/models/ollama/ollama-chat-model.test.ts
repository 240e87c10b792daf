import { afterEach, describe, expect, it, vi } from "vitest";
import { type FakeServer, startFakeServer } from "@/test/support/fake-http-server";
import { loadFixture, replay, replaying } from "@/test/support/wire/replay";
import { InvalidOptionsError, ProviderError } from "../errors";
import type { Message, StreamEvent } from "../types";
import { OllamaChatModel } from "./ollama-chat-model";

const MODEL = "llama3.2:1b";

const USER: Message[] = [{ role: "user", content: "Say hello." }];

async function collect(stream: AsyncIterable<StreamEvent>): Promise<StreamEvent[]> {
  const events: StreamEvent[] = [];
  for await (const event of stream) events.push(event);
  return events;
}

function textOf(events: StreamEvent[]): string {
  return events.map((event) => (event.type === "text-delta" ? event.delta : "")).join("");
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

const servers: FakeServer[] = [];
async function serve(handler: Parameters<typeof startFakeServer>[0]): Promise<FakeServer> {
  const server = await startFakeServer(handler);
  servers.push(server);
  return server;
}

afterEach(async () => {
  vi.unstubAllEnvs();
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

describe("OllamaChatModel.stream", () => {
  it("sends /api/chat with every set option and parses text, usage and durations", async () => {
    const server = await serve(replaying("ollama/text"));
    const model = new OllamaChatModel(MODEL, { host: server.url });
    const schema = { type: "object", properties: { greeting: { type: "string" } } };
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
    const events = await collect(
      model.stream([{ role: "system", content: "Be brief." }, ...USER], {
        temperature: 0.2,
        topP: 0.9,
        maxTokens: 64,
        seed: 7,
        stop: ["END"],
        frequencyPenalty: 0.5,
        presencePenalty: 0.25,
        tools,
        responseFormat: { type: "json_schema", json_schema: { name: "answer", schema } },
      }),
    );

    expect(server.requests).toHaveLength(1);
    const request = server.requests[0];
    expect(request?.method).toBe("POST");
    expect(request?.url).toBe("/api/chat");
    const sent = request?.json();
    expect(sent).toEqual({
      model: MODEL,
      messages: [
        { role: "system", content: "Be brief." },
        { role: "user", content: "Say hello." },
      ],
      stream: true,
      tools,
      format: schema,
      options: {
        temperature: 0.2,
        top_p: 0.9,
        num_predict: 64,
        seed: 7,
        stop: ["END"],
        frequency_penalty: 0.5,
        presence_penalty: 0.25,
      },
    });
    const start = startOf(events);
    expect(start.request).toEqual({ url: `${server.url}/api/chat`, body: sent });
    expect(start.unsupported).toEqual([]);

    expect(events.filter((event) => event.type === "text-delta")).toHaveLength(3);
    expect(textOf(events)).toBe("Hello there!");
    const finish = finishOf(events);
    expect(finish.error).toBeUndefined();
    expect(finish.stopReason).toBe("stop");
    expect(finish.rawStopReason).toBe("stop");
    expect(finish.usage).toEqual({
      inputTokens: 10,
      outputTokens: 17,
      cacheReadTokens: null,
      cacheWriteTokens: null,
      cacheWrite5mTokens: null,
      cacheWrite1hTokens: null,
      reasoningTokens: null,
      raw: {
        prompt_eval_count: 10,
        eval_count: 17,
        total_duration: 4_353_619_900,
        load_duration: 63_915_300,
        prompt_eval_duration: 246_847_000,
        eval_duration: 4_032_296_000,
        durationsMs: { total: 4353.62, load: 63.915, promptEval: 246.847, eval: 4032.296 },
      },
    });
  });

  it("sends only the options that were set, and no options object when none were", async () => {
    const server = await serve(replaying("ollama/done-only"));
    const model = new OllamaChatModel(MODEL, { host: server.url });
    await collect(model.stream(USER, { maxTokens: 5 }));
    await collect(model.stream(USER));
    expect(server.requests[0]?.json()).toMatchObject({ options: { num_predict: 5 } });
    expect(server.requests[0]?.json()).toHaveProperty("options", { num_predict: 5 });
    expect(server.requests[1]?.json()).not.toHaveProperty("options");
    expect(server.requests[1]?.json()).not.toHaveProperty("tools");
    expect(server.requests[1]?.json()).not.toHaveProperty("format");
  });

  it("streams tool calls with unique ids when one tool is called twice", async () => {
    const server = await serve(replaying("ollama/tool-calls"));
    const model = new OllamaChatModel(MODEL, { host: server.url });
    const tools = [
      { type: "function" as const, function: { name: "get_weather", parameters: {} } },
    ];
    const events = await collect(model.stream(USER, { tools, maxTokens: 100 }));

    expect(server.requests[0]?.json()).toMatchObject({ tools, options: { num_predict: 100 } });
    const toolCalls = events.flatMap((event) =>
      event.type === "tool-call" ? [event.toolCall] : [],
    );
    expect(toolCalls.map((toolCall) => [toolCall.name, toolCall.arguments])).toEqual([
      ["get_weather", { city: "Paris" }],
      ["get_weather", { city: "Oslo" }],
    ]);
    const [first, second] = toolCalls;
    expect(first?.id).toMatch(/^call_get_weather_0_[0-9a-f]{8}$/);
    expect(second?.id).toMatch(/^call_get_weather_1_[0-9a-f]{8}$/);
    expect(first?.id).not.toBe(second?.id);
    const finish = finishOf(events);
    expect(finish.stopReason).toBe("tool-calls");
    expect(finish.rawStopReason).toBe("stop");

    // A second answer never reuses the ids of the first.
    const again = await collect(model.stream(USER, { tools }));
    const againIds = again.flatMap((event) =>
      event.type === "tool-call" ? [event.toolCall.id] : [],
    );
    expect(againIds).toHaveLength(2);
    for (const id of againIds) expect([first?.id, second?.id]).not.toContain(id);
  });

  it("sends assistant tool calls and tool results carrying tool_name", async () => {
    const server = await serve(replaying("ollama/text"));
    const model = new OllamaChatModel(MODEL, { host: server.url });
    await collect(
      model.stream([
        ...USER,
        {
          role: "assistant",
          content: null,
          toolCalls: [
            { id: "call_a", name: "get_weather", arguments: { city: "Paris" } },
            { id: "call_b", name: "get_time", arguments: {} },
          ],
        },
        { role: "tool", toolCallId: "call_a", content: "18°C" },
        { role: "tool", toolCallId: "call_b", content: "noon", name: "clock" },
        { role: "tool", toolCallId: "call_unknown", content: "?" },
      ]),
    );
    expect(server.requests[0]?.json()).toMatchObject({
      messages: [
        { role: "user", content: "Say hello." },
        {
          role: "assistant",
          content: "",
          tool_calls: [
            { function: { name: "get_weather", arguments: { city: "Paris" } } },
            { function: { name: "get_time", arguments: {} } },
          ],
        },
        { role: "tool", content: "18°C", tool_name: "get_weather" },
        { role: "tool", content: "noon", tool_name: "clock" },
        { role: "tool", content: "?" },
      ],
    });
    const sent = server.requests[0]?.json() as { messages: Array<Record<string, unknown>> };
    expect(sent.messages[4]).not.toHaveProperty("tool_name");
  });

  it("reports usage as null when the final object carries no counts", async () => {
    const server = await serve(replaying("ollama/no-counts"));
    const model = new OllamaChatModel(MODEL, { host: server.url });
    const finish = finishOf(await collect(model.stream(USER)));
    expect(finish.error).toBeUndefined();
    expect(finish.stopReason).toBe("stop");
    expect(finish.usage).toBeNull();
  });

  it("streams message.thinking as reasoning, apart from the content, counting it in eval_count", async () => {
    const server = await serve(replaying("ollama/thinking"));
    const model = new OllamaChatModel("qwen3:0.6b", { host: server.url });
    const events = await collect(model.stream(USER, { reasoningEffort: "high" }));
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
    ).toBe("Seven times six is 42.");
    // qwen3 takes thinking on or off only; the level is gpt-oss's.
    expect((server.requests[0]?.json() as { think?: unknown } | undefined)?.think).toBe(true);
    const finish = finishOf(events);
    expect(finish.error).toBeUndefined();
    expect(finish.stopReason).toBe("stop");
    expect(finish.usage).toMatchObject({
      inputTokens: 14,
      outputTokens: 31,
      reasoningTokens: null,
    });
  });

  it("sends reasoningEffort as gpt-oss's think level", async () => {
    const server = await serve(replaying("ollama/text"));
    const model = new OllamaChatModel("gpt-oss:20b", { host: server.url });
    await collect(model.stream(USER, { reasoningEffort: "low" }));
    expect((server.requests[0]?.json() as { think?: unknown } | undefined)?.think).toBe("low");
  });

  it("sends image parts as base64 images beside the message text", async () => {
    const server = await serve(replaying("ollama/text"));
    const model = new OllamaChatModel("llava:7b", { host: server.url });
    await collect(
      model.stream([
        {
          role: "user",
          content: [
            { type: "text", text: "What is this?" },
            { type: "image", mediaType: "image/png", data: "iVBORw0KGgo=" },
          ],
        },
      ]),
    );
    expect((server.requests[0]?.json() as { messages: unknown } | undefined)?.messages).toEqual([
      { role: "user", content: "What is this?", images: ["iVBORw0KGgo="] },
    ]);
  });

  it("keeps a missing prompt count null and reads the cached count when present", async () => {
    // An older server omits prompt_eval_count on a cache hit; a newer one reports the cached part.
    const older = loadFixture("ollama/no-prompt-count");
    const newer = loadFixture("ollama/cache-read");
    const server = await serve((request, response) =>
      replay(
        response,
        (request.json() as { messages: unknown[] }).messages.length > 1 ? newer : older,
      ),
    );
    const model = new OllamaChatModel(MODEL, { host: server.url });
    const olderFinish = finishOf(await collect(model.stream(USER)));
    expect(olderFinish.usage).toMatchObject({
      inputTokens: null,
      outputTokens: 17,
      cacheReadTokens: null,
    });
    const newerFinish = finishOf(
      await collect(model.stream([...USER, { role: "assistant", content: "Hi" }, ...USER])),
    );
    expect(newerFinish.usage).toMatchObject({
      inputTokens: 29,
      outputTokens: 17,
      cacheReadTokens: 24,
      cacheWriteTokens: null,
      reasoningTokens: null,
    });
    expect(newerFinish.usage?.raw).toMatchObject({
      prompt_eval_count: 29,
      prompt_eval_cached_count: 24,
    });
  });

  it("maps done_reason length to length", async () => {
    const server = await serve(replaying("ollama/length"));
    const model = new OllamaChatModel(MODEL, { host: server.url });
    const finish = finishOf(await collect(model.stream(USER, { maxTokens: 2 })));
    expect(finish.stopReason).toBe("length");
    expect(finish.rawStopReason).toBe("length");
  });

  it("still finishes when the stream ends without a done object", async () => {
    const server = await serve(replaying("ollama/no-done"));
    const model = new OllamaChatModel(MODEL, { host: server.url });
    const events = await collect(model.stream(USER));
    expect(textOf(events)).toBe("Half an answer");
    const finish = finishOf(events);
    expect(finish.error).toBeUndefined();
    expect(finish.stopReason).toBe("other");
    expect(finish.rawStopReason).toBeNull();
    expect(finish.usage).toBeNull();
  });

  it("reports promptCache as unsupported and does not send it", async () => {
    const server = await serve(replaying("ollama/done-only"));
    const model = new OllamaChatModel(MODEL, { host: server.url, keepAlive: "10m" });
    const events = await collect(model.stream(USER, { promptCache: true }));
    expect(startOf(events).unsupported).toEqual([
      {
        parameter: "promptCache",
        reason: "Ollama caches the prompt automatically; there is nothing to set",
      },
    ]);
    const sent = server.requests[0]?.json() as Record<string, unknown>;
    expect(JSON.stringify(sent)).not.toMatch(/cache/i);
    expect(sent.keep_alive).toBe("10m");
  });

  it("classifies a 404 for an unknown model, with Ollama's message", async () => {
    const server = await serve(replaying("ollama/error-404"));
    const model = new OllamaChatModel("nope", { host: server.url });
    const events = await collect(model.stream(USER));
    expect(startOf(events).request.url).toBe(`${server.url}/api/chat`);
    const finish = finishOf(events);
    expect(finish.stopReason).toBe("error");
    expect(finish.usage).toBeNull();
    expect(finish.error).toBeInstanceOf(ProviderError);
    expect(finish.error).toMatchObject({ kind: "model_not_found", status: 404, retryable: false });
    expect(finish.error?.message).toContain("model 'nope' not found");
    expect(finish.error?.message).toContain("ollama pull nope");
  });

  it("classifies a 500 as a retryable server error", async () => {
    const server = await serve(replaying("ollama/error-500"));
    const model = new OllamaChatModel(MODEL, { host: server.url });
    const finish = finishOf(await collect(model.stream(USER)));
    expect(finish.error).toMatchObject({ kind: "server_error", status: 500, retryable: true });
    expect(finish.error?.message).toContain("llama runner process has terminated");
  });

  it("fails with invalid_response on a malformed NDJSON line, keeping the text before it", async () => {
    const server = await serve(replaying("ollama/malformed-line"));
    const model = new OllamaChatModel(MODEL, { host: server.url });
    const warn = vi.spyOn(console, "warn");
    const events = await collect(model.stream(USER));
    expect(textOf(events)).toBe("Good");
    const finish = finishOf(events);
    expect(finish.stopReason).toBe("error");
    expect(finish.error).toMatchObject({ kind: "invalid_response" });
    expect(warn).not.toHaveBeenCalled();
    warn.mockRestore();
  });

  it("classifies an error object sent mid-stream as a server error", async () => {
    const server = await serve(replaying("ollama/error-in-stream"));
    const model = new OllamaChatModel(MODEL, { host: server.url });
    const events = await collect(model.stream(USER));
    expect(textOf(events)).toBe("Start");
    const finish = finishOf(events);
    expect(finish.error).toMatchObject({ kind: "server_error", status: null });
    expect(finish.error?.message).toContain("an error was encountered while running the model");
  });

  it("keeps the partial text when the connection drops mid-stream", async () => {
    const server = await serve(replaying("ollama/drop-mid-stream"));
    const model = new OllamaChatModel(MODEL, { host: server.url });
    const events = await collect(model.stream(USER));
    expect(textOf(events)).toBe("Partial text");
    const finish = finishOf(events);
    expect(finish.stopReason).toBe("error");
    expect(finish.usage).toBeNull();
    expect(finish.error).toMatchObject({ kind: "connection", retryable: true });
    expect(finish.error?.message).toContain("lost before the answer was complete");
  });

  it("closes the HTTP connection and finishes aborted when the signal fires mid-stream", async () => {
    const server = await serve(replaying("ollama/text", { frames: 1, ending: "hold" }));
    const model = new OllamaChatModel(MODEL, { host: server.url });
    const controller = new AbortController();
    const events: StreamEvent[] = [];
    for await (const event of model.stream(USER, { signal: controller.signal })) {
      events.push(event);
      if (event.type === "text-delta") controller.abort();
    }
    await server.waitForClientAbort();
    expect(textOf(events)).toBe("Hello");
    const finish = finishOf(events);
    expect(finish.stopReason).toBe("error");
    expect(finish.error).toMatchObject({ kind: "aborted" });
  });

  it("aborts one call without disturbing another on the same model", async () => {
    const steadyAnswer = loadFixture("ollama/steady");
    const server = await serve(async (request, response) => {
      const prompt = (request.json() as { messages: Array<{ content: string }> }).messages[0]
        ?.content;
      if (prompt === "slow") {
        await replay(response, loadFixture("ollama/text"), { frames: 1, ending: "hold" });
        return;
      }
      // Half the steady answer, then the rest only once the slow call has been aborted.
      await replay(response, steadyAnswer, { frames: 2, ending: "hold", delayMs: 20 });
      await server.waitForClientAbort();
      await replay(response, { ...steadyAnswer, frames: steadyAnswer.frames.slice(2) });
    });
    const model = new OllamaChatModel(MODEL, { host: server.url });
    const controller = new AbortController();
    const slow = (async () => {
      const events: StreamEvent[] = [];
      for await (const event of model.stream([{ role: "user", content: "slow" }], {
        signal: controller.signal,
      })) {
        events.push(event);
        if (event.type === "text-delta") controller.abort();
      }
      return events;
    })();
    const steady = collect(model.stream([{ role: "user", content: "steady" }]));
    const [slowEvents, steadyEvents] = await Promise.all([slow, steady]);
    expect(finishOf(slowEvents).error).toMatchObject({ kind: "aborted" });
    expect(server.clientAborts).toBe(1);
    expect(textOf(steadyEvents)).toBe("one two three");
    const steadyFinish = finishOf(steadyEvents);
    expect(steadyFinish.stopReason).toBe("stop");
    expect(steadyFinish.error).toBeUndefined();
  });

  it("close() aborts calls in flight", async () => {
    const server = await serve(replaying("ollama/text", { frames: 1, ending: "hold" }));
    const model = new OllamaChatModel(MODEL, { host: server.url });
    const events: StreamEvent[] = [];
    for await (const event of model.stream(USER)) {
      events.push(event);
      if (event.type === "text-delta") await model.close();
    }
    await server.waitForClientAbort();
    expect(finishOf(events).error).toMatchObject({ kind: "aborted" });
  });

  it("closes the connection when the consumer stops reading early", async () => {
    const server = await serve(replaying("ollama/text", { frames: 1, ending: "hold" }));
    const model = new OllamaChatModel(MODEL, { host: server.url });
    for await (const event of model.stream(USER)) {
      if (event.type === "text-delta") break;
    }
    await server.waitForClientAbort();
    expect(server.clientAborts).toBe(1);
  });

  it("says Ollama is not reachable, naming the host and OLLAMA_HOST, when nothing listens", async () => {
    const server = await serve(() => undefined);
    const url = server.url;
    await server.close();
    servers.splice(servers.indexOf(server), 1);
    const model = new OllamaChatModel(MODEL, { host: url });
    const finish = finishOf(await collect(model.stream(USER)));
    expect(finish.stopReason).toBe("error");
    expect(finish.error).toMatchObject({ kind: "connection", retryable: true, status: null });
    expect(finish.error?.message).toContain(`Ollama is not reachable at ${url}`);
    expect(finish.error?.message).toContain("OLLAMA_HOST");
  });

  it("times out when the response does not start within timeoutMs", async () => {
    const server = await serve(() => undefined);
    const model = new OllamaChatModel(MODEL, { host: server.url, timeoutMs: 100 });
    const finish = finishOf(await collect(model.stream(USER)));
    expect(finish.error).toMatchObject({ kind: "timeout", retryable: true });
    await server.waitForClientAbort();
  });

  it("finishes aborted without sending when the signal is already aborted", async () => {
    const server = await serve(replaying("ollama/done-only"));
    const model = new OllamaChatModel(MODEL, { host: server.url });
    const finish = finishOf(await collect(model.stream(USER, { signal: AbortSignal.abort() })));
    expect(finish.error).toMatchObject({ kind: "aborted" });
    expect(server.requests).toHaveLength(0);
  });
});

describe("OllamaChatModel.complete", () => {
  it("sends a non-streamed request and maps text, tool calls, stop reason and usage", async () => {
    const server = await serve(replaying("ollama/chat-tool-calls"));
    const model = new OllamaChatModel(MODEL, { host: server.url });
    const response = await model.complete(USER, {
      maxTokens: 32,
      tools: [{ type: "function", function: { name: "lookup" } }],
      responseFormat: { type: "json_object" },
    });
    const sent = server.requests[0]?.json();
    expect(server.requests[0]?.url).toBe("/api/chat");
    expect(sent).toEqual({
      model: MODEL,
      messages: [{ role: "user", content: "Say hello." }],
      stream: false,
      tools: [{ type: "function", function: { name: "lookup" } }],
      format: "json",
      options: { num_predict: 32 },
    });
    expect(response.request).toEqual({ url: `${server.url}/api/chat`, body: sent });
    expect(response.text).toBeNull();
    expect(response.toolCalls.map((toolCall) => toolCall.arguments)).toEqual([
      { q: "a" },
      { q: "b" },
    ]);
    expect(new Set(response.toolCalls.map((toolCall) => toolCall.id)).size).toBe(2);
    expect(response.stopReason).toBe("tool-calls");
    expect(response.rawStopReason).toBe("stop");
    expect(response.usage).toMatchObject({ inputTokens: 10, outputTokens: 17 });
    expect(response.usage?.raw).toMatchObject({ durationsMs: { load: 63.915 } });
  });

  it("returns the text of a plain answer", async () => {
    const server = await serve(replaying("ollama/chat-text"));
    const model = new OllamaChatModel(MODEL, { host: server.url });
    const response = await model.complete(USER);
    expect(response).toMatchObject({ text: "Hi!", toolCalls: [], stopReason: "stop" });
  });

  it("throws a ProviderError for a 404", async () => {
    const server = await serve(replaying("ollama/error-404"));
    const model = new OllamaChatModel("nope", { host: server.url });
    const failure = await model.complete(USER).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ProviderError);
    expect(failure).toMatchObject({ kind: "model_not_found", status: 404 });
  });

  it("aborts a non-streamed call through its signal and closes the connection", async () => {
    const server = await serve(() => undefined);
    const model = new OllamaChatModel(MODEL, { host: server.url });
    const controller = new AbortController();
    const pending = model
      .complete(USER, { signal: controller.signal })
      .catch((error: unknown) => error);
    while (server.requests.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    controller.abort();
    expect(await pending).toMatchObject({ kind: "aborted" });
    await server.waitForClientAbort();
  });

  it("throws a connection error when nothing listens", async () => {
    const server = await serve(() => undefined);
    const url = server.url;
    await server.close();
    servers.splice(servers.indexOf(server), 1);
    const failure = await new OllamaChatModel(MODEL, { host: url })
      .complete(USER)
      .catch((error: unknown) => error);
    expect(failure).toMatchObject({ kind: "connection" });
    expect((failure as Error).message).toContain(`Ollama is not reachable at ${url}`);
  });
});

describe("OllamaChatModel options and host", () => {
  it("rejects unknown options", () => {
    expect(() => new OllamaChatModel(MODEL, { hots: "x" })).toThrow(InvalidOptionsError);
    expect(() => new OllamaChatModel(MODEL, { timeoutMs: -1 })).toThrow(InvalidOptionsError);
  });

  it("rejects an invalid host, and says so for OLLAMA_HOST without echoing it", () => {
    expect(() => new OllamaChatModel(MODEL, { host: "ftp://example.com" })).toThrow(
      InvalidOptionsError,
    );
    vi.stubEnv("OLLAMA_HOST", "http://[bad");
    expect(() => new OllamaChatModel(MODEL)).toThrow(/OLLAMA_HOST is not a valid/);
  });

  it("rejects unknown call options", async () => {
    const model = new OllamaChatModel(MODEL, { host: "http://127.0.0.1:9" });
    const options = { temprature: 1 } as unknown as Parameters<typeof model.complete>[1];
    await expect(collect(model.stream(USER, options))).rejects.toThrow(InvalidOptionsError);
    await expect(model.complete(USER, options)).rejects.toThrow(InvalidOptionsError);
  });

  it("honours OLLAMA_HOST, also without a scheme, and lets the host option win", async () => {
    const server = await serve(replaying("ollama/text"));
    vi.stubEnv("OLLAMA_HOST", server.url.replace("http://", ""));
    const model = new OllamaChatModel(MODEL);
    expect(model.hostUrl).toBe(server.url);
    expect(textOf(await collect(model.stream(USER)))).toBe("Hello there!");
    expect(server.requests).toHaveLength(1);

    const other = await serve(replaying("ollama/done-only"));
    await collect(new OllamaChatModel(MODEL, { host: other.url }).stream(USER));
    expect(other.requests).toHaveLength(1);
    expect(server.requests).toHaveLength(1);
  });

  it("defaults to 127.0.0.1:11434 without OLLAMA_HOST", () => {
    vi.stubEnv("OLLAMA_HOST", "");
    expect(new OllamaChatModel(MODEL).hostUrl).toBe("http://127.0.0.1:11434");
  });

  it("sends host credentials as a Basic header and never shows them", async () => {
    const server = await serve(replaying("ollama/done-only"));
    const withCredentials = server.url.replace("http://", "http://user:s3cret-pass@");
    const model = new OllamaChatModel(MODEL, { host: withCredentials });
    const events = await collect(model.stream(USER));
    expect(server.requests[0]?.headers.authorization).toBe(
      `Basic ${Buffer.from("user:s3cret-pass").toString("base64")}`,
    );
    expect(JSON.stringify(events)).not.toContain("s3cret-pass");
    expect(startOf(events).request.url).toBe(`${server.url}/api/chat`);
  });
});
