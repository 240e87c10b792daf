import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type FakeServer, startFakeServer } from "@/test/support/fake-http-server";
import {
  API_KEY_ID,
  createTestOciFiles,
  TEST_TENANCY,
  type TestOciFiles,
  verifyOciSignature,
} from "@/test/support/oci/oci-test-support";
import { loadFixture, replay, replaying } from "@/test/support/wire/replay";
import { collectStream } from "../collect-stream";
import type { ProviderError } from "../errors";
import type { Environment } from "../provider-definition";
import type { StreamEvent } from "../types";
import { createOciModel } from "./index";

let files: TestOciFiles;
let server: FakeServer;

beforeEach(async () => {
  files = createTestOciFiles();
  server = await startFakeServer(replaying("oci/error-404-not-authorized-or-not-found"));
});

afterEach(async () => {
  await server.close();
  files.remove();
});

function environment(extra: Record<string, string> = {}): Environment {
  return { OCI_CONFIG_FILE: files.configFile, OCI_GENAI_BASE_URL: server.url, ...extra };
}

async function collectEvents(events: AsyncIterable<StreamEvent>): Promise<StreamEvent[]> {
  const collected: StreamEvent[] = [];
  for await (const event of events) collected.push(event);
  return collected;
}

describe("OCI OpenAI-compatible path", () => {
  it("streams through /openai/v1/chat/completions, signed, with the compartment and usage", async () => {
    server.setHandler(replaying("oci/openai-tool-call"));
    const model = createOciModel("meta.llama-3.3-70b-instruct", undefined, {
      environment: environment(),
    });
    const events = await collectEvents(
      model.stream([{ role: "user", content: "What is WAL?" }], {
        maxTokens: 50,
        temperature: 0.2,
        tools: [{ type: "function", function: { name: "lookup", parameters: { type: "object" } } }],
      }),
    );

    expect(server.requests).toHaveLength(1);
    const [request] = server.requests;
    if (!request) throw new Error("no request recorded");
    expect(request.url).toBe("/openai/v1/chat/completions");
    expect(request.headers["opc-compartment-id"]).toBe(TEST_TENANCY);
    expect(request.headers.authorization).toMatch(/^Signature /);
    const check = verifyOciSignature(request, {
      publicKeyPem: files.keys.publicKeyPem,
      expectedKeyId: API_KEY_ID,
    });
    expect(check.problems).toEqual([]);
    expect(request.json()).toMatchObject({
      model: "meta.llama-3.3-70b-instruct",
      stream: true,
      stream_options: { include_usage: true },
      max_tokens: 50,
      temperature: 0.2,
    });

    const start = events[0];
    expect(start?.type).toBe("stream-start");
    if (start?.type === "stream-start") {
      expect(start.request.url).toBe(`${server.url}/openai/v1/chat/completions`);
      expect(JSON.stringify(start.request)).not.toMatch(/Signature|BEGIN/);
    }
    const text = events
      .filter((event) => event.type === "text-delta")
      .map((event) => (event.type === "text-delta" ? event.delta : ""))
      .join("");
    expect(text).toBe("Hello there");
    expect(events.filter((event) => event.type === "tool-call")).toEqual([
      { type: "tool-call", toolCall: { id: "call_a", name: "lookup", arguments: { q: "wal" } } },
    ]);
    const finish = events.at(-1);
    expect(finish).toMatchObject({
      type: "finish",
      stopReason: "tool-calls",
      rawStopReason: "tool_calls",
      usage: { inputTokens: 120, outputTokens: 9, cacheReadTokens: 100 },
    });
    expect(finish?.type === "finish" && finish.error).toBeFalsy();
  });

  it("uses OCI_PROFILE when no auth option is given (a session-token profile here)", async () => {
    server.setHandler(replaying("oci/openai-completion"));
    const model = createOciModel(
      "xai.grok-4",
      { compartmentId: "ocid1.compartment.oc1..explicit" },
      { environment: environment({ OCI_PROFILE: "SESSION" }) },
    );
    const response = await model.complete([{ role: "user", content: "hi" }]);
    expect(response.text).toBe("ok");
    expect(response.usage).toMatchObject({ inputTokens: 3, outputTokens: 1 });
    const [request] = server.requests;
    if (!request) throw new Error("no request recorded");
    expect(request.headers["opc-compartment-id"]).toBe("ocid1.compartment.oc1..explicit");
    expect(
      verifyOciSignature(request, {
        publicKeyPem: files.keys.publicKeyPem,
        expectedKeyId: "ST$session-token-one",
      }).problems,
    ).toEqual([]);
  });

  it("re-signs and retries once after a 401 with a refreshed session token", async () => {
    const notAuthenticated = loadFixture("oci/error-401-not-authenticated");
    const fresh = loadFixture("oci/openai-text");
    server.setHandler((_request, response) => {
      if (server.requests.length === 1) files.writeToken("session-token-two");
      return replay(response, server.requests.length === 1 ? notAuthenticated : fresh);
    });
    const model = createOciModel(
      "meta.llama-3.3-70b-instruct",
      { profile: "SESSION" },
      {
        environment: environment(),
      },
    );
    const response = await collectStream(model.stream([{ role: "user", content: "hi" }]));
    expect(response.text).toBe("fresh");
    expect(server.requests).toHaveLength(2);
    const keyIds = server.requests.map((request) =>
      verifyOciSignature(request, { publicKeyPem: files.keys.publicKeyPem }),
    );
    expect(keyIds.map((check) => check.keyId)).toEqual([
      "ST$session-token-one",
      "ST$session-token-two",
    ]);
    expect(keyIds.every((check) => check.ok)).toBe(true);
  });

  it("does not retry a 401 for an API-key profile and reports an auth error", async () => {
    server.setHandler(replaying("oci/error-401-not-authenticated"));
    const model = createOciModel(
      "meta.llama-3.3-70b-instruct",
      { profile: "DEFAULT" },
      {
        environment: environment(),
      },
    );
    const events = await collectEvents(model.stream([{ role: "user", content: "hi" }]));
    expect(server.requests).toHaveLength(1);
    const finish = events.at(-1);
    expect(finish?.type).toBe("finish");
    expect(finish?.type === "finish" ? finish.error?.kind : null).toBe("auth");
  });

  it("reports missing configuration without sending anything, naming what to set", async () => {
    const model = createOciModel("meta.llama-3.3-70b-instruct", undefined, {
      environment: {
        OCI_CONFIG_FILE: `${files.configFile}.missing`,
        OCI_GENAI_BASE_URL: server.url,
      },
    });
    const events = await collectEvents(model.stream([{ role: "user", content: "hi" }]));
    expect(server.requests).toHaveLength(0);
    expect(events.map((event) => event.type)).toEqual(["stream-start", "finish"]);
    const finish = events.at(-1);
    const error = finish?.type === "finish" ? (finish.error as ProviderError) : null;
    expect(error?.kind).toBe("not_configured");
    expect(error?.message).toContain("OCI_CONFIG_FILE");
    await expect(model.complete([{ role: "user", content: "hi" }])).rejects.toMatchObject({
      kind: "not_configured",
    });
  });

  it("inlines $ref in a json_schema response format for google.* models", async () => {
    server.setHandler(replaying("oci/openai-json"));
    const model = createOciModel("google.gemini-2.5-flash", undefined, {
      environment: environment(),
    });
    await collectStream(
      model.stream([{ role: "user", content: "json please" }], {
        responseFormat: {
          type: "json_schema",
          json_schema: {
            name: "answer",
            schema: {
              type: "object",
              properties: { city: { $ref: "#/$defs/City" } },
              $defs: { City: { type: "object", properties: { name: { type: "string" } } } },
            },
          },
        },
      }),
    );
    const [request] = server.requests;
    if (!request) throw new Error("no request recorded");
    const body = request.json() as { response_format: { json_schema: { schema: unknown } } };
    expect(body.response_format.json_schema.schema).toEqual({
      type: "object",
      properties: { city: { type: "object", properties: { name: { type: "string" } } } },
    });
  });
});
