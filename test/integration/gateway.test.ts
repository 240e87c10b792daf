/**
 * The gateway through the official SDKs as clients: `openai` against `/v1/chat/completions`
 * and `@anthropic-ai/sdk` against `/v1/messages`, the routes served behind the real proxy,
 * upstreams faked from the recorded wire fixtures. Cross-wire cases check that usage is
 * translated into the client's own fields.
 */
import { readFileSync } from "node:fs";
import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { type AppServer, DEFAULT_ROUTES, startAppServer } from "@/test/support/app-server";
import {
  flushRecorder,
  modelOf,
  openAIAnswering,
  setUpIntegrationEnvironment,
} from "@/test/support/runs-integration";
import { anthropicAnswer, openAIAnswer } from "@/test/support/wire/answers";
import { replay, replaying } from "@/test/support/wire/replay";

let app: AppServer;
const logged: string[] = [];

const GATEWAY_ROUTES = [
  ...DEFAULT_ROUTES,
  { path: "/v1/chat/completions", load: () => import("@/app/v1/chat/completions/route") },
  { path: "/v1/messages", load: () => import("@/app/v1/messages/route") },
  { path: "/v1/models", load: () => import("@/app/v1/models/route") },
  { path: "/api/keys", load: () => import("@/app/api/keys/route") },
  { path: "/api/keys/[keyId]", load: () => import("@/app/api/keys/[keyId]/route") },
  { path: "/api/aliases", load: () => import("@/app/api/aliases/route") },
  { path: "/api/usage", load: () => import("@/app/api/usage/route") },
];

