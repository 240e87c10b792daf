"use client";

import { useDeferredValue, useMemo } from "react";
import { wordDiff } from "@/lib/ui/word-diff";

/** Word-level differences of an answer against the baseline column's answer. */
export default function DiffView({ baseline, other }: { baseline: string; other: string }) {
  const deferredOther = useDeferredValue(other);
  const diff = useMemo(
    () => wordDiff({ baseline, other: deferredOther }),
    [baseline, deferredOther],
  );
  // A part is identified by where it starts in the combined text, and by its kind.
  const keyed = useMemo(() => {
    let offset = 0;
    return diff.parts.map((part) => {
      const key = `${offset}:${part.kind}`;
      offset += part.text.length;
      return { key, part };
    });
  }, [diff]);
  return (
    <div data-testid="diff-view">
      <p className="mb-1.5 text-[11px] text-muted" data-testid="diff-summary">
        vs baseline: <span className="text-added-foreground">+{diff.addedWords}</span>{" "}
        <span className="text-removed-foreground">−{diff.removedWords}</span> words ·{" "}
        {Math.round(diff.similarity * 100)}% alike
      </p>
      <p className="whitespace-pre-wrap break-words leading-relaxed">
        {keyed.map(({ key, part }) =>
          part.kind === "same" ? (
            <span key={key}>{part.text}</span>
          ) : part.kind === "added" ? (
            <ins
              key={key}
              data-diff="added"
              className="rounded-sm bg-added text-added-foreground no-underline"
            >
              {part.text}
            </ins>
          ) : (
            <del
              key={key}
              data-diff="removed"
              className="rounded-sm bg-removed text-removed-foreground"
            >
              {part.text}
            </del>
          ),
        )}
      </p>
    </div>
  );
}
