"use client";

/**
 * The page's one highlighting worker (`highlight.worker.ts`), started on the first code block
 * and shared by every column. Resolves `null` where the code stays plain.
 */
import type { HighlightRequest, HighlightResponse } from "./highlight.worker";

export type HighlightedLines = NonNullable<HighlightResponse["lines"]>;

let worker: Worker | null = null;
let nextId = 0;
const pending = new Map<number, (lines: HighlightedLines | null) => void>();

function highlightWorker(): Worker {
  if (worker) return worker;
  worker = new Worker(new URL("./highlight.worker.ts", import.meta.url), { type: "module" });
  worker.onmessage = (event: MessageEvent<HighlightResponse>) => {
    pending.get(event.data.id)?.(event.data.lines);
    pending.delete(event.data.id);
  };
  worker.onerror = () => {
    for (const resolve of pending.values()) resolve(null);
    pending.clear();
  };
  return worker;
}

export function highlightCode(code: string, language: string): Promise<HighlightedLines | null> {
  if (typeof Worker === "undefined") return Promise.resolve(null);
  const id = nextId++;
  return new Promise((resolve) => {
    pending.set(id, resolve);
    highlightWorker().postMessage({ id, code, language } satisfies HighlightRequest);
  });
}
