/**
 * The answer to a read that cannot see the latest calls because the recorder is behind (the
 * database refuses writes): a 503 that says so and when to try again, never a stale answer.
 */

import type { RecorderHealth } from "@/lib/tracing";
import { recordingStatusText } from "@/lib/ui/recording-status";

export function recordingBehindResponse(health: RecorderHealth): Response {
  return Response.json(
    {
      error: {
        code: "recording_behind",
        message: `${recordingStatusText(health)}; this answer would not include them yet, try again shortly`,
      },
    },
    { status: 503, headers: { "cache-control": "no-store", "retry-after": "1" } },
  );
}
