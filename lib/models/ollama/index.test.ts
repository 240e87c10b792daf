import { afterEach, describe, expect, it, vi } from "vitest";
import { type FakeServer, startFakeServer, writeJson } from "@/test/support/fake-http-server";
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

/** A real `/api/tags` answer, trimmed to two models. */
const TAGS = {
  models: [
    {
      name: "llama3.2:1b",
      model: "llama3.2:1b",
      modified_at: "2025-09-17T15:40:00.000Z",
      size: 1_321_098_329,
      digest: "baf6a787fdffd633537aa2eb51cfd54cb93ff08e28040095462bb63daf552878",
      details: {
        format: "gguf",
        family: "llama",
        parameter_size: "1.2B",
        quantization_level: "Q8_0",
      },
    },
    {
      name: "qwen2.5-coder:7b",
      model: "qwen2.5-coder:7b",
      modified_at: "2025-09-10T09:00:00.000Z",
      size: 4_683_087_332,
      digest: "2b0496514337a3d5901f1d253d01726c890b721e891335a56d6e08cedf3e2cb0",
      details: {
        format: "gguf",
        family: "qwen2",
        parameter_size: "7.6B",
        quantization_level: "Q4_K_M",
      },
    },
  ],
};

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
    const server = await serve((_request, response) => writeJson(response, 200, TAGS));
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
    let answered = 0;
    const server = await serve((_request, response) => {
      answered += 1;
      if (answered === 1) writeJson(response, 500, { error: "boom" });
      else writeJson(response, 200, { unexpected: true });
    });
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
