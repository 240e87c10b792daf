import { describe, expect, it } from "vitest";
import { z } from "zod";
import { formatZodIssues } from "./zod-issues";

const schema = z.strictObject({
  targets: z.array(z.strictObject({ params: z.strictObject({ temperature: z.number().max(2) }) })),
});

function issuesOf(value: unknown): z.ZodError {
  const result = schema.safeParse(value);
  if (result.success) throw new Error("expected a failed parse");
  return result.error;
}

describe("formatZodIssues", () => {
  it("names the path with indexes in brackets", () => {
    const error = issuesOf({
      targets: [{ params: { temperature: 1 } }, { params: { temperature: 7 } }],
    });
    expect(formatZodIssues(error)).toMatch(/^targets\[1\]\.params\.temperature: /);
  });

  it("names the root for an issue without a path, and nothing when none is given", () => {
    const error = issuesOf("not an object");
    expect(formatZodIssues(error, { root: "body" })).toMatch(/^body: /);
    expect(formatZodIssues(error)).not.toContain(":  ");
  });

  it("scrubs a key-shaped name it echoes", () => {
    const error = issuesOf({ targets: [], "sk-abcdefghijklmnop": 1 });
    const message = formatZodIssues(error);
    expect(message).toContain("[redacted]");
    expect(message).not.toContain("sk-abcdefghijklmnop");
  });
});
