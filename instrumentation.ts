/**
 * Runs once when the Next server starts, after it listens and before it serves a request:
 * opens and migrates the database and marks calls left running by a crash as interrupted.
 */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { recoverInterruptedCalls } = await import("@/lib/runs/startup");
  recoverInterruptedCalls();
  // `npm start` (scripts/start.ts) says "serving on" only once told so from here: a
  // connection to the port could be answered by whoever else holds it.
  if (process.env.LOCUS_REPORT_READY === "1") process.send?.({ type: "locus-playground-ready" });
}
