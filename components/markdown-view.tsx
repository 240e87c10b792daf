"use client";

/**
 * Model output as GitHub-flavoured Markdown. There is deliberately no rehype-raw: raw HTML in
 * an answer is turned into text by react-markdown, never parsed into elements, so a model
 * cannot inject markup or script. Images become links, so output cannot load remote content.
 * Loaded lazily: the parser is most of the page's JavaScript and is not needed to paint.
 */
import { useDeferredValue } from "react";
import ReactMarkdown, { type Components } from "react-markdown";
import remarkGfm from "remark-gfm";
import { CopyButton } from "./copy-button";

type HastNode = { type: string; value?: string; children?: HastNode[] };

function textOf(node: HastNode | undefined): string {
  if (!node) return "";
  if (node.type === "text") return node.value ?? "";
  return (node.children ?? []).map(textOf).join("");
}

const components: Components = {
  pre({ node, children }) {
    return (
      <div className="group relative">
        <pre className="overflow-x-auto rounded-md border border-line bg-code p-2.5 font-mono text-[12px] leading-relaxed">
          {children}
        </pre>
        <CopyButton
          text={() => textOf(node as HastNode | undefined).replace(/\n$/, "")}
          testId="code-copy"
          className="absolute top-1.5 right-1.5 opacity-60 group-hover:opacity-100 focus-visible:opacity-100"
        />
      </div>
    );
  },
  a({ href, children }) {
    return (
      <a href={href} target="_blank" rel="noopener noreferrer nofollow">
        {children}
      </a>
    );
  },
  img({ src, alt }) {
    const target = typeof src === "string" ? src : "";
    return (
      <a href={target} target="_blank" rel="noopener noreferrer nofollow">
        [image: {alt || target}]
      </a>
    );
  },
};

const remarkPlugins = [remarkGfm];

export default function MarkdownView({ text }: { text: string }) {
  // Re-parsing a long answer on every delta may lag; React lets typing and scrolling go first.
  const deferred = useDeferredValue(text);
  return (
    <div className="markdown" data-testid="markdown">
      <ReactMarkdown remarkPlugins={remarkPlugins} components={components}>
        {deferred}
      </ReactMarkdown>
    </div>
  );
}
