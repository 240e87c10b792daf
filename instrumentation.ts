/**
 * Runs once when the Next server starts, before it serves a request: opens and migrates the
 * database, marks calls left running by a crash as interrupted, and hands the streaming routes'
 * listener to the production server (`lib/server/direct-routes.ts`).
 */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { recoverInterruptedCalls } = await import("@/lib/runs/startup");
  recoverInterruptedCalls();
  const { registerDirectRoutes } = await import("@/lib/server/direct-routes");
  registerDirectRoutes();
}
