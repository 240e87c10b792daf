"use client";

/**
 * A fenced code block: plain text at once, highlighted by shiki once the block has stopped
 * changing for a moment (a block still streaming would be re-highlighted on every delta).
 * shiki and each language's grammar are loaded on first use, never with the page. Both themes'
 * colours are in every token (CSS variables), so switching theme needs no new highlighting.
 */
import { type CSSProperties, useEffect, useState } from "react";
import { CopyButton } from "./copy-button";

const SETTLE_MS = 150;

interface HighlightedToken {
  content: string;
  style: CSSProperties;
}

async function highlight(code: string, language: string): Promise<HighlightedToken[][] | null> {
  const shiki = await import("shiki");
  const lang = language.toLowerCase();
  if (!(lang in shiki.bundledLanguages)) return null;
  const result = await shiki.codeToTokens(code, {
    lang: lang as keyof typeof shiki.bundledLanguages,
    themes: { light: "github-light", dark: "github-dark" },
    defaultColor: false,
  });
  return result.tokens.map((line) =>
    line.map((token) => ({
      content: token.content,
      style: (token.htmlStyle ?? {}) as CSSProperties,
    })),
  );
}

export function CodeBlock({ code, language }: { code: string; language: string | null }) {
  const [highlighted, setHighlighted] = useState<{ code: string; lines: HighlightedToken[][] }>();

  useEffect(() => {
    if (!language) return;
    let cancelled = false;
    const timer = setTimeout(() => {
      highlight(code, language)
        .then((lines) => {
          if (!cancelled && lines) setHighlighted({ code, lines });
        })
        .catch(() => {
          // An unknown grammar or a failed chunk load: the plain text stays, which is correct.
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
                  {line.map((token, tokenIndex) => (
                    // biome-ignore lint/suspicious/noArrayIndexKey: tokens have no identity but their place
                    <span key={tokenIndex} className="shiki-token" style={token.style}>
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
