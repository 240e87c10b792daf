/**
 * The answer to a read that cannot see the latest calls because the recorder is behind (the
 * database refuses writes): a 503 that says so and when to try again, never a stale answer.
 */
import type { RecorderHealth } from "@/lib/tracing";

const FAILURE_WORDS: Record<NonNullable<RecorderHealth["failure"]>, string> = {
  locked: "the database is locked",
  full: "the database is full",
  io: "the database cannot be written",
  error: "the database refuses writes",
};

export function recordingBehindMessage(health: RecorderHealth): string {
  const reason = health.failure ? FAILURE_WORDS[health.failure] : "the recorder is catching up";
  const lost = health.callsLost > 0 ? `${health.callsLost} calls lost` : "nothing lost";
  return `recording is behind: ${reason} — ${health.pendingCalls} calls waiting, ${lost}`;
}

export function recordingBehindResponse(health: RecorderHealth): Response {
  return Response.json(
    {
      error: {
        code: "recording_behind",
        message: `${recordingBehindMessage(health)}; this answer would not include them yet, try again shortly`,
      },
    },
    { status: 503, headers: { "cache-control": "no-store", "retry-after": "1" } },
  );
}
