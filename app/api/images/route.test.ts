import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { reloadServerEnvironment } from "@/lib/env";
import { TINY_JPEG, TINY_PNG } from "@/test/support/images";
import { GET } from "./[imageId]/route";
import { POST } from "./route";

let directory = "";

beforeAll(() => {
  directory = mkdtempSync(path.join(tmpdir(), "locus-images-route-"));
  process.env.DATABASE_URL = `file:${path.join(directory, "playground.db")}`;
  reloadServerEnvironment();
});
afterAll(() => rmSync(directory, { recursive: true, force: true }));

function upload(body: Uint8Array, contentType: string): Promise<Response> {
  return POST(
    new Request("http://127.0.0.1/api/images", {
      method: "POST",
      headers: { "content-type": contentType },
      body: new Uint8Array(body),
    }),
  );
}

function download(imageId: string): Promise<Response> {
  return GET(new Request(`http://127.0.0.1/api/images/${imageId}`), {
    params: Promise.resolve({ imageId }),
  });
}

describe("POST /api/images", () => {
  it("answers 201 with the content id, and GET returns the same bytes", async () => {
    const response = await upload(TINY_PNG, "image/png");
    expect(response.status).toBe(201);
    const stored = (await response.json()) as { imageId: string; mediaType: string; bytes: number };
    expect(stored.mediaType).toBe("image/png");
    expect(stored.bytes).toBe(TINY_PNG.byteLength);

    const again = (await (await upload(TINY_PNG, "image/png")).json()) as { imageId: string };
    expect(again.imageId).toBe(stored.imageId);

    const image = await download(stored.imageId);
    expect(image.status).toBe(200);
    expect(image.headers.get("content-type")).toBe("image/png");
    expect(new Uint8Array(await image.arrayBuffer())).toEqual(TINY_PNG);
  });

  it("refuses a type it does not take with 415, and a mislabelled body with 400", async () => {
    const svg = await upload(new TextEncoder().encode("<svg/>"), "image/svg+xml");
    expect(svg.status).toBe(415);
    expect(((await svg.json()) as { error: { code: string } }).error.code).toBe(
      "unsupported_media_type",
    );
    const mislabelled = await upload(TINY_JPEG, "image/png");
    expect(mislabelled.status).toBe(400);
    expect(await mislabelled.json()).toEqual({
      error: {
        code: "invalid_image",
        message: "the body is image/jpeg, not image/png as its content-type says",
      },
    });
  });

  it("refuses a body over 5 MiB with 413", async () => {
    const big = new Uint8Array(5 * 1024 * 1024 + 1);
    big.set(TINY_PNG);
    const response = await upload(big, "image/png");
    expect(response.status).toBe(413);
  });

  it("an unknown id is a 404", async () => {
    expect((await download("f".repeat(64))).status).toBe(404);
    expect((await download("nope")).status).toBe(404);
  });
});
