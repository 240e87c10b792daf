/**
 * The process that crashes in `recorder-crash-journal.test.ts`: while another process holds the
 * write lock, it runs finished calls and one that keeps streaming with the real recorder, waits
 * until everything its recorder queued is in the journal, says so on stdout (with what the
 * streams reported), and then waits to be killed with SIGKILL.
 *
 * Run with: node --conditions=react-server --import tsx test/support/journal-crash-child.ts <runs>
 */
import { getRunManager } from "@/lib/runs/index";
import { parseRunRequest } from "@/lib/runs/run-request";
import { getTracer } from "@/lib/tracing";

const runs = Number(process.argv[2] ?? "5");
const manager = getRunManager();
const finishes: Array<{ callId: string; status: string; costUsd: number | null }> = [];

const finished = Array.from({ length: runs }, (_, runNumber) => {
  const run = manager.startRun(
    parseRunRequest({
      messages: [{ role: "user", content: `crash question ${runNumber}` }],
      targets: [{ model: "openai:gpt-4o-mini" }, { model: "demo:instant" }],
    }),
  );
  return run.done.then(() => {
    for (const call of run.calls) {
      finishes.push({ callId: call.callId, status: call.status, costUsd: call.costUsd });
    }
  });
});
const slow = manager.startRun(
  parseRunRequest({
    messages: [{ role: "user", content: "a call the crash interrupts" }],
    targets: [{ model: "demo:slow" }],
  }),
);

void Promise.all(finished).then(() => {
  const poll = setInterval(() => {
    const tracer = getTracer();
    const { queuedCalls } = tracer.getStats();
    const health = tracer.getHealth();
    if (queuedCalls === 0 && health.state === "behind" && health.journalBytes > 0) {
      clearInterval(poll);
      const slowCall = slow.calls[0]?.callId;
      process.stdout.write(`${JSON.stringify({ finishes, slowCall, health })}\n`);
    }
  }, 20);
});

// Keeps the process alive until it is killed.
setInterval(() => undefined, 60_000);
