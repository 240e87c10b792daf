"use client";

import { type ReactNode, useState } from "react";
import * as z from "zod/mini";
import { readApiError } from "@/lib/ui/api-error";
import {
  type BlindColumn,
  type BlindVerdict,
  type BlindWinner,
  revealOf,
  type VoteReadiness,
} from "@/lib/ui/blind";
import type { Column } from "@/lib/ui/playground-state";

const voteButton =
  "inline-flex h-7 items-center rounded border border-line bg-raised px-2.5 text-[12px] font-medium hover:bg-panel disabled:opacity-40";

/** `POST /api/votes` answers the run's models by call index: the reveal. */
const voteAnswerSchema = z.object({ models: z.array(z.string()) });

/**
 * Blind mode's vote: one button per letter, a tie and "both bad"; after the vote, who was who.
 */
export function BlindVoteBar({
  shown,
  readiness,
  onVoted,
}: {
  shown: BlindColumn<Column>[];
  readiness: VoteReadiness;
  onVoted: (verdict: BlindVerdict) => void;
}) {
  const [sending, setSending] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function vote(runId: string, winner: BlindWinner) {
    setSending(true);
    setError(null);
    try {
      const response = await fetch("/api/votes", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ runId, winner }),
      });
      if (!response.ok) {
        setError((await readApiError(response)).message);
        return;
      }
      const answer = voteAnswerSchema.safeParse(await response.json());
      onVoted({ runId, winner, models: answer.success ? answer.data.models : [] });
    } catch {
      setError("The vote could not be sent; try again.");
    } finally {
      setSending(false);
    }
  }

  let body: ReactNode;
  switch (readiness.state) {
    case "idle":
      body = <span className="text-muted">{readiness.message}</span>;
      break;
    case "waiting":
      body = <span className="text-muted">Vote once every answer is in.</span>;
      break;
    case "ready": {
      const { runId, callIndexByColumn } = readiness;
      body = (
        <>
          <span className="text-muted">Which is better?</span>
          {shown.map((item) => (
            <button
              key={item.column.id}
              type="button"
              data-testid="vote-letter"
              data-letter={item.letter}
              disabled={sending}
              onClick={() => void vote(runId, callIndexByColumn.get(item.column.id) ?? 0)}
              className={voteButton}
            >
              {item.letter} is better
            </button>
          ))}
          <button
            type="button"
            data-testid="vote-tie"
            disabled={sending}
            onClick={() => void vote(runId, "tie")}
            className={voteButton}
          >
            Tie
          </button>
          <button
            type="button"
            data-testid="vote-both-bad"
            disabled={sending}
            onClick={() => void vote(runId, "both-bad")}
            className={voteButton}
          >
            Both bad
          </button>
        </>
      );
      break;
    }
    case "voted": {
      const reveal = revealOf(shown, readiness.verdict);
      body = (
        <span data-testid="blind-reveal" className="inline-flex flex-wrap items-center gap-2">
          <span className="font-medium">{reveal.choice}</span>
          {reveal.entries.map((entry) => (
            <span
              key={entry.letter}
              data-testid="reveal-entry"
              data-letter={entry.letter}
              data-model={entry.model}
              className={`rounded border px-1.5 py-0.5 ${entry.won ? "border-accent" : "border-line"}`}
            >
              {entry.letter} was <strong className="font-medium">{entry.model}</strong>
            </span>
          ))}
          <span className="text-muted">Run all again for a new round.</span>
        </span>
      );
      break;
    }
    default: {
      const exhaustive: never = readiness;
      body = exhaustive;
    }
  }

  return (
    <div
      data-testid="blind-bar"
      data-state={readiness.state}
      className="flex min-h-9 shrink-0 flex-wrap items-center gap-2 border-b border-line bg-panel px-3 py-1.5 text-[12px]"
    >
      <span className="rounded bg-raised px-1.5 py-0.5 text-[11px] font-medium uppercase">
        Blind
      </span>
      {body}
      {error ? (
        <span role="alert" data-testid="vote-error" className="text-danger">
          {error}
        </span>
      ) : null}
    </div>
  );
}
