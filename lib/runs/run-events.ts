/**
 * The events of a run as the HTTP API streams them (DESIGN.md, `POST /api/runs`). The same
 * events feed the live stream, the replay of `/events`, and the reconstruction of an old run.
 */
import type { StopReason, ToolCall } from "@/lib/models";

/** The five usage fields of the contract (the TTL split and raw usage stay server-side). */
export interface RunUsage {
  inputTokens: number | null;
  outputTokens: number | null;
  cacheReadTokens: number | null;
  cacheWriteTokens: number | null;
  reasoningTokens: number | null;
}

export type CallFinishStatus = "ok" | "error" | "cancelled";

export interface RunCallSummary {
  index: number;
  callId: string;
  model: string;
}

/**
 * Server timings on a call's content events (added to the contract, optional): `ttftMs` on the
 * call's first text, reasoning or tool call; `elapsedMs`, from the answering attempt's start to
 * this event (a merged delta carries its last piece's). Both are durations on the server's own
 * clock, so a page that reattached mid-run shows the true figures without comparing clocks.
 */
export interface ContentTimings {
  ttftMs?: number;
  elapsedMs?: number;
}

export type RunEvent =
  | { type: "run-start"; runId: string; calls: RunCallSummary[] }
  | ({ type: "text-delta"; index: number; delta: string } & ContentTimings)
  | ({ type: "reasoning-delta"; index: number; delta: string } & ContentTimings)
  | ({ type: "tool-call"; index: number; toolCall: ToolCall } & ContentTimings)
  | {
      type: "call-finish";
      index: number;
      status: CallFinishStatus;
      stopReason: StopReason;
      usage: RunUsage | null;
      costUsd: number | null;
      ttftMs: number | null;
      durationMs: number | null;
      /** `retryAfterMs` is set when the provider said when to retry (rate limits). */
      error?: { code: string; message: string; retryAfterMs?: number };
    }
  | {
      /**
       * Sent before the wait: attempt `attempt` (of `maxAttempts`, 1-based, the first
       * included) starts after `delayMs`, which honours the provider's `retry-after`.
       */
      type: "call-retry";
      index: number;
      attempt: number;
      maxAttempts: number;
      delayMs: number;
      error: { code: string; message: string };
    }
  | { type: "run-finish"; runId: string };
