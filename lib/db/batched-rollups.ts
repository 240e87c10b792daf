/**
 * Bulk writes to `calls` with the rollups kept per batch rather than per row (migration
 * `0006_rollups_in_batches`): the per-row rollup triggers stand aside while a row is in
 * `recorder_batches`, the old contributions of the calls about to change are staged (−1), the
 * writes run, the new contributions are staged (+1), and everything staged is folded into the
 * rollups once. The recorder stages only calls it does not know whole; the rest it sums
 * itself (rollup-deltas.ts) inside `write`. The `recorder_batches` row lives only inside the caller's write transaction,
 * so no other connection ever sees the triggers off.
 */
import type BetterSqlite3 from "better-sqlite3";

export interface BatchedRollupWrite {
  /** Calls that exist before the write and may change what they add to the rollups. */
  changing: ReadonlySet<string>;
  /**
   * Calls that add nothing before the write and may after it: inserted by the write already
   * ended, or known to be running until the write (a running call adds nothing yet). Only
   * their new contribution is staged. Read after `write` returns, so the write may fill it
   * as it goes.
   */
  startingToCount: Iterable<string>;
}

export type WriteWithBatchedRollups = (calls: BatchedRollupWrite, write: () => void) => void;

/** Must be called inside a write transaction; the returned function is reusable. */
export function createBatchedRollups(sqlite: BetterSqlite3.Database): WriteWithBatchedRollups {
  const pausePerRowRollups = sqlite.prepare('INSERT INTO "recorder_batches" ("id") VALUES (1)');
  const resumePerRowRollups = sqlite.prepare('DELETE FROM "recorder_batches"');
  const stageContributions = sqlite.prepare(
    `INSERT INTO "rollup_staging" SELECT ?, * FROM "call_rollup_contributions"
     WHERE "id" IN (SELECT "value" FROM json_each(?))`,
  );
  const foldStaged = sqlite.prepare('INSERT INTO "rollup_folds" ("id") VALUES (NULL)');

  return (calls, write) => {
    pausePerRowRollups.run();
    if (calls.changing.size > 0) stageContributions.run(-1, JSON.stringify([...calls.changing]));
    write();
    const staged = new Set(calls.changing);
    for (const id of calls.startingToCount) staged.add(id);
    if (staged.size > 0) {
      stageContributions.run(1, JSON.stringify([...staged]));
      foldStaged.run();
    }
    resumePerRowRollups.run();
  };
}
