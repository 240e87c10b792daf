/**
 * Images in run messages: the HTTP API references them by `imageId`; a provider needs the
 * bytes. They are resolved once per run, before any stream starts, so an unknown id is a 400
 * and not sixteen failed columns. The recorded request keeps a reference, not megabytes of
 * base64 per call.
 */
import { InvalidInputError } from "@/lib/errors";
import type { ContentPart, ImageMediaType, Message } from "@/lib/models";
import type { RunMessage } from "./run-request";

export type ReadImage = (imageId: string) => { mediaType: ImageMediaType; data: Buffer } | null;

export interface ResolvedImage {
  imageId: string;
  mediaType: ImageMediaType;
  base64: string;
}

/** Every image the messages reference, by id; throws `InvalidInputError` for an unknown one. */
export function resolveRunImages(options: {
  messages: RunMessage[];
  readImage: ReadImage;
}): Map<string, ResolvedImage> {
  const images = new Map<string, ResolvedImage>();
  for (const [messageIndex, message] of options.messages.entries()) {
    if (message.role !== "user" || typeof message.content === "string") continue;
    for (const [partIndex, part] of message.content.entries()) {
      if (part.type !== "image" || images.has(part.imageId)) continue;
      const image = options.readImage(part.imageId);
      if (!image) {
        throw new InvalidInputError({
          code: "unknown_image",
          message: `messages[${messageIndex}].content[${partIndex}].imageId: no image with that id (upload it with POST /api/images)`,
        });
      }
      images.set(part.imageId, {
        imageId: part.imageId,
        mediaType: image.mediaType,
        base64: image.data.toString("base64"),
      });
    }
  }
  return images;
}

/** A run message in `lib/models` form, images inlined from the resolved set. */
export function toModelMessage(
  message: RunMessage,
  images: ReadonlyMap<string, ResolvedImage>,
): Message {
  if (message.role !== "user") return { ...message };
  if (typeof message.content === "string") return { role: "user", content: message.content };
  const content = message.content.map((part): ContentPart => {
    if (part.type === "text") return part;
    const image = images.get(part.imageId);
    if (!image) throw new Error(`image ${part.imageId} was not resolved`);
    return { type: "image", mediaType: image.mediaType, data: image.base64 };
  });
  return { role: "user", content };
}

/** The marker that stands for an image's base64 in a recorded request. */
export function imageReference(imageId: string): string {
  return `locus-image:${imageId}`;
}

const IMAGE_REFERENCE = /locus-image:([0-9a-f]{64})/g;

/**
 * Replaces each image's base64 in a request body with its reference, wherever the provider
 * format put it (a data URL, a base64 block, an Ollama `images` entry).
 */
export function referenceImages(
  value: unknown,
  images: ReadonlyMap<string, ResolvedImage>,
): unknown {
  if (images.size === 0) return value;
  const replace = (node: unknown): unknown => {
    if (typeof node === "string") {
      let result = node;
      for (const image of images.values()) {
        if (result.includes(image.base64)) {
          result = result.split(image.base64).join(imageReference(image.imageId));
        }
      }
      return result;
    }
    if (Array.isArray(node)) return node.map(replace);
    if (node !== null && typeof node === "object") {
      return Object.fromEntries(Object.entries(node).map(([key, child]) => [key, replace(child)]));
    }
    return node;
  };
  return replace(value);
}

/** The opposite of `referenceImages`: puts the base64 back (the code of a call). */
export function inlineImages(value: unknown, readImage: ReadImage): unknown {
  const replace = (node: unknown): unknown => {
    if (typeof node === "string") {
      return node.replace(IMAGE_REFERENCE, (reference, imageId: string) => {
        const image = readImage(imageId);
        return image ? image.data.toString("base64") : reference;
      });
    }
    if (Array.isArray(node)) return node.map(replace);
    if (node !== null && typeof node === "object") {
      return Object.fromEntries(Object.entries(node).map(([key, child]) => [key, replace(child)]));
    }
    return node;
  };
  return replace(value);
}

export function hasImages(messages: RunMessage[]): boolean {
  return messages.some(
    (message) =>
      message.role === "user" &&
      typeof message.content !== "string" &&
      message.content.some((part) => part.type === "image"),
  );
}
