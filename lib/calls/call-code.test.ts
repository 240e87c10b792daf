/**
 * The generated code against the request a real adapter recorded: curl is run against a fake
 * upstream and must get the same answer; the TypeScript forms must type-check against the
 * installed SDKs. Keys go in through the environment and never appear in the code.
 */
import { execFile } from "node:child_process";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { AnthropicMessagesModel } from "@/lib/models/anthropic/anthropic-messages-model";
import { OllamaChatModel } from "@/lib/models/ollama/ollama-chat-model";
import { OpenAIChatModel } from "@/lib/models/openai/openai-chat-model";
import type { LanguageModel, Message, StreamEvent } from "@/lib/models/types";
import { type FakeServer, startFakeServer } from "@/test/support/fake-http-server";
import { parseSseMessages } from "@/test/support/sse";
import { replaying } from "@/test/support/wire/replay";
import { type CallCodeSource, generateCallCode } from "./call-code";

const run = promisify(execFile);
const OPENAI_KEY = "sk-test-call-code-openai-0123456789";
const ANTHROPIC_KEY = "sk-ant-fake-call-code-test-key";

let server: FakeServer;

/** Only what a shell needs: no key of this process leaks into the child by accident. */
function childEnvironment(): NodeJS.ProcessEnv {
  return { NODE_ENV: "test", PATH: process.env.PATH ?? "/usr/bin:/bin" };
}

beforeAll(async () => {
  server = await startFakeServer(replaying("openai/text"));
});

afterAll(async () => {
  await server.close();
});

afterEach(() => {
  server.requests.length = 0;
});

const messages: Message[] = [
  { role: "system", content: "Be brief." },
  { role: "user", content: "It's \"quoted\" and 'single' — and $HOME stays literal." },
];

/** Streams through the adapter and returns what it recorded as sent, plus the answer. */
async function recorded(
  model: LanguageModel,
): Promise<{ request: { url: string; body: unknown }; text: string }> {
  let request: { url: string; body: unknown } | null = null;
  let text = "";
  for await (const event of model.stream(messages, {
    maxTokens: 50,
  }) as AsyncIterable<StreamEvent>) {
    if (event.type === "stream-start") request = event.request;
    if (event.type === "text-delta") text += event.delta;
  }
  if (!request) throw new Error("no stream-start");
  return { request, text };
}

function source(provider: string, modelId: string, request: CallCodeSource["request"]) {
  return {
    provider,
    modelId,
    request,
    locus: { messages: messages.slice(1), system: "Be brief.", options: { maxTokens: 50 } },
  } satisfies CallCodeSource;
}

function sseText(output: string, provider: "openai" | "anthropic"): string {
  return parseSseMessages(output)
    .filter((message) => message.data !== "[DONE]")
    .map((message) => JSON.parse(message.data) as unknown)
    .map((data) => {
      if (provider === "openai") {
        const choice = (data as { choices?: Array<{ delta?: { content?: string } }> }).choices?.[0];
        return choice?.delta?.content ?? "";
      }
      const event = data as { type?: string; delta?: { type?: string; text?: string } };
      return event.type === "content_block_delta" && event.delta?.type === "text_delta"
        ? (event.delta.text ?? "")
        : "";
    })
    .join("");
}

