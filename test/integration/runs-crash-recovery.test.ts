/**
 * Crash recovery: a server process is killed (SIGKILL) while its calls stream. On the next
 * start, the start-up routine marks them interrupted, keeping the output recorded so far, and
 * the API reports them as such.
 */
import { type ChildProcess, spawn } from "node:child_process";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { finishOf, readEvents, setUpIntegrationEnvironment } from "@/test/support/runs-integration";

let child: ChildProcess | null = null;

const root = path.resolve(import.meta.dirname, "../..");

// The environment creates the database file; the child process then writes into it.
const environment = setUpIntegrationEnvironment();

afterAll(() => {
  if (child && child.exitCode === null) child.kill("SIGKILL");
});

function crashingServer(): Promise<{ runId: string }> {
  return new Promise((resolve, reject) => {
    child = spawn(
      process.execPath,
      [
        "--conditions=react-server",
        "--import",
        "tsx",
        path.join(root, "test/support/crash-recovery-child.ts"),
      ],
      { cwd: root, env: { ...process.env }, stdio: ["ignore", "pipe", "pipe"] },
    );
    let output = "";
    let errors = "";
    child.stdout?.on("data", (chunk: Buffer) => {
      output += chunk.toString("utf8");
      const line = output.split("\n").find((candidate) => candidate.startsWith("{"));
      if (line) resolve(JSON.parse(line) as { runId: string });
    });
    child.stderr?.on("data", (chunk: Buffer) => {
      errors += chunk.toString("utf8");
    });
    child.on("exit", (code) => reject(new Error(`child exited early (${code}): ${errors}`)));
  });
}

describe("crash recovery", () => {
  it("marks calls a crash left running as interrupted, keeping their partial output", async () => {
    const { runId } = await crashingServer();
    const exited = new Promise((resolve) => child?.once("exit", resolve));
    child?.kill("SIGKILL");
    await exited;

    const { getRunById } = await import("@/lib/db/queries");
    const left = getRunById({ runId });
    expect(left?.calls.map((call) => call.status)).toEqual(["running", "running"]);
    const partial = left?.calls.map((call) => call.output) ?? [];
    expect(partial.every((output) => output.length > 0)).toBe(true);

    // What instrumentation.ts runs when the server starts again.
    const { recoverInterruptedCalls } = await import("@/lib/runs/startup");
    expect(recoverInterruptedCalls().interrupted).toBe(2);

    const run = await (await fetch(`${environment.app.url}/api/runs/${runId}`)).json();
    expect(run.calls.map((call: { status: string }) => call.status)).toEqual([
      "interrupted",
      "interrupted",
    ]);
    expect(run.calls.map((call: { output: string }) => call.output)).toEqual(partial);
    expect(run.calls[0].error).toMatchObject({ code: "interrupted" });

    const events = await readEvents(await fetch(`${environment.app.url}/api/runs/${runId}/events`));
    expect(finishOf(events, 0)).toMatchObject({ status: "error", error: { code: "interrupted" } });
    expect(events.at(-1)).toEqual({ type: "run-finish", runId });

    // Recovery is idempotent: a second start finds nothing left to mark.
    expect(recoverInterruptedCalls().interrupted).toBe(0);
  });
});
