/**
 * What the Markdown renderer lets a model's answer do: raw HTML stays text (no element, no
 * handler, no script), images become links (nothing is fetched), links open apart. Rendered to
 * static markup, as the browser would receive it.
 */
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import MarkdownView from "./markdown-view";

function render(text: string): string {
  return renderToStaticMarkup(createElement(MarkdownView, { text, streaming: false }));
}

describe("Markdown output", () => {
  it("keeps raw HTML inert: shown as text, never parsed into elements", () => {
    const html = render(
      'Careful: <img src=x onerror="window.__xss=1"> and <script>window.__xss=2</script> end.\n\n<div onclick="alert(1)">block</div>\n\n<iframe src="https://example.com"></iframe>',
    );
    expect(html).not.toMatch(/<img|<script|<div onclick|<iframe/i);
    expect(html).toContain("&lt;img src=x onerror=&quot;window.__xss=1&quot;&gt;");
    expect(html).toContain("&lt;script&gt;window.__xss=2&lt;/script&gt;");
    expect(html).toContain("&lt;iframe");
  });

  it("shows images as links, so output never loads remote content", () => {
    const html = render(
      "A chart: ![the chart](https://example.com/chart.png) and ![](https://e.x/p.gif)",
    );
    expect(html).not.toContain("<img");
    expect(html).toContain(
      '<a href="https://example.com/chart.png" target="_blank" rel="noopener noreferrer nofollow">[image: the chart]</a>',
    );
    expect(html).toContain("[image: https://e.x/p.gif]");
  });

  it("opens links apart, without the opener or a referrer, and drops javascript: URLs", () => {
    const html = render("[docs](https://example.com/docs) and [bad](javascript:alert(1))");
    expect(html).toContain(
      '<a href="https://example.com/docs" target="_blank" rel="noopener noreferrer nofollow">docs</a>',
    );
    expect(html).not.toContain("javascript:");
  });

  it("renders GFM tables and fenced code as the answer streams, block by block", () => {
    const html = render("| a | b |\n| --- | --- |\n| 1 | 2 |\n\n```ts\nconst x = 1;\n```");
    expect(html).toContain("<table>");
    expect(html).toContain('data-testid="code-block"');
    expect(html).toContain("const x = 1;");
  });
});
