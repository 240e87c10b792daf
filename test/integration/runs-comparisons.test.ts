/**
 * Added to `POST /api/runs` and `GET /api/runs` (issue 14, "history that reads right"): an
 * optional `comparisonId` (and `branchedFromRunId`) is accepted, validated and listed; each
 * listed run says which prompt it sent and which turn that was.
 */
import { describe, expect, it } from "vitest";
import { postRun, readEvents, setUpIntegrationEnvironment } from "@/test/support/runs-integration";

const environment = setUpIntegrationEnvironment();

interface Listed {
  runs: Array<{
    id: string;
    title: string;
    prompt: string;
    turn: number;
    comparisonId: string;
    branchedFromRunId: string | null;
    calls: Array<{ model: string }>;
  }>;
}

async function listed(query = ""): Promise<Listed> {
  const response = await fetch(`${environment.app.url}/api/runs${query}`);
  expect(response.status).toBe(200);
  return (await response.json()) as Listed;
}

async function started(body: unknown): Promise<string> {
  const response = await postRun(environment.app, body);
  expect(response.status).toBe(200);
  const start = (await readEvents(response)).find((event) => event.type === "run-start");
  if (start?.type !== "run-start") throw new Error("no run-start");
  return start.runId;
}

const FIRST = [{ role: "user", content: "Write a haiku about tea." }];
const SECOND = [
  ...FIRST,
  { role: "assistant", content: "Steam curls from the cup" },
  { role: "user", content: "Now one about coffee." },
];

describe("comparisonId on POST /api/runs and GET /api/runs", () => {
  it("lists each run with its own prompt, its turn, its comparison and its branch", async () => {
    const alone = await started({ messages: FIRST, targets: [{ model: "demo:instant" }] });
    const left = await started({
      messages: SECOND,
      targets: [{ model: "demo:instant" }],
      comparisonId: "cmp-two-columns",
    });
    const right = await started({
      messages: [...FIRST, { role: "assistant", content: "Other answer" }, SECOND[2]],
      targets: [{ model: "openai:gpt-4o-mini" }],
      comparisonId: "cmp-two-columns",
      branchedFromRunId: alone,
    });

    const all = await listed();
    const byId = new Map(all.runs.map((run) => [run.id, run]));
    expect(byId.get(alone)).toMatchObject({
      prompt: "Write a haiku about tea.",
      turn: 1,
      // A run started without one is its own comparison.
      comparisonId: alone,
      branchedFromRunId: null,
    });
    expect(byId.get(left)).toMatchObject({
      // The conversation's first prompt stays the title; `prompt` is this run's own.
      title: "Write a haiku about tea.",
      prompt: "Now one about coffee.",
      turn: 2,
      comparisonId: "cmp-two-columns",
      branchedFromRunId: null,
    });
    expect(byId.get(right)).toMatchObject({
      comparisonId: "cmp-two-columns",
      branchedFromRunId: alone,
      turn: 2,
    });

    const detail = await fetch(`${environment.app.url}/api/runs/${right}`);
    expect(await detail.json()).toMatchObject({
      comparisonId: "cmp-two-columns",
      branchedFromRunId: alone,
    });

    const comparison = await listed("?comparison=cmp-two-columns");
    expect(comparison.runs.map((run) => run.id).sort()).toEqual([left, right].sort());
    expect((await listed(`?comparison=${alone}`)).runs.map((run) => run.id)).toEqual([alone]);
  });

  it("refuses a bad comparisonId or branchedFromRunId with 400 invalid_params, recording nothing", async () => {
    const before = (await listed("?limit=200")).runs.length;
    for (const extra of [
      { comparisonId: 42 },
      { comparisonId: "" },
      { comparisonId: "has spaces" },
      { comparisonId: "x".repeat(129) },
      { comparisonId: null },
      { branchedFromRunId: "../etc" },
      { branchedFromRunId: ["a"] },
    ]) {
      const response = await postRun(environment.app, {
        messages: FIRST,
        targets: [{ model: "demo:instant" }],
        ...extra,
      });
      expect(response.status, JSON.stringify(extra)).toBe(400);
      const body = (await response.json()) as { error: { code: string; message: string } };
      expect(body.error.code).toBe("invalid_params");
      expect(body.error.message).toContain(Object.keys(extra)[0]);
    }
    expect((await listed("?limit=200")).runs.length).toBe(before);

    const badQuery = await fetch(`${environment.app.url}/api/runs?comparison=not%20an%20id`);
    expect(badQuery.status).toBe(400);
  });
});
