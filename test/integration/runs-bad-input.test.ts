/**
 * Every kind of bad input to `POST /api/runs` gets a 4xx `{ error: { code, message } }` before
 * any stream starts, never a 500 — and starts no upstream call.
 */
import { describe, expect, it } from "vitest";
import { postRun, setUpIntegrationEnvironment } from "@/test/support/runs-integration";

const environment = setUpIntegrationEnvironment();

const messages = [{ role: "user", content: "hi" }];
const targets = [{ model: "openai:gpt-4o-mini" }];

const cases: Array<{
  name: string;
  body: unknown;
  status: number;
  code: string;
  mentions?: string;
}> = [
  { name: "non-JSON", body: "{not json", status: 400, code: "invalid_json" },
  { name: "an empty body", body: "", status: 400, code: "invalid_json" },
  { name: "a JSON array", body: [], status: 400, code: "invalid_request" },
  { name: "JSON null", body: "null", status: 400, code: "invalid_request" },
  {
    name: "no targets",
    body: { messages, targets: [] },
    status: 400,
    code: "invalid_request",
    mentions: "targets",
  },
  {
    name: "missing targets",
    body: { messages },
    status: 400,
    code: "invalid_request",
    mentions: "targets",
  },
  {
    name: "17 targets",
    body: { messages, targets: Array.from({ length: 17 }, () => ({ model: "demo:chat" })) },
    status: 400,
    code: "invalid_request",
    mentions: "16",
  },
  {
    name: "empty messages",
    body: { messages: [], targets },
    status: 400,
    code: "invalid_request",
    mentions: "messages",
  },
  {
    name: "an empty user message",
    body: { messages: [{ role: "user", content: "  " }], targets },
    status: 400,
    code: "invalid_request",
  },
  {
    name: "a malformed model string",
    body: { messages, targets: [{ model: "gpt-4o-mini" }] },
    status: 400,
    code: "invalid_model",
    mentions: "provider:model",
  },
  {
    name: "an unknown provider",
    body: { messages, targets: [{ model: "bogus:model" }] },
    status: 400,
    code: "invalid_model",
    mentions: "targets[0].model: Unknown provider: bogus",
  },
  {
    name: "a model with no name",
    body: { messages, targets: [{ model: "openai:" }] },
    status: 400,
    code: "invalid_model",
  },
  {
    name: "a model of the wrong type",
    body: { messages, targets: [{ model: 42 }] },
    status: 400,
    code: "invalid_request",
  },
  {
    name: "a temperature of the wrong type",
    body: { messages, targets: [{ model: "openai:gpt-4o-mini", params: { temperature: "hot" } }] },
    status: 400,
    code: "invalid_request",
    mentions: "targets[0].params.temperature",
  },
  {
    name: "a temperature out of range",
    body: { messages, targets: [{ model: "openai:gpt-4o-mini", params: { temperature: 7 } }] },
    status: 400,
    code: "invalid_params",
    mentions: "targets[0].params.temperature",
  },
  {
    name: "a temperature out of range in the second target",
    body: {
      messages,
      targets: [{ model: "demo:chat" }, { model: "demo:fast", params: { temperature: 5 } }],
    },
    status: 400,
    code: "invalid_params",
    mentions: "targets[1].params.temperature",
  },
  {
    name: "a topP above 1",
    body: { messages, targets: [{ model: "openai:gpt-4o-mini", params: { topP: 1.5 } }] },
    status: 400,
    code: "invalid_params",
    mentions: "targets[0].params.topP",
  },
  {
    name: "a negative maxTokens",
    body: { messages, targets: [{ model: "openai:gpt-4o-mini", params: { maxTokens: -3 } }] },
    status: 400,
    code: "invalid_params",
    mentions: "targets[0].params.maxTokens",
  },
  {
    name: "a maxTokens of 0",
    body: { messages, targets: [{ model: "demo:chat", params: { maxTokens: 0 } }] },
    status: 400,
    code: "invalid_params",
    mentions: "targets[0].params.maxTokens",
  },
  {
    name: "a maxTokens above the model's output limit",
    body: { messages, targets: [{ model: "openai:gpt-4o-mini", params: { maxTokens: 16_385 } }] },
    status: 400,
    code: "invalid_params",
    mentions: "at most 16384",
  },
  {
    name: "a maxTokens of 1e12 for a model of unknown limit",
    body: { messages, targets: [{ model: "ollama:llama3.2", params: { maxTokens: 1e12 } }] },
    status: 400,
    code: "invalid_params",
    mentions: "targets[0].params.maxTokens",
  },
  {
    name: "an unknown demo model",
    body: { messages, targets: [{ model: "demo:chat" }, { model: "demo:nonexistent" }] },
    status: 400,
    code: "invalid_params",
    mentions: "targets[1].model",
  },
  {
    name: "a fractional maxTokens",
    body: { messages, targets: [{ model: "openai:gpt-4o-mini", params: { maxTokens: 1.5 } }] },
    status: 400,
    code: "invalid_request",
  },
  {
    name: "an unknown parameter",
    body: { messages, targets: [{ model: "openai:gpt-4o-mini", params: { temprature: 0.2 } }] },
    status: 400,
    code: "invalid_request",
    mentions: "temprature",
  },
  {
    name: "an unknown role",
    body: { messages: [{ role: "wizard", content: "hi" }], targets },
    status: 400,
    code: "invalid_request",
  },
  {
    name: "a tool message without toolCallId",
    body: { messages: [...messages, { role: "tool", content: "42" }], targets },
    status: 400,
    code: "invalid_request",
  },
  {
    name: "messages of the wrong type",
    body: { messages: "hi", targets },
    status: 400,
    code: "invalid_request",
  },
  {
    name: "a malformed tool",
    body: { messages, targets, tools: [{ type: "function", function: {} }] },
    status: 400,
    code: "invalid_request",
  },
  {
    name: "a malformed responseFormat",
    body: { messages, targets, responseFormat: { type: "yaml" } },
    status: 400,
    code: "invalid_request",
  },
  {
    name: "a system prompt of the wrong type",
    body: { system: 1, messages, targets },
    status: 400,
    code: "invalid_request",
  },
];

