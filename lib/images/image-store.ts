/**
 * Images attached to prompts, stored once by content: the id is the SHA-256 of the bytes, so
 * the same picture uploaded twice is one file, and a message refers to it by id instead of
 * carrying megabytes of base64 through the run record. Files live in an `images` folder beside
 * the database, as an object store would hold them, and are written whole or not at all (a
 * temporary file renamed into place), so a failed or malformed upload leaves nothing behind.
 */
import { createHash, randomUUID } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { InvalidInputError } from "@/lib/errors";

export const IMAGE_MEDIA_TYPES = ["image/png", "image/jpeg", "image/webp", "image/gif"] as const;
export type ImageMediaType = (typeof IMAGE_MEDIA_TYPES)[number];
export const MAX_IMAGE_BYTES = 5 * 1024 * 1024;

const IMAGE_ID = /^[0-9a-f]{64}$/;

export function isImageMediaType(value: string): value is ImageMediaType {
  return (IMAGE_MEDIA_TYPES as readonly string[]).includes(value);
}

export function isImageId(value: string): boolean {
  return IMAGE_ID.test(value);
}

function startsWith(bytes: Uint8Array, prefix: readonly number[], offset = 0): boolean {
  return prefix.every((byte, index) => bytes[offset + index] === byte);
}

/** The format the bytes are in, from their signature; `null` for anything else. */
export function sniffImageType(bytes: Uint8Array): ImageMediaType | null {
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return "image/png";
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return "image/jpeg";
  if (startsWith(bytes, [0x47, 0x49, 0x46, 0x38]) && (bytes[4] === 0x37 || bytes[4] === 0x39)) {
    return "image/gif";
  }
  if (
    startsWith(bytes, [0x52, 0x49, 0x46, 0x46]) &&
    startsWith(bytes, [0x57, 0x45, 0x42, 0x50], 8)
  ) {
    return "image/webp";
  }
  return null;
}

export interface StoredImage {
  imageId: string;
  mediaType: ImageMediaType;
  bytes: number;
}

const EXTENSION: Record<ImageMediaType, string> = {
  "image/png": "png",
  "image/jpeg": "jpg",
  "image/webp": "webp",
  "image/gif": "gif",
};

export class ImageStore {
  constructor(readonly directory: string) {}

  private fileOf(imageId: string, mediaType: ImageMediaType): string {
    return path.join(this.directory, `${imageId}.${EXTENSION[mediaType]}`);
  }

  /**
   * Stores the bytes of an image declared as `mediaType`. Refuses bytes that are not that kind
   * of image (`invalid_image`), and empty or oversized ones.
   */
  save(bytes: Uint8Array, mediaType: ImageMediaType): StoredImage {
    if (bytes.byteLength === 0) {
      throw new InvalidInputError({ code: "invalid_image", message: "the image is empty" });
    }
    if (bytes.byteLength > MAX_IMAGE_BYTES) {
      throw new InvalidInputError({
        code: "invalid_image",
        message: `an image may be at most ${MAX_IMAGE_BYTES} bytes (5 MiB)`,
      });
    }
    const actual = sniffImageType(bytes);
    if (actual !== mediaType) {
      throw new InvalidInputError({
        code: "invalid_image",
        message: actual
          ? `the body is ${actual}, not ${mediaType} as its content-type says`
          : `the body is not a ${mediaType} image`,
      });
    }
    const imageId = createHash("sha256").update(bytes).digest("hex");
    const file = this.fileOf(imageId, mediaType);
    if (!existsSync(file)) {
      mkdirSync(this.directory, { recursive: true });
      const temporary = path.join(this.directory, `.${randomUUID()}.partial`);
      try {
        writeFileSync(temporary, bytes, { flag: "wx" });
        renameSync(temporary, file);
      } finally {
        rmSync(temporary, { force: true });
      }
    }
    return { imageId, mediaType, bytes: bytes.byteLength };
  }

  /** The image with that id, or `null` when there is none. */
  read(imageId: string): { mediaType: ImageMediaType; data: Buffer } | null {
    if (!isImageId(imageId)) return null;
    for (const mediaType of IMAGE_MEDIA_TYPES) {
      const file = this.fileOf(imageId, mediaType);
      if (existsSync(file)) return { mediaType, data: readFileSync(file) };
    }
    return null;
  }
}