async function createKey(body: Record<string, unknown>): Promise<{ keyId: string; key: string }> {
  const response = await fetch(`${app.url}/api/keys`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  expect(response.status).toBe(201);
  return response.json();
}

function openAIClient(key: string, headers: Record<string, string> = {}): OpenAI {
  return new OpenAI({
    apiKey: key,
    baseURL: `${app.url}/v1`,
    maxRetries: 0,
    defaultHeaders: headers,
  });
}

function anthropicClient(key: string): Anthropic {
  return new Anthropic({ apiKey: key, baseURL: app.url, maxRetries: 0 });
}

let key: string;

beforeAll(() => {
  for (const method of ["log", "error", "warn", "info"] as const) {
    vi.spyOn(console, method).mockImplementation((...values: unknown[]) => {
      logged.push(values.map(String).join(" "));
    });
  }
});

afterAll(() => {
  vi.restoreAllMocks();
});

// Between the spies' hooks and the gateway's: started after the spies, closed before the restore.
const environment = setUpIntegrationEnvironment();

beforeAll(async () => {
  app = await startAppServer({ routes: GATEWAY_ROUTES });
  key = (await createKey({ name: "team-app" })).key;
});

afterAll(async () => {
  await app?.close();
});

describe("OpenAI clients", () => {
  it("answers a non-streaming completion from an OpenAI upstream", async () => {
    const completion = await openAIClient(key).chat.completions.create({
      model: "openai:gpt-4o-mini",
      messages: [
        { role: "system", content: "be brief" },
        { role: "user", content: "hello" },
      ],
    });
    expect(completion.choices[0]?.message.content).toContain("Answer from gpt-4o-mini");
    expect(completion.choices[0]?.finish_reason).toBe("stop");
    expect(completion.usage?.prompt_tokens).toBe(12);
    const sent = environment.openai.requests.at(-1)?.json() as { messages: unknown[] };
    expect(sent.messages[0]).toMatchObject({ role: "system", content: "be brief" });
  });

  it("streams chunks with a usage chunk when include_usage is asked", async () => {
    environment.openai.setHandler(replaying("openai/cache-read"));
    const stream = await openAIClient(key).chat.completions.create({
      model: "openai:gpt-4o-mini",
      messages: [{ role: "user", content: "cached" }],
      stream: true,
      stream_options: { include_usage: true },
    });
    let text = "";
    let usage: OpenAI.CompletionUsage | null | undefined = null;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? "";
      if (chunk.usage) usage = chunk.usage;
    }
    expect(text.length).toBeGreaterThan(0);
    expect(usage?.prompt_tokens).toBe(17_903);
    expect(usage?.prompt_tokens_details?.cached_tokens).toBe(17_817);
  });

  it("gets Claude's cached usage in OpenAI's fields (inclusive prompt_tokens)", async () => {
    environment.anthropic.setHandler(replaying("anthropic/cache-write"));
    const stream = await openAIClient(key).chat.completions.create({
      model: "anthropic:claude-haiku-4-5",
      messages: [{ role: "user", content: "cache me" }],
      stream: true,
      stream_options: { include_usage: true },
    });
    let usage: OpenAI.CompletionUsage | null | undefined = null;
    for await (const chunk of stream) if (chunk.usage) usage = chunk.usage;
    expect(usage?.prompt_tokens).toBe(12_307);
    expect(usage?.completion_tokens).toBe(40);
  });

  it("relays tool calls from an Anthropic upstream and sends tool results back", async () => {
    environment.anthropic.setHandler(replaying("anthropic/tool-use"));
    const completion = await openAIClient(key).chat.completions.create({
      model: "anthropic:claude-haiku-4-5",
      messages: [{ role: "user", content: "weather in Paris?" }],
      tools: [
        {
          type: "function",
          function: { name: "get_weather", parameters: { type: "object", properties: {} } },
        },
      ],
    });
    const choice = completion.choices[0];
    expect(choice?.finish_reason).toBe("tool_calls");
    const toolCall = choice?.message.tool_calls?.[0];
    expect(toolCall?.type).toBe("function");
    if (toolCall?.type !== "function") throw new Error("no function tool call");
    expect(toolCall.function.name).toBe("get_weather");
    expect(JSON.parse(toolCall.function.arguments)).toBeTypeOf("object");

    environment.anthropic.setHandler((request, response) =>
      replay(response, anthropicAnswer({ model: modelOf(request), pieces: ["Sunny."] })),
    );
    const followUp = await openAIClient(key).chat.completions.create({
      model: "anthropic:claude-haiku-4-5",
      messages: [
        { role: "user", content: "weather in Paris?" },
        { role: "assistant", content: null, tool_calls: [toolCall] },
        { role: "tool", tool_call_id: toolCall.id, content: "sunny, 21°C" },
      ],
    });
    expect(followUp.choices[0]?.message.content).toBe("Sunny.");
    const sent = environment.anthropic.requests.at(-1)?.json() as {
      messages: { role: string; content: { type: string; tool_use_id?: string }[] }[];
    };
    expect(sent.messages[2]?.content[0]).toMatchObject({
      type: "tool_result",
      tool_use_id: toolCall.id,
    });
  });

  it("keeps an upstream 429 and its retry-after", async () => {
    environment.anthropic.setHandler(replaying("anthropic/error-429"));
    const error = await openAIClient(key)
      .chat.completions.create({
        model: "anthropic:claude-haiku-4-5",
        messages: [{ role: "user", content: "hi" }],
        stream: true,
      })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OpenAI.APIError);
    expect((error as InstanceType<typeof OpenAI.APIError>).status).toBe(429);
    expect((error as InstanceType<typeof OpenAI.APIError>).headers?.get("retry-after")).toBe("7");
  });

  it("ends a stream whose upstream drops with an error the SDK raises, after the text it had", async () => {
    environment.openai.setHandler(replaying("openai/drop-mid-stream"));
    const stream = await openAIClient(key).chat.completions.create({
      model: "openai:gpt-4o-mini",
      messages: [{ role: "user", content: "drop" }],
      stream: true,
    });
    let text = "";
    const error = await (async () => {
      for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? "";
    })().catch((caught: unknown) => caught);
    expect(text).toBe("Half an answer");
    expect(error).toBeInstanceOf(OpenAI.APIError);
  });

  it("cancels the upstream call of a client that goes away mid-stream, and records it so", async () => {
    environment.openai.setHandler(openAIAnswering({ delayMs: 40 }));
    const { data: stream, response } = await openAIClient(key)
      .chat.completions.create({
        model: "openai:gpt-4o-mini",
        messages: [{ role: "user", content: "leave early" }],
        stream: true,
      })
      .withResponse();
    for await (const chunk of stream) {
      if (chunk.choices[0]?.delta.content) break;
    }
    const callId = response.headers.get("x-locus-call-id");
    await vi.waitFor(
      async () => {
        await flushRecorder();
        const call = (await (await fetch(`${app.url}/api/calls/${callId}`)).json()) as {
          status: string;
          output: string;
        };
        expect(call.status).toBe("cancelled");
        expect(call.output.length).toBeGreaterThan(0);
      },
      { timeout: 5_000, interval: 50 },
    );
  });
});

describe("Anthropic clients", () => {
  it("streams GPT's answer as Anthropic events, usage in Anthropic's fields", async () => {
    environment.openai.setHandler(replaying("openai/cache-read"));
    const stream = anthropicClient(key).messages.stream({
      model: "openai:gpt-4o-mini",
      max_tokens: 100,
      messages: [{ role: "user", content: "cached" }],
    });
    const message = await stream.finalMessage();
    expect(message.content[0]?.type).toBe("text");
    expect(message.stop_reason).toBe("end_turn");
    expect(message.usage.input_tokens).toBe(17_903 - 17_817);
    expect(message.usage.cache_read_input_tokens).toBe(17_817);
  });

  it("answers non-streaming from Anthropic with input excluding cache", async () => {
    environment.anthropic.setHandler(replaying("anthropic/cache-write"));
    const message = await anthropicClient(key).messages.create({
      model: "anthropic:claude-haiku-4-5",
      max_tokens: 100,
      system: "be brief",
      messages: [{ role: "user", content: "hello" }],
    });
    expect(message.usage.input_tokens).toBe(3);
    expect(message.usage.cache_creation_input_tokens).toBe(12_304);
    expect(message.usage.output_tokens).toBe(40);
  });

  it("streams tool_use blocks with input_json_delta from an OpenAI upstream", async () => {
    environment.openai.setHandler((request, response) =>
      replay(
        response,
        openAIAnswer({
          model: modelOf(request),
          pieces: ["Checking."],
          toolCalls: [{ id: "call_1", name: "get_weather", arguments: '{"city":"Paris"}' }],
        }),
      ),
    );
    const stream = anthropicClient(key).messages.stream({
      model: "openai:gpt-4o-mini",
      max_tokens: 100,
      messages: [{ role: "user", content: "weather?" }],
      tools: [{ name: "get_weather", input_schema: { type: "object", properties: {} } }],
    });
    const message = await stream.finalMessage();
    expect(message.stop_reason).toBe("tool_use");
    expect(message.content.map((block) => block.type)).toEqual(["text", "tool_use"]);
    expect(message.content[1]).toMatchObject({ name: "get_weather", input: { city: "Paris" } });
  });
});

