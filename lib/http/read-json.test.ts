import { describe, expect, it } from "vitest";
import { HttpError } from "./errors";
import { readJsonBody } from "./read-json";

function post(body: BodyInit, headers: Record<string, string> = {}) {
  return new Request("http://127.0.0.1/api/runs", { method: "POST", body, headers });
}

async function failure(promise: Promise<unknown>): Promise<HttpError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof HttpError) return error;
    throw error;
  }
  throw new Error("expected an HttpError");
}

describe("readJsonBody", () => {
  it("parses JSON", async () => {
    expect(await readJsonBody(post('{"a":[1,2]}'))).toEqual({ a: [1, 2] });
  });

  it("rejects invalid JSON, an empty body and invalid UTF-8 with invalid_json", async () => {
    for (const body of ["{nope", "", new Uint8Array([0x7b, 0xff, 0x7d])]) {
      const error = await failure(readJsonBody(post(body)));
      expect([error.status, error.code]).toEqual([400, "invalid_json"]);
    }
  });

  it("measures the limit on bytes, not characters", async () => {
    // 300 three-byte characters: 300 characters but 900+ bytes.
    const body = JSON.stringify({ text: "€".repeat(300) });
    expect(body.length).toBeLessThan(400);
    const error = await failure(readJsonBody(post(body), { limitBytes: 400 }));
    expect([error.status, error.code]).toEqual([413, "body_too_large"]);
  });

  it("refuses a declared content-length far over the limit without reading", async () => {
    const request = post("{}", { "content-length": String(64 * 1024 * 1024) });
    const error = await failure(readJsonBody(request));
    expect(error.status).toBe(413);
  });

  it("refuses a streamed body past the limit, and stops reading an endless one", async () => {
    const chunk = new TextEncoder().encode("x".repeat(64 * 1024));
    let sent = 0;
    const endless = new ReadableStream<Uint8Array>({
      pull(controller) {
        sent += 1;
        controller.enqueue(chunk);
      },
    });
    const request = new Request("http://127.0.0.1/", {
      method: "POST",
      body: endless,
      duplex: "half",
    } as RequestInit);
    const error = await failure(readJsonBody(request));
    expect(error.code).toBe("body_too_large");
    // 1 MiB accepted, at most 4 MiB more drained so the client can read the 413, then cut off.
    expect(sent * chunk.byteLength).toBeLessThanOrEqual(5 * 1024 * 1024 + 2 * chunk.byteLength);
  });

  it("drains a moderately oversized body completely (a clean 413 for ordinary clients)", async () => {
    const chunk = new TextEncoder().encode("x".repeat(64 * 1024));
    let sent = 0;
    let closed = false;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        sent += 1;
        if (sent > 32) {
          closed = true;
          controller.close();
        } else controller.enqueue(chunk);
      },
    });
    const request = new Request("http://127.0.0.1/", {
      method: "POST",
      body: stream,
      duplex: "half",
    } as RequestInit);
    expect((await failure(readJsonBody(request))).status).toBe(413);
    expect(closed).toBe(true);
  });
});
