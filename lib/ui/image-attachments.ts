/**
 * Images attached to a prompt, as the page handles them: which files may be attached (checked
 * before anything is uploaded, with a message naming the file), the upload's answer read at the
 * boundary, and the message content that references the uploaded images by id. The limits are
 * the server's (`lib/images`, which cannot be bundled for the browser); a test keeps them equal.
 */
import * as z from "zod/mini";

export const ATTACHABLE_MEDIA_TYPES = [
  "image/png",
  "image/jpeg",
  "image/webp",
  "image/gif",
] as const;
export const MAX_ATTACHMENT_BYTES = 5 * 1024 * 1024;
/** Per prompt: the API allows 32 parts in a message, one of them the text. */
export const MAX_ATTACHMENTS = 10;

/** For the file picker's `accept`. */
export const ATTACH_ACCEPT = ATTACHABLE_MEDIA_TYPES.join(",");

/** An uploaded image as a prompt or a turn refers to it. */
export interface AttachedImage {
  imageId: string;
  mediaType: string;
  /** The file's name, for the thumbnail's alt text; empty for a pasted image. */
  name: string;
  bytes: number;
}

/** An image a turn's prompt carried; recorded runs know only its id. */
export interface TurnImage {
  imageId: string;
  name?: string;
}

export const turnImageSchema = z.object({ imageId: z.string(), name: z.optional(z.string()) });

export const attachedImageSchema = z.object({
  imageId: z.string(),
  mediaType: z.string(),
  name: z.string(),
  bytes: z.number(),
});

export type ContentPart = { type: "text"; text: string } | { type: "image"; imageId: string };

function mebibytes(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;
}

function shownName(name: string): string {
  return name === "" ? "The pasted image" : name;
}

/** Why a file may not be attached, or `null` when it may. */
export function attachmentProblem(file: {
  name: string;
  type: string;
  size: number;
}): string | null {
  if (!(ATTACHABLE_MEDIA_TYPES as readonly string[]).includes(file.type)) {
    const kind = file.type === "" ? "of an unknown type" : file.type;
    return `${shownName(file.name)} is ${kind}: only PNG, JPEG, WebP and GIF images can be attached.`;
  }
  if (file.size === 0) return `${shownName(file.name)} is empty.`;
  if (file.size > MAX_ATTACHMENT_BYTES) {
    return `${shownName(file.name)} is ${mebibytes(file.size)}: an image may be at most 5 MiB.`;
  }
  return null;
}

/**
 * Splits the files dropped, pasted or picked into those to upload and the messages for the
 * rest, keeping the prompt within `MAX_ATTACHMENTS` (counting what is already attached).
 */
export function sortAttachments<File extends { name: string; type: string; size: number }>(
  files: File[],
  attachedCount: number,
): { accepted: File[]; problems: string[] } {
  const accepted: File[] = [];
  const problems: string[] = [];
  let skipped = 0;
  for (const file of files) {
    const problem = attachmentProblem(file);
    if (problem !== null) problems.push(problem);
    else if (attachedCount + accepted.length >= MAX_ATTACHMENTS) skipped += 1;
    else accepted.push(file);
  }
  if (skipped > 0) {
    problems.push(
      `At most ${MAX_ATTACHMENTS} images per prompt: ${skipped} more ${skipped === 1 ? "was" : "were"} not attached.`,
    );
  }
  return { accepted, problems };
}

const uploadAnswerSchema = z.object({
  imageId: z.string(),
  mediaType: z.string(),
  bytes: z.number(),
});

/** `POST /api/images`'s `201` answer as an attachment, or `null` when it is not that shape. */
export function attachedImageFrom(json: unknown, name: string): AttachedImage | null {
  const result = uploadAnswerSchema.safeParse(json);
  return result.success ? { ...result.data, name } : null;
}

/** A user message's content: the prompt alone, or the images (first, as providers advise) and the prompt. */
export function userContent(prompt: string, images: readonly TurnImage[]): string | ContentPart[] {
  if (images.length === 0) return prompt;
  const parts: ContentPart[] = images.map((image) => ({ type: "image", imageId: image.imageId }));
  // A blank text block is refused by Anthropic; an image alone is a message.
  if (prompt.trim() !== "") parts.push({ type: "text", text: prompt });
  return parts;
}

/** The image's URL on this server (`GET /api/images/:imageId`). */
export function imageUrl(imageId: string): string {
  return `/api/images/${encodeURIComponent(imageId)}`;
}

/** Adds images not already attached (the same bytes have the same id), up to the limit. */
export function withAttachment(
  attached: readonly AttachedImage[],
  image: AttachedImage,
): AttachedImage[] {
  if (attached.some((existing) => existing.imageId === image.imageId)) return [...attached];
  if (attached.length >= MAX_ATTACHMENTS) return [...attached];
  return [...attached, image];
}

const recordedPartSchema = z.union([
  z.object({ type: z.literal("text"), text: z.string() }),
  z.object({ type: z.literal("image"), imageId: z.string() }),
]);

/**
 * A recorded user message's content read back: its text (the text parts joined) and its
 * images. `null` for content of another shape.
 */
export function readUserContent(content: unknown): { text: string; images: TurnImage[] } | null {
  if (typeof content === "string") return { text: content, images: [] };
  const result = z.array(recordedPartSchema).safeParse(content);
  if (!result.success) return null;
  const texts: string[] = [];
  const images: TurnImage[] = [];
  for (const part of result.data) {
    if (part.type === "text") texts.push(part.text);
    else images.push({ imageId: part.imageId });
  }
  return { text: texts.join("\n\n"), images };
}