describe("bad input to POST /api/runs", () => {
  it.each(cases)("answers $name with $status $code", async ({ body, status, code, mentions }) => {
    const requestsBefore = environment.openai.requests.length;
    const response = await postRun(environment.app, body);
    expect(response.status).toBe(status);
    expect(response.headers.get("content-type")).toContain("application/json");
    const payload = (await response.json()) as { error: { code: string; message: string } };
    expect(payload.error.code).toBe(code);
    expect(payload.error.message.length).toBeGreaterThan(0);
    if (mentions) expect(payload.error.message).toContain(mentions);
    expect(environment.openai.requests.length).toBe(requestsBefore);
  });

  it("answers a body over 1 MiB with 413, measured in bytes", async () => {
    // Under a million characters, over a MiB of UTF-8.
    const content = "€".repeat(400_000);
    const body = JSON.stringify({ messages: [{ role: "user", content }], targets });
    expect(body.length).toBeLessThan(1024 * 1024);
    const response = await postRun(environment.app, body);
    expect(response.status).toBe(413);
    expect((await response.json()).error.code).toBe("body_too_large");
  });

  it("accepts a body just under the limit", async () => {
    const body = JSON.stringify({
      messages: [{ role: "user", content: "x".repeat(1000 * 1000) }],
      targets: [{ model: "demo:instant" }],
    });
    const response = await postRun(environment.app, body);
    expect(response.status).toBe(200);
    await response.text();
  });

  it("answers a chunked body over 1 MiB (no content-length) with 413", async () => {
    const chunk = new TextEncoder().encode(" ".repeat(256 * 1024));
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        sent += 1;
        if (sent > 8) controller.close();
        else controller.enqueue(chunk);
      },
    });
    const response = await fetch(`${environment.app.url}/api/runs`, {
      method: "POST",
      body: stream,
      duplex: "half",
    } as RequestInit);
    expect(response.status).toBe(413);
  });

  it("answers a wrong method over HTTP with a JSON 405 naming the allowed ones", async () => {
    for (const [method, route, allow] of [
      ["DELETE", "/api/runs", "GET, POST"],
      ["PUT", "/api/runs/missing", "GET"],
      ["GET", "/api/runs/missing/cancel", "POST"],
    ] as const) {
      const response = await fetch(`${environment.app.url}${route}`, { method });
      expect(response.status, `${method} ${route}`).toBe(405);
      expect(response.headers.get("allow")).toBe(allow);
      const body = (await response.json()) as { error: { code: string; message: string } };
      expect(body.error).toEqual({
        code: "method_not_allowed",
        message: expect.stringContaining(allow),
      });
    }
  });

  it("answers unknown run ids with 404 on every route", async () => {
    for (const path of ["/api/runs/missing", "/api/runs/missing/events"]) {
      const response = await fetch(`${environment.app.url}${path}`);
      expect(response.status, path).toBe(404);
      expect((await response.json()).error.code).toBe("not_found");
    }
  });
});
