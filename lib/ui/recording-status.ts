/**
 * What the pages say about the recorder, from `GET /api/health`: a banner while recording is
 * behind (the database refuses writes, or the journal is being replayed) or calls were lost,
 * nothing otherwise. Shared with the API's 503 for reads that cannot be complete.
 */
import * as z from "zod/mini";

const recorderSchema = z.object({
  state: z.enum(["ok", "behind"]),
  pendingCalls: z.number(),
  failure: z.nullable(z.enum(["locked", "full", "io", "error"])),
  callsLost: z.number(),
});

export type RecorderStatus = z.infer<typeof recorderSchema>;

const healthSchema = z.object({ recorder: recorderSchema });

/** The recorder's part of a health answer; `null` when it is missing or not understood. */
export function parseRecorderStatus(body: unknown): RecorderStatus | null {
  const result = healthSchema.safeParse(body);
  return result.success ? result.data.recorder : null;
}

const FAILURE_WORDS: Record<NonNullable<RecorderStatus["failure"]>, string> = {
  locked: "the database is locked",
  full: "the database is full",
  io: "the database cannot be written",
  error: "the database refuses writes",
};

function callsText(count: number): string {
  return count === 1 ? "1 call" : `${count} calls`;
}

/** The state of the record in one line, fit for a banner. */
export function recordingStatusText(status: RecorderStatus): string {
  const lost = status.callsLost > 0 ? `${callsText(status.callsLost)} lost` : "nothing lost";
  if (status.state === "ok") {
    return `recording lost ${callsText(status.callsLost)}: the journal could not be written (see the server log)`;
  }
  const waiting = `${callsText(status.pendingCalls)} waiting`;
  if (status.failure === null) return `recording is catching up — ${waiting}, ${lost}`;
  return `recording paused: ${FAILURE_WORDS[status.failure]} — ${waiting}, ${lost}`;
}

/** The banner's text, or `null` when there is nothing to say. */
export function recordingBanner(status: RecorderStatus | null): string | null {
  if (status === null || (status.state === "ok" && status.callsLost === 0)) return null;
  return recordingStatusText(status);
}

/** How long the page waits before asking again: sooner while there is something to watch. */
export function nextHealthPollMs(status: RecorderStatus | null): number {
  return status?.state === "behind" ? 2_000 : 15_000;
}
