/**
 * Migration 0013 gives runs a source and fills it in from their calls: an evaluation's,
 * judge's or gateway's run recorded before it existed must not land in the compare page's
 * history.
 */
import { afterEach, describe, expect, it } from "vitest";
import {
  createDatabaseBefore,
  insertOldRows,
  type OldDatabase,
} from "@/test/support/db/old-database";
import { runningCallRow, runRow } from "@/test/support/db/test-rows";
import { listRuns } from "./queries";
import { calls, runs } from "./schema";

const opened: OldDatabase[] = [];
afterEach(() => {
  for (const item of opened.splice(0)) item.remove();
});

const AT = new Date("2026-11-30T12:00:00Z");

describe("migration 0013_runs_source", () => {
  it("takes each run's source from its first call and leaves the others playground runs", () => {
    const before = createDatabaseBefore("0013_runs_source");
    opened.push(before);
    const old = before.database;
    insertOldRows(
      old,
      runs,
      ["played", "gateway", "judged", "empty"].map((id) => runRow(id, AT)),
    );
    insertOldRows(old, calls, [
      runningCallRow({ id: "c-played", runId: "played", startedAt: AT }),
      runningCallRow({ id: "c-gateway", runId: "gateway", startedAt: AT, source: "gateway" }),
      runningCallRow({ id: "c-judged", runId: "judged", startedAt: AT, source: "judge" }),
    ]);

    const upgraded = before.upgrade();
    const sources = upgraded.sqlite
      .prepare("SELECT id, source FROM runs ORDER BY id")
      .all() as Array<{ id: string; source: string }>;
    expect(sources).toEqual([
      { id: "empty", source: "playground" },
      { id: "gateway", source: "gateway" },
      { id: "judged", source: "judge" },
      { id: "played", source: "playground" },
    ]);
    expect(
      listRuns({ database: upgraded, limit: 10 })
        .runs.map((run) => run.id)
        .sort(),
    ).toEqual(["empty", "played"]);
  });
});
