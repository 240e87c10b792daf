"use client";

import { lazy, memo, type ReactNode, Suspense, useMemo } from "react";
import { isActive, type OutputView, type Turn } from "@/lib/ui/playground-state";
import type { ToolCall } from "@/lib/ui/run-events";

const MarkdownView = lazy(() => import("./markdown-view"));
const DiffView = lazy(() => import("./diff-view"));

/** Starts loading the Markdown renderer early, so it is ready before the first token. */
export function preloadOutputRenderers(): void {
  void import("./markdown-view");
}

/** Loads the diff view as soon as a baseline is pinned, before the first diff renders. */
export function preloadDiffView(): void {
  void import("./diff-view");
}

const PlainParagraph = memo(function PlainParagraph({ text }: { text: string }) {
  return <div>{text}</div>;
});

/**
 * The answer as it is, one block a paragraph (each keeping the blank line after it, so the text
 * is exactly the answer's): only the growing last paragraph re-renders, and the others are
 * skipped while out of view, as the Markdown view's blocks are.
 */
export function PlainText({ text }: { text: string }) {
  // Cut where a blank line ends, so a run of blank lines stays with the paragraph before it.
  const paragraphs = useMemo(
    () => text.split(/(?<=\n\n)(?!\n)/).filter((paragraph) => paragraph !== ""),
    [text],
  );
  return (
    <div
      data-testid="plain-text"
      className="plain-text whitespace-pre-wrap break-words leading-relaxed"
    >
      {paragraphs.map((paragraph, index) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: a paragraph's place is its identity; earlier ones never change
        <PlainParagraph key={index} text={paragraph} />
      ))}
    </div>
  );
}

function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}

function JsonBlock({ value, label, testId }: { value: unknown; label: string; testId: string }) {
  return (
    <figure data-testid={testId} className="overflow-hidden rounded-md border border-line">
      <figcaption className="border-b border-line bg-panel px-2 py-1 text-[11px] font-medium text-muted">
        {label}
      </figcaption>
      <pre className="overflow-x-auto bg-code p-2 font-mono text-[12px] leading-relaxed">
        {JSON.stringify(value, null, 2)}
      </pre>
    </figure>
  );
}

function ToolCalls({ toolCalls }: { toolCalls: ToolCall[] }) {
  return (
    <ul className="mt-2 space-y-2" aria-label="Tool calls">
      {toolCalls.map((toolCall) => (
        <li key={toolCall.id} data-testid="tool-call" data-tool-name={toolCall.name}>
          <JsonBlock
            value={toolCall.arguments}
            label={`tool call · ${toolCall.name} · ${toolCall.id}`}
            testId="tool-call-arguments"
          />
        </li>
      ))}
    </ul>
  );
}

/** Folded by default: the answer is what is compared; the reasoning is there to open. */
function Reasoning({ turn }: { turn: Turn }) {
  const reasoning = turn.reasoning ?? "";
  const tokens = turn.usage?.reasoningTokens ?? null;
  const thinking = turn.phase === "streaming" && turn.output === "";
  const count =
    tokens !== null ? `${tokens.toLocaleString("en-US")} tokens` : thinking ? "thinking…" : null;
  return (
    <details data-testid="reasoning" className="mb-2 rounded-md border border-line bg-panel">
      <summary className="cursor-pointer select-none px-2 py-1 text-[12px] font-medium text-muted">
        Reasoning{count ? <span data-testid="reasoning-tokens"> · {count}</span> : null}
      </summary>
      <div
        data-testid="reasoning-text"
        className="max-h-80 overflow-y-auto whitespace-pre-wrap break-words border-t border-line px-2 py-1 text-[12px] leading-relaxed text-muted"
      >
        {reasoning}
      </div>
    </details>
  );
}

export function CallOutput({
  turn,
  view,
  diffBaseline,
}: {
  turn: Turn;
  view: OutputView;
  /** The baseline column's answer, when this answer is shown as a diff against it. */
  diffBaseline: string | null;
}) {
  const finished = turn.phase === "ok" || turn.phase === "cancelled" || turn.phase === "error";
  const json = useMemo(
    () =>
      turn.expectsJson && finished && turn.output.trim() !== "" ? parseJson(turn.output) : null,
    [turn.expectsJson, finished, turn.output],
  );

  let body: ReactNode;
  if (turn.output === "") {
    body =
      turn.phase === "pending" || (turn.phase === "streaming" && !turn.reasoning) ? (
        <p className="text-muted" aria-live="polite">
          Waiting for the first token…
        </p>
      ) : null;
  } else if (diffBaseline !== null) {
    body = (
      <Suspense fallback={<PlainText text={turn.output} />}>
        <DiffView baseline={diffBaseline} other={turn.output} />
      </Suspense>
    );
  } else if (json?.ok) {
    body = <JsonBlock value={json.value} label="JSON output" testId="json-output" />;
  } else if (view === "plain") {
    body = <PlainText text={turn.output} />;
  } else {
    body = (
      <Suspense fallback={<PlainText text={turn.output} />}>
        <MarkdownView text={turn.output} streaming={isActive(turn)} />
      </Suspense>
    );
  }

  return (
    <div data-testid="call-output" data-phase={turn.phase}>
      {turn.reasoning ? <Reasoning turn={turn} /> : null}
      {body}
      {turn.toolCalls.length > 0 ? <ToolCalls toolCalls={turn.toolCalls} /> : null}
    </div>
  );
}
