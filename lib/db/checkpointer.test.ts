import { mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import BetterSqlite3 from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { createCallWriter } from "./call-writes";
import {
  BACKSTOP_AUTOCHECKPOINT_PAGES,
  DEFAULT_AUTOCHECKPOINT_PAGES,
  startCheckpointer,
} from "./checkpointer";
import { closeDatabase, createDatabase, type Database } from "./client";

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function temporaryDirectory(): string {
  const directory = mkdtempSync(path.join(tmpdir(), "locus-playground-checkpoints-"));
  cleanups.push(() => rmSync(directory, { recursive: true, force: true }));
  return directory;
}

function openWithCheckpointer(): { database: Database; file: string } {
  const file = path.join(temporaryDirectory(), "test.db");
  const database = createDatabase({ url: `file:${file}`, checkpointInBackground: true });
  cleanups.push(async () => {
    await database.checkpointer?.close();
    closeDatabase(database);
  });
  return { database, file };
}

/** About a megabyte of rows, committed at once (some 250 pages of log). */
function writeAMegabyte(sqlite: BetterSqlite3.Database, prefix: string): void {
  const insert = sqlite.prepare(
    "INSERT INTO runs (id, created_at, messages, title, search_text) VALUES (?, 0, '[]', '', ?)",
  );
  sqlite.transaction(() => {
    for (let index = 0; index < 256; index++)
      insert.run(`${prefix}-${index}`, `${prefix} ${index} `.repeat(400).slice(0, 4_000));
  })();
}

/** A bare WAL connection to a new file, without the app's schema or checkpointer. */
function openPlainWriter(): { file: string; writer: BetterSqlite3.Database } {
  const file = path.join(temporaryDirectory(), "test.db");
  const writer = new BetterSqlite3(file);
  cleanups.push(() => {
    writer.close();
  });
  writer.pragma("journal_mode = WAL");
  return { file, writer };
}

function walPages(sqlite: BetterSqlite3.Database): number {
  // A PASSIVE checkpoint copies what it can and reports how many pages the log holds.
  const [result] = sqlite.pragma("wal_checkpoint(PASSIVE)") as Array<{ log: number }>;
  return result?.log ?? 0;
}

describe("the background checkpointer", () => {
  it("copies what the writer commits into the database file, instead of the writer", async () => {
    const { database, file } = openWithCheckpointer();
    const checkpointer = database.checkpointer;
    if (!checkpointer) throw new Error("no checkpointer");
    expect(database.sqlite.pragma("wal_autocheckpoint", { simple: true })).toBe(
      BACKSTOP_AUTOCHECKPOINT_PAGES,
    );
    const before = statSync(file).size;

    writeAMegabyte(database.sqlite, "first");
    // The commit itself copied nothing back: the pages wait in the log.
    expect(statSync(file).size).toBe(before);

    checkpointer.written();
    const stats = await checkpointer.stats();
    expect(stats.checkpoints).toBe(1);
    expect(stats.lastError).toBeNull();
    expect(statSync(file).size).toBeGreaterThan(before + 1_000_000);
  });

  it("is told by the recorder after every batch it commits", async () => {
    const { database } = openWithCheckpointer();
    const writer = createCallWriter(database);
    const checkpoints = async () => (await database.checkpointer?.stats())?.checkpoints;
    expect(await checkpoints()).toBe(0);
    for (const [batch, id] of ["run-1", "run-2"].entries()) {
      writer.writeBatch({
        runs: [{ id, createdAt: new Date(), messages: [], title: "", searchText: "" }],
        callInserts: [],
        callUpdates: [],
      });
      expect(await checkpoints()).toBe(batch + 1);
    }
  });

  it("past its limit, waits for readers and copies the whole log", async () => {
    const { file, writer } = openPlainWriter();
    writer.exec(
      "CREATE TABLE runs (id TEXT PRIMARY KEY, created_at INTEGER, messages TEXT, title TEXT, search_text TEXT)",
    );
    const checkpointer = startCheckpointer(writer, file, { maxLogFrames: 100 });
    cleanups.push(() => checkpointer.close());

    writeAMegabyte(writer, "first");
    // A reader holds on to the database as it was then…
    const reader = new BetterSqlite3(file);
    cleanups.push(() => {
      reader.close();
    });
    reader.exec("BEGIN");
    reader.prepare("SELECT count(*) FROM runs").get();
    writeAMegabyte(writer, "second");
    const before = statSync(file).size;
    // …so a passive checkpoint may not copy the second megabyte: the worker has to wait for
    // the reader to finish, as it does once the log is over its limit.
    setTimeout(() => reader.exec("COMMIT"), 100);
    checkpointer.written();
    const stats = await checkpointer.stats();
    expect(stats.largestLogFrames).toBeGreaterThan(400);
    expect(stats.restarts).toBe(1);
    expect(statSync(file).size).toBeGreaterThan(before + 1_000_000);
    // Restarted: the next commit writes from the start of the log again.
    writer.prepare("INSERT INTO runs (id) VALUES ('one more')").run();
    expect(walPages(writer)).toBeLessThan(5);
  });

  it("says when a checkpoint fails, once, and goes on", async () => {
    const { writer } = openPlainWriter();
    // Its connection opens, but no checkpoint can read a file that is not a database.
    const garbage = path.join(temporaryDirectory(), "not-a-database.db");
    writeFileSync(garbage, "x".repeat(8_192));
    const messages: string[] = [];
    const checkpointer = startCheckpointer(writer, garbage, {
      log: (message) => messages.push(message),
    });
    cleanups.push(() => checkpointer.close());
    for (let batch = 0; batch < 3; batch++) {
      checkpointer.written();
      await checkpointer.stats();
    }
    const stats = await checkpointer.stats();
    expect(stats.lastError).toMatch(/not a database/);
    expect(stats.checkpoints).toBe(0);
    expect(messages).toEqual([
      expect.stringMatching(/^checkpointer: a checkpoint failed \(file is not a database\)/),
    ]);
  });

  it("hands checkpoints back to the writer when its thread stops", async () => {
    const { file, writer } = openPlainWriter();
    const messages: string[] = [];
    // The worker cannot open a file that does not exist, and stops.
    const checkpointer = startCheckpointer(writer, `${file}.missing`, {
      log: (message) => messages.push(message),
    });
    await expect(checkpointer.stats()).rejects.toThrow(/stopped/);
    await checkpointer.close();
    expect(messages.join("\n")).toMatch(/worker stopped; the writer checkpoints by itself again/);
    expect(writer.pragma("wal_autocheckpoint", { simple: true })).toBe(
      DEFAULT_AUTOCHECKPOINT_PAGES,
    );
  });

  it("ends its thread when the database is closed", async () => {
    const { database } = openWithCheckpointer();
    const checkpointer = database.checkpointer;
    closeDatabase(database);
    await expect(checkpointer?.close()).resolves.toBeUndefined();
    await expect(checkpointer?.stats()).rejects.toThrow(/stopped/);
  });
});
