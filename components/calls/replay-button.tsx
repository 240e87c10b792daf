"use client";

import { useState } from "react";
import { type ReplayedCall, replayHref, replaySetup } from "@/lib/ui/replay";

/** Picks the models to replay on, then opens the playground with the call's exact request. */
export function ReplayButton({ call, suggestion }: { call: ReplayedCall; suggestion: string }) {
  const [models, setModels] = useState(suggestion);
  const others = models
    .split(",")
    .map((model) => model.trim())
    .filter((model) => model !== "");
  const { exact } = replaySetup(call, others);
  return (
    <div className="flex flex-wrap items-end gap-2" data-testid="replay">
      <label className="flex flex-col gap-0.5 text-[11px] text-muted">
        Other models (comma-separated)
        <input
          value={models}
          onChange={(event) => setModels(event.target.value)}
          data-testid="replay-models"
          className="h-8 w-80 rounded-md border border-line bg-raised px-1.5 font-mono text-[12px] text-foreground"
        />
      </label>
      <a
        href={replayHref(call, others)}
        data-testid="replay-open"
        className="h-8 rounded-md border border-accent bg-raised px-3 leading-8 hover:bg-panel"
      >
        Replay on other models
      </a>
      {exact ? null : (
        <p className="w-full text-[12px] text-muted" data-testid="replay-inexact">
          This call carried earlier turns or images: the playground replays its last prompt alone,
          so the answers are compared on a shorter request than the original.
        </p>
      )}
    </div>
  );
}
