/**
 * `npm run bench:record-stall [-- --runs 64 --lock-seconds 10]`: the longest the event loop
 * stalls while `--runs` comparisons stream at once (kept going: each one that ends is replaced)
 * and another process holds the database's write lock for `--lock-seconds`, then while the
 * recorder catches up after the lock is released. Runs in this process with the app's own
 * recorder and run manager; the lock is held by a child process with its own connection
 * (test/support/sqlite-lock-holder.mjs). Each run has a `demo:fast` and a `demo:chat` target.
 *
 * The figure is `monitorEventLoopDelay`'s maximum: the longest any timer or I/O callback had to
 * wait beyond its due time, whatever held it (the recorder, the streams, a neighbour on a
 * shared machine taking the CPU). Beside it, the recorder's own longest step (one write, one
 * journal append, one replay slice, timed inside the recorder). A short unlocked phase first
 * (after a warm-up that loads the code and the price data) gives the same figures without a
 * lock, for comparison. The last line is the longest stall
 * under the lock and the catch-up after it.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { startLockHolder } from "../test/support/lock-holder";

function argument(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  const value = index === -1 ? undefined : Number(process.argv[index + 1]);
  return value !== undefined && Number.isFinite(value) && value > 0 ? value : fallback;
}

const RESOLUTION_MS = 1;

async function main(): Promise<void> {
  const concurrentRuns = argument("runs", 64);
  const lockMs = argument("lock-seconds", 10) * 1000;
  const unlockedMs = argument("unlocked-seconds", 3) * 1000;
  const directory = mkdtempSync(path.join(tmpdir(), "locus-playground-stall-"));
  const file = path.join(directory, "bench.db");
  process.env.DATABASE_URL = `file:${file}`;

  const { recoverInterruptedCalls } = await import("../lib/runs/startup");
  recoverInterruptedCalls();
  const { getRunManager } = await import("../lib/runs/index");
  const { parseRunRequest } = await import("../lib/runs/run-request");
  const { getTracer } = await import("../lib/tracing");
  const { closeDatabase, getDb } = await import("../lib/db/client");
  const manager = getRunManager();
  const tracer = getTracer();
  const holder = startLockHolder(file);

  let started = 0;
  let runNumber = 0;
  /** Keeps `concurrentRuns` runs streaming until `until`. */
  async function stream(until: number): Promise<void> {
    await Promise.all(
      Array.from({ length: concurrentRuns }, async () => {
        while (performance.now() < until) {
          const run = manager.startRun(
            parseRunRequest({
              messages: [{ role: "user", content: `stall question ${runNumber++}` }],
              targets: [{ model: "demo:fast" }, { model: "demo:chat" }],
            }),
          );
          started += run.calls.length;
          await run.done;
        }
      }),
    );
  }

  const delay = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
  const stallMs = () => Math.max(0, delay.max / 1e6 - RESOLUTION_MS);

  console.log(
    `${concurrentRuns} runs streaming at once (demo:fast + demo:chat), ${unlockedMs / 1000} s unlocked, then ${lockMs / 1000} s under an external write lock`,
  );
  await stream(performance.now() + 1_000);
  await tracer.flush();
  const recorderStep = () => `${tracer.takeLongestStepMs().toFixed(1)} ms`;
  recorderStep();
  const warmUpCalls = started;
  started = 0;
  delay.enable();
  await stream(performance.now() + unlockedMs);
  await tracer.flush();
  const unlockedStall = stallMs();
  const unlockedCalls = started;
  console.log(
    `unlocked: ${unlockedCalls} calls, longest stall ${unlockedStall.toFixed(1)} ms, recorder's longest step ${recorderStep()}`,
  );

  await holder.lock();
  delay.reset();
  await stream(performance.now() + lockMs);
  const lockedStall = stallMs();
  const behind = tracer.getHealth();
  console.log(
    `locked: ${started - unlockedCalls} calls, longest stall ${lockedStall.toFixed(1)} ms, recorder's longest step ${recorderStep()}; at release ${behind.pendingCalls} calls waiting, journal ${(behind.journalBytes / 1024 / 1024).toFixed(1)} MiB, ${tracer.getStats().failedAttempts} refused attempts`,
  );

  delay.reset();
  const released = performance.now();
  await holder.release();
  await tracer.flush();
  while (tracer.getHealth().state !== "ok") await new Promise((resolve) => setTimeout(resolve, 5));
  const catchUpStall = stallMs();
  delay.disable();
  console.log(
    `catch-up: written in ${Math.round(performance.now() - released)} ms, longest stall ${catchUpStall.toFixed(1)} ms, recorder's longest step ${recorderStep()}`,
  );

  const total = started + warmUpCalls;
  const stored = getDb()
    .sqlite.prepare("SELECT count(*) AS calls, sum(status = 'running') AS running FROM calls")
    .get() as { calls: number; running: number };
  const stats = tracer.getStats();
  await holder.close();
  tracer.close();
  closeDatabase(getDb());
  rmSync(directory, { recursive: true, force: true });
  if (stored.calls !== total || stored.running !== 0 || stats.callsLost > 0) {
    throw new Error(
      `expected ${total} ended calls, found ${stored.calls} (${stored.running} running, ${stats.callsLost} lost)`,
    );
  }
  console.log(`every one of ${total} calls recorded, none lost`);
  console.log(`longest event-loop stall ${Math.max(lockedStall, catchUpStall).toFixed(1)} ms`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
