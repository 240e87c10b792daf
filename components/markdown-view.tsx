"use client";

/**
 * Model output as GitHub-flavoured Markdown, parsed block by block: the answer is split into
 * top-level blocks (`lib/ui/markdown-blocks.ts`) and each block is a memoized react-markdown
 * render, so a delta re-parses only the block that is still growing, however long the answer.
 * There is deliberately no rehype-raw: raw HTML in an answer is turned into text, never parsed
 * into elements, so a model cannot inject markup or script. Images become links, so output
 * cannot load remote content. Loaded lazily, with the parser, when the first answer arrives.
 */
import { memo, useDeferredValue, useMemo, useRef } from "react";
import ReactMarkdown, { type Components } from "react-markdown";
import remarkGfm from "remark-gfm";
import { type MarkdownBlocks, splitMarkdownBlocks } from "@/lib/ui/markdown-blocks";
import { CodeBlock } from "./code-block";

type HastNode = {
  type: string;
  tagName?: string;
  value?: string;
  properties?: { className?: unknown };
  children?: HastNode[];
};

function textOf(node: HastNode | undefined): string {
  if (!node) return "";
  if (node.type === "text") return node.value ?? "";
  return (node.children ?? []).map(textOf).join("");
}

function languageOf(node: HastNode | undefined): string | null {
  const code = node?.children?.find((child) => child.tagName === "code");
  const classes = code?.properties?.className;
  const list = Array.isArray(classes) ? classes : [];
  const language = list.find((name) => typeof name === "string" && name.startsWith("language-"));
  return typeof language === "string" ? language.slice("language-".length) : null;
}

const components: Components = {
  pre({ node }) {
    const hast = node as HastNode | undefined;
    return <CodeBlock code={textOf(hast).replace(/\n$/, "")} language={languageOf(hast)} />;
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

const MarkdownBlock = memo(function MarkdownBlock({ source }: { source: string }) {
  return (
    <ReactMarkdown remarkPlugins={remarkPlugins} components={components}>
      {source}
    </ReactMarkdown>
  );
});

export default function MarkdownView({ text, streaming }: { text: string; streaming: boolean }) {
  // Typing and scrolling go before re-rendering a growing answer, its first render included
  // (sixteen columns' first tokens arrive together). An ended answer is shown at once:
  // deferred, its last render would wait behind every other column's updates.
  const deferred = useDeferredValue(text, "");
  const shown = streaming ? deferred : text;
  const previous = useRef<MarkdownBlocks | undefined>(undefined);
  const split = useMemo(() => {
    const next = splitMarkdownBlocks(shown, previous.current);
    previous.current = next;
    return next;
  }, [shown]);
  return (
    <div className="markdown" data-testid="markdown">
      {split.blocks.map((source, index) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: a block's place is its identity; earlier blocks never change
        <MarkdownBlock key={index} source={source} />
      ))}
    </div>
  );
}
