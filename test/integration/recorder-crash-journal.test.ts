/**
 * kill -9 with a journal on disk: a server records calls while another process holds the write
 * lock, so they wait in its journal, and is killed. The next start replays the journal before
 * anything else — every ended call recorded exactly once, with its cost, the rollups counting
 * each once — and marks the call that was still streaming interrupted. A crash after the
 * replay committed but before the journal was removed replays it again: nothing changes.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { copyFileSync, existsSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { journalPathFor } from "@/lib/tracing/journal";
import { type LockHolder, startLockHolder } from "@/test/support/lock-holder";
import { openAIAnswering, setUpIntegrationEnvironment } from "@/test/support/runs-integration";

let holder: LockHolder;
let child: ChildProcess | null = null;

const root = path.resolve(import.meta.dirname, "../..");
const RUNS = 6;

const environment = setUpIntegrationEnvironment({ openai: openAIAnswering({ delayMs: 1 }) });

beforeAll(() => {
  holder = startLockHolder(environment.databasePath);
});

afterAll(async () => {
  if (child && child.exitCode === null) child.kill("SIGKILL");
  await holder?.close();
});

interface ChildReport {
  finishes: Array<{ callId: string; status: string; costUsd: number | null }>;
  slowCall: string;
  health: { pendingCalls: number; journalBytes: number };
}

function crashingServer(): Promise<ChildReport> {
  return new Promise((resolve, reject) => {
    child = spawn(
      process.execPath,
      [
        "--conditions=react-server",
        "--import",
        "tsx",
        path.join(root, "test/support/journal-crash-child.ts"),
        String(RUNS),
      ],
      { cwd: root, env: { ...process.env }, stdio: ["ignore", "pipe", "pipe"] },
    );
    let output = "";
    let errors = "";
    child.stdout?.on("data", (chunk: Buffer) => {
      output += chunk.toString("utf8");
      const line = output.split("\n").find((candidate) => candidate.startsWith("{"));
      if (line) resolve(JSON.parse(line) as ChildReport);
    });
    child.stderr?.on("data", (chunk: Buffer) => {
      errors += chunk.toString("utf8");
    });
    child.on("exit", (code) => reject(new Error(`child exited early (${code}): ${errors}`)));
  });
}

describe("kill -9 with a journal on disk", () => {
  it("replays the journal once at the next start, then marks running calls interrupted", async () => {
    await holder.lock();
    const report = await crashingServer();
    expect(report.finishes).toHaveLength(RUNS * 2);
    expect(report.health.pendingCalls).toBe(RUNS * 2 + 1);
    const exited = new Promise((resolve) => child?.once("exit", resolve));
    child?.kill("SIGKILL");
    await exited;

    const journal = journalPathFor(environment.databasePath);
    expect(existsSync(journal)).toBe(true);
    const copy = `${journal}.copy`;
    copyFileSync(journal, copy);
    await holder.release();

    const { getDb } = await import("@/lib/db/client");
    const { sqlite } = getDb();
    // Nothing of the crashed process reached the database.
    expect((sqlite.prepare("SELECT count(*) AS n FROM calls").get() as { n: number }).n).toBe(0);

    const { recoverInterruptedCalls } = await import("@/lib/runs/startup");
    expect(recoverInterruptedCalls().interrupted).toBe(1);
    expect(existsSync(journal)).toBe(false);

    const state = () => ({
      calls: sqlite
        .prepare("SELECT id, status, cost_usd AS costUsd, output FROM calls ORDER BY id")
        .all() as Array<{ id: string; status: string; costUsd: number | null; output: string }>,
      rollup: sqlite
        .prepare(
          "SELECT sum(calls) AS calls, sum(error_calls) AS errors, sum(input_tokens) AS inputTokens, round(sum(cost_usd), 12) AS cost FROM usage_hourly",
        )
        .get(),
      runCosts: sqlite.prepare("SELECT * FROM run_costs ORDER BY run_id").all(),
    });
    const once = state();
    expect(once.calls).toHaveLength(RUNS * 2 + 1);
    for (const finish of report.finishes) {
      expect(once.calls.find((call) => call.id === finish.callId)).toMatchObject({
        status: finish.status,
        costUsd: finish.costUsd,
      });
    }
    expect(once.calls.find((call) => call.id === report.slowCall)?.status).toBe("interrupted");
    const ended = once.calls.filter((call) => call.status !== "running");
    expect(once.rollup).toMatchObject({ calls: ended.length });

    // The same journal once more, as after a crash before it was removed.
    copyFileSync(copy, journal);
    const { closeDatabase } = await import("@/lib/db/client");
    closeDatabase(getDb());
    const reopened = (await import("@/lib/db/client")).getDb();
    recoverInterruptedCalls();
    expect(existsSync(journal)).toBe(false);
    const again = {
      calls: reopened.sqlite
        .prepare("SELECT id, status, cost_usd AS costUsd, output FROM calls ORDER BY id")
        .all(),
      rollup: reopened.sqlite
        .prepare(
          "SELECT sum(calls) AS calls, sum(error_calls) AS errors, sum(input_tokens) AS inputTokens, round(sum(cost_usd), 12) AS cost FROM usage_hourly",
        )
        .get(),
      runCosts: reopened.sqlite.prepare("SELECT * FROM run_costs ORDER BY run_id").all(),
    };
    expect(again).toEqual(once);
  });
});
