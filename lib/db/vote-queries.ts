/**
 * Blind votes. A vote keeps the run's models as they were (call index → model string), so the
 * leaderboard never depends on the run record staying as it is. One vote per run.
 */
import "server-only";
import { asc, eq } from "drizzle-orm";
import { ConflictError, InvalidInputError, NotFoundError } from "@/lib/errors";
import type { Vote, VoteWinner } from "@/lib/evaluations/ratings";
import { type Database, getDb } from "./client";
import { calls, votes } from "./schema";

interface WithDatabase {
  database?: Database;
}

export function insertVote(
  options: { id: string; runId: string; winner: VoteWinner; now?: Date } & WithDatabase,
): { voteId: string; models: string[] } {
  const database = options.database ?? getDb();
  return database.orm.transaction((tx) => {
    const runCalls = tx
      .select({ index: calls.callIndex, model: calls.model, status: calls.status })
      .from(calls)
      .where(eq(calls.runId, options.runId))
      .orderBy(asc(calls.callIndex))
      .all();
    if (runCalls.length === 0) throw new NotFoundError(`no run ${options.runId}`);
    if (runCalls.length < 2) {
      throw new InvalidInputError({ message: "a vote needs a run with at least two answers" });
    }
    if (runCalls.some((call) => call.status === "running")) {
      throw new ConflictError("the run is still running: vote once every answer is in");
    }
    const models = runCalls.map((call) => call.model);
    if (typeof options.winner === "number" && options.winner >= models.length) {
      throw new InvalidInputError({
        message: `winner: the run has answers 0 to ${models.length - 1}, not ${options.winner}`,
      });
    }
    const existing = tx
      .select({ id: votes.id })
      .from(votes)
      .where(eq(votes.runId, options.runId))
      .get();
    if (existing) throw new ConflictError("this run has a vote already");
    tx.insert(votes)
      .values({
        id: options.id,
        runId: options.runId,
        createdAt: options.now ?? new Date(),
        models,
        winner: String(options.winner),
      })
      .run();
    return { voteId: options.id, models };
  });
}

export function listVotes(options: WithDatabase = {}): Vote[] {
  const database = options.database ?? getDb();
  return database.orm
    .select({ models: votes.models, winner: votes.winner })
    .from(votes)
    .all()
    .map((row) => ({
      models: row.models,
      winner: row.winner === "tie" || row.winner === "both-bad" ? row.winner : Number(row.winner),
    }));
}
