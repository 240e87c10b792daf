/**
 * Runs once when the Next server starts, before it serves a request: opens and migrates the
 * database and marks calls left running by a crash as interrupted.
 */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { recoverInterruptedCalls } = await import("@/lib/runs/startup");
  recoverInterruptedCalls();
}
