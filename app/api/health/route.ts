/** `GET /api/health`: the server is up and its database answers. */
import { getDb } from "@/lib/db/client";
import { otherMethods } from "@/lib/http/methods";
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

export const { POST, PUT, PATCH, DELETE } = otherMethods(["GET"]);
