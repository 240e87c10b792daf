/**
 * Writes to `calls` with the rollups kept per batch rather than per row (migration
 * `0006_rollups_in_batches`): the per-row rollup triggers stand aside while a row is in
 * `recorder_batches`, the old contributions of the calls about to change are staged (−1), the
 * writes run, the new contributions of the same calls are staged (+1), and everything staged
 * is folded into the rollups once. The `recorder_batches` row lives only inside the caller's
 * write transaction, so no other connection ever sees the triggers off.
 *
 * Re-pricing uses it for the calls it changes; the recorder for the calls it does not know
 * whole, and sums the rest itself inside `write` (rollup-deltas.ts).
 */
import type BetterSqlite3 from "better-sqlite3";

/**
 * `changing`: calls that exist before the write and may change what they add to the rollups.
 * Anything else `write` does to `calls` must keep the rollups itself.
 */
export type WriteWithBatchedRollups = (changing: ReadonlySet<string>, write: () => void) => void;

/** Must be called inside a write transaction; the returned function is reusable. */
export function createBatchedRollups(sqlite: BetterSqlite3.Database): WriteWithBatchedRollups {
  const pausePerRowRollups = sqlite.prepare('INSERT INTO "recorder_batches" ("id") VALUES (1)');
  const resumePerRowRollups = sqlite.prepare('DELETE FROM "recorder_batches"');
  const stageContributions = sqlite.prepare(
    `INSERT INTO "rollup_staging" SELECT ?, * FROM "call_rollup_contributions"
     WHERE "id" IN (SELECT "value" FROM json_each(?))`,
  );
  const foldStaged = sqlite.prepare('INSERT INTO "rollup_folds" ("id") VALUES (NULL)');

  return (changing, write) => {
    pausePerRowRollups.run();
    const ids = changing.size > 0 ? JSON.stringify([...changing]) : null;
    if (ids) stageContributions.run(-1, ids);
    write();
    if (ids) {
      stageContributions.run(1, ids);
      foldStaged.run();
    }
    resumePerRowRollups.run();
  };
}
