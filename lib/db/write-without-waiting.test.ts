import { afterEach, describe, expect, it } from "vitest";
import { DatabaseUnavailableError } from "@/lib/errors";
import { createTemporaryDatabase, type TemporaryDatabase } from "@/test/support/db/test-database";
import { type LockHolder, startLockHolder } from "@/test/support/lock-holder";
import { listPriceOverrides, upsertPriceOverride } from "./queries";
import { writeWithoutWaiting } from "./write-without-waiting";

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function setUp(): { store: TemporaryDatabase; holder: LockHolder } {
  const store = createTemporaryDatabase();
  cleanups.push(() => store.remove());
  const holder = startLockHolder(store.file);
  cleanups.push(() => holder.close());
  return { store, holder };
}

const OVERRIDE = {
  provider: "openai" as const,
  modelPattern: "gpt-locked",
  inputPerMillion: 1,
  outputPerMillion: 2,
  effectiveFrom: new Date("2026-01-01T00:00:00Z"),
};

function busyTimeout(store: TemporaryDatabase): number {
  return store.database.sqlite.pragma("busy_timeout", { simple: true }) as number;
}

describe("writeWithoutWaiting", () => {
  it("refuses a write under another process's lock, retrying on timers, and saves nothing", async () => {
    const { store, holder } = setUp();
    const before = listPriceOverrides({ database: store.database }).length;
    await holder.lock();
    let attempts = 0;
    let timerTicks = 0;
    const ticking = setInterval(() => {
      timerTicks += 1;
    }, 1);
    cleanups.push(() => clearInterval(ticking));
    const refused = await writeWithoutWaiting(
      store.database,
      () => {
        attempts += 1;
        return upsertPriceOverride({ override: OVERRIDE, database: store.database });
      },
      { budgetMs: 200, what: "the price override" },
    ).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(DatabaseUnavailableError);
    expect(refused).toMatchObject({
      reason: "locked",
      message: expect.stringMatching(/locked by another process.*the price override was not saved/),
    });
    // Tried again and again, the event loop running between the attempts.
    expect(attempts).toBeGreaterThan(1);
    expect(timerTicks).toBeGreaterThan(0);
    // The connection keeps its own busy timeout for everything else.
    expect(busyTimeout(store)).toBe(5_000);
    await holder.release();
    expect(listPriceOverrides({ database: store.database })).toHaveLength(before);
  });

  it("writes once the lock is let go within its budget", async () => {
    const { store, holder } = setUp();
    await holder.lock();
    let attempts = 0;
    let releasing = false;
    const row = await writeWithoutWaiting(
      store.database,
      () => {
        attempts += 1;
        // Let go only once the first attempt has been refused.
        if (attempts === 2 && !releasing) {
          releasing = true;
          void holder.release();
        }
        return upsertPriceOverride({ override: OVERRIDE, database: store.database });
      },
      { budgetMs: 30_000 },
    );
    expect(row.modelPattern).toBe("gpt-locked");
    expect(attempts).toBeGreaterThan(1);
    expect(busyTimeout(store)).toBe(5_000);
  });

  it("passes other failures through untouched", async () => {
    const { store } = setUp();
    const failure = Object.assign(new Error("UNIQUE constraint failed"), {
      code: "SQLITE_CONSTRAINT_UNIQUE",
    });
    await expect(
      writeWithoutWaiting(store.database, () => {
        throw failure;
      }),
    ).rejects.toBe(failure);
  });

  it("refuses a full database at once", async () => {
    const { store } = setUp();
    let attempts = 0;
    const refused = await writeWithoutWaiting(store.database, () => {
      attempts += 1;
      throw Object.assign(new Error("database or disk is full"), { code: "SQLITE_FULL" });
    }).catch((error: unknown) => error);
    expect(refused).toMatchObject({ reason: "full", message: expect.stringMatching(/full/) });
    expect(attempts).toBe(1);
  });
});
