/**
 * The process that "crashes" in `runs-crash-recovery.test.ts`: it starts a run of slow demo
 * targets with the real recorder, waits until their partial output is in the database, says
 * so on stdout, and then waits to be killed with SIGKILL mid-stream.
 *
 * Run with: node --conditions=react-server --import tsx test/support/crash-recovery-child.ts
 */
import { getDb } from "@/lib/db/client";
import { getRunManager } from "@/lib/runs/index";
import { parseRunRequest } from "@/lib/runs/run-request";

const run = getRunManager().startRun(
  parseRunRequest({
    messages: [{ role: "user", content: "a question the crash interrupts" }],
    targets: [{ model: "demo:slow" }, { model: "demo:slow" }],
  }),
);

const statement = getDb().sqlite.prepare("select output from calls where run_id = ?");
const poll = setInterval(() => {
  const rows = statement.all(run.id) as Array<{ output: string }>;
  if (rows.length === 2 && rows.every((row) => row.output.length > 0)) {
    clearInterval(poll);
    process.stdout.write(`${JSON.stringify({ runId: run.id })}\n`);
  }
}, 20);
