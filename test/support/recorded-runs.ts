/** Fixtures for the recorded-run views (`lib/ui/recorded-run.ts`): a call as `GET /api/runs/:id` shows it. */
import type { RecordedCallView } from "@/lib/ui/recorded-run";

/** A call with nothing recorded beyond what `fields` gives: no output, usage, timings or error. */
export function recordedCall(
  fields: Pick<RecordedCallView, "index" | "callId" | "model" | "status"> &
    Partial<RecordedCallView>,
): RecordedCallView {
  return {
    output: "",
    toolCalls: [],
    stopReason: null,
    usage: null,
    costUsd: null,
    ttftMs: null,
    durationMs: null,
    error: null,
    ...fields,
  };
}
