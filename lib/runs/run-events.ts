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

export type RunEvent =
  | { type: "run-start"; runId: string; calls: RunCallSummary[] }
  | { type: "text-delta"; index: number; delta: string }
  | { type: "reasoning-delta"; index: number; delta: string }
  | { type: "tool-call"; index: number; toolCall: ToolCall }
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
