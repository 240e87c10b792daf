/**
 * The plain-text view: the answer exactly as it came, one block a paragraph, so a growing
 * answer re-renders and lays out only its last paragraph.
 */
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { PlainText } from "./call-output";

function paragraphs(text: string): string[] {
  const html = renderToStaticMarkup(createElement(PlainText, { text }));
  const inner = /^<div data-testid="plain-text"[^>]*>(.*)<\/div>$/s.exec(html)?.[1] ?? "";
  return [...inner.matchAll(/<div>(.*?)<\/div>/gs)].map((match) => match[1] ?? "");
}

describe("plain-text output", () => {
  it("puts each paragraph in its own block, keeping the blank lines after it", () => {
    expect(
      paragraphs("First line\nstill first.\n\nSecond.\n\n\n\nThird, after two blank lines."),
    ).toEqual(["First line\nstill first.\n\n", "Second.\n\n\n\n", "Third, after two blank lines."]);
  });

  it("shows the answer's text exactly, markup included as text", () => {
    const text = "a <b>bold</b> claim\n\n  indented\tand tabbed\n\nend\n";
    const shown = paragraphs(text).join("").replaceAll("&lt;", "<").replaceAll("&gt;", ">");
    expect(shown).toBe(text);
  });

  it("keeps an answer without a blank line in one block", () => {
    expect(paragraphs("one\ntwo\nthree")).toEqual(["one\ntwo\nthree"]);
  });
});
