import { Lexer } from "marked";
import { describe, expect, it } from "vitest";
import { type MarkdownBlocks, splitMarkdownBlocks } from "./markdown-blocks";

const ANSWER = [
  "# Title",
  "",
  "A paragraph\nover two lines.",
  "",
  "```ts\nconst a = 1;\n\nconst b = 2;\n```",
  "",
  "- one\n- two",
  "",
  "| a | b |\n|---|---|\n| 1 | 2 |",
  "",
  "Last words.",
].join("\n");

/** What a full parse gives: the reference an incremental split must agree with. */
function wholeBlocks(text: string): string[] {
  return Lexer.lex(text, { gfm: true })
    .filter((token) => token.type !== "space")
    .map((token) => token.raw);
}

describe("splitMarkdownBlocks", () => {
  it("splits into the top-level blocks of a full parse", () => {
    expect(splitMarkdownBlocks(ANSWER).blocks).toEqual(wholeBlocks(ANSWER));
    expect(splitMarkdownBlocks(ANSWER).blocks).toHaveLength(6);
  });

  it("streamed a few characters at a time, ends with the blocks of a full parse", () => {
    for (const step of [1, 3, 7, 40]) {
      let state: MarkdownBlocks | undefined;
      for (let end = step; end < ANSWER.length + step; end += step) {
        state = splitMarkdownBlocks(ANSWER.slice(0, end), state);
      }
      expect(state?.blocks).toEqual(wholeBlocks(ANSWER));
    }
  });

  it("re-lexes only from the last block: earlier blocks keep their identity", () => {
    const first = splitMarkdownBlocks("Intro.\n\nSecond para");
    const next = splitMarkdownBlocks("Intro.\n\nSecond paragraph, longer", first);
    expect(next.blocks[0]).toBe(first.blocks[0]);
    expect(next.blocks).toEqual(["Intro.", "Second paragraph, longer"]);
    expect(next.finalBlocks).toBe(1);
  });

  it("keeps an open code fence as one growing block, blank lines included", () => {
    let state = splitMarkdownBlocks("Text\n\n```py\nx = 1\n");
    state = splitMarkdownBlocks("Text\n\n```py\nx = 1\n\ny = 2\n", state);
    expect(state.blocks).toEqual(["Text", "```py\nx = 1\n\ny = 2\n"]);
  });

  it("a paragraph becomes a heading when its underline arrives", () => {
    let state = splitMarkdownBlocks("Intro\n\nTitle\n");
    state = splitMarkdownBlocks("Intro\n\nTitle\n---\n", state);
    expect(state.blocks).toEqual(wholeBlocks("Intro\n\nTitle\n---\n"));
  });

  it("starts over when the text is not a continuation (a new answer, a retry)", () => {
    const first = splitMarkdownBlocks("Alpha.\n\nBeta.");
    expect(splitMarkdownBlocks("Gamma.\n\nDelta", first).blocks).toEqual(["Gamma.", "Delta"]);
    expect(splitMarkdownBlocks("Alp", first).blocks).toEqual(["Alp"]);
  });

  it("has no blocks for empty or blank text", () => {
    expect(splitMarkdownBlocks("").blocks).toEqual([]);
    expect(splitMarkdownBlocks("\n\n").blocks).toEqual([]);
  });
});
