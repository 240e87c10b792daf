import { afterEach, describe, expect, it } from "vitest";
import { createTracer } from "@/lib/tracing/tracer";
import { createTemporaryDatabase, type TemporaryDatabase } from "@/test/support/db/test-database";
import { callStart, runRecord } from "@/test/support/tracing-fixtures";
import { listComparisons } from "./comparison-queries";
import { InvalidCursorError } from "./queries";

const opened: TemporaryDatabase[] = [];
afterEach(() => {
  for (const item of opened.splice(0)) item.remove();
});

const BASE = Date.parse("2026-02-01T10:00:00Z");

async function seeded() {
  const store = createTemporaryDatabase();
  opened.push(store);
  const tracer = createTracer({ database: store.database, log: () => {} });
  const add = (
    id: string,
    at: number,
    prompt: string,
    comparisonId: string | null,
    model = "demo:chat",
  ) => {
    tracer.recordRun(
      runRecord({
        id,
        createdAt: new Date(BASE + at),
        messages: [{ role: "user", content: prompt }],
        comparisonId,
      }),
    );
    tracer.recordCallStart(
      callStart({ callId: `${id}-call`, runId: id, model, startedAt: new Date(BASE + at) }),
    );
  };
  add("run-old", 0, "an old run without a comparison", null);
  add("run-a1", 1_000, "first click", "cmp-a", "demo:chat");
  add("run-a2", 1_001, "first click", "cmp-a", "demo:fast");
  add("run-b1", 2_000, "second click", "cmp-b");
  await tracer.flush();
  return store.database;
}

describe("listComparisons", () => {
  it("groups the runs of one comparison, newest comparison first, runs in the order sent", async () => {
    const database = await seeded();
    const page = listComparisons({ database });
    expect(page.comparisons.map((comparison) => comparison.comparisonId)).toEqual([
      "cmp-b",
      "cmp-a",
      "run-old",
    ]);
    expect(page.comparisons[1]?.runs.map((run) => run.id)).toEqual(["run-a1", "run-a2"]);
    expect(page.comparisons[1]?.createdAt).toBe(new Date(BASE + 1_001).toISOString());
    expect(page.comparisons[2]?.runs.map((run) => run.comparisonId)).toEqual(["run-old"]);
    expect(page.nextCursor).toBeNull();
  });

  it("pages by comparison with a cursor, never splitting one", async () => {
    const database = await seeded();
    const first = listComparisons({ database, limit: 2 });
    expect(first.comparisons.map((comparison) => comparison.comparisonId)).toEqual([
      "cmp-b",
      "cmp-a",
    ]);
    expect(first.comparisons[1]?.runs).toHaveLength(2);
    const second = listComparisons({ database, limit: 2, cursor: first.nextCursor });
    expect(second.comparisons.map((comparison) => comparison.comparisonId)).toEqual(["run-old"]);
    expect(second.nextCursor).toBeNull();
    expect(() => listComparisons({ database, cursor: "nonsense" })).toThrow(InvalidCursorError);
  });

  it("keeps a comparison whose run matches the search, with all its runs", async () => {
    const database = await seeded();
    const page = listComparisons({ database, search: "demo:fast" });
    expect(page.comparisons.map((comparison) => comparison.comparisonId)).toEqual(["cmp-a"]);
    expect(page.comparisons[0]?.runs.map((run) => run.id)).toEqual(["run-a1", "run-a2"]);
  });
});