describe("keys", () => {
  it("refuses a bad key with 401 in each client's format, and the token does not open /v1", async () => {
    const openAIError = await openAIClient("lgw_wrong")
      .chat.completions.create({ model: "demo:x", messages: [{ role: "user", content: "hi" }] })
      .catch((caught: unknown) => caught);
    expect((openAIError as InstanceType<typeof OpenAI.APIError>).status).toBe(401);
    const anthropicError = await anthropicClient("lgw_wrong")
      .messages.create({
        model: "demo:x",
        max_tokens: 10,
        messages: [{ role: "user", content: "hi" }],
      })
      .catch((caught: unknown) => caught);
    expect(anthropicError).toBeInstanceOf(Anthropic.AuthenticationError);
    const raw = await fetch(`${app.url}/v1/messages`, { method: "POST" });
    expect(await raw.json()).toMatchObject({
      type: "error",
      error: { type: "authentication_error" },
    });
  });

  it("stops a revoked key at once", async () => {
    const created = await createKey({ name: "short-lived" });
    const client = openAIClient(created.key);
    environment.openai.setHandler((request, response) =>
      replay(response, openAIAnswer({ model: modelOf(request), pieces: ["ok"] })),
    );
    await client.chat.completions.create({
      model: "openai:gpt-4o-mini",
      messages: [{ role: "user", content: "hi" }],
    });
    const revoked = await fetch(`${app.url}/api/keys/${created.keyId}`, { method: "DELETE" });
    expect(revoked.status).toBe(204);
    const error = await client.chat.completions
      .create({ model: "openai:gpt-4o-mini", messages: [{ role: "user", content: "hi" }] })
      .catch((caught: unknown) => caught);
    expect((error as InstanceType<typeof OpenAI.APIError>).status).toBe(401);
  });

  it("refuses a model the key may not call, and allows it by alias", async () => {
    await fetch(`${app.url}/api/aliases`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ alias: "fast", model: "openai:gpt-4o-mini" }),
    });
    const limited = await createKey({ name: "limited", models: ["fast"] });
    const error = await openAIClient(limited.key)
      .chat.completions.create({
        model: "anthropic:claude-haiku-4-5",
        messages: [{ role: "user", content: "hi" }],
      })
      .catch((caught: unknown) => caught);
    expect((error as InstanceType<typeof OpenAI.APIError>).status).toBe(403);
    const completion = await openAIClient(limited.key).chat.completions.create({
      model: "fast",
      messages: [{ role: "user", content: "hi" }],
    });
    expect(completion.model).toBe("fast");
    expect(modelOf(environment.openai.requests.at(-1) as never)).toBe("gpt-4o-mini");
  });

  it("answers 429 naming the budget once a key's daily budget is spent", async () => {
    const budgeted = await createKey({ name: "budgeted", budgetUsd: { daily: 0.000001 } });
    const client = openAIClient(budgeted.key);
    await client.chat.completions.create({
      model: "openai:gpt-4o-mini",
      messages: [{ role: "user", content: "hi" }],
    });
    await flushRecorder();
    const error = await anthropicClient(budgeted.key)
      .messages.create({
        model: "openai:gpt-4o-mini",
        max_tokens: 10,
        messages: [{ role: "user", content: "hi" }],
      })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(Anthropic.RateLimitError);
    expect((error as Error).message).toContain("daily budget");
  });
});

describe("the record", () => {
  it("never stores, logs or answers a gateway key", async () => {
    await flushRecorder();
    const database = readFileSync(environment.databasePath);
    const calls = await (await fetch(`${app.url}/api/usage?groupBy=model`)).text();
    const keys = await (await fetch(`${app.url}/api/keys`)).text();
    for (const text of [database.toString("latin1"), calls, keys, logged.join("\n")]) {
      expect(text).not.toContain(key);
      expect(text).not.toContain(key.slice(12));
    }
  });
});
