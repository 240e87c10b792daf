import { afterEach, describe, expect, it, vi } from "vitest";
import { type FakeServer, startFakeServer } from "@/test/support/fake-http-server";
import { replaying } from "@/test/support/wire/replay";
import { listOllamaModels, OllamaChatModel, ollamaProvider, parseOllamaHost } from "./index";

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

describe("ollamaProvider", () => {
  it("is local and builds an OllamaChatModel", () => {
    expect(ollamaProvider.id).toBe("ollama");
    expect(ollamaProvider.local).toBe(true);
    expect(ollamaProvider.createModel("llama3.2:1b", { host: "127.0.0.1:1" })).toBeInstanceOf(
      OllamaChatModel,
    );
  });

  it("is always configured and hints at the host in use", () => {
    expect(ollamaProvider.configuration({})).toEqual({
      configured: true,
      missing: [],
      hint: "Ollama at http://127.0.0.1:11434 (default; set OLLAMA_HOST to change)",
    });
    expect(ollamaProvider.configuration({ OLLAMA_HOST: "gpu-box:11434" })).toEqual({
      configured: true,
      missing: [],
      hint: "Ollama at http://gpu-box:11434 (from OLLAMA_HOST)",
    });
    expect(ollamaProvider.configuration({ OLLAMA_HOST: "ftp://nope" })).toMatchObject({
      configured: false,
      missing: ["OLLAMA_HOST"],
    });
  });

  it("lists the models of the live server from /api/tags at OLLAMA_HOST", async () => {
    // A real `/api/tags` answer, trimmed to two models.
    const server = await serve(replaying("ollama/tags"));
    vi.stubEnv("OLLAMA_HOST", server.url);
    expect(await ollamaProvider.listModels()).toEqual(["llama3.2:1b", "qwen2.5-coder:7b"]);
    expect(server.requests[0]?.method).toBe("GET");
    expect(server.requests[0]?.url).toBe("/api/tags");
  });

  it("returns [] when nothing listens at the host", async () => {
    const server = await serve(() => undefined);
    const url = server.url;
    await server.close();
    servers.splice(servers.indexOf(server), 1);
    vi.stubEnv("OLLAMA_HOST", url);
    await expect(ollamaProvider.listModels()).resolves.toEqual([]);
  });

  it("returns [] on an error status or an unexpected body", async () => {
    const failing = replaying("ollama/error-500");
    // Some other server's JSON: valid, but not a model list.
    const unexpected = replaying("ollama/chat-text");
    const server = await serve((request, response) =>
      server.requests.length === 1 ? failing(request, response) : unexpected(request, response),
    );
    vi.stubEnv("OLLAMA_HOST", server.url);
    await expect(ollamaProvider.listModels()).resolves.toEqual([]);
    await expect(ollamaProvider.listModels()).resolves.toEqual([]);
    expect(server.requests).toHaveLength(2);
  });

  it("gives up on a server that does not answer and closes the connection", async () => {
    const server = await serve(() => undefined);
    const host = parseOllamaHost(server.url);
    if (!host) throw new Error("test host did not parse");
    await expect(listOllamaModels({ host, timeoutMs: 100 })).resolves.toEqual([]);
    await server.waitForClientAbort();
  });

  it("stops listing when the caller's signal aborts", async () => {
    const server = await serve(() => undefined);
    vi.stubEnv("OLLAMA_HOST", server.url);
    const controller = new AbortController();
    const listing = ollamaProvider.listModels({ signal: controller.signal });
    while (server.requests.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    controller.abort();
    await expect(listing).resolves.toEqual([]);
    await server.waitForClientAbort();
  });
});
