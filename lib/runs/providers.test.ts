import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { describeProviders } from "./providers";

/** An Ollama that answers `/api/tags` with no models pulled. */
let empty: Server;
let emptyUrl = "";

beforeAll(async () => {
  empty = createServer((request, response) => {
    response.writeHead(request.url === "/api/tags" ? 200 : 404, {
      "content-type": "application/json",
    });
    response.end(JSON.stringify({ models: [] }));
  });
  await new Promise<void>((resolve) => empty.listen(0, "127.0.0.1", resolve));
  emptyUrl = `http://127.0.0.1:${(empty.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => empty.close(resolve));
});

async function ollama(host: string) {
  const providers = await describeProviders({ environment: { OLLAMA_HOST: host } });
  return providers.find((provider) => provider.id === "ollama");
}

describe("describeProviders for Ollama", () => {
  it("says not running, with the host, when nothing listens there", async () => {
    expect(await ollama("http://127.0.0.1:9")).toMatchObject({
      models: [],
      modelsError: "not running at http://127.0.0.1:9",
    });
  });

  it("says no models pulled when the server answers with none", async () => {
    const found = await ollama(emptyUrl);
    expect(found?.models).toEqual([]);
    expect(found?.modelsError).toContain("no models pulled");
  });

  it("never shows credentials of the host", async () => {
    const found = await ollama("http://user:secret-pass@127.0.0.1:9");
    expect(found?.modelsError).toBe("not running at http://127.0.0.1:9");
  });
});
