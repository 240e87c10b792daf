"use client";

import { useEffect, useState } from "react";
import { CopyButton } from "./copy-button";

const LANGUAGES = [
  { id: "typescript", label: "TypeScript (SDK)" },
  { id: "python", label: "Python (SDK)" },
  { id: "curl", label: "curl" },
  { id: "locus", label: "TypeScript (lib/models)" },
] as const;

type Language = (typeof LANGUAGES)[number]["id"];

type CodeState =
  | { status: "loading" }
  | { status: "error"; message: string }
  | { status: "ready"; code: string };

/** `GET /api/calls/:callId/code` in four languages; keys appear only as variable names. */
export function CallCodePanel({ callId }: { callId: string }) {
  const [language, setLanguage] = useState<Language>("typescript");
  const [state, setState] = useState<CodeState>({ status: "loading" });

  useEffect(() => {
    const controller = new AbortController();
    setState({ status: "loading" });
    fetch(`/api/calls/${encodeURIComponent(callId)}/code?lang=${language}`, {
      cache: "no-store",
      signal: controller.signal,
    })
      .then(async (response) => {
        if (!response.ok) {
          const body = (await response.json().catch(() => null)) as {
            error?: { message?: string };
          } | null;
          setState({
            status: "error",
            message: body?.error?.message ?? `the server answered ${response.status}`,
          });
          return;
        }
        setState({ status: "ready", code: await response.text() });
      })
      .catch(() => {
        if (!controller.signal.aborted) {
          setState({ status: "error", message: "the code could not be loaded" });
        }
      });
    return () => controller.abort();
  }, [callId, language]);

  return (
    <div data-testid="inspect-code" className="space-y-2">
      <div role="tablist" aria-label="Language" className="flex flex-wrap gap-1">
        {LANGUAGES.map((entry) => (
          <button
            key={entry.id}
            type="button"
            role="tab"
            aria-selected={entry.id === language}
            data-testid={`inspect-code-${entry.id}`}
            onClick={() => setLanguage(entry.id)}
            className={`rounded px-2 py-1 text-[12px] ${
              entry.id === language
                ? "bg-panel font-medium text-foreground"
                : "text-muted hover:text-foreground"
            }`}
          >
            {entry.label}
          </button>
        ))}
      </div>
      {state.status === "loading" ? <p className="text-muted">Loading…</p> : null}
      {state.status === "error" ? (
        <p role="alert" className="text-danger">
          {state.message}
        </p>
      ) : null}
      {state.status === "ready" ? (
        <div className="relative">
          <pre
            data-testid="inspect-code-text"
            data-language={language}
            className="max-h-[55vh] overflow-auto rounded-md border border-line bg-code p-2 pr-16 font-mono text-[12px] leading-relaxed"
          >
            {state.code}
          </pre>
          <CopyButton
            text={state.code}
            className="absolute top-1.5 right-1.5"
            testId="inspect-code-copy"
          />
        </div>
      ) : null}
      <p className="text-[11px] text-muted">
        The request exactly as it was sent; keys are read from environment variables.
      </p>
    </div>
  );
}
