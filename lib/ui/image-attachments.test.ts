import { describe, expect, it } from "vitest";
import { IMAGE_MEDIA_TYPES, MAX_IMAGE_BYTES } from "@/lib/images/image-store";
import {
  ATTACHABLE_MEDIA_TYPES,
  attachedImageFrom,
  attachmentProblem,
  MAX_ATTACHMENT_BYTES,
  MAX_ATTACHMENTS,
  readUserContent,
  sortAttachments,
  userContent,
  withAttachment,
} from "./image-attachments";

const png = (name: string, size = 100) => ({ name, type: "image/png", size });
const image = (imageId: string) => ({ imageId, mediaType: "image/png", name: "", bytes: 1 });

describe("what may be attached", () => {
  it("has the server's types and size limit", () => {
    expect([...ATTACHABLE_MEDIA_TYPES]).toEqual([...IMAGE_MEDIA_TYPES]);
    expect(MAX_ATTACHMENT_BYTES).toBe(MAX_IMAGE_BYTES);
  });

  it("takes PNG, JPEG, WebP and GIF up to 5 MiB", () => {
    for (const type of ["image/png", "image/jpeg", "image/webp", "image/gif"]) {
      expect(attachmentProblem({ name: "a", type, size: 5 * 1024 * 1024 })).toBeNull();
    }
  });

  it("refuses other types, empty files and larger images, naming the file", () => {
    expect(attachmentProblem({ name: "scan.bmp", type: "image/bmp", size: 10 })).toBe(
      "scan.bmp is image/bmp: only PNG, JPEG, WebP and GIF images can be attached.",
    );
    expect(attachmentProblem({ name: "notes", type: "", size: 10 })).toContain(
      "notes is of an unknown type",
    );
    expect(attachmentProblem({ name: "x.png", type: "image/png", size: 0 })).toBe(
      "x.png is empty.",
    );
    expect(attachmentProblem(png("big.png", 5 * 1024 * 1024 + 1))).toBe(
      "big.png is 5.0 MiB: an image may be at most 5 MiB.",
    );
    expect(attachmentProblem({ name: "", type: "image/svg+xml", size: 10 })).toMatch(
      /^The pasted image is image\/svg\+xml:/,
    );
  });

  it("sorts a drop into uploads and messages, within the per-prompt limit", () => {
    const files = [png("a.png"), { name: "b.txt", type: "text/plain", size: 3 }, png("c.png")];
    expect(sortAttachments(files, 0)).toEqual({
      accepted: [files[0], files[2]],
      problems: [expect.stringContaining("b.txt")],
    });
    const sorted = sortAttachments([png("a.png"), png("b.png"), png("c.png")], MAX_ATTACHMENTS - 1);
    expect(sorted.accepted.map((file) => file.name)).toEqual(["a.png"]);
    expect(sorted.problems).toEqual([
      `At most ${MAX_ATTACHMENTS} images per prompt: 2 more were not attached.`,
    ]);
  });
});

describe("attachments", () => {
  it("reads the upload's answer, and nothing else", () => {
    expect(
      attachedImageFrom({ imageId: "ab", mediaType: "image/png", bytes: 67 }, "cat.png"),
    ).toEqual({ imageId: "ab", mediaType: "image/png", bytes: 67, name: "cat.png" });
    expect(attachedImageFrom({ error: { code: "x", message: "y" } }, "cat.png")).toBeNull();
  });

  it("attaches the same image once, and no more than the limit", () => {
    const once = withAttachment([image("a")], image("a"));
    expect(once.map((entry) => entry.imageId)).toEqual(["a"]);
    const full = Array.from({ length: MAX_ATTACHMENTS }, (_, index) => image(`i${index}`));
    expect(withAttachment(full, image("z"))).toHaveLength(MAX_ATTACHMENTS);
  });
});

describe("message content", () => {
  it("is the prompt alone without images, else the images then the prompt", () => {
    expect(userContent("Hi", [])).toBe("Hi");
    expect(userContent("What is this?", [{ imageId: "a" }, { imageId: "b" }])).toEqual([
      { type: "image", imageId: "a" },
      { type: "image", imageId: "b" },
      { type: "text", text: "What is this?" },
    ]);
  });

  it("leaves out a blank prompt beside an image (providers refuse blank text)", () => {
    expect(userContent("  ", [{ imageId: "a" }])).toEqual([{ type: "image", imageId: "a" }]);
  });

  it("reads recorded content back as text and images", () => {
    expect(readUserContent("Hi")).toEqual({ text: "Hi", images: [] });
    expect(
      readUserContent([
        { type: "image", imageId: "a" },
        { type: "text", text: "one" },
        { type: "text", text: "two" },
      ]),
    ).toEqual({ text: "one\n\ntwo", images: [{ imageId: "a" }] });
    expect(readUserContent([{ type: "audio" }])).toBeNull();
    expect(readUserContent(42)).toBeNull();
  });
});