describe("curl", () => {
  it("replays an OpenAI call exactly and gets the same answer, the key from the environment", async () => {
    server.setHandler(replaying("openai/text"));
    const model = new OpenAIChatModel({
      provider: "openai",
      modelId: "gpt-4o-mini",
      apiKey: OPENAI_KEY,
      baseURL: `${server.url}/v1`,
      maxRetries: 0,
    });
    const original = await recorded(model);
    const code = generateCallCode(source("openai", "gpt-4o-mini", original.request), "curl");
    expect(code).not.toContain(OPENAI_KEY);
    expect(code).toContain("$OPENAI_API_KEY");

    server.requests.length = 0;
    const { stdout } = await run("bash", ["-c", code], {
      env: { ...childEnvironment(), OPENAI_API_KEY: OPENAI_KEY },
    });
    expect(sseText(stdout, "openai")).toBe(original.text);
    const sent = server.requests[0];
    expect(sent?.url).toBe("/v1/chat/completions");
    expect(sent?.headers.authorization).toBe(`Bearer ${OPENAI_KEY}`);
    expect(sent?.json()).toEqual(original.request.body);
  });

  it("replays an Anthropic call with its version header", async () => {
    server.setHandler(replaying("anthropic/text"));
    const model = new AnthropicMessagesModel("claude-haiku-4-5", {
      apiKey: ANTHROPIC_KEY,
      baseURL: server.url,
      maxRetries: 0,
    });
    const original = await recorded(model);
    const code = generateCallCode(
      source("anthropic", "claude-haiku-4-5", original.request),
      "curl",
    );
    expect(code).not.toContain(ANTHROPIC_KEY);

    server.requests.length = 0;
    const { stdout } = await run("bash", ["-c", code], {
      env: { ...childEnvironment(), ANTHROPIC_API_KEY: ANTHROPIC_KEY },
    });
    expect(sseText(stdout, "anthropic")).toBe(original.text);
    const sent = server.requests[0];
    expect(sent?.headers["x-api-key"]).toBe(ANTHROPIC_KEY);
    expect(sent?.headers["anthropic-version"]).toBe("2026-10-21");
    expect(sent?.json()).toEqual(original.request.body);
  });
});

describe("SDK code", () => {
  it("writes the recorded body into Python and names the key variable, not the key", async () => {
    server.setHandler(replaying("openai/text"));
    const model = new OpenAIChatModel({
      provider: "openai",
      modelId: "gpt-4o-mini",
      apiKey: OPENAI_KEY,
      baseURL: `${server.url}/v1`,
      maxRetries: 0,
    });
    const original = await recorded(model);
    const code = generateCallCode(source("openai", "gpt-4o-mini", original.request), "python");
    expect(code).toContain(`base_url="${server.url}/v1"`);
    expect(code).toContain('"stream": True');
    expect(code).toContain('"include_usage": True');
    expect(code).not.toContain(OPENAI_KEY);
  });

  it("produces TypeScript that type-checks against the installed SDKs and lib/models", {
    timeout: 120_000,
  }, async () => {
    const sources: Array<[string, CallCodeSource]> = [];
    server.setHandler(replaying("openai/text"));
    const openai = await recorded(
      new OpenAIChatModel({
        provider: "openai",
        modelId: "gpt-4o-mini",
        apiKey: OPENAI_KEY,
        baseURL: `${server.url}/v1`,
        maxRetries: 0,
      }),
    );
    sources.push(["openai", source("openai", "gpt-4o-mini", openai.request)]);
    server.setHandler(replaying("anthropic/text"));
    const anthropic = await recorded(
      new AnthropicMessagesModel("claude-haiku-4-5", {
        apiKey: ANTHROPIC_KEY,
        baseURL: server.url,
        maxRetries: 0,
      }),
    );
    sources.push(["anthropic", source("anthropic", "claude-haiku-4-5", anthropic.request)]);
    server.setHandler(replaying("ollama/text"));
    const ollama = await recorded(new OllamaChatModel("llama3.2", { host: server.url }));
    sources.push(["ollama", source("ollama", "llama3.2", ollama.request)]);

    const directory = path.join(process.cwd(), "test", `.call-code-${process.pid}`);
    mkdirSync(directory, { recursive: true });
    try {
      const files: string[] = [];
      for (const [name, entry] of sources) {
        for (const language of ["typescript", "locus"] as const) {
          const file = path.join(directory, `${name}-${language}.ts`);
          // A module of its own, so top-level await and the names do not collide.
          writeFileSync(file, `${generateCallCode(entry, language)}export {};\n`);
          files.push(file);
        }
      }
      const tsc = path.join(process.cwd(), "node_modules", ".bin", "tsc");
      const tsconfig = path.join(directory, "tsconfig.json");
      writeFileSync(
        tsconfig,
        JSON.stringify({
          extends: "../../tsconfig.json",
          compilerOptions: { noEmit: true, incremental: false, module: "esnext", target: "es2022" },
          include: files.map((file) => path.basename(file)),
        }),
      );
      const result = await run(tsc, ["-p", tsconfig]).catch((error: { stdout?: string }) => ({
        stdout: error.stdout ?? String(error),
      }));
      expect(result.stdout).toBe("");
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });
});
