/**
 * `GET /api/health`: the server is up, its database answers reads, and the recorder's state.
 * Nothing here writes or waits on a lock (WAL readers never wait for the writer), so it answers
 * at once while the database refuses writes. A recorder that is behind makes the status
 * `degraded` but not a 503: the server still serves every stream, and nothing is lost.
 * `telemetry` counts the OTLP export (exported, failed, dropped, queued); a collector that is
 * down or slow does not degrade the server, so it leaves the status alone.
 */
import { getDb } from "@/lib/db/client";
import { otherMethods } from "@/lib/http/methods";
import { getRunManager } from "@/lib/runs";
import { callExportHealth } from "@/lib/telemetry";
import { getTracer } from "@/lib/tracing";

export function GET(): Response {
  let database: "ok" | "error" = "ok";
  try {
    getDb().sqlite.prepare("select 1").get();
  } catch {
    database = "error";
  }
  const recorder = getTracer().getHealth();
  const healthy = database === "ok";
  const degraded = !healthy || recorder.state !== "ok" || recorder.callsLost > 0;
  return Response.json(
    {
      status: degraded ? "degraded" : "ok",
      database,
      recorder,
      telemetry: callExportHealth(),
      activeRuns: getRunManager().activeRunCount,
      uptimeSeconds: Math.round(process.uptime()),
    },
    { status: healthy ? 200 : 503, headers: { "cache-control": "no-store" } },
  );
}

export const { POST, PUT, PATCH, DELETE } = otherMethods(["GET"]);
