import { describe, expect, it } from "vitest";
import { wordDiff } from "./word-diff";

describe("wordDiff", () => {
  it("marks words added and removed against the baseline", () => {
    const diff = wordDiff({ baseline: "the quick brown fox", other: "the slow brown fox jumps" });
    const changed = diff.parts.filter((part) => part.kind !== "same");
    expect(changed).toEqual([
      { kind: "removed", text: "quick" },
      { kind: "added", text: "slow" },
      { kind: "added", text: " jumps" },
    ]);
    expect(diff.addedWords).toBe(2);
    expect(diff.removedWords).toBe(1);
  });

  it("rebuilds both texts from its parts", () => {
    const baseline = "Line one.\n\nLine two, with commas.";
    const other = "Line one!\n\nLine 2, with commas and more.";
    const diff = wordDiff({ baseline, other });
    const join = (kind: "added" | "removed") =>
      diff.parts
        .filter((part) => part.kind !== kind)
        .map((part) => part.text)
        .join("");
    expect(join("added")).toBe(baseline);
    expect(join("removed")).toBe(other);
  });

  it("says identical texts are fully similar", () => {
    expect(wordDiff({ baseline: "same words", other: "same words" }).similarity).toBe(1);
    expect(wordDiff({ baseline: "", other: "" }).similarity).toBe(1);
    expect(wordDiff({ baseline: "a b", other: "c d" }).similarity).toBe(0);
  });
});
