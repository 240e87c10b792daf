import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { OCI_SEED_PRICES } from "@/lib/pricing/oci-prices";
import { createTemporaryDatabase, type TemporaryDatabase } from "@/test/support/db/test-database";
import { closeDatabase, createDatabase, type Database, resolveDatabaseLocation } from "./client";

/** One row per migration in `drizzle/`, each applied once. */
const MIGRATION_COUNT = (
  JSON.parse(
    readFileSync(path.join(import.meta.dirname, "../../drizzle/meta/_journal.json"), "utf8"),
  ) as { entries: unknown[] }
).entries.length;

const opened: TemporaryDatabase[] = [];
afterEach(() => {
  for (const item of opened.splice(0)) item.remove();
});

function fresh(): TemporaryDatabase {
  const item = createTemporaryDatabase();
  opened.push(item);
  return item;
}

function tableNames(database: Database): string[] {
  return (
    database.sqlite
      .prepare(
        "SELECT name FROM sqlite_master WHERE type IN ('table', 'view', 'trigger') ORDER BY name",
      )
      .all() as Array<{ name: string }>
  ).map((row) => row.name);
}

describe("resolveDatabaseLocation", () => {
  const cwd = "/srv/app";
  it("reads file: URLs relative to the working directory", () => {
    expect(resolveDatabaseLocation("file:./data/playground.db", cwd)).toBe(
      "/srv/app/data/playground.db",
    );
    expect(resolveDatabaseLocation("file:data.db", cwd)).toBe("/srv/app/data.db");
  });
  it("reads absolute file: URLs in both spellings", () => {
    expect(resolveDatabaseLocation("file:/var/lib/x.db", cwd)).toBe("/var/lib/x.db");
    expect(resolveDatabaseLocation("file:///var/lib/x.db", cwd)).toBe("/var/lib/x.db");
  });
  it("reads plain paths and ignores a query string", () => {
    expect(resolveDatabaseLocation("./x.db", cwd)).toBe("/srv/app/x.db");
    expect(resolveDatabaseLocation("/abs/x.db", cwd)).toBe("/abs/x.db");
    expect(resolveDatabaseLocation("file:./x.db?mode=rwc", cwd)).toBe("/srv/app/x.db");
  });
  it("keeps :memory: in both spellings", () => {
    expect(resolveDatabaseLocation(":memory:", cwd)).toBe(":memory:");
    expect(resolveDatabaseLocation("file::memory:", cwd)).toBe(":memory:");
  });
  it("refuses an empty value", () => {
    expect(() => resolveDatabaseLocation("  ", cwd)).toThrow(/empty/);
  });
});

describe("createDatabase", () => {
  it("applies every migration to a fresh file, in WAL mode with foreign keys on", () => {
    const { database } = fresh();
    expect(tableNames(database)).toEqual(
      expect.arrayContaining([
        "runs",
        "calls",
        "price_overrides",
        "usage_hourly",
        "usage_daily",
        "timing_daily",
        "run_costs",
        "call_rollup_contributions",
        "rollup_fold",
        "calls_rollups_after_insert",
        "calls_rollups_before_update",
        "calls_rollups_after_update",
        "calls_rollups_before_delete",
        "calls_rollups_after_delete",
        "__drizzle_migrations",
      ]),
    );
    expect(database.sqlite.pragma("journal_mode", { simple: true })).toBe("wal");
    expect(database.sqlite.pragma("foreign_keys", { simple: true })).toBe(1);
    // synchronous=NORMAL is 1.
    expect(database.sqlite.pragma("synchronous", { simple: true })).toBe(1);
    expect(database.sqlite.pragma("busy_timeout", { simple: true })).toBe(5000);
  });

  it("creates the parent directory of the file", () => {
    const directory = mkdtempSync(path.join(tmpdir(), "locus-playground-db-"));
    const file = path.join(directory, "nested", "deeper", "playground.db");
    const database = createDatabase({ url: `file:${file}` });
    try {
      expect(existsSync(file)).toBe(true);
    } finally {
      closeDatabase(database);
      rmSync(directory, { recursive: true, force: true });
    }
  });

  it("reopens an existing file without reapplying migrations or duplicating seeds", () => {
    const item = fresh();
    closeDatabase(item.database);
    const reopened = createDatabase({ url: item.file });
    try {
      const migrations = reopened.sqlite
        .prepare("SELECT count(*) AS count FROM __drizzle_migrations")
        .get() as { count: number };
      expect(migrations.count).toBe(MIGRATION_COUNT);
      const seeds = reopened.sqlite
        .prepare("SELECT count(*) AS count FROM price_overrides WHERE provider = 'oci'")
        .get() as { count: number };
      expect(seeds.count).toBe(OCI_SEED_PRICES.length);
    } finally {
      closeDatabase(reopened);
    }
  });

  it("keeps a seeded price a person changed when the database opens again", () => {
    const item = fresh();
    item.database.sqlite
      .prepare("UPDATE price_overrides SET input_per_million = 42 WHERE id = 'seed-oci-xai.grok-4'")
      .run();
    closeDatabase(item.database);
    const reopened = createDatabase({ url: item.file });
    try {
      const row = reopened.sqlite
        .prepare(
          "SELECT input_per_million AS input FROM price_overrides WHERE id = 'seed-oci-xai.grok-4'",
        )
        .get() as { input: number };
      expect(row.input).toBe(42);
    } finally {
      closeDatabase(reopened);
    }
  });

  it("does not bring back a seeded price a person deleted when the database opens again", () => {
    const item = fresh();
    item.database.sqlite
      .prepare("DELETE FROM price_overrides WHERE id = 'seed-oci-xai.grok-4'")
      .run();
    closeDatabase(item.database);
    const reopened = createDatabase({ url: item.file });
    try {
      const row = reopened.sqlite
        .prepare("SELECT count(*) AS count FROM price_overrides WHERE id = 'seed-oci-xai.grok-4'")
        .get() as { count: number };
      expect(row.count).toBe(0);
    } finally {
      closeDatabase(reopened);
    }
  });

  it("opens an in-memory database with the same schema", () => {
    const database = createDatabase({ url: ":memory:" });
    try {
      expect(tableNames(database)).toContain("calls");
      expect(database.location).toBe(":memory:");
    } finally {
      closeDatabase(database);
    }
  });
});
