/**
 * The fixture files themselves: each is well-formed in its provider's format (so a typo in a
 * recorded exchange cannot pass as a test of our parser), and replay sends its bytes unchanged.
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { type FakeServer, startFakeServer } from "@/test/support/fake-http-server";
import { loadFixture, messagesOf, replaying } from "./replay";

const root = path.resolve(import.meta.dirname, "../../fixtures");
const bodies = readdirSync(root, { recursive: true, encoding: "utf8" })
  .filter((file) => /\.(sse|ndjson|json)$/.test(file) && !file.endsWith(".meta.json"))
  .sort();

/** Fixtures whose point is a frame that is not valid JSON. */
const DELIBERATELY_MALFORMED = new Set([
  "openai/malformed-chunk",
  "anthropic/malformed-chunk",
  "ollama/malformed-line",
]);

let server: FakeServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe("wire fixtures", () => {
  it("cover every provider", () => {
    const providers = new Set(bodies.map((file) => file.split("/")[0]));
    expect([...providers].sort()).toEqual(["anthropic", "oci", "ollama", "openai"]);
  });

  for (const file of bodies) {
    const name = file.replace(/\.(sse|ndjson|json)$/, "");
    it(`${name}: frames rejoin to the file, and every payload is JSON`, () => {
      const fixture = loadFixture(name);
      expect(fixture.frames.join("")).toBe(readFileSync(path.join(root, file), "utf8"));
      const payloads = messagesOf(fixture).map((message) => message.data);
      expect(payloads.length).toBeGreaterThan(0);
      const notJson = payloads.filter(
        (payload) => typeof payload === "string" && payload !== "[DONE]",
      );
      expect(notJson.length > 0).toBe(DELIBERATELY_MALFORMED.has(name));
      if (fixture.format === "sse") {
        // One event per frame, each ended by its blank line, as providers flush them.
        for (const frame of fixture.frames) expect(frame.endsWith("\n\n")).toBe(true);
      }
    });
  }
});

describe("replaying", () => {
  it("sends the recorded status, headers and body bytes", async () => {
    server = await startFakeServer(replaying("openai/error-429"));
    const response = await fetch(server.url);
    expect(response.status).toBe(429);
    expect(response.headers.get("retry-after")).toBe("20");
    expect(response.headers.get("content-type")).toBe("application/json");
    expect(await response.text()).toBe(
      readFileSync(path.join(root, "openai/error-429.json"), "utf8"),
    );
  });

  it("cuts the connection after the body when the fixture ends in a drop", async () => {
    server = await startFakeServer(replaying("openai/drop-mid-stream"));
    const response = await fetch(server.url);
    await expect(response.text()).rejects.toThrow();
  });

  it("holds the connection open after the frames asked for", async () => {
    server = await startFakeServer(replaying("anthropic/text", { frames: 1, ending: "hold" }));
    const controller = new AbortController();
    const response = await fetch(server.url, { signal: controller.signal });
    const reader = response.body?.getReader();
    const first = await reader?.read();
    expect(new TextDecoder().decode(first?.value)).toContain("event: message_start");
    controller.abort();
    await expect(server.waitForClientAbort()).resolves.toBeUndefined();
  });
});
