import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { InvalidInputError } from "@/lib/errors";
import { TINY_GIF, TINY_JPEG, TINY_PNG, TINY_WEBP } from "@/test/support/images";
import { ImageStore, MAX_IMAGE_BYTES, sniffImageType } from "./image-store";

let directory = "";
let store: ImageStore;

beforeEach(() => {
  directory = mkdtempSync(path.join(tmpdir(), "locus-images-test-"));
  store = new ImageStore(path.join(directory, "images"));
});
afterEach(() => rmSync(directory, { recursive: true, force: true }));

describe("sniffImageType", () => {
  it("recognises each supported format by its signature", () => {
    expect(sniffImageType(TINY_PNG)).toBe("image/png");
    expect(sniffImageType(TINY_JPEG)).toBe("image/jpeg");
    expect(sniffImageType(TINY_GIF)).toBe("image/gif");
    expect(sniffImageType(TINY_WEBP)).toBe("image/webp");
  });
  it("knows nothing else", () => {
    expect(
      sniffImageType(new TextEncoder().encode("<svg xmlns='http://www.w3.org/2000/svg'/>")),
    ).toBeNull();
    expect(sniffImageType(new Uint8Array([0x89, 0x50]))).toBeNull();
  });
});

describe("ImageStore", () => {
  it("stores by content: the same bytes give the same id and one file", () => {
    const first = store.save(TINY_PNG, "image/png");
    const second = store.save(new Uint8Array(TINY_PNG), "image/png");
    expect(first).toEqual(second);
    expect(first).toEqual({
      imageId: expect.stringMatching(/^[0-9a-f]{64}$/),
      mediaType: "image/png",
      bytes: TINY_PNG.byteLength,
    });
    expect(readdirSync(store.directory)).toEqual([`${first.imageId}.png`]);
    expect(store.read(first.imageId)).toEqual({
      mediaType: "image/png",
      data: Buffer.from(TINY_PNG),
    });
  });

  it("refuses bytes that are not the declared format, and saves nothing", () => {
    expect(() => store.save(TINY_JPEG, "image/png")).toThrow(
      "the body is image/jpeg, not image/png as its content-type says",
    );
    expect(() => store.save(new TextEncoder().encode("hello"), "image/gif")).toThrow(
      InvalidInputError,
    );
    expect(() => store.save(new Uint8Array(0), "image/png")).toThrow("the image is empty");
    const oversized = new Uint8Array(MAX_IMAGE_BYTES + 1);
    oversized.set(TINY_PNG);
    expect(() => store.save(oversized, "image/png")).toThrow(/at most 5242880 bytes/);
    expect(() => readdirSync(store.directory)).toThrow();
  });

  it("reads only well-formed ids, so a path cannot leave the folder", () => {
    store.save(TINY_GIF, "image/gif");
    expect(store.read("../../etc/passwd")).toBeNull();
    expect(store.read("0".repeat(64))).toBeNull();
  });
});
