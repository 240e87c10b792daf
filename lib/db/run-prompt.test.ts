import { describe, expect, it } from "vitest";
import { PROMPT_LENGTH, runPromptOf } from "./run-prompt";

describe("runPromptOf", () => {
  it("is the last user message and the number of user messages", () => {
    expect(
      runPromptOf([
        { role: "user", content: "Write a haiku" },
        { role: "assistant", content: "…" },
        { role: "user", content: "Now a\n  limerick" },
      ]),
    ).toEqual({ prompt: "Now a limerick", turn: 2 });
  });

  it("reads text parts, says (image) for an image alone, and shortens long prompts", () => {
    expect(
      runPromptOf([
        {
          role: "user",
          content: [
            { type: "image", imageId: "a".repeat(64) },
            { type: "text", text: "What is this?" },
          ],
        },
      ]),
    ).toEqual({ prompt: "What is this?", turn: 1 });
    expect(
      runPromptOf([{ role: "user", content: [{ type: "image", imageId: "b".repeat(64) }] }]),
    ).toEqual({ prompt: "(image)", turn: 1 });
    const long = runPromptOf([{ role: "user", content: "x".repeat(500) }]).prompt;
    expect(long).toHaveLength(PROMPT_LENGTH);
    expect(long.endsWith("…")).toBe(true);
    expect(runPromptOf([])).toEqual({ prompt: "", turn: 0 });
  });
});
