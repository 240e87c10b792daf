/**
 * Word-level differences of a column's answer against the pinned baseline column.
 */
import { diffWordsWithSpace } from "diff";

export interface DiffPart {
  kind: "same" | "added" | "removed";
  text: string;
}

export interface WordDiff {
  parts: DiffPart[];
  addedWords: number;
  removedWords: number;
  /** Share of the two texts' words that are common, 0 to 1 (1 when both are empty). */
  similarity: number;
}

function countWords(text: string): number {
  return text.match(/\S+/g)?.length ?? 0;
}

export function wordDiff(options: { baseline: string; other: string }): WordDiff {
  const parts: DiffPart[] = diffWordsWithSpace(options.baseline, options.other).map((change) => ({
    kind: change.added ? "added" : change.removed ? "removed" : "same",
    text: change.value,
  }));
  let addedWords = 0;
  let removedWords = 0;
  let sameWords = 0;
  for (const part of parts) {
    const words = countWords(part.text);
    if (part.kind === "added") addedWords += words;
    else if (part.kind === "removed") removedWords += words;
    else sameWords += words;
  }
  const total = 2 * sameWords + addedWords + removedWords;
  return { parts, addedWords, removedWords, similarity: total === 0 ? 1 : (2 * sameWords) / total };
}
