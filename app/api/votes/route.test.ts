import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/lib/db/client";
import { createTracer } from "@/lib/tracing/tracer";
import { jsonRequest, openRouteDatabase } from "@/test/support/route-database";
import { callFinish, callStart, runRecord } from "@/test/support/tracing-fixtures";
import { GET as leaderboard } from "../leaderboard/route";
import { POST as vote } from "./route";

const database = openRouteDatabase("votes-route");
afterAll(() => database.cleanup());

/** Blind runs of two models each, every call ended, plus one still running and a one-model run. */
beforeAll(async () => {
  const tracer = createTracer({ database: getDb(), log: () => {} });
  const pairs: Array<[string, string[]]> = [
    ...Array.from({ length: 6 }, (_, index): [string, string[]] => [
      `run-${index}`,
      ["demo:chat", "demo:fast"],
    ]),
    ["run-single", ["demo:chat"]],
    ["run-running", ["demo:chat", "demo:slow"]],
  ];
  for (const [runId, models] of pairs) {
    tracer.recordRun(runRecord({ id: runId }));
    models.forEach((model, index) => {
      const callId = `${runId}-${index}`;
      tracer.recordCallStart(callStart({ callId, runId, index, model }));
      if (runId !== "run-running") tracer.recordCallFinish(callFinish({ callId }));
    });
  }
  await tracer.flush();
});

async function cast(body: unknown): Promise<Response> {
  return vote(jsonRequest("/api/votes", body));
}

describe("votes and the leaderboard", () => {
  it("a vote reveals the models, and votes order the leaderboard", async () => {
    const first = await cast({ runId: "run-0", winner: 1 });
    expect(first.status).toBe(201);
    expect(await first.json()).toEqual({
      voteId: expect.any(String),
      models: ["demo:chat", "demo:fast"],
    });
    for (const runId of ["run-1", "run-2", "run-3"]) {
      expect((await cast({ runId, winner: 1 })).status).toBe(201);
    }
    expect((await cast({ runId: "run-4", winner: "tie" })).status).toBe(201);
    expect((await cast({ runId: "run-5", winner: "both-bad" })).status).toBe(201);

    const board = (await (await leaderboard()).json()) as Array<{
      model: string;
      rating: number;
      low: number;
      high: number;
      votes: number;
    }>;
    expect(board.map((entry) => [entry.model, entry.votes])).toEqual([
      ["demo:fast", 6],
      ["demo:chat", 6],
    ]);
    expect(board[0]?.rating ?? 0).toBeGreaterThan(board[1]?.rating ?? 0);
    for (const entry of board) {
      expect(entry.low).toBeLessThanOrEqual(entry.rating);
      expect(entry.high).toBeGreaterThanOrEqual(entry.rating);
    }
  });

  it("refuses a second vote on a run, a running run, a one-answer run, and a winner out of range", async () => {
    const again = await cast({ runId: "run-0", winner: 0 });
    expect(again.status).toBe(409);
    expect((await cast({ runId: "run-running", winner: 0 })).status).toBe(409);
    expect((await cast({ runId: "run-single", winner: 0 })).status).toBe(400);
    const outOfRange = await cast({ runId: "run-1", winner: 2 });
    expect(outOfRange.status).toBe(400);
    expect(((await outOfRange.json()) as { error: { message: string } }).error.message).toBe(
      "winner: the run has answers 0 to 1, not 2",
    );
  });

  it("refuses malformed votes and unknown runs", async () => {
    expect((await cast({ runId: "run-1", winner: "A" })).status).toBe(400);
    expect((await cast({ runId: "run-1", winner: -1 })).status).toBe(400);
    expect((await cast({ runId: "no-such-run", winner: 0 })).status).toBe(404);
  });
});
