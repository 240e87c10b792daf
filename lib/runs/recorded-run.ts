/**
 * Rebuilds the event stream of a run from its record (the `GET /api/runs/:id` shape), for
 * `/events` on a run that is no longer in memory: a reload after the retention window, or
 * after a restart. Output comes as one delta per call, which renders the same.
 */
import type { StopReason, ToolCall } from "@/lib/models";
import type { CallStatus } from "@/lib/tracing/types";
import type { CallFinishStatus, RunEvent, RunUsage } from "./run-events";

export interface RecordedCall {
  index: number;
  callId: string;
  model: string;
  status: CallStatus;
  output: string;
  reasoning: string | null;
  toolCalls: ToolCall[];
  stopReason: StopReason | null;
  usage: RunUsage | null;
  costUsd: number | null;
  ttftMs: number | null;
  durationMs: number | null;
  error: { code: string; message: string } | null;
}

export interface RecordedRun {
  id: string;
  calls: RecordedCall[];
}

const INTERRUPTED_ERROR = {
  code: "interrupted",
  message: "the server stopped before this call finished",
};

function finishStatus(status: CallStatus): CallFinishStatus {
  if (status === "ok" || status === "cancelled") return status;
  return "error";
}

export function eventsFromRecordedRun(run: RecordedRun): RunEvent[] {
  const calls = [...run.calls].sort((left, right) => left.index - right.index);
  const events: RunEvent[] = [
    {
      type: "run-start",
      runId: run.id,
      calls: calls.map((call) => ({ index: call.index, callId: call.callId, model: call.model })),
    },
  ];
  for (const call of calls) {
    if (call.reasoning) {
      events.push({ type: "reasoning-delta", index: call.index, delta: call.reasoning });
    }
    if (call.output !== "")
      events.push({ type: "text-delta", index: call.index, delta: call.output });
    for (const toolCall of call.toolCalls) {
      events.push({ type: "tool-call", index: call.index, toolCall });
    }
    const status = finishStatus(call.status);
    // A call still marked running here has no live run behind it: the process that ran it
    // is gone, so it is reported the way crash recovery will record it.
    const error =
      call.status === "interrupted" || call.status === "running"
        ? (call.error ?? INTERRUPTED_ERROR)
        : call.error;
    events.push({
      type: "call-finish",
      index: call.index,
      status,
      stopReason: call.stopReason ?? (status === "ok" ? "other" : "error"),
      usage: call.usage,
      costUsd: call.costUsd,
      ttftMs: call.ttftMs,
      durationMs: call.durationMs,
      ...(status !== "ok" && error ? { error } : {}),
    });
  }
  events.push({ type: "run-finish", runId: run.id });
  return events;
}
