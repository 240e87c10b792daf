"use client";

import { useState } from "react";
import type { Turn } from "@/lib/ui/playground-state";

/**
 * A turn's prompt in a column's history ("You: …"), with "Edit" to change it and resend from
 * there: the turns after it leave the column (their runs stay in /runs) and the new answer
 * branches from the run that answered this turn.
 */
export function TurnPrompt({
  turn,
  editable,
  sharedCount,
  onResend,
}: {
  turn: Turn;
  /** Nothing is running and the page is not blind. */
  editable: boolean;
  /** How many columns share this turn and would be resent with it. */
  sharedCount: number;
  onResend: ((prompt: string) => void) | null;
}) {
  const [draft, setDraft] = useState<string | null>(null);
  if (draft !== null && onResend) {
    return (
      <form
        className="mb-1.5 space-y-1 rounded bg-panel px-2 py-1"
        data-testid="turn-edit"
        onSubmit={(event) => {
          event.preventDefault();
          if (draft.trim() === "") return;
          onResend(draft);
          setDraft(null);
        }}
      >
        <textarea
          data-testid="turn-edit-input"
          aria-label="Edited prompt"
          rows={3}
          value={draft}
          // biome-ignore lint/a11y/noAutofocus: the person just asked to edit this prompt.
          autoFocus
          onChange={(event) => setDraft(event.target.value)}
          onKeyDown={(event) => {
            // Ctrl/Cmd+Enter resends this edit, not the prompt box (the page's shortcut).
            if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
              event.preventDefault();
              event.stopPropagation();
              event.currentTarget.form?.requestSubmit();
              return;
            }
            if (event.key === "Escape") {
              event.preventDefault();
              setDraft(null);
            }
          }}
          className="w-full resize-y rounded border border-line bg-raised px-2 py-1 text-[12px]"
        />
        <div className="flex items-center gap-2 text-[11px]">
          <button
            type="submit"
            data-testid="turn-resend"
            disabled={!editable || draft.trim() === ""}
            className="rounded bg-accent px-2 py-0.5 font-medium text-accent-foreground disabled:opacity-40"
          >
            Resend from here
          </button>
          <button
            type="button"
            onClick={() => setDraft(null)}
            className="rounded border border-line px-2 py-0.5"
          >
            Cancel
          </button>
          <span className="text-muted">
            {sharedCount > 1 ? `in the ${sharedCount} columns sharing this turn; ` : ""}
            later turns stay in Runs
          </span>
        </div>
      </form>
    );
  }
  return (
    <div className="group mb-1.5 flex items-start gap-1 rounded bg-panel px-2 py-1 text-[12px] text-muted">
      <p className="line-clamp-3 min-w-0 flex-1" title={turn.prompt} data-testid="turn-prompt">
        <span className="font-medium text-foreground">You:</span> {turn.prompt}
      </p>
      {onResend ? (
        <button
          type="button"
          data-testid="turn-edit-open"
          disabled={!editable}
          onClick={() => setDraft(turn.prompt)}
          title="Edit this prompt and resend from here"
          className="shrink-0 rounded px-1 text-[11px] text-muted hover:bg-raised hover:text-foreground disabled:opacity-40"
        >
          Edit
        </button>
      ) : null}
      {turn.branchedFromRunId ? (
        <a
          href={`/runs/${encodeURIComponent(turn.branchedFromRunId)}`}
          data-testid="turn-branch-link"
          title="This prompt was edited and resent; the earlier version is in Runs"
          className="shrink-0 text-[11px] text-accent hover:underline"
        >
          edited
        </a>
      ) : null}
    </div>
  );
}
