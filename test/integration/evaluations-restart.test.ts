/**
 * Restart then resume: a server process running an evaluation is killed (SIGKILL) with some
 * cells ended and others waiting upstream. At the next start the evaluation is `interrupted`;
 * `POST …/resume` runs only the cells that had not ended, and the ended ones keep their calls.
 */
import { type ChildProcess, spawn } from "node:child_process";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { EvaluationControlResponse } from "@/lib/evaluations/evaluation-api";
import { DEFAULT_ROUTES, EVALUATION_ROUTES } from "@/test/support/app-server";
import {
  capitalsAnswering,
  countryOf,
  getEvaluation,
  Hold,
  isJudgeRequest,
  postJson,
  saveCapitals,
  waitForStatus,
} from "@/test/support/evaluations-integration";
import { setUpIntegrationEnvironment } from "@/test/support/runs-integration";

let child: ChildProcess | null = null;
const hold = new Hold();
const root = path.resolve(import.meta.dirname, "../..");

const environment = setUpIntegrationEnvironment({
  routes: [...DEFAULT_ROUTES, ...EVALUATION_ROUTES],
  openai: capitalsAnswering({ format: "openai", hold }),
  anthropic: capitalsAnswering({ format: "anthropic", hold }),
});

// Runs before the environment closes: the child goes and held questions are let go first.
afterAll(() => {
  if (child && child.exitCode === null) child.kill("SIGKILL");
  hold.open();
});

/** Starts the evaluation in another server process; resolves once `ended` cells are recorded. */
function serverThatDies(body: unknown, ended: number): Promise<{ evaluationId: string }> {
  return new Promise((resolve, reject) => {
    child = spawn(
      process.execPath,
      [
        "--conditions=react-server",
        "--import",
        "tsx",
        path.join(root, "test/support/evaluation-restart-child.ts"),
        JSON.stringify(body),
        String(ended),
      ],
      { cwd: root, env: { ...process.env }, stdio: ["ignore", "pipe", "pipe"] },
    );
    let output = "";
    let errors = "";
    child.stdout?.on("data", (chunk: Buffer) => {
      output += chunk.toString("utf8");
      const line = output.split("\n").find((candidate) => candidate.startsWith("{"));
      if (line) resolve(JSON.parse(line) as { evaluationId: string });
    });
    child.stderr?.on("data", (chunk: Buffer) => {
      errors += chunk.toString("utf8");
    });
    child.on("exit", (code) => reject(new Error(`child exited early (${code}): ${errors}`)));
  });
}

function asked(country: string): number {
  return [...environment.openai.requests, ...environment.anthropic.requests].filter(
    (request) => !isJudgeRequest(request) && countryOf(request) === country,
  ).length;
}

describe("an evaluation across a restart", () => {
  it("is interrupted by the restart and resumes without re-running its ended cells", async () => {
    const { promptId, datasetId } = await saveCapitals(environment.app, {
      name: "capitals-restart",
      countries: ["France", "Peru", "Japan"],
    });
    hold.close(["Japan"]);
    const { evaluationId } = await serverThatDies(
      {
        promptId,
        datasetId,
        targets: [{ model: "openai:gpt-4o-mini" }, { model: "anthropic:claude-haiku-4-5" }],
        samples: 1,
        assertions: [{ type: "equals" }],
      },
      4,
    );
    // Japan's two calls are in flight upstream when the server dies.
    const exited = new Promise((resolve) => child?.once("exit", resolve));
    child?.kill("SIGKILL");
    await exited;

    const before = await getEvaluation(environment.app, evaluationId);
    const endedBefore = before.cells.filter((cell) => cell.status === "ok");
    expect(endedBefore).toHaveLength(4);

    // The next start.
    const { recoverInterruptedCalls } = await import("@/lib/runs/startup");
    recoverInterruptedCalls();
    const interrupted = await getEvaluation(environment.app, evaluationId);
    expect(interrupted.status).toBe("interrupted");
    expect(interrupted.progress).toMatchObject({ done: 4, total: 6 });
    expect(
      interrupted.cells.filter((cell) => cell.row === 2).every((cell) => cell.status === "pending"),
    ).toBe(true);

    hold.open();
    const resumed = await postJson<EvaluationControlResponse>(
      environment.app,
      `/api/evaluations/${evaluationId}/resume`,
      {},
    );
    expect(resumed.status).toBe(200);
    expect(resumed.body).toEqual({ evaluationId, status: "running", cells: 2 });
    const done = await waitForStatus(environment.app, evaluationId, "done");
    expect(done.progress).toMatchObject({ done: 6, total: 6 });
    expect(done.cells.every((cell) => cell.status === "ok" && cell.passed === true)).toBe(true);
    // The ended cells kept their calls; only Japan was asked again.
    for (const cell of endedBefore) {
      const now = done.cells.find(
        (other) => other.row === cell.row && other.target === cell.target,
      );
      expect(now?.callId).toBe(cell.callId);
    }
    expect(asked("France")).toBe(2);
    expect(asked("Peru")).toBe(2);
    expect(asked("Japan")).toBe(4);
  });
});
