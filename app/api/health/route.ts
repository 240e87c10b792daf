/** `GET /api/health`: the server is up and its database answers. */
import { getDb } from "@/lib/db/client";
import { getRunManager } from "@/lib/runs";

export function GET(): Response {
  let database: "ok" | "error" = "ok";
  try {
    getDb().sqlite.prepare("select 1").get();
  } catch {
    database = "error";
  }
  const healthy = database === "ok";
  return Response.json(
    {
      status: healthy ? "ok" : "degraded",
      database,
      activeRuns: getRunManager().activeRunCount,
      uptimeSeconds: Math.round(process.uptime()),
    },
    { status: healthy ? 200 : 503, headers: { "cache-control": "no-store" } },
  );
}
