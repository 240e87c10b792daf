"use client";

/**
 * A fenced code block: plain text at once, highlighted by shiki once the block has stopped
 * changing for a moment (a block still streaming would be re-highlighted on every delta).
 * shiki runs in a worker (`highlighter.ts`), started by the first code block, never loaded with
 * the page. Both themes' colours are in every token (CSS variables), so switching theme needs no
 * new highlighting.
 */
import { type CSSProperties, useEffect, useState } from "react";
import { CopyButton } from "./copy-button";
import { type HighlightedLines, highlightCode } from "./highlighter";

const SETTLE_MS = 150;

export function CodeBlock({ code, language }: { code: string; language: string | null }) {
  const [highlighted, setHighlighted] = useState<{ code: string; lines: HighlightedLines }>();

  useEffect(() => {
    if (!language) return;
    let cancelled = false;
    const timer = setTimeout(() => {
      highlightCode(code, language).then((lines) => {
        if (!cancelled && lines) setHighlighted({ code, lines });
      });
    }, SETTLE_MS);
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [code, language]);

  // Until the new text is highlighted, show it plain rather than an older highlighted version.
  const lines = highlighted?.code === code ? highlighted.lines : null;
  return (
    <div
      className="code-block overflow-hidden rounded-md border border-line bg-code"
      data-testid="code-block"
    >
      <div className="flex items-center justify-between gap-2 border-b border-line px-2.5 py-1 text-[11px] text-muted">
        <span data-testid="code-language">{language ?? "text"}</span>
        <CopyButton text={code} testId="code-copy" />
      </div>
      <pre
        className="overflow-x-auto p-2.5 font-mono text-[12px] leading-relaxed"
        data-highlighted={lines ? "true" : "false"}
      >
        <code>
          {lines
            ? lines.map((line, lineIndex) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: lines have no identity but their place
                <span key={lineIndex} className="block">
                  {line.map((token) => (
                    <span
                      key={token.offset}
                      className="shiki-token"
                      style={token.style as CSSProperties}
                    >
                      {token.content}
                    </span>
                  ))}
                  {line.length === 0 ? "\n" : null}
                </span>
              ))
            : code}
        </code>
      </pre>
    </div>
  );
}
