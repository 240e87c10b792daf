/**
 * Read your writes: the moment `run-finish` arrives, `GET /api/runs/:id`, `GET /api/runs` and
 * `GET /api/usage` show every call of that run in its final state, the failed one counted as
 * an error. Fifty runs at once, each read back without any wait of the test's own.
 */
import { describe, expect, it } from "vitest";
import type { RunEvent } from "@/lib/runs/run-events";
import {
  followEvents,
  modelOf,
  openAIAnswering,
  postRun,
  setUpIntegrationEnvironment,
} from "@/test/support/runs-integration";
import { failureFrom } from "@/test/support/wire/answers";
import { replay } from "@/test/support/wire/replay";

const environment = setUpIntegrationEnvironment({
  openai: (request, response) => {
    if (modelOf(request) === "gpt-4o-broken") {
      return replay(response, failureFrom("openai/error-500", "upstream exploded"));
    }
    return openAIAnswering({ delayMs: 1 })(request, response);
  },
});

const RUNS = 50;

interface CallRead {
  index: number;
  status: string;
  output: string;
  usage: { inputTokens: number | null } | null;
  error: { code: string } | null;
}

async function getJson(path: string): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`${environment.app.url}${path}`);
  return { status: response.status, body: await response.json() };
}

describe("read your writes", () => {
  it("shows every call of a run final, and its error counted, the moment run-finish arrives", async () => {
    const from = new Date(Date.now() - 60_000).toISOString();
    const to = new Date(Date.now() + 3_600_000).toISOString();
    const { body: before } = await getJson(`/api/usage?from=${from}&to=${to}`);
    const errorsBefore = (before as { totals: { errorCalls: number } }).totals.errorCalls;
    let finishedRuns = 0;

    await Promise.all(
      Array.from({ length: RUNS }, async (_, runNumber) => {
        const response = await postRun(environment.app, {
          messages: [{ role: "user", content: `question ${runNumber}` }],
          targets: [
            { model: "openai:gpt-4o-broken" },
            { model: "openai:gpt-4o-mini" },
            { model: "demo:instant" },
          ],
        });
        expect(response.status).toBe(200);
        let runId = "";
        const events = await followEvents(response, (event: RunEvent) => {
          if (event.type === "run-start") runId = event.runId;
          if (event.type === "run-finish") return "stop";
        });
        expect(events.at(-1)?.type).toBe("run-finish");
        // Counted before the reads: every run counted here has reported its finish.
        finishedRuns += 1;
        const atLeast = errorsBefore + finishedRuns;

        const detail = await getJson(`/api/runs/${runId}`);
        expect(detail.status).toBe(200);
        const calls = (detail.body as { calls: CallRead[] }).calls;
        expect(calls.map((call) => call.status)).toEqual(["error", "ok", "ok"]);
        expect(calls[0]?.error).toMatchObject({ code: "server_error" });
        expect(calls[1]?.usage?.inputTokens).toBe(12);

        const list = await getJson("/api/runs?limit=200");
        expect(list.status).toBe(200);
        const listed = (
          list.body as { runs: Array<{ id: string; errorCalls: number; calls: CallRead[] }> }
        ).runs.find((run) => run.id === runId);
        expect(listed?.calls.map((call) => call.status)).toEqual(["error", "ok", "ok"]);
        expect(listed?.errorCalls).toBe(1);

        const usage = await getJson(`/api/usage?from=${from}&to=${to}`);
        expect(usage.status).toBe(200);
        expect(
          (usage.body as { totals: { errorCalls: number } }).totals.errorCalls,
        ).toBeGreaterThanOrEqual(atLeast);
      }),
    );

    const { body: after } = await getJson(`/api/usage?from=${from}&to=${to}`);
    expect((after as { totals: { errorCalls: number; calls: number } }).totals).toMatchObject({
      errorCalls: errorsBefore + RUNS,
    });
  });
});
